import { randomUUID } from 'node:crypto';

/**
 * A new globally unique DICOM UID under the 2.25 root (PS3.5 B.2: a UUID as one decimal integer), so no
 * organisation root is needed and UIDs never collide across workstations.
 */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString(10)}`;
}
