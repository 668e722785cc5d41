import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LumenError } from '../../../shared/domain/errors';
import { damageCtSlices, dataRoot, pythonJson } from '../dicom/testSupport';
import { EventBus } from '../eventBus';
import { ViewerService } from './viewerService';

const emri = path.join(dataRoot, 'conformance/pylibjpeg-data/emri_small.dcm');
const ctDir = path.join(dataRoot, 'ct/chest-275');
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

  it('serves every intact slice of a CT whose middle slices are damaged, fails only those with their reason, and reads them afresh once put right', async () => {
    const dir = mkdtempSync(path.join(work, 'ct-'));
    const reference = damageCtSlices(ctDir, dir);
    const files = readdirSync(dir).map((f) => ({ path: path.join(dir, f), planes: null }));
    const ct = new ViewerService({ seriesPlanes: () => files }, new EventBus());
    try {
      const view = await ct.openSeries('ct');
      expect(view.kind).toBe('volume');
      const positions = view.geometry!.slicePositions.map((p) => p[2]);
      const frameAt = (z: number) => positions.findIndex((p) => Math.abs(p - z) < 1e-3);
      const outcomes = await Promise.all(
        positions.map((_, k) =>
          ct.frame('ct', k).then(
            (frame) => ({ k, frame }),
            (error: LumenError) => ({ k, code: error.code, message: error.message }),
          ),
        ),
      );
      const failed = outcomes.flatMap((o) => ('code' in o ? [o] : []));
      expect(failed.map((f) => f.k).sort((a, b) => a - b)).toEqual(reference.damaged.map(frameAt).sort((a, b) => a - b));
      for (const f of failed) {
        expect(f.code).toBe('DICOM_DECODE_FAILED');
        expect(f.message).toContain('JPEG-LS');
      }
      expect(outcomes.length - failed.length).toBe(reference.files - reference.damaged.length);
      for (const [z, sum] of reference.intact) {
        const outcome = outcomes[frameAt(z)]!;
        if (!('frame' in outcome)) throw new Error(`the intact slice at z ${z} failed`);
        const { bytes } = outcome.frame;
        const hu = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
        expect(hu.reduce((s, v) => s + v, 0), `slice at z ${z}`).toBe(sum);
      }
      // Asked again, a damaged slice gives the same answer at once (nothing waits for it).
      await expect(ct.frame('ct', frameAt(reference.damaged[0]!))).rejects.toMatchObject({ code: 'DICOM_DECODE_FAILED' });

      // The files put right (copied again from the source), the series opened again is read afresh:
      // the slices that failed arrive with the values pydicom reads from the source.
      for (const name of readdirSync(dir)) copyFileSync(path.join(ctDir, name), path.join(dir, name));
      const repaired = pythonJson<[number, number][]>(
        `import sys, os, json, numpy as np, pydicom
want = json.loads(sys.argv[2])
out = []
for f in sorted(os.listdir(sys.argv[1])):
    if not f.endswith('.dcm'):
        continue
    ds = pydicom.dcmread(os.path.join(sys.argv[1], f))
    z = float(ds.ImagePositionPatient[2])
    if any(abs(z - w) < 1e-3 for w in want):
        out.append([z, int((ds.pixel_array.astype(np.int64) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)).sum())])
print(json.dumps(out))`,
        [ctDir, JSON.stringify(reference.damaged)],
      );
      expect(repaired).toHaveLength(reference.damaged.length);
      await ct.openSeries('ct');
      for (const [z, sum] of repaired) {
        const { bytes } = await ct.frame('ct', frameAt(z));
        const hu = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
        expect(hu.reduce((s, v) => s + v, 0), `repaired slice at z ${z}`).toBe(sum);
      }
    } finally {
      await ct.dispose();
    }
  }, 120_000);

  it('lays a series out afresh once images were added to it, serving the old layout until then', async () => {
    const names = readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).sort();
    let listed = names.filter((_, i) => i % 2 === 0);
    const events = new EventBus();
    const ct = new ViewerService({ seriesPlanes: () => listed.map((f) => ({ path: path.join(ctDir, f), planes: null })) }, events);
    try {
      const before = await ct.openSeries('ct');
      expect(before.frames).toBe(listed.length);
      // the rest of the series arrives (a retrieve still coming in)
      listed = names;
      expect((await ct.openSeries('ct')).frames).toBe(before.frames);
      events.emit('library.changed', { studyInstanceUids: [], seriesInstanceUids: ['ct'] });
      // the renderer's frames of the old layout are still answered, from it
      expect((await ct.frame('ct', before.frames - 1)).bytes.byteLength).toBe(before.rows * before.columns * 2);
      const after = await ct.openSeries('ct');
      expect(after.frames).toBe(names.length);
      expect(after.geometry!.slicePositions.length).toBe(names.length);
    } finally {
      await ct.dispose();
    }
  });
});
