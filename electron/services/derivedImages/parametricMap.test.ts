import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicomFile } from '../dicom/parse/index';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { sourceImageOf } from '../sr/sourceImage';
import { dciodvfy, writeTemp } from '../sr/testing/referenceTools';
import { writeParametricMap } from './parametricMap';
import { ACTIVATION_GRID } from './testing/activationGrid';

const GRID = ACTIVATION_GRID;

describe('Parametric Map of an activation map', () => {
  it.each(['cxr/dicom/966_fixed.dcm', 'cxr/dicom/CR-MONO1-10-chest.dcm', 'ct/chest-275/000100.dcm'])('is valid for dciodvfy, and pydicom reads the bilinear upsampling of the grid on %s', async (name) => {
    const source = sourceImageOf((await parseDicomFile(path.join(dataRoot, name), { headerOnly: true })).dataset);
    const written = writeParametricMap(GRID, source, { id: 'cxr-pneumonia', version: '1.0.0' });
    const file = writeTemp(written.bytes);
    const verdict = dciodvfy(file);
    console.log(`${name}: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);

    // Reference: pydicom reads Float Pixel Data; numpy computes the half-pixel bilinear resampling
    // (cell centres at (i + 0.5) * size / grid - 0.5, clamped) independently of our code.
    const check = pythonJson<{ maxDiff: number; shape: number[]; ref: string; frameOfReference: string; position: number[] }>(
      `import pydicom, numpy as np, sys, json
d = pydicom.dcmread(sys.argv[1])
px = d.pixel_array.astype(np.float64)
g = np.array(json.loads(sys.argv[2]), dtype=np.float64).reshape(${GRID.rows}, ${GRID.columns})
R, C = px.shape
def coords(n, gn):
    f = np.clip((np.arange(n) + 0.5) * gn / n - 0.5, 0, gn - 1)
    i0 = np.floor(f).astype(int); i1 = np.minimum(i0 + 1, gn - 1)
    return i0, i1, f - i0
y0, y1, ty = coords(R, g.shape[0]); x0, x1, tx = coords(C, g.shape[1])
top = g[y0][:, x0] * (1 - tx) + g[y0][:, x1] * tx
bottom = g[y1][:, x0] * (1 - tx) + g[y1][:, x1] * tx
ref = top * (1 - ty[:, None]) + bottom * ty[:, None]
src = d.SharedFunctionalGroupsSequence[0].DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
pos = d.SharedFunctionalGroupsSequence[0].PlanePositionSequence[0].ImagePositionPatient
print(json.dumps({"maxDiff": float(np.abs(px - ref).max()), "shape": list(px.shape), "ref": src, "frameOfReference": str(d.FrameOfReferenceUID), "position": [float(v) for v in pos]}))`,
      [file, JSON.stringify(GRID.values)],
    );
    expect(check.shape).toEqual([source.rows, source.columns]);
    expect(check.maxDiff).toBeLessThan(1e-6);
    expect(check.ref).toBe(source.sopInstanceUid);
    // A CT slice lends the map its Frame of Reference and position; a radiograph without a patient
    // plane gets a new Frame of Reference and the viewer's image plane at the origin.
    if (source.imagePositionPatient) {
      expect(check.frameOfReference).toBe(source.frameOfReferenceUid);
      expect(check.position).toEqual(source.imagePositionPatient);
    } else {
      expect(check.frameOfReference).not.toBe(source.frameOfReferenceUid);
      expect(check.position).toEqual([0, 0, 0]);
    }
  }, 120_000);
});
