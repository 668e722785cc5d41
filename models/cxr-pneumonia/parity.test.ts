import { describe, it, expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelManifestSchema } from '../../shared/domain/modelManifest';

/**
 * Parity of the exported graphs with PyTorch: the same deterministic inputs (regenerated here from the
 * formula in parity-fixture.json) through model.onnx and ood.onnx on onnxruntime-node's CPU provider must
 * give PyTorch's outputs (written by models/training/cxr/make_parity_fixture.py) within 1e-4.
 */
const dir = path.dirname(fileURLToPath(import.meta.url));

interface Fixture {
  size: number;
  inputChecks: { 'x[k][0][10][20]': number[]; sum: number[] };
  probabilities: { shape: number[]; data: number[] };
  cam: { shape: number[]; data: number[] };
  oodScore: { shape: number[]; data: number[] };
}

const fixture = JSON.parse(readFileSync(path.join(dir, 'parity-fixture.json'), 'utf8')) as Fixture;
const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));

/** x[k][0][i][j] = fround(0.8 sin(0.05 i (k+1)) cos(0.07 j) + 0.3 (k-1)), the fixture's formula. */
function inputs(size: number): Float32Array {
  const x = new Float32Array(3 * size * size);
  for (let k = 0; k < 3; k++)
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        x[(k * size + i) * size + j] = 0.8 * Math.sin(0.05 * i * (k + 1)) * Math.cos(0.07 * j) + 0.3 * (k - 1);
  return x;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
}

async function run(file: string, x: Float32Array, size: number): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(path.join(dir, file), { executionProviders: ['cpu'] });
  try {
    return await session.run({ image: new ort.Tensor('float32', x, [3, 1, size, size]) });
  } finally {
    await session.release();
  }
}

describe('cxr-pneumonia model files', () => {
  const size = fixture.size;
  const x = inputs(size);

  it('regenerates the fixture inputs', () => {
    for (let k = 0; k < 3; k++) {
      expect(x[(k * size + 10) * size + 20]).toBe(fixture.inputChecks['x[k][0][10][20]'][k]);
      let s = 0;
      for (let p = 0; p < size * size; p++) s += x[k * size * size + p]!;
      expect(Math.abs(s - fixture.inputChecks.sum[k]!)).toBeLessThan(1e-6);
    }
  });

  it('manifest matches the files (sha256, input shape, outputs)', () => {
    expect(manifest.id).toBe('cxr-pneumonia');
    expect(sha256(manifest.file)).toBe(manifest.sha256);
    expect(manifest.ood).toBeDefined();
    expect(sha256(manifest.ood!.file)).toBe(manifest.ood!.sha256);
    expect(manifest.inputs[0]!.shape).toEqual(['batch', 1, size, size]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(['probabilities', 'cam']);
  });

  it('model.onnx on onnxruntime-node (CPU) matches PyTorch within 1e-4', async () => {
    const out = await run(manifest.file, x, size);
    const prob = out['probabilities']!;
    const cam = out['cam']!;
    expect(prob.dims).toEqual(fixture.probabilities.shape);
    expect(cam.dims).toEqual(fixture.cam.shape);
    expect(maxAbsDiff(prob.data as Float32Array, fixture.probabilities.data)).toBeLessThan(1e-4);
    expect(maxAbsDiff(cam.data as Float32Array, fixture.cam.data)).toBeLessThan(1e-4);
    const p = prob.data as Float32Array;
    for (let k = 0; k < 3; k++) expect(Math.abs(p[2 * k]! + p[2 * k + 1]! - 1)).toBeLessThan(1e-5);
  });

  it('ood.onnx on onnxruntime-node (CPU) matches PyTorch within 1e-4', async () => {
    const out = await run(manifest.ood!.file, x, size);
    const score = out['score']!;
    expect(score.dims).toEqual(fixture.oodScore.shape);
    expect(maxAbsDiff(score.data as Float32Array, fixture.oodScore.data)).toBeLessThan(1e-4);
  });
});
