import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LumenError } from '../../../../shared/domain/errors';
import { openFailure } from './openErrors';

/**
 * One process owns the library database at a time. node-sqlite3-wasm locks a database by creating a
 * `<db>.lock` directory, which a killed process leaves behind: every later open would then fail with
 * SQLITE_BUSY forever. So the owner also writes `<db>.owner` with its pid; an owner file whose process
 * is gone marks both as stale, and they are removed before the database is opened.
 */
export class LibraryLock {
  private constructor(private readonly ownerFile: string) {}

  static acquire(databaseFile: string): LibraryLock {
    const ownerFile = `${databaseFile}.owner`;
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number | null = null;
      try {
        fd = openSync(ownerFile, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw openFailure(error, path.dirname(databaseFile));
      }
      if (fd !== null) {
        try {
          writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname() }));
        } catch (error) {
          // a full disk: no empty owner file is left behind
          rmSync(ownerFile, { force: true });
          throw openFailure(error, path.dirname(databaseFile));
        } finally {
          closeSync(fd);
        }
        return new LibraryLock(ownerFile);
      }
      if (ownerAlive(ownerFile)) {
        throw new LumenError('LIBRARY_IN_USE', 'The study library is open in another Lumen window or process; close it and try again.');
      }
      rmSync(ownerFile, { force: true });
      rmSync(`${databaseFile}.lock`, { recursive: true, force: true });
    }
    throw new LumenError('LIBRARY_IN_USE', 'The study library is open in another Lumen window or process; close it and try again.');
  }

  release(): void {
    rmSync(this.ownerFile, { force: true });
  }
}

function ownerAlive(ownerFile: string): boolean {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as typeof owner;
  } catch {
    return false; // torn: its writer died between creating and writing it
  }
  // A library on a shared folder owned by another machine: its process cannot be checked from here.
  if (owner.host !== os.hostname()) return true;
  if (typeof owner.pid !== 'number') return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
