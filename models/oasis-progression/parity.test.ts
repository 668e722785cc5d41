import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ModelManifestSchema } from '../../shared/domain/modelManifest';
import { readParityFixture } from './parityFixture';

// PyTorch (models/training/oasis/oasis_export.py) against onnxruntime on the same float32 inputs.
const dir = path.dirname(fileURLToPath(import.meta.url));

const fixture = readParityFixture();

describe('oasis-progression', () => {
  it('has a manifest that parses and whose sha256 matches model.onnx', () => {
    const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    expect(manifest.id).toBe('oasis-progression');
    expect(manifest.features).toHaveLength(fixture.nFeatures);
    const sha = createHash('sha256').update(readFileSync(path.join(dir, manifest.file))).digest('hex');
    expect(sha).toBe(manifest.sha256);
  });

  it('matches PyTorch on real sequences of 1 to 4 visits', async () => {
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), { executionProviders: ['cpu'] });
    expect(new Set(fixture.cases.map((c) => c.visits)).size).toBe(fixture.cases.length);
    expect(fixture.cases.some((c) => c.missing.flat(2).some((v) => v === 1))).toBe(true);
    for (const c of fixture.cases) {
      const k = c.visits;
      const F = fixture.nFeatures;
      const out = await session.run({
        features: new ort.Tensor('float32', Float32Array.from(c.features.flat(2)), [1, k, F]),
        missing: new ort.Tensor('float32', Float32Array.from(c.missing.flat(2)), [1, k, F]),
        days: new ort.Tensor('float32', Float32Array.from(c.days.flat()), [1, k]),
        horizon_days: new ort.Tensor('float32', Float32Array.from(c.horizon_days.flat()), [1, 1]),
      });
      const risk = Array.from(out['risk']!.data as Float32Array);
      const attention = Array.from(out['attention']!.data as Float32Array);
      expect(risk).toHaveLength(1);
      expect(Math.abs(risk[0]! - c.risk[0]!)).toBeLessThan(fixture.tolerance);
      expect(attention).toHaveLength(k);
      expect(out['attention']!.dims).toEqual([1, k]);
      attention.forEach((a, i) => expect(Math.abs(a - c.attention[0]![i]!)).toBeLessThan(fixture.tolerance));
      expect(Math.abs(attention.reduce((s, a) => s + a, 0) - 1)).toBeLessThan(1e-5);
    }
    await session.release();
  });
});
