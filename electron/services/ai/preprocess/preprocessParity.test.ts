import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelManifestSchema } from '../../../../shared/domain/modelManifest';
import { dataRoot } from '../../dicom/testSupport';
import { preprocessFile } from './preprocessImage';

/**
 * The TypeScript preprocessing against the Python reference (models/training/cxr/preprocess.py, Pillow
 * and pydicom) on the same real files: the fixture holds, per file, the normalised tensor's mean, std and
 * values at 16 positions. DICOM follows the same float math (bound 1e-3 in normalised units, i.e. about
 * 2e-4 of the [0, 1] range); JPEG decoders differ by an IDCT rounding step (libjpeg vs jpeg-js), so a
 * pixel may move by a grey level or two: bound 0.05 (about 3 grey levels of 255 after /std).
 */
const modelDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../models/cxr-pneumonia');
const fixtureFile = path.join(modelDir, 'preprocess-fixture.json');

interface Item {
  path: string;
  branch: 'dicom' | 'png/jpeg';
  nativeShape: [number, number];
  mean: number;
  std: number;
  values: number[];
}
interface Fixture {
  size: number;
  positions: [number, number][];
  items: Item[];
}

const present = existsSync(fixtureFile) && existsSync(path.join(modelDir, 'manifest.json'));

describe.skipIf(!present)('preprocessing parity with the Python reference (cxr-pneumonia)', () => {
  if (!present) return;
  const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as Fixture;
  const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')));
  for (const item of fixture.items) {
    const bound = item.branch === 'dicom' ? 1e-3 : 0.05;
    it(`${item.path} (${item.branch}) within ${bound}`, async () => {
      const image = await preprocessFile(path.join(dataRoot, item.path), manifest);
      expect([image.native.rows, image.native.columns]).toEqual(item.nativeShape);
      const S = fixture.size;
      const got = fixture.positions.map(([r, c]) => image.tensor[r * S + c]!);
      const worst = Math.max(...got.map((v, i) => Math.abs(v - item.values[i]!)));
      expect(worst).toBeLessThan(bound);
      let sum = 0;
      let sq = 0;
      for (const v of image.tensor) sum += v;
      const mean = sum / image.tensor.length;
      for (const v of image.tensor) sq += (v - mean) ** 2;
      expect(Math.abs(mean - item.mean)).toBeLessThan(bound);
      expect(Math.abs(Math.sqrt(sq / image.tensor.length) - item.std)).toBeLessThan(bound);
    });
  }
});
