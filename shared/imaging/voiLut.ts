import { lookUp, type LookupTable } from './lut';

/** VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3. */
export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface Window {
  center: number;
  width: number;
  /** Window Center & Width Explanation, shown to the user next to the preset. */
  explanation?: string;
}

/** The VOI stage (PS3.3 C.11.2): a window with its function, or a VOI LUT. */
export type Voi = { kind: 'window'; window: Window; function: VoiLutFunction } | { kind: 'lut'; lut: LookupTable } | { kind: 'none' };

/** Output range of the VOI stage; what the display (or pydicom's apply_voi_lut) maps to. */
export interface OutputRange {
  min: number;
  max: number;
}

/**
 * One value through a window. LINEAR is C.11.2.1.2.1 (centre and width offset by 0.5 and 1, so a width
 * of 1 is a threshold), LINEAR_EXACT is C.11.2.1.3.2, SIGMOID is C.11.2.1.3.1.
 */
export function windowValue(x: number, window: Window, fn: VoiLutFunction, range: OutputRange): number {
  const { center: c, width: w } = window;
  const span = range.max - range.min;
  if (fn === 'SIGMOID') return span / (1 + Math.exp((-4 * (x - c)) / w)) + range.min;
  if (fn === 'LINEAR_EXACT') {
    if (x <= c - w / 2) return range.min;
    if (x > c + w / 2) return range.max;
    return ((x - c) / w + 0.5) * span + range.min;
  }
  // LINEAR requires width >= 1 (C.11.2.1.2.1).
  const cc = c - 0.5;
  const ww = Math.max(1, w) - 1;
  if (x <= cc - ww / 2) return range.min;
  if (x > cc + ww / 2) return range.max;
  return ((x - cc) / ww + 0.5) * span + range.min;
}

/** Modality values to VOI output values (before the Presentation LUT). */
export function applyVoiLut(values: ArrayLike<number>, voi: Voi, range: OutputRange): Float64Array {
  const out = new Float64Array(values.length);
  if (voi.kind === 'window') {
    for (let i = 0; i < values.length; i++) out[i] = windowValue(values[i] as number, voi.window, voi.function, range);
  } else if (voi.kind === 'lut') {
    for (let i = 0; i < values.length; i++) out[i] = lookUp(voi.lut, values[i] as number);
  } else {
    for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  }
  return out;
}
