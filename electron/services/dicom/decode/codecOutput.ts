import { LumenError } from '../../../../shared/domain/errors';
import { dicomError } from '../dicomError';
import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { allocateSamples, sampleWidth, samplesFromLittleEndianBytes } from './sampleArrays';
import type { CodecOutput } from './wasmCodecs';

/** A codec failure as the typed error every caller gets; the codec's own text goes in the message. */
export function codecFailure(codec: string, error: unknown): LumenError {
  if (error instanceof LumenError) return error;
  // A WASM codec built without exception messages throws the C++ exception's address, a bare number
  // that would mean nothing to the reader.
  const detail = error instanceof Error ? error.message : typeof error === 'number' ? 'the codec rejected the data' : String(error);
  return dicomError('DICOM_DECODE_FAILED', `The ${codec} compressed image could not be decoded (${detail.slice(0, 160)}).`);
}

/**
 * Turns a codec's output into the frame's typed array, after checking it has the geometry the header
 * declares. A codec writes 1 byte per sample up to 8 bits precision and 2 above, little endian.
 */
export function samplesFromCodec(image: ImagePixelDescription, output: CodecOutput, codec: string): PixelArray {
  if (output.width !== image.columns || output.height !== image.rows || output.componentCount !== image.samplesPerPixel) {
    throw codecFailure(
      codec,
      `the code stream is ${output.width}x${output.height}x${output.componentCount}, the header says ${image.columns}x${image.rows}x${image.samplesPerPixel}`,
    );
  }
  const count = image.rows * image.columns * image.samplesPerPixel;
  const width = output.bytes.length / count;
  const target = sampleWidth(image);
  if (width === target) return samplesFromLittleEndianBytes(image, output.bytes, count);
  if (width === 1) {
    // 8-bit precision code stream in a wider Bits Allocated.
    const out = allocateSamples(image, count);
    for (let i = 0; i < count; i++) out[i] = output.bytes[i] as number;
    return out;
  }
  if (width === 2 && target === 1) {
    const wide = new Uint16Array(output.bytes.buffer, output.bytes.byteOffset, count);
    const out = allocateSamples(image, count);
    for (let i = 0; i < count; i++) out[i] = wide[i] as number;
    return out;
  }
  throw codecFailure(codec, `unexpected output size ${output.bytes.length} bytes for ${count} samples`);
}
