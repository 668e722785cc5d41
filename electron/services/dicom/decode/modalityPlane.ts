import type { DecodedFrame } from '../types';
import { ALL_16_BITS, copyStoredPlusAddend16 } from './storedSamples16';

/** The arrays a volume or a plane of modality values is kept in (narrowest exact type, see voxelTypeFor). */
export type VoxelArray = Int16Array | Uint16Array | Uint8Array | Float32Array;
export type VoxelType = 'uint8' | 'int16' | 'uint16' | 'float32';

/** Where one decoded plane goes in a volume, and the Modality LUT of its slice. */
export interface PlanePlacement {
  sampleType: VoxelType;
  /** Element offset of the plane in the volume. */
  offset: number;
  rows: number;
  columns: number;
  slope: number;
  intercept: number;
}

/** A typed view of `type` over a buffer (a volume's SharedArrayBuffer, or a new one of `length` samples). */
export function voxelArray(type: VoxelType, source: ArrayBufferLike | number): VoxelArray {
  switch (type) {
    case 'uint8':
      return typeof source === 'number' ? new Uint8Array(source) : new Uint8Array(source);
    case 'int16':
      return typeof source === 'number' ? new Int16Array(source) : new Int16Array(source);
    case 'uint16':
      return typeof source === 'number' ? new Uint16Array(source) : new Uint16Array(source);
    case 'float32':
      return typeof source === 'number' ? new Float32Array(source) : new Float32Array(source);
  }
}

/**
 * Stored value -> modality value (PS3.3 C.11.1 Modality LUT as Rescale Slope/Intercept), written straight
 * into the plane's place. The 16-bit case with an integer intercept (nearly all CT and MR) goes through
 * the SIMD kernel: one loop over every typed-array kind makes V8's element access megamorphic.
 */
export function writePlane(target: VoxelArray, offset: number, frame: DecodedFrame, slope: number, intercept: number): void {
  const src = frame.pixels;
  const n = frame.rows * frame.columns;
  if (slope === 1 && intercept === 0 && src.constructor === target.constructor) {
    target.set(src as never, offset);
    return;
  }
  if (slope === 1 && Number.isInteger(intercept) && (target instanceof Int16Array || target instanceof Uint16Array)) {
    // The same values as the loop below (a 16-bit typed-array store wraps modulo 2^16 too), in the SIMD kernel.
    if ((src instanceof Uint16Array || src instanceof Int16Array) && copyStoredPlusAddend16(src, target, offset, n, ALL_16_BITS, intercept)) return;
  }
  for (let i = 0; i < n; i++) target[offset + i] = (src[i] as number) * slope + intercept;
}
