import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { scratchBytes } from './scratchBuffers';

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

/**
 * Views little-endian sample bytes as the frame's typed array. Copies only when the bytes are not aligned
 * for the sample width (a view on a shared file buffer usually is not).
 */
export function samplesFromLittleEndianBytes(image: ImagePixelDescription, bytes: Uint8Array, count: number): PixelArray {
  const width = allocateSamples(image, 0).BYTES_PER_ELEMENT;
  const needed = count * width;
  const scratch = scratchBytes('samples', needed);
  const target = scratch ? samplesOver(image, scratch.buffer, count) : allocateSamples(image, count);
  new Uint8Array(target.buffer, 0, needed).set(bytes.subarray(0, needed));
  return target;
}

/** The frame's typed array over an existing buffer (a plane job's scratch). */
function samplesOver(image: ImagePixelDescription, buffer: ArrayBufferLike, count: number): PixelArray {
  const signed = image.pixelRepresentation === 1;
  switch (image.bitsAllocated) {
    case 1:
    case 8:
      return signed ? new Int8Array(buffer, 0, count) : new Uint8Array(buffer, 0, count);
    case 16:
      return signed ? new Int16Array(buffer, 0, count) : new Uint16Array(buffer, 0, count);
    case 32:
      if (image.floatingPoint) return new Float32Array(buffer, 0, count);
      return signed ? new Int32Array(buffer, 0, count) : new Uint32Array(buffer, 0, count);
    default:
      return new Float64Array(buffer, 0, count);
  }
}
