import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { openJpeg, openJph, runWasmDecoder } from './wasmCodecs';
import { codecFailure, samplesFromCodec } from './codecOutput';

/**
 * JPEG 2000 Part 1 (PS3.5 A.4.4) with OpenJPEG. Colour code streams with the multiple component
 * transform (YBR_RCT / YBR_ICT) come out as RGB: the codec inverts the transform (PS3.3 C.7.6.3.1.2).
 */
export async function decodeJpeg2000Frame(image: ImagePixelDescription, frame: Uint8Array): Promise<PixelArray> {
  const codec = await openJpeg();
  try {
    return samplesFromCodec(image, runWasmDecoder(new codec.J2KDecoder(), frame), 'JPEG 2000');
  } catch (error) {
    throw codecFailure('JPEG 2000', error);
  }
}

/** High-Throughput JPEG 2000 (PS3.5 A.4.11) with OpenJPH, full resolution. */
export async function decodeHtj2kFrame(image: ImagePixelDescription, frame: Uint8Array): Promise<PixelArray> {
  const codec = await openJph();
  try {
    return samplesFromCodec(image, runWasmDecoder(new codec.HTJ2KDecoder(), frame, (d) => d.decodeSubResolution(0)), 'HTJ2K');
  } catch (error) {
    throw codecFailure('HTJ2K', error);
  }
}

/** After decoding, YBR_RCT and YBR_ICT data are RGB (as dcmtk and pydicom+GDCM report them). */
export function photometricAfterJpeg2000(photometric: string): string {
  return photometric === 'YBR_RCT' || photometric === 'YBR_ICT' ? 'RGB' : photometric;
}
