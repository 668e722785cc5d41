import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { libjpegTurbo, runWasmDecoder } from './wasmCodecs';
import { codecFailure, samplesFromCodec } from './codecOutput';
import { readJpegFrameHeader } from './jpegMarkers';
import { decodeJpegSequential12 } from './jpegSequential12';

/**
 * JPEG Baseline (Process 1) and Extended (Process 2 & 4) with libjpeg-turbo for 8-bit precision; 12-bit
 * precision (Process 4, PS3.5 A.4.1) goes to Lumen's own sequential DCT decoder since no maintained WASM
 * build decodes it. libjpeg-turbo converts YCbCr to RGB the way IJG (and so dcmtk's dcmdjpeg) does.
 */
export async function decodeJpegDctFrame(image: ImagePixelDescription, frame: Uint8Array): Promise<PixelArray> {
  const header = readJpegFrameHeader(frame);
  if (header && header.precision > 8) {
    return decodeJpegSequential12(image, frame);
  }
  const codec = await libjpegTurbo();
  try {
    return samplesFromCodec(image, runWasmDecoder(new codec.JPEGDecoder(), frame), 'JPEG');
  } catch (error) {
    throw codecFailure('JPEG', error);
  }
}

/**
 * The photometric interpretation of JPEG DCT output: YBR_FULL and YBR_FULL_422 become RGB because the
 * codec applies the JFIF colour transform and upsamples (dcmdjpeg does the same by default; PS3.5 8.2.1).
 */
export function photometricAfterJpegDct(photometric: string, samplesPerPixel: number): string {
  if (samplesPerPixel === 3 && (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422')) return 'RGB';
  return photometric;
}
