import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress, ExportSummary } from '../../../shared/domain/export';
import { createServices, type Services } from '../createServices';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { cloneWithNewUids } from '../library/testing/cloneWithNewUids';
import { indexToPatient } from '../../../shared/domain/geometry/framePlane';
import { loadMapping } from '../deidentify/index';
import { frameImages } from '../sr/index';
import { layoutSeries } from '../viewer/seriesLayout';

const ct = path.join(dataRoot, 'ct/chest-275');
const mr = path.join(dataRoot, 'mr/decubitus/HFS');

let services: Services;
let dataDir: string;
let work: string;
let ctStudy: string;
let mrStudy: string;
/** SOP Instance UID -> the library's file for it. */
const sourceOf = new Map<string, string>();

function run(tool: string, args: string[], cwd?: string): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** pydicom's FileSet reading of a DICOMDIR (it follows the record offsets itself): the reference. */
function pydicomFileSet(dicomDir: string): { records: { type: string; sop: string; path: string }[]; patients: number; studies: number; series: number } {
  return pythonJson(
    `import sys, json
from pydicom import dcmread
from pydicom.fileset import FileSet
ds = dcmread(sys.argv[1])
fs = FileSet(ds)
recs = [{'type': str(i.DirectoryRecordType), 'sop': str(i.SOPInstanceUID), 'path': str(i.path)} for i in fs]
print(json.dumps({'records': recs, 'patients': len(fs.find_values('PatientID')), 'studies': len(fs.find_values('StudyInstanceUID')), 'series': len(fs.find_values('SeriesInstanceUID'))}))`,
    [dicomDir],
  );
}

async function libraryState(): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const [sop, file] of sourceOf) state[sop] = await sha256(file);
  state['library.db'] = await sha256(path.join(dataDir, 'library.db'));
  return state;
}

async function exportTo(destination: ExportSummary['destination'], extra: { onProgress?: (p: ExportProgress, jobId: string) => void; jobId?: string; studies?: string[] } = {}): Promise<{ summary: ExportSummary; progress: ExportProgress[] }> {
  const progress: ExportProgress[] = [];
  const jobId = extra.jobId ?? `job-${Math.random().toString(36).slice(2)}`;
  const off = services.events.onAny((event, payload) => {
    if (event === 'export.progress' && (payload as ExportProgress).jobId === jobId) {
      progress.push(payload as ExportProgress);
      extra.onProgress?.(payload as ExportProgress, jobId);
    }
  });
  try {
    const summary = await services.export.start({ studyInstanceUids: extra.studies ?? [ctStudy, mrStudy], destination, jobId });
    return { summary, progress };
  } finally {
    off();
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'lumen-export-'));
  dataDir = path.join(work, 'data');
  services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
  // Referenced in place, so exports read the real files; 6 CT slices (JPEG-LS) and an MR series.
  const ctSlices = (await readdir(ct)).filter((n) => n.endsWith('.dcm')).sort().slice(0, 6).map((n) => path.join(ct, n));
  const imported = await services.library.importPaths([...ctSlices, mr], { mode: 'reference' });
  expect(imported.failed).toEqual([]);
  const studies = services.library.listStudies();
  ctStudy = studies.find((s) => s.modalities.includes('CT'))!.studyInstanceUid;
  mrStudy = studies.find((s) => s.modalities.includes('MR'))!.studyInstanceUid;
  for (const study of [ctStudy, mrStudy]) for (const f of services.library.openStudy(study)) sourceOf.set(f.sopInstanceUid, f.path);
}, 120_000);

afterAll(async () => {
  await services?.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('folder export: a PS3.10 File-set with a DICOMDIR', () => {
  let out: string;
  let summary: ExportSummary;
  let progress: ExportProgress[];
  let before: Record<string, string>;

  beforeAll(async () => {
    before = await libraryState();
    out = path.join(work, 'folder-export');
    ({ summary, progress } = await exportTo({ kind: 'folder', path: out }));
  }, 120_000);

  it('stores every instance with a result per object and progress to the end', () => {
    expect(summary.error).toBeNull();
    expect(summary.total).toBe(sourceOf.size);
    expect(summary.stored).toBe(sourceOf.size);
    expect(summary.failed).toBe(0);
    expect(new Set(summary.results.map((r) => r.sopInstanceUid))).toEqual(new Set(sourceOf.keys()));
    expect(summary.output).toBe(out);
    expect(progress.at(-1)).toMatchObject({ done: sourceOf.size, total: sourceOf.size, finished: true });
    expect(progress.filter((p) => p.result).length).toBe(sourceOf.size);
  });

  it('pydicom reads the DICOMDIR: every record points at an existing file, byte-identical to its source', async () => {
    const fileSet = pydicomFileSet(path.join(out, 'DICOMDIR'));
    expect(fileSet.patients).toBe(2);
    expect(fileSet.studies).toBe(2);
    expect(fileSet.series).toBe(2);
    expect(fileSet.records.map((r) => r.sop).sort()).toEqual([...sourceOf.keys()].sort());
    for (const record of fileSet.records) {
      expect(record.type).toBe('IMAGE');
      expect(record.path.startsWith(out)).toBe(true);
      expect(path.relative(out, record.path)).toMatch(/^DICOM\/P\d{7}\/S\d{7}\/SE\d{6}\/I\d{7}$/);
      expect(await sha256(record.path)).toBe(await sha256(sourceOf.get(record.sop)!));
    }
    expect(await filesUnder(out)).toEqual(['DICOMDIR', ...fileSet.records.map((r) => path.relative(out, r.path))].sort());
  });

  it('dcmtk reads it: dcmdump parses the DICOMDIR and dcmftest accepts every file as Part 10', async () => {
    const dump = await run('dcmdump', ['-q', path.join(out, 'DICOMDIR')]);
    expect(dump.status).toBe(0);
    expect(dump.output).toContain('MediaStorageDirectoryStorage');
    expect((dump.output.match(/DirectoryRecordType/g) ?? []).length).toBe(2 + 2 + 2 + sourceOf.size);
    const files = (await filesUnder(out)).map((f) => path.join(out, f));
    const test = await run('dcmftest', files);
    expect(test.status).toBe(0);
    expect(test.output).not.toMatch(/^no:/m);
  });

  it('dciodvfy finds no errors in the DICOMDIR (Basic Directory IOD)', async () => {
    const verdict = await run('dciodvfy', [path.join(out, 'DICOMDIR')]);
    expect(verdict.output).toMatch(/BasicDirectory|Basic Directory|DICOMDIR/i);
    expect(verdict.output.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  });

  it('dcmmkdir appends to it (+A): it reads our DICOMDIR, finds our records, and adds nothing twice', async () => {
    const copy = path.join(work, 'append-check');
    await run('cp', ['-r', out, copy]);
    const mrFile = (await filesUnder(copy)).find((f) => f !== 'DICOMDIR')!;
    const appended = await run('dcmmkdir', ['+A', '-Pmi', '-Nxc', '+I', '+id', copy, '+D', path.join(copy, 'DICOMDIR'), mrFile]);
    expect(appended.status, appended.output).toBe(0);
    expect(appended.output).toContain('directory record for this SOP instance already exists');
    const dump = await run('dcmdump', ['-q', path.join(copy, 'DICOMDIR')]);
    expect((dump.output.match(/DirectoryRecordType/g) ?? []).length).toBe(2 + 2 + 2 + sourceOf.size);
  });

  it('leaves the library and the source files unchanged', async () => {
    expect(await libraryState()).toEqual(before);
  });

  it('a ZIP export holds the same File-set: unzip extracts the same files, byte for byte, and the same DICOMDIR records', async () => {
    const zip = path.join(work, 'export.zip');
    const { summary: zipped } = await exportTo({ kind: 'zip', path: zip });
    expect(zipped).toMatchObject({ stored: sourceOf.size, failed: 0, error: null, output: zip });
    const tested = await run('unzip', ['-t', zip]);
    expect(tested.status, tested.output).toBe(0);
    const unpacked = path.join(work, 'unzipped');
    expect((await run('unzip', ['-q', zip, '-d', unpacked])).status).toBe(0);
    const files = await filesUnder(unpacked);
    expect(files).toEqual(await filesUnder(out));
    for (const f of files.filter((f) => f !== 'DICOMDIR')) expect(await sha256(path.join(unpacked, f))).toBe(await sha256(path.join(out, f)));
    const records = (dir: string) => pydicomFileSet(path.join(dir, 'DICOMDIR')).records.map((r) => ({ ...r, path: path.relative(dir, r.path) }));
    expect(records(unpacked)).toEqual(records(out));
    expect(await libraryState()).toEqual(before);
  });

  it('refuses a destination that exists and is not empty, before writing anything', async () => {
    await expect(exportTo({ kind: 'folder', path: out })).rejects.toMatchObject({ code: 'EXPORT_DESTINATION_EXISTS' });
    await expect(exportTo({ kind: 'zip', path: path.join(work, 'export.zip') })).rejects.toMatchObject({ code: 'EXPORT_DESTINATION_EXISTS' });
  });
});

describe('bad input', () => {
  it('cancel mid-way leaves nothing at the destination, not even a partial staging folder', async () => {
    const parent = path.join(work, 'cancel-parent');
    await mkdir(parent);
    const target = path.join(parent, 'out');
    const { summary } = await exportTo({ kind: 'folder', path: target }, { onProgress: (p, jobId) => p.done === 3 && services.export.cancel(jobId) });
    expect(summary.cancelled).toBe(true);
    expect(summary.error?.code).toBe('EXPORT_CANCELLED');
    expect(summary.output).toBeNull();
    expect(summary.results).toHaveLength(sourceOf.size);
    expect(summary.results.every((r) => r.status === 'failed' && r.error?.code === 'EXPORT_CANCELLED')).toBe(true);
    expect(await readdir(parent)).toEqual([]);

    const zipTarget = path.join(parent, 'out.zip');
    const zipped = await exportTo({ kind: 'zip', path: zipTarget }, { onProgress: (p, jobId) => p.done === 2 && services.export.cancel(jobId) });
    expect(zipped.summary.cancelled).toBe(true);
    expect(await readdir(parent)).toEqual([]);
  });

  it('a referenced file deleted since import fails that object with EXPORT_SOURCE_MISSING; the rest is exported', async () => {
    const slices = (await readdir(ct)).filter((n) => n.endsWith('.dcm')).sort().slice(10, 14).map((n) => path.join(ct, n));
    const copies = await cloneWithNewUids(slices, path.join(work, 'clones'), { copies: 1 });
    const imported = await services.library.importPaths(copies, { mode: 'reference' });
    const study = imported.studies[0]!;
    const files = services.library.openStudy(study);
    const gone = files[1]!;
    await unlink(gone.path);
    const target = path.join(work, 'missing-out');
    const { summary } = await exportTo({ kind: 'folder', path: target }, { studies: [study] });
    expect(summary).toMatchObject({ total: 4, stored: 3, failed: 1, error: null, output: target });
    const failed = summary.results.find((r) => r.status === 'failed')!;
    expect(failed).toMatchObject({ sopInstanceUid: gone.sopInstanceUid, error: { code: 'EXPORT_SOURCE_MISSING' } });
    const fileSet = pydicomFileSet(path.join(target, 'DICOMDIR'));
    expect(fileSet.records.map((r) => r.sop).sort()).toEqual(files.filter((f) => f !== gone).map((f) => f.sopInstanceUid).sort());
    // The library still lists the missing instance: exporting never changes it.
    expect(services.library.instanceUids(study).sort()).toEqual(files.map((f) => f.sopInstanceUid).sort());
  });

  it('an unknown study fails before anything is written, and is audited', async () => {
    const target = path.join(work, 'never');
    await expect(exportTo({ kind: 'folder', path: target }, { studies: ['1.2.3.4.5'] })).rejects.toMatchObject({ code: 'LIBRARY_STUDY_NOT_FOUND' });
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('burned-in annotation with de-identification: refused by default (that object fails, the rest go on), or exported with a warning', async () => {
    const slices = (await readdir(ct)).filter((n) => n.endsWith('.dcm')).sort().slice(30, 33).map((n) => path.join(ct, n));
    const copies = await cloneWithNewUids(slices, path.join(work, 'burned'), { copies: 1 });
    await run('dcmodify', ['-nb', '-i', '(0028,0301)=YES', copies[0]!]);
    const imported = await services.library.importPaths(copies, { mode: 'reference' });
    const study = imported.studies[0]!;
    const burnedSop = services.library.openStudy(study).find((f) => f.path === copies[0])!.sopInstanceUid;
    const refused = await services.export.start({ studyInstanceUids: [study], destination: { kind: 'folder', path: path.join(work, 'burned-refuse') }, deidentify: { options: [] } });
    expect(refused).toMatchObject({ total: 3, stored: 2, failed: 1, error: null });
    expect(refused.results.find((r) => r.status === 'failed')).toMatchObject({ sopInstanceUid: burnedSop, error: { code: 'DEID_BURNED_IN_ANNOTATION' } });
    const warned = await services.export.start({
      studyInstanceUids: [study],
      destination: { kind: 'folder', path: path.join(work, 'burned-warn') },
      deidentify: { options: [], burnedInAnnotation: 'warn' },
    });
    expect(warned).toMatchObject({ total: 3, stored: 3, failed: 0, warnings: 1 });
    expect(warned.results.find((r) => r.status === 'warning')).toMatchObject({ sopInstanceUid: burnedSop, error: { code: 'DEID_BURNED_IN_ANNOTATION' } });
  }, 60_000);
});

describe('de-identified export and derived objects', () => {
  it('de-identifies every object with one session: new UIDs consistent across the File-set, no original identifier in any written byte, the encrypted mapping saved', async () => {
    const target = path.join(work, 'deidentified');
    const mappingFile = path.join(work, 'mapping.bin');
    const summary = await services.export.start({
      studyInstanceUids: [ctStudy, mrStudy],
      destination: { kind: 'folder', path: target },
      deidentify: { options: ['retain-longitudinal-modified-dates'], mappingFile, passphrase: 'correct horse battery staple' },
    });
    expect(summary).toMatchObject({ total: sourceOf.size, stored: sourceOf.size, failed: 0, error: null });
    const fileSet = pydicomFileSet(path.join(target, 'DICOMDIR'));
    // Same shape as the source (2 patients, 2 studies, 2 series), every object under a new UID.
    expect(fileSet).toMatchObject({ patients: 2, studies: 2, series: 2 });
    expect(fileSet.records).toHaveLength(sourceOf.size);
    for (const r of fileSet.records) expect(sourceOf.has(r.sop)).toBe(false);
    const mapping = await loadMapping(mappingFile, 'correct horse battery staple');
    expect(fileSet.records.map((r) => r.sop).sort()).toEqual([...sourceOf.keys()].map((u) => mapping.uids[u]).sort());
    // Scan the written bytes (DICOMDIR included) for the originals: UIDs and the MR's Patient ID.
    const originals = [...sourceOf.keys(), ctStudy, mrStudy, 'crlab'].map((v) => Buffer.from(v, 'latin1'));
    for (const file of await filesUnder(target)) {
      const bytes = await readFile(path.join(target, file));
      for (const original of originals) expect(bytes.includes(original), `${original.toString()} in ${file}`).toBe(false);
    }
    const verdict = await run('dciodvfy', [path.join(target, 'DICOMDIR')]);
    expect(verdict.output.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  }, 120_000);

  it('exports the saved measurements as a DICOM SR listed in the DICOMDIR as an SR DOCUMENT record, which dsrdump reads', async () => {
    const ctFiles = services.library.openStudy(ctStudy).map((f) => f.path);
    const frames = frameImages(await layoutSeries(ctFiles));
    const f = frames[0]!;
    const at = (i: number, j: number) => indexToPatient(f.plane, i, j);
    services.library.saveMeasurements(ctStudy, [
      { id: 'm1', kind: 'length', seriesInstanceUid: f.seriesInstanceUid, frame: 0, units: f.view.units, points: [at(100, 120), at(180, 160)], label: '89 mm', values: { lengthMm: 89.4 } },
    ]);
    const target = path.join(work, 'with-sr');
    const summary = await services.export.start({ studyInstanceUids: [ctStudy], destination: { kind: 'folder', path: target }, includeMeasurements: true, includeAi: true });
    const ctCount = ctFiles.length;
    expect(summary).toMatchObject({ total: ctCount + 1, stored: ctCount + 1, failed: 0, error: null });
    const sr = summary.results.find((r) => r.origin === 'derived')!;
    expect(sr.sopClassUid).toMatch(/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\./);
    const fileSet = pydicomFileSet(path.join(target, 'DICOMDIR'));
    const record = fileSet.records.find((r) => r.sop === sr.sopInstanceUid)!;
    expect(record.type).toBe('SR DOCUMENT');
    const dump = await run('dsrdump', [record.path]);
    expect(dump.status, dump.output).toBe(0);
    expect(dump.output).toContain('Imaging Measurement Report');
    const verdict = await run('dciodvfy', [path.join(target, 'DICOMDIR')]);
    expect(verdict.output.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  }, 120_000);
});

describe('character sets in the DICOMDIR', () => {
  it('PATIENT records carry the names of Japanese, Russian, German and UTF-8 files as pydicom decodes them from the sources', async () => {
    const charsets = path.join(dataRoot, 'conformance/pydicom/charset');
    const files = ['chrH31.dcm', 'chrRuss.dcm', 'chrGerm.dcm', 'chrX1.dcm'].map((n) => path.join(charsets, n));
    const imported = await services.library.importPaths(files, { mode: 'reference' });
    expect(imported.failed).toEqual([]);
    const target = path.join(work, 'charsets');
    const summary = await services.export.start({ studyInstanceUids: imported.studies, destination: { kind: 'folder', path: target } });
    expect(summary).toMatchObject({ stored: files.length, failed: 0 });
    const names = pythonJson<{ dicomDir: string[]; sources: string[] }>(
      `import sys, json
from pydicom import dcmread
d = dcmread(sys.argv[1])
recs = [str(r.PatientName) for r in d.DirectoryRecordSequence if r.DirectoryRecordType == 'PATIENT']
srcs = [str(dcmread(f, stop_before_pixels=True).PatientName) for f in sys.argv[2:]]
print(json.dumps({'dicomDir': sorted(recs), 'sources': sorted(srcs)}, ensure_ascii=False))`,
      [path.join(target, 'DICOMDIR'), ...files],
    );
    expect(names.dicomDir).toEqual(names.sources);
    expect(names.dicomDir).toContain('Yamada^Tarou=山田^太郎=やまだ^たろう');
    const verdict = await run('dciodvfy', [path.join(target, 'DICOMDIR')]);
    expect(verdict.output.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  }, 60_000);
});
