import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { exportError } from './exportErrors';

/**
 * A folder or zip export is written under a sibling name and renamed into place at the end, so a
 * cancelled, stopped or crashed export never leaves a DICOMDIR that looks complete. The sibling is on
 * the same file system as the target, so the final rename is atomic.
 */
export function stagingPath(target: string): string {
  const resolved = path.resolve(target);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.lumen-partial-${randomUUID().slice(0, 8)}`);
}

/** A target may be new, or an empty folder (what a folder picker gives); anything else is refused. */
export async function assertTargetFree(target: string, kind: 'folder' | 'file'): Promise<{ emptyFolder: boolean }> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw exportError.destinationUnwritable(error);
  });
  if (!info) {
    const parent = await stat(path.dirname(path.resolve(target))).catch(() => null);
    if (!parent?.isDirectory()) throw exportError.destinationUnwritable();
    return { emptyFolder: false };
  }
  if (kind === 'folder' && info.isDirectory() && (await readdir(target)).length === 0) return { emptyFolder: true };
  throw exportError.destinationExists();
}
