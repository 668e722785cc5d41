import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { AuditLog, verifyAuditFile } from '../audit/index';
import { EventBus } from '../eventBus';
import { LibraryDatabase } from './libraryDatabase';
import { LibraryService } from './libraryService';
import type { InstanceRecord } from './instanceRecord';

const ct = path.join(dataRoot, 'ct/chest-275');
const mr = path.join(dataRoot, 'mr/decubitus');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function openLibrary(importMode: 'reference' | 'copy' = 'reference') {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-library-'));
  const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
  const audit = AuditLog.open(dataDir);
  const library = new LibraryService({ db, audit, events: new EventBus(), dataDir, importMode: () => importMode });
  cleanups.push(async () => {
    db.close();
    audit.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { dataDir, db, audit, library };
}

/** pydicom's view of a folder: SOP Instance UID -> Study Instance UID, for every DICOM file in it. */
function pydicomInstances(folder: string): Record<string, string> {
  return pythonJson<Record<string, string>>(
    `import sys, os, json, pydicom
out = {}
for root, _, names in os.walk(sys.argv[1]):
    for n in names:
        try:
            d = pydicom.dcmread(os.path.join(root, n), stop_before_pixels=True)
            out[str(d.SOPInstanceUID)] = str(d.StudyInstanceUID)
        except Exception:
            pass
print(json.dumps(out))`,
    [folder],
  );
}

function fingerprint(folder: string): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const info = statSync(full);
      if (info.isDirectory()) visit(full);
      else hash.update(name).update(String(info.mtimeMs)).update(readFileSync(full));
    }
  };
  visit(folder);
  return hash.digest('hex');
}

function record(overrides: Partial<InstanceRecord>): InstanceRecord {
  return {
    path: '/nowhere',
    sopInstanceUid: '1.2.3.1',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: '1.2.3.0',
    instanceNumber: 1,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    patientName: '',
    patientId: '',
    patientBirthDate: '',
    patientSex: '',
    studyDate: '',
    studyTime: '',
    accessionNumber: '',
    studyDescription: '',
    seriesDescription: '',
    seriesNumber: 1,
    modality: 'CT',
    fileSize: 1,
    planes: null,
    ...overrides,
  };
}

describe('study library (SQLite)', () => {
  it('imports the 275-slice CT and the decubitus MR in place: every SOP Instance UID pydicom reads, sources untouched, WAL journal', async () => {
    const { db, library, dataDir } = await openLibrary('reference');
    expect(db.journalMode).toBe('wal');
    const before = fingerprint(ct);
    const summary = await library.importPaths([ct, mr]);
    const reference = { ...pydicomInstances(ct), ...pydicomInstances(mr) };
    expect(summary.instancesAdded).toBe(Object.keys(reference).length);
    expect(summary.alreadyInLibrary).toBe(0);
    expect(new Set(db.files().map((f) => f.sopInstanceUid))).toEqual(new Set(Object.keys(reference)));
    expect(new Set(summary.studies)).toEqual(new Set(Object.values(reference)));
    expect(db.files().every((f) => !f.managed && f.path.startsWith(dataRoot))).toBe(true);
    expect(fingerprint(ct)).toBe(before);
    expect(existsSync(path.join(dataDir, 'store'))).toBe(false);

    const ctStudy = library.listStudies({ modality: 'CT' });
    expect(ctStudy).toHaveLength(1);
    expect(ctStudy[0]!.series[0]!.instanceCount).toBe(275);
    const mrStudies = library.listStudies({ modality: 'MR' });
    expect(mrStudies.flatMap((s) => s.series).length).toBeGreaterThanOrEqual(4);

    // De-duplication by SOP Instance UID: the same folders again add nothing.
    const again = await library.importPaths([ct, mr]);
    expect(again.instancesAdded).toBe(0);
    expect(again.alreadyInLibrary).toBe(Object.keys(reference).length);
    expect(db.instanceCount()).toBe(Object.keys(reference).length);
    expect(db.integrityCheck()).toEqual(['ok']);
  });

  it('copies into the managed store in copy mode, and deletes only its own copies', async () => {
    const { db, library, dataDir } = await openLibrary('copy');
    const before = fingerprint(mr);
    const summary = await library.importPaths([mr]);
    expect(summary.instancesAdded).toBe(Object.keys(pydicomInstances(mr)).length);
    const files = db.files();
    expect(files.every((f) => f.managed && f.path.startsWith(path.join(dataDir, 'store')) && existsSync(f.path))).toBe(true);
    expect(fingerprint(mr)).toBe(before);

    const study = summary.studies[0]!;
    const own = db.files(study);
    await library.deleteStudy(study);
    expect(own.every((f) => !existsSync(f.path))).toBe(true);
    expect(library.listStudies().some((s) => s.studyInstanceUid === study)).toBe(false);
    expect(fingerprint(mr)).toBe(before);
    // A referenced study's files are the user's: deleting it from the library leaves them.
    const { library: referencing } = await openLibrary('reference');
    const ref = await referencing.importPaths([mr]);
    await referencing.deleteStudy(ref.studies[0]!);
    expect(fingerprint(mr)).toBe(before);
  });

  it('searches patient names accent- and case-insensitively by PN component, and by ID, accession, dates, modality and description', async () => {
    const { db, library } = await openLibrary();
    db.addInstances(
      [
        record({ sopInstanceUid: '1.1.1', studyInstanceUid: '1.1', seriesInstanceUid: '1.1.0', patientName: 'MÜLLER^Jürgen^Max', patientId: 'PID-0042', accessionNumber: 'ACC100', studyDate: '20240105', studyDescription: 'CT Thorax', modality: 'CT' }),
        record({ sopInstanceUid: '2.1.1', studyInstanceUid: '2.1', seriesInstanceUid: '2.1.0', patientName: 'Doe^John', patientId: 'PID-0007', accessionNumber: 'ACC200', studyDate: '20231231', studyDescription: 'MR Knee', seriesDescription: 't1 sag', modality: 'MR' }),
        record({ sopInstanceUid: '3.1.1', studyInstanceUid: '3.1', seriesInstanceUid: '3.1.0', patientName: 'Yamada^Tarou=山田^太郎', patientId: 'X9', studyDate: '20240301', studyDescription: '50% contrast_a', modality: 'CT' }),
      ],
      false,
    );
    const uids = (query: Parameters<typeof library.listStudies>[0]) => library.listStudies(query).map((s) => s.studyInstanceUid);
    expect(uids({ patientName: 'muller' })).toEqual(['1.1']);
    expect(uids({ patientName: 'jurgen müller' })).toEqual(['1.1']);
    expect(uids({ patientName: 'MULLER^JU' })).toEqual(['1.1']);
    expect(uids({ patientName: 'max' })).toEqual(['1.1']);
    expect(uids({ patientName: 'uller' })).toEqual([]); // components match from their start
    expect(uids({ patientName: '山田' })).toEqual(['3.1']);
    expect(uids({ patientId: 'pid-00' }).sort()).toEqual(['1.1', '2.1']);
    expect(uids({ accessionNumber: 'ACC2' })).toEqual(['2.1']);
    expect(uids({ dateFrom: '2024-01-01' })).toEqual(['3.1', '1.1']);
    expect(uids({ dateFrom: '20240101', dateTo: '20240131' })).toEqual(['1.1']);
    expect(uids({ modality: 'mr' })).toEqual(['2.1']);
    expect(uids({ description: 'thorax' })).toEqual(['1.1']);
    expect(uids({ description: 'T1 SAG' })).toEqual(['2.1']); // series descriptions count too
    expect(uids({ description: '50%' })).toEqual(['3.1']);
    expect(uids({ description: '%' })).toEqual(['3.1']); // LIKE wildcards in user text are literal
    expect(uids({ text: 'doe' })).toEqual(['2.1']);
    // DICOM query wildcards (PS3.4 C.2.2.2.4): * any run, ? one character, as a PACS C-FIND takes them
    expect(uids({ patientName: 'm*ler' })).toEqual(['1.1']);
    expect(uids({ patientName: 'd?e' })).toEqual(['2.1']);
    expect(uids({ patientName: 'd??e' })).toEqual([]);
    expect(uids({ patientId: '*0042' })).toEqual(['1.1']);
    expect(uids({ patientId: 'PID-00?7' })).toEqual(['2.1']);
    expect(uids({ accessionNumber: 'A*00' }).sort()).toEqual(['1.1', '2.1']);
    expect(uids({ text: 'acc*00' }).sort()).toEqual(['1.1', '2.1']);
    expect(uids({ text: 'acc100' })).toEqual(['1.1']);
    expect(uids({ sortBy: 'patientName', sortDirection: 'asc' })).toEqual(['2.1', '1.1', '3.1']);
    expect(uids({ sortBy: 'studyDate', sortDirection: 'asc', limit: 2 })).toEqual(['2.1', '1.1']);
  });

  it('a second file with a known SOP Instance UID adds nothing, not even an empty patient, study or series', async () => {
    const { db, library } = await openLibrary();
    const first = record({ sopInstanceUid: '5.1.1', studyInstanceUid: '5.1', seriesInstanceUid: '5.1.0', patientId: 'P5' });
    // The same instance again under other UIDs and another patient (a badly anonymised copy), in the
    // same batch and in a later one.
    const copy = record({ sopInstanceUid: '5.1.1', studyInstanceUid: '6.1', seriesInstanceUid: '6.1.0', patientId: 'P6' });
    expect(db.addInstances([first, copy], false)).toEqual(['5.1.1']);
    expect(db.addInstances([{ ...copy, seriesInstanceUid: '6.1.1' }], false)).toEqual([]);
    const studies = library.listStudies({});
    expect(studies.map((s) => [s.studyInstanceUid, s.patientId, s.series.map((x) => [x.seriesInstanceUid, x.instanceCount])])).toEqual([['5.1', 'P5', [['5.1.0', 1]]]]);
  });

  it('keeps derived results (AI outputs, measurements) with their study', async () => {
    const { db } = await openLibrary();
    db.addInstances([record({})], false);
    expect(db.addDerivedResult('1.2.3', { kind: 'measurement', producer: 'ruler', payload: { mm: 12.5 } })).toBe(true);
    expect(db.addDerivedResult('9.9.9', { kind: 'ai-result', producer: 'x', payload: {} })).toBe(false);
    expect(db.derivedResults('1.2.3')).toMatchObject([{ kind: 'measurement', producer: 'ruler', payload: { mm: 12.5 } }]);
  });

  it('migrates once, refuses a library from a newer Lumen, and recovers the lock a killed process left', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-migrate-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'library.db');
    const first = LibraryDatabase.open(file);
    expect(() => LibraryDatabase.open(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_IN_USE' }));
    first.close();

    // What SIGKILL leaves: node-sqlite3-wasm's lock directory and our owner file naming a dead process.
    const dead = 2 ** 22 + 12345;
    writeFileSync(`${file}.owner`, JSON.stringify({ pid: dead, host: os.hostname() }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${file}.lock`);
    const reopened = LibraryDatabase.open(file);
    expect(reopened.integrityCheck()).toEqual(['ok']);
    reopened.close();

    const { openLibraryDatabase } = await import('./database/openLibraryDatabase');
    const { MIGRATIONS } = await import('./database/migrations');
    const opened = openLibraryDatabase(file);
    expect((opened.db.get('PRAGMA user_version') as { user_version: number }).user_version).toBe(MIGRATIONS.at(-1)!.version);
    opened.db.exec('PRAGMA user_version = 99');
    opened.close();
    expect(() => LibraryDatabase.open(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_TOO_NEW' }));
  });

  it('an update of the schema that fails is reported as such, not as a damaged library, and leaves the library as it was', async () => {
    const { library, dataDir, db } = await openLibrary();
    await library.importPaths([path.join(mr, 'HFS')]);
    db.close();
    const file = path.join(dataDir, 'library.db');
    const { openLibraryDatabase } = await import('./database/openLibraryDatabase');
    const { MIGRATIONS } = await import('./database/migrations');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.at(-1)!.version + 1, description: 'a faulty update', sql: 'ALTER TABLE no_such_table ADD COLUMN x INTEGER;' }];
    expect(() => openLibraryDatabase(file, broken)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNAVAILABLE', message: expect.stringContaining('no such table: no_such_table') }));
    const reopened = LibraryDatabase.open(file);
    cleanups.push(() => reopened.close());
    expect(reopened.integrityCheck()).toEqual(['ok']);
    expect(reopened.instanceCount()).toBe(35);
  });

  it('forgets the one plane stored for a classic multi-frame instance before migration 4, so the viewer lays out every frame', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-migrate-frames-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'library.db');
    const emri = path.join(dataRoot, 'conformance/pylibjpeg-data/emri_small.dcm');
    const { openLibraryDatabase } = await import('./database/openLibraryDatabase');
    const { MIGRATIONS } = await import('./database/migrations');
    {
      const db = LibraryDatabase.open(file);
      const audit = AuditLog.open(dataDir);
      const library = new LibraryService({ db, audit, events: new EventBus(), dataDir, importMode: () => 'reference' });
      await library.importPaths([emri, path.join(mr, 'HFS')]);
      db.close();
      audit.close();
    }
    // A library written before migration 4: the classic multi-frame instance had one plane.
    const old = openLibraryDatabase(file);
    const rows = old.db.all('SELECT sop_instance_uid AS uid, planes FROM instances') as { uid: string; planes: string }[];
    const multi = rows.find((r) => (JSON.parse(r.planes) as unknown[]).length > 1)!;
    expect((JSON.parse(multi.planes) as unknown[]).length).toBe(10);
    old.db.run('UPDATE instances SET planes = json_array(json_extract(planes, \'$[0]\')) WHERE sop_instance_uid = ?', [multi.uid]);
    // ... and no image count (migration 5)
    old.db.exec('ALTER TABLE series DROP COLUMN image_count');
    old.db.exec(`PRAGMA user_version = ${MIGRATIONS.find((m) => m.version === 4)!.version - 1}`);
    old.close();

    const reopened = openLibraryDatabase(file);
    const after = reopened.db.all('SELECT sop_instance_uid AS uid, planes FROM instances') as { uid: string; planes: string | null }[];
    reopened.close();
    expect(after.find((r) => r.uid === multi.uid)!.planes).toBeNull();
    // Single-frame instances keep what they had.
    expect(after.filter((r) => r.uid !== multi.uid).every((r) => r.planes !== null && (JSON.parse(r.planes) as unknown[]).length === 1)).toBe(true);
  });

  it('counts a series in images, the frames of a multi-frame object each, and fills the count in for a library written before', async () => {
    const files = [path.join(dataRoot, 'conformance/pydicom-data/eCT_Supplemental.dcm'), path.join(dataRoot, 'conformance/pylibjpeg-data/emri_small.dcm'), path.join(mr, 'HFS')];
    // pydicom: frames per series (Number of Frames, 1 where absent) and files per series
    const reference = pythonJson<Record<string, { images: number; files: number }>>(
      `import sys, os, json, pydicom
out = {}
paths = [os.path.join(r, n) for a in sys.argv[1:] for r, _, ns in (os.walk(a) if os.path.isdir(a) else [(os.path.dirname(a), None, [os.path.basename(a)])]) for n in ns]
for f in paths:
    d = pydicom.dcmread(f, stop_before_pixels=True)
    s = out.setdefault(str(d.SeriesInstanceUID), {'images': 0, 'files': 0})
    s['images'] += int(d.get('NumberOfFrames', 1) or 1)
    s['files'] += 1
print(json.dumps(out))`,
      files,
    );
    const { library, dataDir, db } = await openLibrary();
    await library.importPaths(files);
    const counts = () =>
      Object.fromEntries(library.listStudies().flatMap((st) => st.series.map((x) => [x.seriesInstanceUid, { images: x.imageCount, files: x.instanceCount }])));
    expect(counts()).toEqual(reference);
    expect(Object.values(reference).some((r) => r.images > r.files)).toBe(true);

    // A library written before migration 5 has no image_count: opening it fills the count in from the planes.
    db.close();
    const { openLibraryDatabase } = await import('./database/openLibraryDatabase');
    const old = openLibraryDatabase(path.join(dataDir, 'library.db'));
    old.db.exec('ALTER TABLE series DROP COLUMN image_count');
    old.db.exec('PRAGMA user_version = 4');
    old.close();
    const reopened = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    cleanups.push(() => reopened.close());
    const service = new LibraryService({ db: reopened, audit: AuditLog.open(dataDir), events: new EventBus(), dataDir, importMode: () => 'reference' });
    expect(Object.fromEntries(service.listStudies().flatMap((st) => st.series.map((x) => [x.seriesInstanceUid, { images: x.imageCount, files: x.instanceCount }])))).toEqual(reference);
  });

  it('says which studies and series an import added instances to (library.changed), and says nothing when it added none', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-changed-'));
    const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    const audit = AuditLog.open(dataDir);
    const events = new EventBus();
    cleanups.push(async () => {
      db.close();
      audit.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const library = new LibraryService({ db, audit, events, dataDir, importMode: () => 'reference' });
    const changes: { studyInstanceUids: string[]; seriesInstanceUids: string[] }[] = [];
    events.on('library.changed', (change) => changes.push(change));
    const folder = path.join(mr, 'HFS');
    const reference = pythonJson<{ study: string; series: string[] }>(
      `import sys, os, json, pydicom
ds = [pydicom.dcmread(os.path.join(r, n), stop_before_pixels=True) for r, _, ns in os.walk(sys.argv[1]) for n in ns if n.endswith('.dcm')]
print(json.dumps({'study': str(ds[0].StudyInstanceUID), 'series': sorted({str(d.SeriesInstanceUID) for d in ds})}))`,
      [folder],
    );
    await library.importPaths([folder]);
    await library.importPaths([folder]);
    expect(changes).toEqual([{ studyInstanceUids: [reference.study], seriesInstanceUids: reference.series }]);
  });

  it('records every import, open and delete in the audit trail, with UIDs and no patient names', async () => {
    const { library, dataDir, audit } = await openLibrary('copy');
    const summary = await library.importPaths([mr]);
    const study = summary.studies[0]!;
    library.openStudy(study);
    await library.deleteStudy(study);
    expect(() => library.openStudy(study)).toThrow(expect.objectContaining({ code: 'LIBRARY_STUDY_NOT_FOUND' }));
    const text = readFileSync(audit.file, 'utf8');
    const actions = text.trim().split('\n').map((l) => JSON.parse(l) as { action: string; studyInstanceUid: string | null; outcome: string });
    expect(actions.filter((a) => a.studyInstanceUid === study).map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'library.import:success',
      'library.open:success',
      'library.delete:success',
      'library.open:failure',
    ]);
    const names = pythonJson<string[]>(
      `import sys, os, json, pydicom
print(json.dumps(sorted({str(pydicom.dcmread(os.path.join(r, n), stop_before_pixels=True).PatientName) for r, _, ns in os.walk(sys.argv[1]) for n in ns if n.endswith('.dcm')})))`,
      [mr],
    );
    for (const name of names.filter((n) => n.length > 2)) {
      for (const part of name.split('^').filter((p) => p.length > 2)) expect(text).not.toContain(part);
    }
    expect(verifyAuditFile(path.join(dataDir, 'audit', 'audit.jsonl'))).toMatchObject({ ok: true, entries: actions.length });
  });
});
