import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { EventBus } from '../eventBus';
import { ViewerService } from './viewerService';

const emri = path.join(dataRoot, 'conformance/pylibjpeg-data/emri_small.dcm');
const work = mkdtempSync(path.join(os.tmpdir(), 'lumen-viewer-'));
const viewer = new ViewerService({ seriesPlanes: () => [{ path: emri, planes: null }] }, new EventBus());
afterAll(async () => {
  await viewer.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('the viewer service', () => {
  it('serves every frame of a classic multi-frame image as pydicom decodes it (12 bits, held as int16)', async () => {
    const out = path.join(work, 'frames.raw');
    const frames = pythonJson<number>(
      `import sys, json, numpy as np, pydicom
a = pydicom.dcmread(sys.argv[1]).pixel_array
a.astype('<i2').tofile(sys.argv[2])
print(json.dumps(int(a.shape[0])))`,
      [emri, out],
    );
    const view = await viewer.openSeries('any');
    expect(view.kind).toBe('images');
    expect(view.frames).toBe(frames);
    const reference = readFileSync(out);
    const planeBytes = view.rows * view.columns * 2;
    for (let k = 0; k < frames; k++) {
      const frame = await viewer.frame('any', k);
      expect(frame.sampleType).toBe('int16');
      expect(Buffer.from(frame.bytes).equals(reference.subarray(k * planeBytes, (k + 1) * planeBytes)), `frame ${k}`).toBe(true);
    }
  });
});
