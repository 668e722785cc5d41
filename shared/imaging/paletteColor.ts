import { lookUp, type LookupTable } from './lut';

/**
 * Expands Segmented Palette Color LUT Data (PS3.3 C.7.9.2): opcode 0 discrete segment (n values),
 * 1 linear segment (n steps from the previous value to y), 2 indirect segment (replays n segments starting
 * at a byte offset given as two 16-bit words, least significant first).
 */
export function expandSegmentedLut(segmented: ArrayLike<number>, numberOfEntries: number): Uint16Array {
  const out: number[] = [];
  const run = (start: number, end: number, depth: number): void => {
    let i = start;
    while (i < end && out.length < numberOfEntries * 2) {
      const opcode = segmented[i] as number;
      const n = segmented[i + 1] as number;
      if (opcode === 0) {
        for (let k = 0; k < n; k++) out.push(segmented[i + 2 + k] as number);
        i += 2 + n;
      } else if (opcode === 1) {
        const y0 = out.length > 0 ? (out[out.length - 1] as number) : 0;
        const y1 = segmented[i + 2] as number;
        // The segment's n values end at y1; the previous value is the start point and is not repeated.
        for (let k = 1; k <= n; k++) out.push(Math.round(y0 + ((y1 - y0) * k) / n));
        i += 3;
      } else if (opcode === 2) {
        if (depth > 0) throw new Error('nested indirect segment');
        const offset = ((segmented[i + 2] as number) | ((segmented[i + 3] as number) << 16)) >>> 0;
        // Offsets count bytes from the start of the data; the data is 16-bit words.
        let at = offset / 2;
        for (let k = 0; k < n; k++) {
          const op = segmented[at] as number;
          const len = op === 0 ? 2 + (segmented[at + 1] as number) : op === 1 ? 3 : 4;
          run(at, at + len, depth + 1);
          at += len;
        }
        i += 4;
      } else {
        throw new Error(`unknown segment opcode ${opcode}`);
      }
    }
  };
  run(0, segmented.length, 0);
  return Uint16Array.from(out.slice(0, numberOfEntries));
}

export interface Palette {
  red: LookupTable;
  green: LookupTable;
  blue: LookupTable;
}

/**
 * PALETTE COLOR indices to interleaved RGB (PS3.3 C.7.6.3.1.5, C.7.6.3.1.6), entries as stored (8 or 16
 * bits as the descriptor says). Out-of-range indices take the first or last entry.
 */
export function applyPalette(indices: ArrayLike<number>, palette: Palette): Uint16Array {
  const out = new Uint16Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i] as number;
    out[3 * i] = lookUp(palette.red, v);
    out[3 * i + 1] = lookUp(palette.green, v);
    out[3 * i + 2] = lookUp(palette.blue, v);
  }
  return out;
}
