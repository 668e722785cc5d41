import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import type { ScanFailure } from '../dicom/import/index';
import { LibraryLock } from './database/libraryLock';
import { openDamagedCopy, tableNames } from './database/openLibraryDatabase';
import { salvageRows, type SalvagedTable } from './database/salvageRows';
import { importIntoLibrary, type LibraryImportProgress } from './importIntoLibrary';
import { LibraryDatabase, type DerivedResult } from './libraryDatabase';

/** Tables rebuilt from the files themselves: what a damaged page lost there comes back from the headers. */
const INDEX_TABLES = new Set(['patients', 'studies', 'series', 'instances', 'files']);

export type LibraryRepairProgress = { stage: 'salvage'; table: string } | ({ stage: 'index' } & LibraryImportProgress) | { stage: 'restore' };

export interface LibraryRepairSummary {
  /** The damaged database files, moved here untouched (never deleted). */
  damagedCopy: string;
  /** What each table of the damaged file still gave. */
  salvaged: { table: string; rows: number; unreadableRowIds: number | null; complete: boolean }[];
  /** Referenced files (outside the store) handed to the re-index, and those no longer where they were. */
  referencedFiles: number;
  referencedFilesMissing: number;
  /** Instances in the rebuilt library. */
  instancesIndexed: number;
  failed: ScanFailure[];
  /** Saved measurements and AI results carried over, and those whose study could not be rebuilt. */
  derivedResultsRestored: number;
  derivedResultsLost: number;
  /** Rows of the other tables (progression visits and measures) carried over, per table. */
  rowsRestored: Record<string, number>;
}

/**
 * Rebuilds a damaged study library. The image index (patients, studies, series, instances, files) is
 * rebuilt from the files: those in the library's store, and the referenced files whose paths the
 * damaged database still gives. Measurements, AI results and progression visits, which exist only in
 * the database, are carried over as far as the damaged file still gives them. The damaged files are
 * moved aside, never deleted. Lumen must be closed (the library lock says so).
 */
export async function repairLibrary(dataDir: string, options: { onProgress?: (p: LibraryRepairProgress) => void } = {}): Promise<LibraryRepairSummary> {
  const file = path.join(dataDir, 'library.db');
  if (!existsSync(file)) throw new LumenError('LIBRARY_NOT_FOUND', 'There is no study library in this data directory to repair.');
  const storeDir = path.join(dataDir, 'store');

  const lock = LibraryLock.acquire(file);
  let damagedCopy: string;
  let salvage: Map<string, SalvagedTable>;
  try {
    damagedCopy = path.join(dataDir, `library-damaged-${new Date().toISOString().replaceAll(':', '-')}`);
    mkdirSync(damagedCopy);
    for (const suffix of ['', '-wal', '-journal']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, path.join(damagedCopy, `library.db${suffix}`));
    }
    // node-sqlite3-wasm's lock directory, left by the process that last had the damaged file open
    rmSync(`${file}.lock`, { recursive: true, force: true });
    salvage = salvageCopy(damagedCopy, options.onProgress);
  } finally {
    lock.release();
  }

  const db = LibraryDatabase.open(file);
  try {
    const referenced = [...new Set((salvage.get('files')?.rows ?? []).filter((r) => r.managed === 0).map((r) => String(r.path)))];
    const present = await Promise.all(referenced.map((p) => stat(p).then((s) => s.isFile(), () => false)));
    const inputs = [...referenced.filter((_, i) => present[i]), ...(existsSync(storeDir) ? [storeDir] : [])];
    const indexed = inputs.length
      ? await importIntoLibrary(db, inputs, { mode: 'reference', storeDir, onProgress: (p) => options.onProgress?.({ stage: 'index', ...p }) })
      : { added: [], failures: [] };

    options.onProgress?.({ stage: 'restore' });
    const derived = restoreDerivedResults(db, salvage);
    const rowsRestored: Record<string, number> = {};
    for (const table of db.tables()) {
      if (INDEX_TABLES.has(table) || table === 'derived_results') continue;
      rowsRestored[table] = db.restoreRows(table, salvage.get(table)?.rows ?? []);
    }
    return {
      damagedCopy,
      salvaged: [...salvage].map(([table, s]) => ({ table, rows: s.rows.length, unreadableRowIds: s.unreadable, complete: s.complete })),
      referencedFiles: referenced.length,
      referencedFilesMissing: present.filter((p) => !p).length,
      instancesIndexed: indexed.added.length,
      failed: indexed.failures,
      derivedResultsRestored: derived.restored,
      derivedResultsLost: derived.lost,
      rowsRestored,
    };
  } finally {
    db.close();
  }
}

/** Every table the damaged file still lists, read from a private copy (reading may write the copy's journal). */
function salvageCopy(damagedCopy: string, onProgress?: (p: LibraryRepairProgress) => void): Map<string, SalvagedTable> {
  const work = path.join(damagedCopy, 'salvage');
  mkdirSync(work);
  for (const suffix of ['', '-wal']) {
    const source = path.join(damagedCopy, `library.db${suffix}`);
    if (existsSync(source)) copyFileSync(source, path.join(work, `library.db${suffix}`));
  }
  const tables = new Map<string, SalvagedTable>();
  let db;
  try {
    db = openDamagedCopy(path.join(work, 'library.db'));
    for (const table of tableNames(db)) {
      onProgress?.({ stage: 'salvage', table });
      tables.set(table, salvageRows(db, table));
    }
  } catch {
    // The schema itself is unreadable (page 1 damaged): nothing to carry over, the store is re-indexed.
  } finally {
    try {
      db?.close();
    } catch {
      // a damaged copy may refuse its checkpoint; it is deleted next
    }
    rmSync(work, { recursive: true, force: true });
  }
  return tables;
}

/**
 * A saved result names its study by the damaged file's row id: through that file's studies table, or,
 * when that page is lost, through a series of the study, whose study the rebuilt index knows.
 */
function restoreDerivedResults(db: LibraryDatabase, salvage: Map<string, SalvagedTable>): { restored: number; lost: number } {
  const studyUid = new Map((salvage.get('studies')?.rows ?? []).map((r) => [r.id, String(r.study_instance_uid)]));
  for (const series of salvage.get('series')?.rows ?? []) {
    if (studyUid.has(series.study_ref)) continue;
    const study = db.studyOfSeries(String(series.series_instance_uid));
    if (study) studyUid.set(series.study_ref, study);
  }
  let restored = 0;
  let lost = 0;
  // One transaction: one commit (an fsync at synchronous=FULL) for all of them, not one per result.
  db.transaction(() => {
    for (const row of salvage.get('derived_results')?.rows ?? []) {
      const uid = studyUid.get(row.study_ref);
      let result: DerivedResult | null = null;
      try {
        result = {
          kind: row.kind as DerivedResult['kind'],
          producer: String(row.producer),
          seriesInstanceUid: row.series_instance_uid === null ? null : String(row.series_instance_uid),
          payload: JSON.parse(String(row.payload)) as unknown,
        };
      } catch {
        result = null;
      }
      if (uid !== undefined && result && db.addDerivedResult(uid, result, String(row.created_at))) restored++;
      else lost++;
    }
  });
  return { restored, lost };
}
