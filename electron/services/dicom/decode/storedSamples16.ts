import { dicomError } from '../dicomError';
import { STORED_SAMPLES_16_WASM } from './storedSamples16Wasm';

/**
 * Stored values of 16-bit samples plus an integer Rescale Intercept, eight samples per WASM SIMD
 * instruction (storedSamples16.wat). Hand-written because no library does DICOM's bit masking and sign
 * extension on typed arrays; on an uncompressed CT this loop was the largest part of a volume load in
 * scalar JavaScript, two samples a 32-bit word (npm run bench, volumeLoad).
 *
 * The kernel works in its own memory: a caller reads a frame's bytes into `kernelScratch` and calls
 * `storedPlusAddend16`, or hands samples already in an array to `copyStoredPlusAddend16`. One kernel per
 * thread; the calls are synchronous, so a thread's jobs cannot interleave in the scratch.
 */

interface KernelExports {
  memory: WebAssembly.Memory;
  storedPlusAddend(ptr: number, count: number, left: number, right: number, signed: number, addend: number): void;
}

const PAGE = 65536;
/** Larger planes than this (a 16k x 16k frame) take the general path rather than growing the kernel's memory. */
export const KERNEL_MAX_BYTES = 1 << 30;

let instance: KernelExports | undefined;
function kernel(): KernelExports {
  // Synchronous compilation is allowed for a module this small, in workers and on the main thread alike.
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(STORED_SAMPLES_16_WASM, 'base64'))).exports as unknown as KernelExports;
  return instance;
}

/** The first `bytes` bytes of the kernel's memory (grown as needed), for the caller to fill. */
export function kernelScratch(bytes: number): Uint8Array {
  if (bytes > KERNEL_MAX_BYTES) throw dicomError('DICOM_BAD_LENGTH', `A frame of ${bytes} bytes is larger than this path takes.`);
  const { memory } = kernel();
  // Whole 16-byte vectors: the kernel rounds the sample count up to a multiple of 8.
  const need = Math.ceil(bytes / 16) * 16;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  return new Uint8Array(memory.buffer, 0, bytes);
}

export interface StoredBits {
  bitsStored: number;
  highBit: number;
  /** 1: two's complement samples, sign-extended from Bits Stored. */
  pixelRepresentation: number;
}

/**
 * In the scratch, `count` 16-bit samples become their stored value (the Bits Stored bits ending at High
 * Bit, PS3.5 8.1.1, sign-extended when signed) plus `addend`, modulo 2^16. Returns a view of them.
 */
export function storedPlusAddend16(count: number, bits: StoredBits, addend: number): Uint16Array {
  const { bitsStored, highBit } = bits;
  if (!(bitsStored >= 1 && bitsStored <= 16 && highBit <= 15 && highBit + 1 >= bitsStored)) {
    throw dicomError('DICOM_BAD_IMAGE_ATTRIBUTES', `Bits Stored ${bitsStored} with High Bit ${highBit} do not fit 16-bit samples.`);
  }
  kernelScratch(count * 2);
  const k = kernel();
  k.storedPlusAddend(0, Math.ceil(count / 8) * 8, 15 - highBit, 16 - bitsStored, bits.pixelRepresentation === 1 ? 1 : 0, addend);
  return new Uint16Array(k.memory.buffer, 0, count);
}

/** Bits that leave a 16-bit sample as it is: only the addend applies. */
export const ALL_16_BITS: StoredBits = { bitsStored: 16, highBit: 15, pixelRepresentation: 0 };

/**
 * `count` samples of `source` as stored values plus `addend`, written to `target` from element
 * `targetOffset` (the same memory as `source` is fine). Int16 and Uint16 hold the same bits, so either
 * kind works on either side. False, with nothing written, for more samples than the kernel takes.
 */
export function copyStoredPlusAddend16(source: Uint16Array | Int16Array, target: Uint16Array | Int16Array, targetOffset: number, count: number, bits: StoredBits, addend: number): boolean {
  if (count * 2 > KERNEL_MAX_BYTES) return false;
  kernelScratch(count * 2).set(new Uint8Array(source.buffer, source.byteOffset, count * 2));
  new Uint16Array(target.buffer, target.byteOffset + targetOffset * 2, count).set(storedPlusAddend16(count, bits, addend));
  return true;
}
