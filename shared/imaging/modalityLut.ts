import { lookUp, type LookupTable } from './lut';

/** The Modality LUT stage (PS3.3 C.11.1): a rescale or a LUT, never both (C.11.1.1.1). */
export type ModalityLut = { kind: 'rescale'; slope: number; intercept: number } | { kind: 'lut'; lut: LookupTable } | { kind: 'identity' };

/** Stored values to modality values (e.g. HU for CT): slope * value + intercept, or the LUT. */
export function applyModalityLut(stored: ArrayLike<number>, modality: ModalityLut): Float64Array {
  const out = new Float64Array(stored.length);
  if (modality.kind === 'rescale') {
    const { slope, intercept } = modality;
    for (let i = 0; i < stored.length; i++) out[i] = (stored[i] as number) * slope + intercept;
  } else if (modality.kind === 'lut') {
    for (let i = 0; i < stored.length; i++) out[i] = lookUp(modality.lut, stored[i] as number);
  } else {
    for (let i = 0; i < stored.length; i++) out[i] = stored[i] as number;
  }
  return out;
}
