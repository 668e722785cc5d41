import type { LumenError } from '../../../../shared/domain/errors';
import { dicomError } from '../dicomError';
import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { allocateSamples } from './sampleArrays';

function failed(reason: string): LumenError {
  return dicomError('DICOM_DECODE_FAILED', `The RLE compressed image could not be decoded: ${reason}.`);
}

/** PackBits decoding of one segment (PS3.5 G.3.1) into `out`; returns the bytes written. */
function decodeSegment(frame: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start;
  let o = 0;
  while (i < end && o < out.length) {
    const n = ((frame[i++] as number) << 24) >> 24;
    if (n >= 0) {
      const count = Math.min(n + 1, out.length - o, end - i);
      out.set(frame.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n !== -128) {
      // -128 is a no-op (G.3.1); otherwise the next byte repeats 1 - n times.
      const count = Math.min(1 - n, out.length - o);
      out.fill(frame[i++] as number, o, o + count);
      o += count;
    }
  }
  return o;
}

/**
 * RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment count, then up to 15 offsets) and
 * one segment per byte of each sample: for each sample in turn, its most significant byte first (G.2).
 * Segments are planes of Rows x Columns bytes, so colour comes out colour-by-pixel after reassembly
 * whatever Planar Configuration says (G.2 ignores it).
 */
export function decodeRleFrame(image: ImagePixelDescription, frame: Uint8Array): PixelArray {
  if (frame.length < 64) throw failed('the segment header is missing');
  const header = new DataView(frame.buffer, frame.byteOffset, 64);
  const segmentCount = header.getUint32(0, true);
  const bytesPerSample = Math.ceil(image.bitsAllocated / 8);
  const expected = bytesPerSample * image.samplesPerPixel;
  if (segmentCount !== expected || segmentCount > 15) throw failed(`${segmentCount} segments where ${expected} were expected`);
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(header.getUint32(4 + 4 * s, true));
  offsets.push(frame.length);

  const pixels = image.rows * image.columns;
  const plane = new Uint8Array(pixels);
  const spp = image.samplesPerPixel;
  const out = allocateSamples(image, pixels * spp);
  // Work on unsigned bytes of the output; the typed array gives the sign afterwards.
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s] as number;
    const end = Math.min(offsets[s + 1] as number, frame.length);
    if (start < 64 || start > frame.length) throw failed(`segment ${s + 1} starts outside the frame`);
    plane.fill(0);
    decodeSegment(frame, start, end, plane);
    const sample = Math.floor(s / bytesPerSample);
    // Segment order is most significant byte first; the output array is little endian.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = spp * bytesPerSample;
    let o = sample * bytesPerSample + byteInSample;
    for (let i = 0; i < pixels; i++, o += stride) outBytes[o] = plane[i] as number;
  }
  return out;
}
