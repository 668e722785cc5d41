import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AiAnalysis } from '../../../shared/domain/aiResult';
import { parseDicomFile } from '../dicom/parse/index';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { writeHeatmapSecondaryCapture, captureLabel } from '../derivedImages/secondaryCapture';
import { ACTIVATION_GRID as GRID } from '../derivedImages/testing/activationGrid';
import { displayFrame } from '../report/keyFramePixels';
import { readAiResultReport, writeAiResultReport } from './aiResultReport';
import { readPart10 } from './part10';
import { sourceImageOf } from './sourceImage';
import { dciodvfy, dsrdump, writeTemp } from './testing/referenceTools';

const file = path.join(dataRoot, 'cxr/dicom/966_fixed.dcm');

const analysis = (rows: number, columns: number): AiAnalysis => ({
  path: file,
  model: 'cxr-pneumonia',
  version: '1.0.0',
  provider: 'cpu',
  probabilities: { normal: 0.26620738208293915, pneumonia: 0.7337926179170609 },
  prediction: 'pneumonia',
  threshold: 0.3936,
  ood: { score: 1.8734, outside: false },
  ms: 412.57,
  heatmap: GRID,
  frame: { rows, columns },
  inferenceMs: 35.25,
  fallbacks: [{ provider: 'cuda', reason: 'No CUDA device: the execution provider is not available.' }],
});

describe('AI result as DICOM', () => {
  it('writes the chest X-ray result as an SR that dciodvfy accepts and dsrdump reads, and reads it back identical', async () => {
    const source = sourceImageOf((await parseDicomFile(file, { headerOnly: true })).dataset);
    const original = analysis(source.rows, source.columns);
    const written = writeAiResultReport(original, source, { positiveLabel: 'pneumonia' });
    const out = writeTemp(written.bytes);
    const verdict = dciodvfy(out);
    console.log(`AI SR: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    const dump = dsrdump(out, '+Pu', '+Pl');
    expect(dump.status, dump.output).toBe(0);
    for (const text of ['Algorithm Name', 'cxr-pneumonia', '1.0.0', '0.73379261791706', '0.3936', 'Research use only', 'pneumonia', 'Out-of-distribution verdict', '"No"', source.sopInstanceUid, 'cuda']) {
      expect(dump.output).toContain(text);
    }
    const { path: _path, ...expected } = original;
    expect(readAiResultReport(readPart10(readFileSync(out)).dataset)).toEqual({
      analysis: expected,
      source: { sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid, frameNumber: null },
    });
  }, 60_000);

  it('writes a Secondary Capture with the overlay and label burned in, valid for dciodvfy and read by pydicom', async () => {
    const source = sourceImageOf((await parseDicomFile(file, { headerOnly: true })).dataset);
    const shown = await displayFrame(file, 0);
    const image = { columns: shown.pixels.columns, rows: shown.pixels.rows, samplesPerPixel: shown.pixels.samplesPerPixel as 1 | 3, data: shown.pixels.data };
    const label = captureLabel(analysis(source.rows, source.columns), 'pneumonia');
    expect(label[2]).toBe('RESEARCH USE ONLY. NOT FOR DIAGNOSTIC USE.');
    const written = writeHeatmapSecondaryCapture(image, GRID, label, source);
    const out = writeTemp(written.bytes);
    const verdict = dciodvfy(out);
    console.log(`Secondary Capture: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    // pydicom: RGB, burned-in flag, the source referenced; grey where the map has no positive evidence
    // (bottom right cell, value -0.3), red over yellow-ish where it peaks (grid cell row 2, column 2).
    const check = pythonJson<{ burned: string; pi: string; shape: number[]; ref: string; cold: number[]; hot: number[]; text: number[] }>(
      `import pydicom, sys, json
d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array
R, C = a.shape[:2]
print(json.dumps({"burned": d.BurnedInAnnotation, "pi": d.PhotometricInterpretation, "shape": list(a.shape), "ref": d.SourceImageSequence[0].ReferencedSOPInstanceUID,
  "cold": [int(v) for v in a[R - 2, C - 2]], "hot": [int(v) for v in a[int(R * 2.5 / 6), int(C * 2.5 / 5)]], "text": [int(a[:40, :400].max()), int(a[:40, :400].min())]}))`,
      [out],
    );
    expect(check).toMatchObject({ burned: 'YES', pi: 'RGB', shape: [image.rows, image.columns, 3], ref: source.sopInstanceUid });
    expect(check.cold[0]).toBe(check.cold[1]);
    expect(check.cold[1]).toBe(check.cold[2]);
    expect(check.hot[0]).toBeGreaterThan(check.hot[2]!);
    expect(check.text).toEqual([255, 0]);
  }, 60_000);
});
