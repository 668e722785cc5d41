import { dicomError } from '../dicomError';
import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { allocateSamples, samplesFromLittleEndianBytes } from './sampleArrays';
import { expandYbrFull422, interleavePlanes } from './colourLayout';

/** Where one native frame lies in the Pixel Data value, in bits (1-bit frames need not start on a byte). */
export interface NativeFrameSpan {
  byteOffset: number;
  byteLength: number;
  /** Offset of the first sample inside the first byte; only non-zero for Bits Allocated 1. */
  bitOffset: number;
}

/** Bytes of one native frame: YBR_FULL_422 carries 2 samples per pixel, 1-bit frames are packed bits. */
export function nativeFrameSpan(image: ImagePixelDescription, frameIndex: number): NativeFrameSpan {
  const pixels = image.rows * image.columns;
  const samples = image.photometricInterpretation === 'YBR_FULL_422' ? pixels * 2 : pixels * image.samplesPerPixel;
  if (image.bitsAllocated === 1) {
    // PS3.5 8.1.1: frames of 1-bit data follow each other with no padding to a byte boundary.
    const firstBit = frameIndex * samples;
    const byteOffset = Math.floor(firstBit / 8);
    const bitOffset = firstBit % 8;
    return { byteOffset, byteLength: Math.ceil((bitOffset + samples) / 8), bitOffset };
  }
  const byteLength = (samples * image.bitsAllocated) / 8;
  return { byteOffset: frameIndex * byteLength, byteLength, bitOffset: 0 };
}

/** In-place byte swap of big-endian samples of `width` bytes (PS3.5 7.3). */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

export interface NativeFrameInput {
  bytes: Uint8Array;
  bitOffset: number;
  bigEndian: boolean;
  /** Value Representation of Pixel Data: in big endian, 8-bit samples in OW are swapped in 16-bit words. */
  vr: string;
}

/** Decodes one native (uncompressed) frame to stored values, colour-by-pixel. */
export function decodeNativeFrame(image: ImagePixelDescription, input: NativeFrameInput): { pixels: PixelArray; photometricInterpretation: string } {
  const span = nativeFrameSpan(image, 0);
  const needed = image.bitsAllocated === 1 ? Math.ceil((input.bitOffset + image.rows * image.columns * image.samplesPerPixel) / 8) : span.byteLength;
  if (input.bytes.length < needed) {
    throw dicomError('DICOM_PIXEL_DATA_TOO_SHORT', `The image data is shorter than its declared size (${input.bytes.length} of ${needed} bytes).`);
  }
  const count = image.rows * image.columns * image.samplesPerPixel;
  if (image.bitsAllocated === 1) {
    // PS3.5 8.1.1 / D.2: the first pixel is in the least significant bit of the first byte.
    const out = allocateSamples(image, count);
    for (let i = 0; i < count; i++) {
      const bit = input.bitOffset + i;
      out[i] = ((input.bytes[bit >> 3] as number) >> (bit & 7)) & 1;
    }
    return { pixels: out, photometricInterpretation: image.photometricInterpretation };
  }

  let bytes = input.bytes.subarray(0, span.byteLength);
  const width = image.bitsAllocated / 8;
  const swapWidth = input.bigEndian ? (width === 1 ? (input.vr === 'OW' ? 2 : 1) : width) : 1;
  if (swapWidth > 1) {
    bytes = bytes.slice();
    swapBytes(bytes, swapWidth);
  }
  const create = (n: number): PixelArray => allocateSamples(image, n);
  if (image.photometricInterpretation === 'YBR_FULL_422' && image.samplesPerPixel === 3) {
    const packed = samplesFromLittleEndianBytes(image, bytes, image.rows * image.columns * 2);
    return { pixels: expandYbrFull422(packed, image.rows, image.columns, create), photometricInterpretation: 'YBR_FULL' };
  }
  let pixels = samplesFromLittleEndianBytes(image, bytes, count);
  if (image.samplesPerPixel > 1 && image.planarConfiguration === 1) pixels = interleavePlanes(pixels, image.samplesPerPixel, create);
  return { pixels, photometricInterpretation: image.photometricInterpretation };
}
