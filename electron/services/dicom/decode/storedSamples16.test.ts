import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomWords } from '../testSupport';
import { kernelScratch, storedPlusAddend16 } from './storedSamples16';
import { STORED_SAMPLES_16_WASM } from './storedSamples16Wasm';

const here = path.dirname(fileURLToPath(import.meta.url));

/** PS3.5 8.1.1 one sample at a time: the Bits Stored bits ending at High Bit, sign-extended if signed. */
function storedValue(v: number, bitsStored: number, highBit: number, signed: boolean): number {
  const value = (v >>> (highBit + 1 - bitsStored)) & (2 ** bitsStored - 1);
  return signed && value >= 2 ** (bitsStored - 1) ? value - 2 ** bitsStored : value;
}

describe('the WASM SIMD stored-value kernel', () => {
  it('is the module wabt assembles from storedSamples16.wat', () => {
    const assembled = execFileSync('wat2wasm', [path.join(here, 'storedSamples16.wat'), '--output=-']);
    expect(Buffer.from(STORED_SAMPLES_16_WASM, 'base64').equals(assembled)).toBe(true);
  });

  it('gives every sample its stored value plus the addend modulo 2^16, signed and unsigned, any count', () => {
    const cases = [[12, 11], [12, 15], [10, 13], [16, 15], [1, 0], [15, 14], [8, 7]] as const;
    for (const [bitsStored, highBit] of cases) {
      for (const pixelRepresentation of [0, 1]) {
        for (const addend of [-1024, 0, 1, 32767, -32768]) {
          for (const count of [262144, 4095, 9, 7, 1]) {
            const words = randomWords(count, bitsStored * 1000 + highBit * 10 + pixelRepresentation + count);
            kernelScratch(count * 2).set(new Uint8Array(words.buffer));
            const ours = storedPlusAddend16(count, { bitsStored, highBit, pixelRepresentation }, addend);
            const reference = new Uint16Array(count);
            for (let i = 0; i < count; i++) reference[i] = storedValue(words[i]!, bitsStored, highBit, pixelRepresentation === 1) + addend;
            expect(Buffer.from(ours.buffer, ours.byteOffset, ours.byteLength).equals(Buffer.from(reference.buffer)), `${bitsStored}/${highBit}/${pixelRepresentation}/${addend}/${count}`).toBe(true);
          }
        }
      }
    }
  });

  it('refuses bit layouts that do not fit 16-bit samples, with a typed error', () => {
    expect(() => storedPlusAddend16(8, { bitsStored: 12, highBit: 16, pixelRepresentation: 0 }, 0)).toThrow(expect.objectContaining({ code: 'DICOM_BAD_IMAGE_ATTRIBUTES' }));
    expect(() => storedPlusAddend16(8, { bitsStored: 12, highBit: 10, pixelRepresentation: 0 }, 0)).toThrow(expect.objectContaining({ code: 'DICOM_BAD_IMAGE_ATTRIBUTES' }));
  });
});
