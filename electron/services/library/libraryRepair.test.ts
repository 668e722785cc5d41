import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Measurement } from '../../../shared/domain/measurement';
import { AuditLog } from '../audit/index';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { libraryCheck } from '../doctor/libraryChecks';
import { EventBus } from '../eventBus';
import { VisitMeasureStore } from '../progression/visitMeasureStore';
import { LibraryDatabase } from './libraryDatabase';
import { LibraryService } from './libraryService';
import { storePartPath } from './managedStore';
import { repairLibrary } from './repairLibrary';
import { damageLibraryPages } from './testing/damageLibraryPages';

const mr = path.join(dataRoot, 'mr/decubitus');
const cxr = path.join(dataRoot, 'cxr/dicom');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** pydicom's SOP Instance UIDs of every DICOM file under a folder (force: a bare data set without the Part 10 preamble counts). */
function pydicomUids(folder: string): string[] {
  return pythonJson<string[]>(
    `import sys, os, json, pydicom
out = []
for root, _, names in os.walk(sys.argv[1]):
    for n in names:
        try:
            out.append(str(pydicom.dcmread(os.path.join(root, n), stop_before_pixels=True, force=True).SOPInstanceUID))
        except Exception:
            pass
print(json.dumps(sorted(out)))`,
    [folder],
  );
}

const byUid = (files: { sopInstanceUid: string; path: string; managed: boolean }[]) =>
  Object.fromEntries(files.map((f) => [f.sopInstanceUid, { path: f.path, managed: f.managed }]));

/**
 * A library as a reading room has it: an MR copied into the store, radiographs referenced in place, a
 * measurement saved with the MR study and a progression visit typed into the form. Closed afterwards,
 * so the file can be damaged; returns what it held.
 */
async function buildLibrary() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-repair-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const file = path.join(dataDir, 'library.db');
  const db = LibraryDatabase.open(file);
  const audit = AuditLog.open(dataDir);
  const library = new LibraryService({ db, audit, events: new EventBus(), dataDir, importMode: () => 'copy' });
  try {
    const copied = await library.importPaths([mr]);
    await library.importPaths([cxr], { mode: 'reference' });
    const study = copied.studies[0]!;
    const series = db.studies().find((s) => s.studyInstanceUid === study)!.series[0]!.seriesInstanceUid;
    const measurement: Measurement = { id: 'm1', kind: 'length', seriesInstanceUid: series, frame: 3, points: [[1, 2, 3], [4, 5, 6]], label: '5.20 mm', values: { lengthMm: 5.2 }, units: 'mm' };
    library.saveMeasurements(study, [measurement]);
    const visits = new VisitMeasureStore(db);
    const visit = visits.visitFor('OAS2_0001', { day: 0 }, { visitNumber: 1 });
    visits.setMeasure(visit, 'MMSE', 27, { source: 'form', at: '2026-11-22T10:00:00.000Z', user: 'reader' });
    return { dataDir, file, study, files: byUid(db.files()), measurements: library.measurements(study), visits: visits.visits('OAS2_0001') };
  } finally {
    db.close();
    audit.close();
  }
}

/** Opens the library at `dataDir` for a look, and closes it again. */
function inspect<T>(dataDir: string, look: (db: LibraryDatabase, library: LibraryService) => T): T {
  const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
  const audit = AuditLog.open(dataDir);
  try {
    return look(db, new LibraryService({ db, audit, events: new EventBus(), dataDir, importMode: () => 'copy' }));
  } finally {
    db.close();
    audit.close();
  }
}

describe('a damaged library database', () => {
  it('with pages of its instance, file and study tables overwritten: says so as LIBRARY_CORRUPT, and the repair gives back every instance, measurement and visit', async () => {
    const before = await buildLibrary();
    const expectedUids = [...pydicomUids(mr), ...pydicomUids(cxr)].sort();
    expect(Object.keys(before.files).sort()).toEqual(expectedUids);

    // The studies table fits on one page, its root: its extent cannot be read, and saved results find
    // their study through the series table instead.
    const damage = damageLibraryPages(before.file, ['instances', 'files', 'studies']);
    expect(damage.instances!.rows).toBeGreaterThan(0);
    expect(damage.files!.rows).toBeGreaterThan(0);

    // What a user meets: a typed error naming the repair, not "an unexpected error".
    const met = inspect(before.dataDir, (db) => {
      try {
        db.files();
        return null;
      } catch (error) {
        return error as { code?: string; message?: string };
      }
    });
    expect(met?.code).toBe('LIBRARY_CORRUPT');
    expect(met?.message).toContain('lumen library repair');
    const doctorBefore = await libraryCheck(before.dataDir);
    expect(doctorBefore.status).toBe('fail');
    expect(doctorBefore.detail).toContain('lumen library repair');

    // A copy-mode import that crashed mid-copy left a complete part of a CT slice in the store: not an
    // instance of the library, and the re-index must not take it for one.
    const leftover = storePartPath(path.join(before.dataDir, 'store', '1.2.3', '4.5.6', '7.8.9.dcm'), 4242);
    mkdirSync(path.dirname(leftover), { recursive: true });
    copyFileSync(path.join(dataRoot, 'ct/chest-275', readdirSync(path.join(dataRoot, 'ct/chest-275')).find((n) => n.endsWith('.dcm'))!), leftover);

    const summary = await repairLibrary(before.dataDir);

    // The salvage read all but the damaged page's rows, by SQLite's own count of them (dbstat).
    const salvaged = Object.fromEntries(summary.salvaged.map((s) => [s.table, s]));
    for (const table of ['instances', 'files'] as const) {
      expect(salvaged[table]).toEqual({ table, rows: damage[table]!.total - damage[table]!.rows, unreadableRowIds: damage[table]!.rows, complete: true });
    }
    expect(damage.studies!.rows).toBe(damage.studies!.total);
    expect(salvaged.studies).toEqual({ table: 'studies', rows: 0, unreadableRowIds: null, complete: false });
    expect(summary.referencedFiles).toBe(pydicomUids(cxr).length);
    expect(summary.referencedFilesMissing).toBe(0);
    expect(summary.instancesIndexed).toBe(expectedUids.length);
    expect(summary).toMatchObject({ derivedResultsRestored: 1, derivedResultsLost: 0, rowsRestored: { progression_visits: 1, progression_measures: 1 } });
    expect(existsSync(path.join(summary.damagedCopy, 'library.db'))).toBe(true);

    inspect(before.dataDir, (db, library) => {
      // Every instance again, store copies still the library's own, referenced files still the user's.
      expect(byUid(db.files())).toEqual(before.files);
      expect(library.measurements(before.study)).toEqual(before.measurements);
      expect(new VisitMeasureStore(db).visits('OAS2_0001')).toEqual(before.visits);
      expect(db.integrityCheck()).toEqual(['ok']);
    });
    expect((await libraryCheck(before.dataDir)).status).toBe('ok');
  });

  it('with its header overwritten: cannot be opened (LIBRARY_CORRUPT), and the repair re-indexes the store', async () => {
    const before = await buildLibrary();
    damageLibraryPages(before.file, 'header');
    expect(() => LibraryDatabase.open(before.file)).toThrowError(expect.objectContaining({ code: 'LIBRARY_CORRUPT' }) as Error);
    expect((await libraryCheck(before.dataDir)).status).toBe('fail');

    const summary = await repairLibrary(before.dataDir);
    expect(summary.salvaged).toEqual([]);
    // Nothing says where the referenced radiographs were: only the store's copies come back.
    const storeUids = pydicomUids(mr);
    expect(summary.instancesIndexed).toBe(storeUids.length);
    inspect(before.dataDir, (db) => {
      expect(Object.keys(byUid(db.files())).sort()).toEqual(storeUids);
      expect(db.files().every((f) => f.managed)).toBe(true);
    });
  });

  it('is not repaired (nor checked by doctor) while Lumen has it open', async () => {
    const before = await buildLibrary();
    const db = LibraryDatabase.open(before.file);
    try {
      await expect(repairLibrary(before.dataDir)).rejects.toMatchObject({ code: 'LIBRARY_IN_USE' });
      // doctor cannot look inside either, and says so rather than failing the workstation
      expect(await libraryCheck(before.dataDir)).toMatchObject({ status: 'warn' });
      expect(Object.keys(byUid(db.files())).length).toBe(Object.keys(before.files).length);
    } finally {
      db.close();
    }
  });
});
