import type { Database as SqliteDatabase, Statement } from 'node-sqlite3-wasm';
import { LumenError } from '../../../../shared/domain/errors';

/**
 * SQLite's words for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB): node-sqlite3-wasm gives only the
 * message (sqlite3_errmsg), not the code.
 */
const DAMAGED = /database disk image is malformed|file is not a database|malformed database schema/i;

export const REPAIR_HINT = 'The image files are not affected: close Lumen and run "lumen library repair" to rebuild the index from them.';

/** LIBRARY_CORRUPT for an error that says the database file is damaged; null for any other error. */
export function corruptionError(error: unknown): LumenError | null {
  if (error instanceof LumenError || !(error instanceof Error) || !DAMAGED.test(error.message)) return null;
  return new LumenError('LIBRARY_CORRUPT', `The study library's database is damaged. ${REPAIR_HINT}`, { cause: error });
}

function rethrowing<A extends unknown[], R>(work: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return work(...args);
    } catch (error) {
      throw corruptionError(error) ?? error;
    }
  };
}

const STATEMENT_CALLS = new Set(['all', 'get', 'run', 'iterate', 'finalize']);
const DATABASE_CALLS = new Set(['exec', 'all', 'get', 'run', 'close']);

/**
 * The connection with every call that reads or writes the file (and the statements it prepares)
 * turning a damaged-file error into LIBRARY_CORRUPT, wherever in the library or the services that
 * share the file it surfaces: the user is told the index is damaged and how to rebuild it, instead of
 * "an unexpected error" (or "is the disk full?" from an import).
 */
export function corruptionAware(db: SqliteDatabase): SqliteDatabase {
  const statement = (s: Statement): Statement =>
    new Proxy(s, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' && STATEMENT_CALLS.has(String(key)) ? rethrowing((value as (...a: unknown[]) => unknown).bind(target)) : value;
      },
    });
  return new Proxy(db, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (key === 'prepare') return rethrowing((sql: string) => statement(bound(sql) as Statement));
      return DATABASE_CALLS.has(String(key)) ? rethrowing(bound) : bound;
    },
  });
}
