import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { InstanceRecord } from './instanceRecord';

/** UIDs are digits and dots (PS3.5 9.1); anything else from a file is not trusted as a path segment. */
const SAFE_UID = /^[0-9][0-9.]{0,63}$/;
const segment = (uid: string) => (SAFE_UID.test(uid) ? uid : createHash('sha256').update(uid).digest('hex').slice(0, 32));

/** Where the library keeps its own copy of an instance: `<store>/<study>/<series>/<sop>.dcm`. */
export function managedPathFor(storeDir: string, record: Pick<InstanceRecord, 'studyInstanceUid' | 'seriesInstanceUid' | 'sopInstanceUid'>): string {
  return path.join(storeDir, segment(record.studyInstanceUid), segment(record.seriesInstanceUid), `${segment(record.sopInstanceUid)}.dcm`);
}

/**
 * Where a copy into the store is written before it is renamed to `destination`: a hidden sibling, so
 * that one a crash leaves behind is never taken for an instance when the store is scanned (repairLibrary
 * re-indexes it; a scan skips hidden entries).
 */
export function storePartPath(destination: string, pid = process.pid): string {
  return path.join(path.dirname(destination), `.${path.basename(destination)}.${pid}.part`);
}

/**
 * Copies a file into the store so that the store never holds half a file under a final name: copy to
 * its part, then rename. A crash leaves at most a part or an unreferenced complete copy, which the next
 * import of the same instance replaces. The source is only read.
 */
export async function copyIntoStore(source: string, destination: string): Promise<void> {
  await mkdir(path.dirname(destination), { recursive: true });
  const part = storePartPath(destination);
  try {
    await copyFile(source, part);
    await rename(part, destination);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
}
