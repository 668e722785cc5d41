import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { charls, runWasmDecoder } from './wasmCodecs';
import { codecFailure, samplesFromCodec } from './codecOutput';
import { interleavePlanes } from './colourLayout';
import { allocateSamples } from './sampleArrays';

/** JPEG-LS lossless and near-lossless (ITU-T T.87, PS3.5 A.4.3) with CharLS. */
export async function decodeJpegLsFrame(image: ImagePixelDescription, frame: Uint8Array): Promise<PixelArray> {
  const codec = await charls();
  let interleaveMode = 2;
  try {
    const output = runWasmDecoder(new codec.JpegLSDecoder(), frame, undefined, (d) => {
      interleaveMode = d.getInterleaveMode();
    });
    const pixels = samplesFromCodec(image, output, 'JPEG-LS');
    // Interleave mode "none" (ILV 0) decodes to one plane per component.
    if (image.samplesPerPixel > 1 && interleaveMode === 0) {
      return interleavePlanes(pixels, image.samplesPerPixel, (n) => allocateSamples(image, n));
    }
    return pixels;
  } catch (error) {
    throw codecFailure('JPEG-LS', typeof error === 'number' ? codec.getExceptionMessage(error) : error);
  }
}
