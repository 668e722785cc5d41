import { statfsSync } from 'node:fs';
import { LumenError } from '../../../../shared/domain/errors';
import { corruptionError } from './corruption';

/**
 * Why the library could not be opened, in the reader's terms. Only SQLite's words for a damaged file
 * make it LIBRARY_CORRUPT, which sends the user to the repair (it moves the file aside): a full disk
 * (the lock file, or an update of the schema on start), or a folder Lumen may not write, is not damage,
 * and the library is left as it was.
 */
export function openFailure(error: unknown, folder: string): LumenError {
  if (error instanceof LumenError) return error;
  const damaged = corruptionError(error);
  if (damaged) return damaged;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || /database or disk is full/i.test(reason) || (/disk I\/O error/i.test(reason) && nearlyFull(folder))) {
    return new LumenError('LIBRARY_DISK_FULL', 'The disk holding the study library is full, so the library could not be opened. Free space and start Lumen again; nothing was changed.', { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly database/i.test(reason)) {
    return new LumenError('LIBRARY_UNAVAILABLE', 'The study library could not be opened: its folder is not writable.', { cause: error });
  }
  return new LumenError('LIBRARY_UNAVAILABLE', `The study library's database could not be opened (${reason}); nothing was changed.`, { cause: error });
}

/**
 * The WASM build's file layer reports a write the disk refused (ENOSPC) as SQLite's generic "disk I/O
 * error": the free space of the library's disk tells a full one from a failing one.
 */
function nearlyFull(folder: string): boolean {
  try {
    const fs = statfsSync(folder);
    return fs.bavail * fs.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}
