import { Decoder } from 'jpeg-lossless-decoder-js';
import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { codecFailure } from './codecOutput';
import { allocateSamples } from './sampleArrays';

/**
 * JPEG Lossless, Process 14 with any predictor (.57) and selection value 1 (.70), PS3.5 A.4.1, with
 * jpeg-lossless-decoder-js. Colour comes out colour-by-pixel.
 */
export function decodeJpegLosslessFrame(image: ImagePixelDescription, frame: Uint8Array): PixelArray {
  const count = image.rows * image.columns * image.samplesPerPixel;
  try {
    const bytesPerSample = image.bitsAllocated <= 8 ? 1 : 2;
    // The decoder reads from an ArrayBuffer at an offset; give it its own copy so it cannot read past the frame.
    const own = frame.slice();
    const decoded = new Decoder().decode(own.buffer, 0, own.length, bytesPerSample);
    if (decoded.length < count) throw new Error(`${decoded.length} samples where ${count} were expected`);
    const out = allocateSamples(image, count);
    for (let i = 0; i < count; i++) out[i] = decoded[i] as number;
    return out;
  } catch (error) {
    throw codecFailure('JPEG Lossless', error);
  }
}
