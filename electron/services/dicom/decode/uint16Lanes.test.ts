import { describe, expect, it } from 'vitest';
import { randomWords } from '../testSupport';
import { addToUint16, maskUint16 } from './uint16Lanes';

describe('16-bit lanes in 32-bit words', () => {
  it('masks and shifts like one sample at a time (PS3.5 8.1.1), aligned, unaligned and odd lengths', () => {
    for (const [bitsStored, highBit] of [[12, 11], [12, 15], [10, 13], [16, 15], [1, 0]] as const) {
      const shift = highBit + 1 - bitsStored;
      const mask = bitsStored === 16 ? 0xffff : (1 << bitsStored) - 1;
      for (const [start, n] of [[0, 4096], [1, 4095], [2, 7], [0, 1]] as const) {
        const backing = randomWords(start + n + 1, bitsStored * 100 + start);
        const pixels = backing.subarray(start, start + n);
        const expected = Array.from(pixels, (v) => (v >>> shift) & mask);
        expect(Array.from(maskUint16(pixels, shift, mask))).toEqual(expected);
      }
    }
  });

  it('adds an intercept modulo 2^16 into Int16 and Uint16 targets like one sample at a time', () => {
    for (const addend of [-1024, -32768, 0, 1, 1000, 32767, -1]) {
      for (const [offset, n] of [[0, 4096], [2, 4095], [1, 4096], [0, 3]] as const) {
        const src = randomWords(n, addend + 7);
        const signedSrc = new Int16Array(src.buffer, src.byteOffset, n);
        for (const target of [new Int16Array(offset + n), new Uint16Array(offset + n)]) {
          for (const source of [src, signedSrc]) {
            addToUint16(target, offset, source, n, addend);
            const reference = target instanceof Int16Array ? new Int16Array(n) : new Uint16Array(n);
            for (let i = 0; i < n; i++) reference[i] = source[i]! + addend;
            expect(Array.from(target.subarray(offset, offset + n))).toEqual(Array.from(reference));
          }
        }
      }
    }
  });
});
