import { inflateRawSync } from 'node:zlib';
import type { ImagePixelDescription } from './imagePixel';
import { codecFailure } from './codecOutput';

/**
 * Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 A.4.12 / 8.2.16): each frame is a raw
 * deflate stream (RFC 1951) of the frame's native little-endian bytes, 1-bit data packed as in 8.1.1.
 * Returns the native bytes; the native decoder does the rest.
 */
export function inflateFrame(image: ImagePixelDescription, frame: Uint8Array): Uint8Array {
  const bits = image.rows * image.columns * image.samplesPerPixel * image.bitsAllocated;
  try {
    return new Uint8Array(inflateRawSync(frame, { maxOutputLength: Math.max(1024, Math.ceil(bits / 8) * 2) }));
  } catch (error) {
    throw codecFailure('deflate', error);
  }
}
