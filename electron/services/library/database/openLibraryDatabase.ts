import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type * as NodeSqlite3Wasm from 'node-sqlite3-wasm';
import type { Database as SqliteDatabase } from 'node-sqlite3-wasm';
import { LumenError } from '../../../../shared/domain/errors';
import { corruptionAware } from './corruption';
import { openFailure } from './openErrors';
import { LibraryLock } from './libraryLock';
import { MIGRATIONS, type Migration } from './migrations';

// node-sqlite3-wasm is CommonJS without named ESM exports; its typings describe the module object.
const { Database } = createRequire(import.meta.url)('node-sqlite3-wasm') as typeof NodeSqlite3Wasm;

export type { SqliteDatabase };

export interface OpenedDatabase {
  db: SqliteDatabase;
  journalMode: string;
  close(): void;
}

/**
 * Opens (creating if needed) the library database and brings its schema up to date.
 *
 * Journal: WAL. The WASM build's file system layer has no shared-memory primitives (xShm), which WAL
 * needs to coordinate several connections; with `locking_mode=EXCLUSIVE` SQLite keeps the WAL index in
 * process memory instead, so WAL works for the one connection the library owner holds (LibraryLock
 * guarantees there is only one). `synchronous=FULL` fsyncs the WAL at each commit: a committed import
 * batch survives a killed process and a power cut.
 */
export function openLibraryDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): OpenedDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = LibraryLock.acquire(file);
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    lock.release();
    throw openFailure(error, path.dirname(file));
  }
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const journal = db.get('PRAGMA journal_mode = WAL') as { journal_mode: string };
    db.exec('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    migrate(db, migrations);
    const aware = corruptionAware(db);
    return {
      db: aware,
      journalMode: journal.journal_mode,
      close: () => {
        // Closing checkpoints the WAL, which a damaged file can refuse: the lock goes all the same.
        try {
          if (aware.isOpen) aware.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    try {
      if (db.isOpen) db.close();
    } catch {
      // the error that stopped the open is the one to report
    }
    lock.release();
    throw openFailure(error, path.dirname(file));
  }
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const current = Number((db.get('PRAGMA user_version') as { user_version: number }).user_version);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new LumenError('LIBRARY_TOO_NEW', 'The study library was written by a newer version of Lumen; update Lumen to open it.');
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      // SQLite has already rolled back after some errors (a full disk): the error to report is the first.
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** The schema's tables, in the order the migrations created them (parents before children). */
export function tableNames(db: SqliteDatabase): string[] {
  return (db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid") as { name: string }[]).map((r) => r.name);
}

/** `PRAGMA integrity_check`: 'ok' or the problems SQLite found. */
export function integrityCheck(db: SqliteDatabase): string[] {
  return (db.all('PRAGMA integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
}

/**
 * Opens a copy of a damaged library file to read what it still holds (repairLibrary): no lock (the
 * copy is private), no migration and no journal change, which would write to it.
 */
export function openDamagedCopy(file: string): SqliteDatabase {
  const db = new Database(file, { fileMustExist: true });
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
  return db;
}
