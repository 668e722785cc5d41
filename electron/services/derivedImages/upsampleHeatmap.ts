import type { Heatmap } from '../../../shared/domain/aiResult';

/**
 * A heatmap grid that spans the whole frame, resampled to the frame's pixels by bilinear interpolation
 * with cell and pixel centres aligned (the half-pixel convention browsers use when the viewer draws the
 * grid over the image, so the exported map matches what the user saw) and edges clamped.
 */
export function upsampleHeatmap(heatmap: Heatmap, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  const { rows: gr, columns: gc, values } = heatmap;
  const sx = gc / columns;
  const sy = gr / rows;
  for (let y = 0; y < rows; y++) {
    const fy = Math.min(gr - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(gr - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < columns; x++) {
      const fx = Math.min(gc - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(gc - 1, x0 + 1);
      const tx = fx - x0;
      const top = values[y0 * gc + x0]! * (1 - tx) + values[y0 * gc + x1]! * tx;
      const bottom = values[y1 * gc + x0]! * (1 - tx) + values[y1 * gc + x1]! * tx;
      out[y * columns + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
