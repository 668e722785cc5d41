import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { inScratchScope, scratchBytes } from './scratchBuffers';

/**
 * The typed array that holds one frame's stored values: the sample width is Bits Allocated, the sign is
 * Pixel Representation (PS3.3 C.7.6.3.1), 1-bit samples are unpacked to one byte each.
 */
export function allocateSamples(image: ImagePixelDescription, count: number): PixelArray {
  const signed = image.pixelRepresentation === 1;
  switch (image.bitsAllocated) {
    case 1:
    case 8:
      return signed ? new Int8Array(count) : new Uint8Array(count);
    case 16:
      return signed ? new Int16Array(count) : new Uint16Array(count);
    case 32:
      if (image.floatingPoint) return new Float32Array(count);
      return signed ? new Int32Array(count) : new Uint32Array(count);
    default:
      return new Float64Array(count);
  }
}

/** Bytes per stored sample in the frame's typed array (allocateSamples). */
export function sampleWidth(image: ImagePixelDescription): number {
  switch (image.bitsAllocated) {
    case 1:
    case 8:
      return 1;
    case 16:
      return 2;
    case 32:
      return 4;
    default:
      return 8;
  }
}

/**
 * Little-endian sample bytes as the frame's typed array. In a plane job the bytes are that job's own
 * scratch (the file just read, a codec's output), so aligned bytes are viewed in place; otherwise they
 * are copied (into aligned scratch in a plane job; into a new array elsewhere, as the frame's pixels may
 * be transferred to another thread).
 */
export function samplesFromLittleEndianBytes(image: ImagePixelDescription, bytes: Uint8Array, count: number): PixelArray {
  const width = sampleWidth(image);
  // A typed array can view bytes that start on a multiple of its sample width.
  const aligned = bytes.byteOffset % width === 0;
  if (inScratchScope() && aligned && bytes.length >= count * width) return samplesOver(image, bytes.buffer, count, bytes.byteOffset);
  const needed = count * width;
  const scratch = scratchBytes('samples', needed);
  const target = scratch ? samplesOver(image, scratch.buffer, count, 0) : allocateSamples(image, count);
  new Uint8Array(target.buffer, 0, needed).set(bytes.subarray(0, needed));
  return target;
}

/** The frame's typed array over an existing buffer (a plane job's scratch). */
function samplesOver(image: ImagePixelDescription, buffer: ArrayBufferLike, count: number, byteOffset: number): PixelArray {
  const signed = image.pixelRepresentation === 1;
  switch (image.bitsAllocated) {
    case 1:
    case 8:
      return signed ? new Int8Array(buffer, byteOffset, count) : new Uint8Array(buffer, byteOffset, count);
    case 16:
      return signed ? new Int16Array(buffer, byteOffset, count) : new Uint16Array(buffer, byteOffset, count);
    case 32:
      if (image.floatingPoint) return new Float32Array(buffer, byteOffset, count);
      return signed ? new Int32Array(buffer, byteOffset, count) : new Uint32Array(buffer, byteOffset, count);
    default:
      return new Float64Array(buffer, byteOffset, count);
  }
}
