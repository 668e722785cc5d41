import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationNoteOf, indexToPatient } from '../../../shared/domain/geometry/framePlane';
import type { Measurement } from '../../../shared/domain/measurement';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { layoutSeries } from '../viewer/seriesLayout';
import { frameImages, frameKey, type FrameImage } from './frameImages';
import { writeMeasurementReport } from './measurementReport';
import { readPart10 } from './part10';
import { readMeasurementReport, toViewerMeasurement } from './readMeasurementReport';
import { patientStudyOf } from './sourceImage';
import { dciodvfy, dsrdump, writeTemp } from './testing/referenceTools';

const ctDir = path.join(dataRoot, 'ct/chest-275');
const cxrDir = path.join(dataRoot, 'cxr/dicom');

async function framesOf(files: string[]) {
  const layout = await layoutSeries(files);
  return { layout, frames: frameImages(layout) };
}

/** Measurements of every kind on frame k, placed at pixel positions of that frame. */
function measurementsOn(frames: readonly FrameImage[], k: number): Measurement[] {
  const f = frames[k]!;
  const at = (i: number, j: number) => indexToPatient(f.plane, i, j);
  // Units and calibration as the viewer gives a new measurement on this frame.
  const base = { seriesInstanceUid: f.seriesInstanceUid, frame: k, image: { sopInstanceUid: f.sopInstanceUid, frameNumber: f.frameNumber ?? 1 }, units: f.view.units, ...calibrationNoteOf(f.plane, f.view) };
  return [
    { ...base, id: 'm1', kind: 'length', points: [at(100.25, 120.5), at(180.75, 160)], label: '89.6 mm', values: { lengthMm: 89.61234567891233 } },
    { ...base, id: 'm2', kind: 'angle', points: [at(60, 60), at(100, 100), at(160, 70)], label: '63.4°', values: { angleDeg: 63.43494882292201 } },
    { ...base, id: 'm3', kind: 'rectangle', points: [at(200, 150), at(150.5, 220)], label: 'mean -512.3 HU', values: { mean: -512.3333333333334, sd: 210.5, min: -1000, max: 85, pixels: 3500, areaMm2: 1234.5678 } },
    { ...base, id: 'm4', kind: 'ellipse', points: [at(90, 200), at(140, 230)], label: 'mean 40.1', values: { mean: 40.125, sd: 12.25, min: 2, max: 77, pixels: 1178, areaMm2: 555.25 } },
    { ...base, id: 'm5', kind: 'probe', points: [at(120, 130)], label: '-850 @ (120, 130)', values: { value: -850, column: 120, row: 130 } },
    // A probe placed outside the image has no value: it keeps its place as an Image Region.
    { ...base, id: 'm6', kind: 'probe', points: [at(-20, -30)], label: 'outside image', values: {} },
  ];
}

/** Round trip through the written bytes: the same measurements on the same frames. */
function expectSameMeasurements(back: Measurement[], original: Measurement[]) {
  expect(back.map((m) => m.id)).toEqual(original.map((m) => m.id));
  back.forEach((m, i) => {
    const o = original[i]!;
    const { points, ...rest } = m;
    const { points: originalPoints, ...originalRest } = o;
    expect(rest).toEqual(originalRest);
    // Graphic Data is FL (PS3.5, float32); the exact points come back from Lumen's own TEXT item.
    expect(points).toEqual(originalPoints);
  });
}

describe('Measurement Report (TID 1500)', () => {
  it('writes the CT measurements as an SR that dciodvfy accepts and dsrdump reads, and reads them back on the same images', async () => {
    const files = readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).map((f) => path.join(ctDir, f));
    const { layout, frames } = await framesOf(files);
    const k = 137;
    expect(frames[k]!.view.units).toBe('HU');
    const original = measurementsOn(frames, k);
    const written = writeMeasurementReport(original, new Map([[layout.series.seriesInstanceUid, frames]]), patientStudyOf(layout.first));
    const file = writeTemp(written.bytes);

    const verdict = dciodvfy(file);
    console.log(`dciodvfy: ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    const dump = dsrdump(file, '+Pu', '+Pl');
    expect(dump.status, dump.output).toBe(0);
    for (const text of ['Imaging Measurement Report', 'Measurement Group', 'Length', '89.6123456789123', 'mm', 'deg', "[hnsf'U]", '-512.33333333333', frames[k]!.sopInstanceUid, 'POLYLINE', 'ELLIPSE', 'POINT']) {
      expect(dump.output).toContain(text);
    }

    // Independent geometry: pydicom reads the referenced image's position, orientation and spacing, and
    // the SR coordinates of the length's first point land where the viewer put it.
    const parsed = readPart10(readFileSync(file));
    const report = readMeasurementReport(parsed.dataset);
    expect(report.skipped).toEqual([]);
    const length = report.measurements[0]!;
    const geometry = pythonJson<{ ipp: number[]; iop: number[]; ps: number[] }>(
      `import pydicom,sys,json,glob
for f in sorted(glob.glob(sys.argv[1] + "/*.dcm")):
    d = pydicom.dcmread(f, stop_before_pixels=True)
    if d.SOPInstanceUID == sys.argv[2]:
        print(json.dumps({"ipp":[float(v) for v in d.ImagePositionPatient],"iop":[float(v) for v in d.ImageOrientationPatient],"ps":[float(v) for v in d.PixelSpacing]}))
        break`,
      [ctDir, length.image.sopInstanceUid],
    );
    const [x, y] = length.coordinates[0]!;
    const { ipp, iop, ps } = geometry;
    const fromReference = [0, 1, 2].map((a) => ipp[a]! + iop[a]! * (x - 0.5) * ps[1]! + iop[3 + a]! * (y - 0.5) * ps[0]!);
    fromReference.forEach((v, a) => expect(Math.abs(v - original[0]!.points[0]![a]!)).toBeLessThan(1e-3));

    const byKey = new Map(frames.map((f) => [frameKey(f.sopInstanceUid, f.frameNumber), f]));
    expectSameMeasurements(report.measurements.map((m) => toViewerMeasurement(m, byKey)!), original);

    // Lumen's exact points only stand when the SCOORD agrees: a report whose region another viewer moved
    // (the points item left stale) is read from its SCOORD.
    const moved = { ...length, patientPoints: length.patientPoints!.map((p) => [p[0] + 5, p[1], p[2]] as [number, number, number]) };
    const fromScoord = toViewerMeasurement(moved, byKey)!;
    fromScoord.points.forEach((p, n) => p.forEach((v, a) => expect(Math.abs(v - original[0]!.points[n]![a]!)).toBeLessThan(1e-3)));
    expect(fromScoord.points).not.toEqual(moved.patientPoints);
  }, 120_000);

  it('references the image a measurement was made on after its series gained images, and reads it back on that image', async () => {
    const files = readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).sort().map((f) => path.join(ctDir, f));
    const partial = await framesOf(files.filter((_, i) => i % 2 === 0));
    const whole = await framesOf(files);
    const k = 40;
    const [length] = measurementsOn(partial.frames, k);
    // frame 40 of the whole series is another image: the measurement's own is found again
    expect(whole.frames[k]!.sopInstanceUid).not.toBe(partial.frames[k]!.sopInstanceUid);
    const written = writeMeasurementReport([length!], new Map([[whole.layout.series.seriesInstanceUid, whole.frames]]), patientStudyOf(whole.layout.first));
    const report = readMeasurementReport(readPart10(written.bytes).dataset);
    expect(report.measurements[0]!.image.sopInstanceUid).toBe(partial.frames[k]!.sopInstanceUid);
    const back = toViewerMeasurement(report.measurements[0]!, new Map(whole.frames.map((f) => [frameKey(f.sopInstanceUid, f.frameNumber), f])))!;
    expect(whole.frames[back.frame]!.sopInstanceUid).toBe(partial.frames[k]!.sopInstanceUid);
    expect(back.image).toEqual(length!.image);
  }, 120_000);

  it.each([
    ['966_fixed.dcm', undefined],
    ['CR-MONO1-10-chest.dcm', 'pixels'],
  ])('round-trips measurements on the radiograph %s', async (name, calibrationNote) => {
    const { layout, frames } = await framesOf([path.join(cxrDir, name)]);
    expect(frames[0]!.plane.calibration).toBe(calibrationNote ?? 'patient');
    const original = measurementsOn(frames, 0);
    expect(original[0]!.calibrationNote).toBe(calibrationNote);
    const written = writeMeasurementReport(original, new Map([[layout.series.seriesInstanceUid, frames]]), patientStudyOf(layout.first));
    const file = writeTemp(written.bytes);
    const verdict = dciodvfy(file);
    console.log(`${name}: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    expect(dsrdump(file).status).toBe(0);
    const report = readMeasurementReport(readPart10(readFileSync(file)).dataset);
    const byKey = new Map(frames.map((f) => [frameKey(f.sopInstanceUid, f.frameNumber), f]));
    expectSameMeasurements(report.measurements.map((m) => toViewerMeasurement(m, byKey)!), original);
  }, 60_000);

  it('references a frame of an enhanced multi-frame CT by its Referenced Frame Number and reads it back on the same viewer frame', async () => {
    const file = path.join(dataRoot, 'conformance/pydicom-data/eCT_Supplemental.dcm');
    const { layout, frames } = await framesOf([file]);
    expect(frames.map((f) => f.frameNumber).sort()).toEqual([1, 2]);
    const original = measurementsOn(frames, 1);
    const written = writeMeasurementReport(original, new Map([[layout.series.seriesInstanceUid, frames]]), patientStudyOf(layout.first));
    const out = writeTemp(written.bytes);
    const verdict = dciodvfy(out);
    console.log(`enhanced CT: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    // dcmtk reads the frame reference back: "(CT image, <uid>, <frame>)" with +Pu.
    const dump = dsrdump(out, '+Pu');
    expect(dump.status).toBe(0);
    expect(dump.output).toContain(`"${frames[1]!.sopInstanceUid}",${frames[1]!.frameNumber})`);
    const report = readMeasurementReport(readPart10(readFileSync(out)).dataset);
    expect(report.measurements.every((m) => m.image.frameNumber === frames[1]!.frameNumber)).toBe(true);
    const byKey = new Map(frames.map((f) => [frameKey(f.sopInstanceUid, f.frameNumber), f]));
    expectSameMeasurements(report.measurements.map((m) => toViewerMeasurement(m, byKey)!), original);
  }, 60_000);
});
