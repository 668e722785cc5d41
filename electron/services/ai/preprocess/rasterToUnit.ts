import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { LumenError } from '../../../../shared/domain/errors';
import type { PreprocessPlan } from './preprocessPlan';
import type { UnitImage } from './dicomToUnit';

export type RasterKind = 'png' | 'jpeg';

/** PNG and JPEG by their signatures (PNG: 89 50 4E 47 0D 0A 1A 0A; JPEG: FF D8 FF), not by extension. */
export function rasterKind(bytes: Uint8Array): RasterKind | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * The PNG/JPEG branch: decode to RGBA, ITU-R 601-2 luma rounded to 8 bits (Pillow's convert("L");
 * alpha ignored, a grey image unchanged), divided by 255.
 */
export function rasterToUnit(bytes: Uint8Array, kind: RasterKind, plan: PreprocessPlan): UnitImage {
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    if (kind === 'png') {
      const image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = image.data;
      width = image.width;
      height = image.height;
    } else {
      // 100 MP is far above any radiograph and keeps a hostile header from allocating gigabytes.
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100 });
      rgba = image.data;
      width = image.width;
      height = image.height;
    }
  } catch (cause) {
    throw new LumenError('AI_IMAGE_UNREADABLE', `The ${kind.toUpperCase()} image could not be decoded.`, { cause });
  }
  const [wr, wg, wb] = plan.greyscaleWeights;
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const luma = Math.round(rgba[4 * i]! * wr + rgba[4 * i + 1]! * wg + rgba[4 * i + 2]! * wb);
    values[i] = Math.min(255, luma) / plan.rasterDivisor;
  }
  return { values, rows: height, columns: width };
}
