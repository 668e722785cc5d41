import { readdirSync } from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { indexToPatient, patientToIndex } from '../../../shared/domain/geometry/framePlane';
import type { Vec3 } from '../../../shared/domain/geometry/vector3';
import { dataRoot } from '../dicom/testSupport';
import { layoutSeries } from '../viewer/seriesLayout';
import { frameImages, frameKey } from './frameImages';
import { readPart10 } from './part10';
import { readMeasurementReport, toViewerMeasurement } from './readMeasurementReport';
import { writeMeasurementReport } from './measurementReport';
import type { Measurement } from '../../../shared/domain/measurement';
import { dsrdump, writeTemp } from './testing/referenceTools';

const ctDir = path.join(dataRoot, 'ct/chest-275');

/**
 * Another viewer's report: OHIF saves measurements through dcmjs's Cornerstone3D adapter
 * (MeasurementReport.generateReport, then datasetToBlob). The test drives that same adapter code, as
 * shipped in node_modules/dcmjs, over tool states on a real CT frame, and reads the bytes it writes.
 */
/** Frame k of the real CT as the viewer numbers it, and patient points at pixel positions on it. */
async function ctFrame(k: number) {
  const files = readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).map((f) => path.join(ctDir, f));
  const frames = frameImages(await layoutSeries(files));
  const frame = frames[k]!;
  return { frames, frame, at: (i: number, j: number): Vec3 => indexToPatient(frame.plane, i, j) };
}

describe('reading an OHIF (dcmjs Cornerstone3D adapter) TID 1500 report', () => {
  it('restores its length, ellipse and probe on the right CT frame and skips the freehand outline', async () => {
    const k = 90;
    const { frames, frame, at } = await ctFrame(k);
    const imageId = `wadouri:${frame.sopInstanceUid}`;
    const metadata = {
      get(type: string, id: string) {
        if (id !== imageId) return undefined;
        if (type === 'sopCommonModule') return { sopInstanceUID: frame.sopInstanceUid, sopClassUID: frame.sopClassUid };
        if (type === 'generalSeriesModule') return { studyInstanceUID: frame.studyInstanceUid, seriesInstanceUID: frame.seriesInstanceUid };
        if (type === 'frameNumber') return 1;
        if (type === 'instance') return { NumberOfFrames: 1 };
        return undefined;
      },
    };
    // Cornerstone3D image coordinates put (0,0) at the top left corner of the top left pixel, as SR does.
    const worldToImageCoords = (_id: string, p: Vec3) => patientToIndex(frame.plane, p).map((v) => v + 0.5);
    const stats = (s: Record<string, number>) => ({ [`imageId:${imageId}`]: s });
    const tool = (points: Vec3[], cachedStats: Record<string, unknown>, label?: string) => ({
      metadata: { referencedImageId: imageId, toolName: 'x' },
      data: { handles: { points }, cachedStats, label },
      ...(label ? { finding: { CodeValue: 'CS3DTEXT', CodingSchemeDesignator: '99dcmjs', CodeMeaning: label } } : {}),
    });
    const toolState = {
      [imageId]: {
        Length: { data: [tool([at(100, 120), at(180, 160)], stats({ length: 89.4 }), 'nodule')] },
        EllipticalROI: { data: [tool([at(115, 200), at(115, 230), at(90, 215), at(140, 215)], stats({ area: 555.2, mean: 40.5, stdDev: 12.25, max: 77, min: 2 }))] },
        Probe: { data: [tool([at(120, 130)], stats({ value: -850 }))] },
        PlanarFreehandROI: {
          data: [{ metadata: { referencedImageId: imageId }, data: { isOpenContour: false, polyline: [at(50, 50), at(70, 52), at(75, 80), at(52, 71), at(45, 60)] } }],
        },
      },
    };
    const report = dcmjs.adapters.Cornerstone3D.MeasurementReport.generateReport(toolState, metadata, worldToImageCoords);
    const bytes = new Uint8Array(dcmjs.data.datasetToBuffer(report.dataset));
    expect(dsrdump(writeTemp(bytes)).status).toBe(0);

    const content = readMeasurementReport(readPart10(bytes).dataset);
    expect(content.skipped).toEqual([{ trackingIdentifier: 'Cornerstone3DTools@^0.1.0:PlanarFreehandROI', reason: 'an outline Lumen has no tool for' }]);
    const byKey = new Map(frames.map((f) => [frameKey(f.sopInstanceUid, f.frameNumber), f]));
    const restored = content.measurements.map((m) => toViewerMeasurement(m, byKey)!);
    expect(restored.map((m) => [m.kind, m.frame, m.seriesInstanceUid])).toEqual([
      ['length', k, frame.seriesInstanceUid],
      ['ellipse', k, frame.seriesInstanceUid],
      ['probe', k, frame.seriesInstanceUid],
    ]);
    const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-3));
    const [length, ellipse, probe] = restored as [typeof restored[0], typeof restored[0], typeof restored[0]];
    expect(length.label).toBe('nodule');
    expect(length.values.lengthMm).toBeCloseTo(89.4, 6);
    close(length.points[0]!, at(100, 120));
    close(length.points[1]!, at(180, 160));
    // The ellipse comes back as the corners of its box: (90, 200) to (140, 230).
    close(ellipse.points[0]!, at(90, 200));
    close(ellipse.points[1]!, at(140, 230));
    expect(ellipse.values.mean).toBeCloseTo(40.5, 6);
    close(probe.points[0]!, at(120, 130));
    expect(probe.values).toMatchObject({ column: 120, row: 130 });
    expect(length.units).toBe('HU');
  }, 60_000);

  it("OHIF's adapter reads Lumen's report: its length, ellipse and probe land on the same patient points", async () => {
    const k = 42;
    const { frames, frame, at } = await ctFrame(k);
    const base = { seriesInstanceUid: frame.seriesInstanceUid, frame: k, units: 'HU' };
    const measurements: Measurement[] = [
      { ...base, id: 'a', kind: 'length', points: [at(10, 20), at(200, 220)], label: '186 mm', values: { lengthMm: 186.25 } },
      { ...base, id: 'b', kind: 'ellipse', points: [at(100, 100), at(160, 130)], label: 'mean 12', values: { mean: 12, sd: 3, min: 1, max: 30, pixels: 1400, areaMm2: 860.5 } },
      { ...base, id: 'c', kind: 'probe', points: [at(300, 310)], label: '-5 HU', values: { value: -5, column: 300, row: 310 } },
    ];
    const bytes = writeMeasurementReport(measurements, new Map([[frame.seriesInstanceUid, frames]]), {}).bytes;
    const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
    const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dict);
    const imageId = `wadouri:${frame.sopInstanceUid}`;
    // Cornerstone3D's image to world mapping: (0,0) the top left corner of the image.
    const imageToWorldCoords = (_id: string, [x, y]: [number, number]) => at(x - 0.5, y - 0.5);
    const metadata = { get: (type: string) => (type === 'imagePlaneModule' ? { frameOfReferenceUID: '1.2.3', columnCosines: [...frame.plane.column], rowCosines: [...frame.plane.row] } : undefined) };
    const state = dcmjs.adapters.Cornerstone3D.MeasurementReport.generateToolState(dataset, { [frame.sopInstanceUid]: imageId }, imageToWorldCoords, metadata) as Record<string, { annotation: { data: { handles: { points: Vec3[] } } } }[]>;
    const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-3));
    const length = state.Length![0]!.annotation.data.handles.points;
    close(length[0]!, at(10, 20));
    close(length[1]!, at(200, 220));
    // OHIF's ellipse handles are the axis end points: top, bottom, left, right.
    const ellipse = state.EllipticalROI![0]!.annotation.data.handles.points;
    expect(ellipse).toHaveLength(4);
    for (const expected of [at(130, 100), at(130, 130), at(100, 115), at(160, 115)]) expect(ellipse.some((p) => p.every((v, i) => Math.abs(v - expected[i]!) < 1e-3))).toBe(true);
    close(state.Probe![0]!.annotation.data.handles.points[0]!, at(300, 310));
  }, 60_000);
});
