import type { OutputRange } from './voiLut';

/** Presentation LUT Shape (2050,0020), PS3.3 C.11.6: IDENTITY or INVERSE of the VOI output. */
export type PresentationLutShape = 'IDENTITY' | 'INVERSE';

/**
 * The shape that applies to an image: an explicit Presentation LUT Shape wins; otherwise MONOCHROME1
 * means minimum values are white, i.e. an inversion (PS3.3 C.7.6.3.1.2), and MONOCHROME2 identity.
 */
export function presentationShapeFor(photometric: string, explicitShape?: string): PresentationLutShape {
  const shape = explicitShape?.trim().toUpperCase();
  if (shape === 'INVERSE' || shape === 'IDENTITY') return shape;
  return photometric.trim().toUpperCase() === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY';
}

export function applyPresentationLut(values: ArrayLike<number>, shape: PresentationLutShape, range: OutputRange): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    out[i] = shape === 'INVERSE' ? range.max + range.min - v : v;
  }
  return out;
}
