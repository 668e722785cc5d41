import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicomFile } from '../parse';
import { createDecodePool, decodeFrame } from './index';
import { dataRoot } from './conformance';

const file = (f: string): string => path.join(dataRoot, 'conformance', f);

describe('decode worker pool', () => {
  it('decodes every frame of a multi-frame JPEG 2000 file off the main thread, the same as in-thread', async () => {
    const parsed = await parseDicomFile(file('pydicom-data/emri_small_jpeg_2k_lossless.dcm'));
    const pool = createDecodePool({ size: 2 });
    try {
      const frames = await Promise.all(Array.from({ length: 10 }, (_, i) => pool.decode(parsed, i)));
      for (let i = 0; i < 10; i++) {
        const local = await decodeFrame(parsed, i);
        expect(Array.from(frames[i]!.pixels)).toEqual(Array.from(local.pixels));
        expect(frames[i]!.pixels).toBeInstanceOf(Uint16Array);
      }
    } finally {
      await pool.dispose();
    }
  });

  it('gives typed errors for an unsupported transfer syntax and a frame out of range, and keeps working', async () => {
    const parsed = await parseDicomFile(file('pydicom/CT_small.dcm'));
    const pool = createDecodePool({ size: 1 });
    try {
      await expect(pool.decode({ ...parsed, transferSyntaxUid: '1.2.840.10008.1.2.4.100' }, 0)).rejects.toMatchObject({ code: 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX' });
      await expect(pool.decode(parsed, 5)).rejects.toMatchObject({ code: 'DICOM_FRAME_OUT_OF_RANGE' });
      const corrupt = { ...parsed, transferSyntaxUid: '1.2.840.10008.1.2.4.90', pixelData: { kind: 'encapsulated' as const, frames: [new Uint8Array([0xff, 0x4f, 1, 2, 3])] } };
      await expect(pool.decode(corrupt, 0)).rejects.toMatchObject({ code: 'DICOM_DECODE_FAILED' });
      expect((await pool.decode(parsed, 0)).pixels.length).toBe(128 * 128);
    } finally {
      await pool.dispose();
    }
  });

  it('cancels queued frames on dispose', async () => {
    const parsed = await parseDicomFile(file('wg04/MR2_J2KR.dcm'));
    const pool = createDecodePool({ size: 1 });
    const outcomes = [pool.decode(parsed, 0), pool.decode(parsed, 0)].map((p) => p.then(() => 'decoded', (e: { code: string }) => e.code));
    await pool.dispose();
    expect(await Promise.all(outcomes)).toEqual(['DICOM_DECODE_CANCELLED', 'DICOM_DECODE_CANCELLED']);
  });

  it('fails only the frame a dying worker was decoding; the one it held next is decoded by its replacement', async () => {
    // A stand-in worker with the real one's protocol and order: it exits, like a WASM abort, on the plane
    // named "crash", and answers the others.
    const dir = mkdtempSync(path.join(tmpdir(), 'lumen-pool-'));
    const script = path.join(dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
let previous = Promise.resolve();
parentPort.on('message', (request) => {
  previous = previous.then(() => new Promise((resolve) => setTimeout(() => {
    if (request.plane.path === 'crash') process.exit(1);
    parentPort.postMessage({ id: request.id, ok: true });
    resolve();
  }, 20)));
});`,
    );
    const pool = createDecodePool({ size: 1, workerScript: script });
    const plane = (name: string) => ({ path: name, frameIndex: 0, target: { sampleType: 'int16' as const, offset: 0, rows: 1, columns: 1, slope: 1, intercept: 0, buffer: new SharedArrayBuffer(2) } });
    try {
      const outcomes = ['crash', 'second', 'third'].map((name) => pool.decodePlane(plane(name)).then(() => 'done', (e: { code: string }) => e.code));
      expect(await Promise.all(outcomes)).toEqual(['DICOM_DECODE_FAILED', 'done', 'done']);
    } finally {
      await pool.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
