/**
 * Region statistics in modality units (HU for CT) over the pixels of one plane. Pure, so it is tested
 * against numpy. Coordinates are continuous pixel indices: pixel (i, j) covers [i-0.5, i+0.5] and
 * counts as inside when its centre is inside the shape (the convention of OHIF and Horos).
 */
export interface PlaneSamples {
  values: ArrayLike<number>;
  columns: number;
  rows: number;
  /** Offset of the plane's first sample in `values`. */
  offset: number;
}

export interface RoiStatistics {
  pixels: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export type RoiShape = 'rectangle' | 'ellipse';

/** Statistics inside the shape spanned by two corner points (i0, j0) and (i1, j1). SD is the population SD. */
export function roiStatistics(plane: PlaneSamples, shape: RoiShape, i0: number, j0: number, i1: number, j1: number): RoiStatistics | null {
  const [iMin, iMax] = [Math.min(i0, i1), Math.max(i0, i1)];
  const [jMin, jMax] = [Math.min(j0, j1), Math.max(j0, j1)];
  const ci = (iMin + iMax) / 2;
  const cj = (jMin + jMax) / 2;
  const ri = (iMax - iMin) / 2;
  const rj = (jMax - jMin) / 2;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let j = Math.max(0, Math.ceil(jMin)); j <= Math.min(plane.rows - 1, Math.floor(jMax)); j++) {
    for (let i = Math.max(0, Math.ceil(iMin)); i <= Math.min(plane.columns - 1, Math.floor(iMax)); i++) {
      if (shape === 'ellipse') {
        const u = ri > 0 ? (i - ci) / ri : 0;
        const v = rj > 0 ? (j - cj) / rj : 0;
        if (u * u + v * v > 1) continue;
      }
      const value = plane.values[plane.offset + j * plane.columns + i] as number;
      n++;
      sum += value;
      sumSq += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (n === 0) return null;
  const mean = sum / n;
  return { pixels: n, mean, sd: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), min, max };
}
