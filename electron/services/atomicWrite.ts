import { rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces a file so that a crash leaves either the old or the new content, never half of one:
 * write a sibling temp file, then rename over the target (atomic on POSIX and NTFS).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, data, { flush: true });
  await rename(temp, file);
}
