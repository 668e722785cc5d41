import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { copyStoredPlusAddend16 } from './storedSamples16';

/**
 * Keeps only the Bits Stored bits ending at High Bit and sign-extends them when Pixel Representation is
 * 1 (PS3.5 8.1.1, PS3.3 C.7.6.3.1). Bits outside that range may hold overlays or garbage and are not
 * part of the pixel value. Works in place on the frame's typed array.
 */
export function toStoredValues(pixels: PixelArray, image: ImagePixelDescription): PixelArray {
  if (image.floatingPoint || image.bitsAllocated === 1) return pixels;
  const { bitsStored, highBit, bitsAllocated } = image;
  const shift = highBit + 1 - bitsStored;
  if (bitsStored === bitsAllocated && shift === 0) return pixels;
  if (bitsStored >= 32) return pixels;
  const mask = bitsStored === 31 ? 0x7fffffff : (1 << bitsStored) - 1;
  const signBit = 1 << (bitsStored - 1);
  const signed = image.pixelRepresentation === 1;
  // 16-bit samples (most CT and MR): eight at a time in the SIMD kernel, signed or not.
  if ((pixels instanceof Uint16Array || pixels instanceof Int16Array) && copyStoredPlusAddend16(pixels, pixels, 0, pixels.length, image, 0)) return pixels;
  for (let i = 0; i < pixels.length; i++) {
    let v = ((pixels[i] as number) >>> shift) & mask;
    // Sign extension of a bitsStored-bit two's complement value.
    if (signed && (v & signBit) !== 0) v -= mask + 1;
    pixels[i] = v;
  }
  return pixels;
}
