import type { Database as SqliteDatabase } from 'node-sqlite3-wasm';
import { LumenError } from '../../../../shared/domain/errors';

/**
 * SQLite's words for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB): node-sqlite3-wasm gives only the
 * message (sqlite3_errmsg), not the code.
 */
const DAMAGED = /database disk image is malformed|file is not a database|malformed database schema/i;

const REPAIR_HINT = 'The image files are not affected: close Lumen and run "lumen library repair" to rebuild the index from them.';

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
  const prepare = rethrowing((sql: string) => withRethrowingCalls(db.prepare(sql), STATEMENT_CALLS));
  return withRethrowingCalls(db, DATABASE_CALLS, { prepare });
}

/**
 * `target` whose methods named in `calls` turn a damaged-file error into LIBRARY_CORRUPT (`made`: ready
 * replacements). Each method's wrapper is made once, not at every call: statements run thousands of
 * times in an import.
 */
function withRethrowingCalls<T extends object>(target: T, calls: ReadonlySet<string>, made: Record<string, unknown> = {}): T {
  const wrappers = new Map<string, unknown>(Object.entries(made));
  return new Proxy(target, {
    get(object, key, receiver) {
      const name = String(key);
      const ready = wrappers.get(name);
      if (ready) return ready;
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(object);
      const wrapper = calls.has(name) ? rethrowing(bound) : bound;
      wrappers.set(name, wrapper);
      return wrapper;
    },
  });
}
