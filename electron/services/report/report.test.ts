import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement } from '../../../shared/domain/measurement';
import { createServices, type Services } from '../createServices';
import { createDispatch, createHandlers } from '../handlers/index';
import { hostForTests } from '../handlers/hostForTests';
import { damageCtSlices, dataRoot, pythonJson } from '../dicom/testSupport';
import { resolveInstallLayout } from '../install/index';
import { createStudyReport, renderStudyReport, type ReportInput } from './index';

/**
 * The report checked with poppler (pdfinfo, pdftotext, pdfimages) and its key images against an
 * independent rendering of the same frames by pydicom + numpy (Modality LUT, PS3.3 C.11.2.1.2.1 LINEAR
 * window, MONOCHROME1 inversion).
 */

const poppler = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
const pdfText = (file: string) => poppler('pdftotext', ['-layout', file, '-']).replace(/\s+/g, ' ');
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))![1]);

/** Each embedded image of the PDF, in page order, as its first channel (the images are grey). */
function pdfImages(file: string, dir: string): { columns: number; rows: number; grey: Uint8Array }[] {
  const prefix = path.join(dir, `img-${path.basename(file, '.pdf')}`);
  execFileSync('pdfimages', ['-png', file, prefix]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png'))
    .sort()
    .map((f) => {
      const png = PNG.sync.read(readFileSync(path.join(dir, f)));
      const grey = new Uint8Array(png.width * png.height);
      for (let i = 0; i < grey.length; i++) grey[i] = png.data[i * 4]!;
      return { columns: png.width, rows: png.height, grey };
    });
}

interface Reference {
  path: string;
  instance: number | null;
  rows: number;
  columns: number;
  raw: string;
  ipp: number[] | null;
  iop: number[] | null;
  spacing: number[] | null;
  header: Record<string, string>;
}

/** pydicom decodes, numpy windows: the frame at its first header window, 8-bit, as raw bytes in /tmp. */
const REFERENCE = String.raw`
import json, sys, numpy as np, pydicom
out = []
for i, f in enumerate(sys.argv[2:]):
    ds = pydicom.dcmread(f, force=True)
    if 'TransferSyntaxUID' not in ds.file_meta:  # ACR-NEMA style file without File Meta: Implicit VR LE
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    a = ds.pixel_array.astype(np.float64)
    v = a * float(getattr(ds, 'RescaleSlope', 1) or 1) + float(getattr(ds, 'RescaleIntercept', 0) or 0)
    first = lambda x: float(x[0]) if isinstance(x, pydicom.multival.MultiValue) else float(x)
    c, w = first(ds.WindowCenter), first(ds.WindowWidth)
    y = np.clip(((v - (c - 0.5)) / (w - 1) + 0.5) * 255.0, 0, 255)
    if ds.PhotometricInterpretation == 'MONOCHROME1':
        y = 255.0 - y
    raw = '%s-%d.raw' % (sys.argv[1], i)
    np.round(y).astype(np.uint8).tofile(raw)
    get = lambda k: [float(x) for x in ds[k].value] if k in ds else None
    out.append({'path': f, 'instance': int(ds.InstanceNumber) if 'InstanceNumber' in ds else None, 'rows': int(ds.Rows), 'columns': int(ds.Columns), 'raw': raw,
                'ipp': get('ImagePositionPatient'), 'iop': get('ImageOrientationPatient'), 'spacing': get('PixelSpacing'),
                'header': {k: str(ds.get(k, '')) for k in ['PatientID', 'StudyDate', 'AccessionNumber', 'PatientSex', 'StudyInstanceUID', 'SeriesInstanceUID']}})
print(json.dumps(out))
`;

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('printable study report (PDF)', () => {
  let dir: string;
  let services: Services;
  const modelsDir = resolveInstallLayout().modelsDir;
  const sources = () => ({ library: services.library, ai: services.ai, modelsDir, audit: services.audit });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-report-test-'));
    services = await createServices({ dataDir: path.join(dir, 'data'), policyFile: path.join(dir, 'no-policy.json'), modelsDir });
  });
  afterAll(async () => {
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a CT study: header, measurements with units and the measured frame at its header window, as pydicom renders it', async () => {
    const ctDir = path.join(dataRoot, 'ct/chest-275');
    const files = readdirSync(ctDir).sort().slice(120, 123).map((f) => path.join(ctDir, f));
    const summary = await services.library.importPaths(files, { mode: 'reference' });
    const study = summary.studies[0]!;
    const refs = pythonJson<Reference[]>(REFERENCE, [path.join(dir, 'ct'), ...files]);
    // The middle slice along the normal is display frame 1 whichever way the stack is sorted.
    const byZ = [...refs].sort((a, b) => a.ipp![2]! - b.ipp![2]!);
    const middle = byZ[1]!;
    const [rowSpacing, columnSpacing] = middle.spacing!;
    const at = (column: number, row: number): [number, number, number] => {
      const [x, y, z] = middle.ipp!;
      const iop = middle.iop!;
      return [x! + iop[0]! * column * columnSpacing! + iop[3]! * row * rowSpacing!, y! + iop[1]! * column * columnSpacing! + iop[4]! * row * rowSpacing!, z! + iop[2]! * column * columnSpacing! + iop[5]! * row * rowSpacing!];
    };
    const series = middle.header['SeriesInstanceUID']!;
    const measurements: Measurement[] = [
      { id: 'a', kind: 'length', seriesInstanceUid: series, frame: 1, points: [at(150, 200), at(300, 260)], label: 'nodule axis', values: { lengthMm: 113.417 }, units: 'HU' },
      { id: 'b', kind: 'ellipse', seriesInstanceUid: series, frame: 1, points: [at(200, 300), at(260, 350)], label: 'liver ROI', values: { mean: 54.26, sd: 12.04, min: -3, max: 97, pixels: 2310, areaMm2: 1487.5 }, units: 'HU' },
      { id: 'c', kind: 'probe', seriesInstanceUid: series, frame: 1, points: [at(256, 256)], label: '', values: { value: -812 }, units: 'HU' },
    ];
    services.library.saveMeasurements(study, measurements);

    const out = path.join(dir, 'ct report.pdf');
    const result = await createStudyReport(sources(), { studyInstanceUid: study, path: out });
    expect(result).toEqual({ path: out, pages: 1 });
    expect(pdfPages(out)).toBe(1);

    const text = pdfText(out);
    const h = middle.header;
    expect(text).toContain(`Patient ID ${h['PatientID']}`);
    expect(text).toContain(`${h['StudyDate']!.slice(0, 4)}-${h['StudyDate']!.slice(4, 6)}-${h['StudyDate']!.slice(6)}`);
    expect(text).toContain(h['AccessionNumber']);
    expect(text).toContain(h['PatientSex'] === 'F' ? 'female' : 'male');
    expect(text).toContain('113.42 mm');
    // The ROI's cell wraps in the table: its two lines.
    expect(text).toContain('mean 54.3, SD 12.0, min -3.0, max');
    expect(text).toContain('97.0 HU; area 1487.5 mm²');
    expect(text).toContain('-812.0 HU');
    expect(text).toContain('Research use only, not a medical device.');
    expect(text).toContain('Page 1 of 1');
    expect(text).toContain(`instance ${middle.instance}; measurements 1, 2, 3`);
    expect(text).toMatch(/W 2000 \/ L -450 \(from the image header\)/);

    const [image] = pdfImages(out, dir);
    expect(image).toMatchObject({ columns: middle.columns, rows: middle.rows });
    const reference = new Uint8Array(readFileSync(middle.raw));
    expect(meanAbsoluteDifference(image!.grey, reference)).toBeLessThan(0.5);
    // The other slices differ from it: the comparison can tell frames apart.
    expect(meanAbsoluteDifference(image!.grey, new Uint8Array(readFileSync(byZ[0]!.raw)))).toBeGreaterThan(2);

    const audit = readFileSync(path.join(dir, 'data', 'audit', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string; studyInstanceUid: string; detail: string });
    expect(audit.at(-1)).toMatchObject({ action: 'report.create', outcome: 'success', studyInstanceUid: study, detail: expect.stringContaining('pages: 1') });
    expect(JSON.stringify(audit)).not.toContain(h['PatientID']);
  }, 120_000);

  it('a chest radiograph with a saved AI analysis: probability, threshold, prediction, OOD verdict and the model card', async () => {
    const cr = path.join(dataRoot, 'cxr/dicom/CR-MONO1-10-chest.dcm');
    const summary = await services.library.importPaths([cr], { mode: 'reference' });
    const study = summary.studies[0]!;
    const seriesUid = services.library.listStudies().find((s) => s.studyInstanceUid === study)!.series[0]!.seriesInstanceUid;
    const { results } = await services.ai.analyze({ modelId: 'cxr-pneumonia', studyInstanceUid: study, seriesInstanceUid: seriesUid, runId: 'report-test', imageIndex: 0 });
    const analysis = results[0]!;

    const out = path.join(dir, 'cr.pdf');
    const { pages } = await createStudyReport(sources(), { studyInstanceUid: study, path: out });
    expect(pdfPages(out)).toBe(pages);
    const text = pdfText(out);
    const p = analysis.probabilities['pneumonia']!;
    expect(text).toContain(`probability ${p.toFixed(4)}`);
    expect(text).toContain(`threshold ${analysis.threshold.toFixed(4)}`);
    expect(text).toContain(`prediction "${analysis.prediction}"`);
    expect(text).toContain(analysis.ood!.outside ? 'OUTSIDE the intended input' : 'within the intended input');
    expect(text).toContain(`score ${analysis.ood!.score.toFixed(4)}`);
    expect(text).toContain('Model cxr-pneumonia 1.0.0');
    expect(text).toContain('Intended use: Research and demonstration only');
    expect(text).toContain('Training data: Kermany pediatric chest X-ray');
    expect(text).toContain('auc 0.9984');
    expect(text).toContain('Research use only. Not a medical device.');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('AI analysis');
    expect(text).toMatch(/W 1024 \/ L 550 \(from the image header\), inverted/);

    const [ref] = pythonJson<Reference[]>(REFERENCE, [path.join(dir, 'cr'), cr]);
    const [image] = pdfImages(out, dir).filter((i) => i.columns === ref!.columns);
    expect(image).toBeDefined();
    expect(meanAbsoluteDifference(image!.grey, new Uint8Array(readFileSync(ref!.raw)))).toBeLessThan(0.5);
  }, 180_000);

  it('a study whose middle slice is damaged: the nearest readable slice stands in as the key image, and the note says so', async () => {
    const damaged = path.join(dir, 'damaged-ct');
    mkdirSync(damaged);
    damageCtSlices(path.join(dataRoot, 'ct/chest-275'), damaged);
    // Its own library: the damaged copy shares its UIDs with the intact CT.
    const own = await createServices({ dataDir: path.join(dir, 'damaged-data'), policyFile: path.join(dir, 'no-policy.json'), modelsDir });
    try {
      const study = (await own.library.importPaths([damaged], { mode: 'reference' })).studies[0]!;
      const out = path.join(dir, 'damaged.pdf');
      await createStudyReport({ library: own.library, ai: own.ai, modelsDir, audit: own.audit }, { studyInstanceUid: study, path: out });
      const text = pdfText(out);
      // 275 slices: the middle one is image 138 whichever way the stack runs; its damaged neighbour is 137 or 139.
      expect(text).toContain('Image 138 of CT');
      expect(text).toContain('could not be rendered (DICOM_DECODE_FAILED)');
      const shown = Number(/Image (\d+) of 275/.exec(text)?.[1]);
      expect([137, 139]).toContain(shown);
      expect(text).toContain('middle image of the first series (the nearest one that could be read)');
      expect(pdfImages(out, dir).filter((i) => i.columns === 512)).toHaveLength(1);
    } finally {
      await own.dispose();
    }
  }, 120_000);

  it('de-identified: no patient identifier from the image is printed', async () => {
    const file = path.join(dataRoot, 'ct/chest-275', readdirSync(path.join(dataRoot, 'ct/chest-275')).sort()[120]!);
    const study = (await services.library.importPaths([file], { mode: 'reference' })).studies[0]!;
    const out = path.join(dir, 'deid.pdf');
    await createStudyReport(sources(), { studyInstanceUid: study, path: out, deidentified: true });
    const text = pdfText(out);
    const [ref] = pythonJson<Reference[]>(REFERENCE, [path.join(dir, 'deid'), file]);
    expect(text).toContain('De-identified');
    const info = poppler('pdfinfo', [out]);
    for (const key of ['PatientID', 'AccessionNumber', 'StudyDate', 'StudyInstanceUID']) {
      expect(text.replace(/\s/g, '')).not.toContain(ref!.header[key]);
      expect(info).not.toContain(ref!.header[key]);
    }
    expect(text).toContain('Patient ID removed');
  }, 120_000);

  it('names: PN components as "Family, Given"; Greek transliterated and CJK replaced visibly, never a crash', async () => {
    const charset = path.join(dataRoot, 'conformance/pydicom/charset');
    const names = pythonJson<string[]>(
      `import sys, json, pydicom\nprint(json.dumps([str(pydicom.dcmread(f).PatientName) for f in sys.argv[1:]]))`,
      ['chrX1.dcm', 'chrGreek.dcm', 'chrJapMulti.dcm'].map((f) => path.join(charset, f)),
    );
    const summary = await services.library.importPaths([path.join(charset, 'chrX1.dcm'), path.join(charset, 'chrGreek.dcm')], { mode: 'reference' });
    const texts: string[] = [];
    for (const study of summary.studies) {
      const out = path.join(dir, `charset-${texts.length}.pdf`);
      await createStudyReport(sources(), { studyInstanceUid: study, path: out });
      texts.push(pdfText(out));
    }
    const all = texts.join(' ');
    // pydicom's PN: "Wang^XiaoDong=王^小東=" -> family Wang, given XiaoDong.
    expect(names[0]).toMatch(/^Wang\^XiaoDong/);
    expect(all).toContain('Patient name Wang, XiaoDong');
    expect(names[1]).toBe('Διονυσιος');
    expect(all).toContain('Patient name Dionysios');
    expect(all).toContain('cannot be printed with the report font');

    // A name with no Latin form at all (chrJapMulti has no pixel data, so it goes straight to the renderer).
    const input: ReportInput = {
      header: { patientName: names[2]!, patientId: 'ID', patientBirthDate: '', patientSex: 'M', studyDate: '20240102', studyDescription: 'Ωμέγα', accessionNumber: '', institutionName: '', studyInstanceUid: '1.2.3', modalities: [], deidentified: false },
      keyImages: [],
      measurements: [],
      findings: [],
      generatedAt: '2024-01-02T03:04:05.000Z',
      lumenVersion: 'test',
      notes: [],
    };
    const bytes = await renderStudyReport(input);
    const out = path.join(dir, 'japanese.pdf');
    writeFileSync(out, bytes);
    const text = pdfText(out);
    expect(names[2]).toBe('やまだ^たろう');
    expect(text).toContain('Patient name ???, ???');
    expect(text).toContain('Omega');
    expect(text).toContain('cannot be printed with the report font');
  }, 120_000);

  it('through the IPC contract: library.createReport writes the file and answers its page count; errors come back as values', async () => {
    const dispatch = createDispatch(createHandlers(services, hostForTests));
    const study = services.library.listStudies().find((s) => s.modalities.includes('CR'))!.studyInstanceUid;
    const out = path.join(dir, 'ipc.pdf');
    const result = await dispatch('library.createReport', { studyInstanceUid: study, path: out });
    expect(result).toEqual({ ok: true, value: { path: out, pages: pdfPages(out) } });
    expect(await dispatch('library.createReport', { studyInstanceUid: study, path: path.join(dir, 'no-such-folder', 'x.txt') })).toMatchObject({ ok: false, error: { code: 'REPORT_PATH_INVALID' } });
    expect(await dispatch('library.createReport', { studyInstanceUid: study })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
  }, 120_000);

  it('errors are values: a study not in the library, a relative path', async () => {
    await expect(createStudyReport(sources(), { studyInstanceUid: '1.2.3.4', path: path.join(dir, 'x.pdf') })).rejects.toMatchObject({ code: 'LIBRARY_STUDY_NOT_FOUND' });
    await expect(createStudyReport(sources(), { studyInstanceUid: '1.2.3.4', path: 'x.pdf' })).rejects.toMatchObject({ code: 'REPORT_PATH_INVALID' });
    // A folder that is a file: the write fails as a value, nothing half-written is left, the audit says so.
    const study = services.library.listStudies().find((s) => s.modalities.includes('CR'))!.studyInstanceUid;
    const blocker = path.join(dir, 'blocker.pdf');
    writeFileSync(blocker, 'x');
    await expect(createStudyReport(sources(), { studyInstanceUid: study, path: path.join(blocker, 'r.pdf') })).rejects.toMatchObject({ code: 'REPORT_WRITE_FAILED' });
    expect(readFileSync(blocker, 'utf8')).toBe('x');
    const last = JSON.parse(readFileSync(path.join(dir, 'data', 'audit', 'audit.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { action: string; outcome: string; detail: string };
    expect(last).toMatchObject({ action: 'report.create', outcome: 'failure', detail: 'REPORT_WRITE_FAILED' });
  });
});
