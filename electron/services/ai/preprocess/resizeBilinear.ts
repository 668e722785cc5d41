/**
 * Antialiased bilinear resize of a float image, exactly as Pillow's `Image.resize(size, BILINEAR)` on a
 * mode "F" image (libImaging/Resample.c), because the model was trained on images made that way: per
 * axis a triangle filter with support max(1, in/out), pixel centres aligned
 * (x_in = (x_out + 0.5) * in/out - 0.5), weights normalised; horizontal pass first, float32 between passes.
 */

interface Coefficients {
  /** First input index per output index. */
  start: Int32Array;
  count: Int32Array;
  /** `ksize` weights per output index. */
  weights: Float64Array;
  ksize: number;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(1, scale);
  const support = filterScale; // the bilinear (triangle) filter has support 1
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) truncates toward zero, as Math.trunc.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) / filterScale);
      const w = t < 1 ? 1 - t : 0;
      weights[xx * ksize + x] = w;
      sum += w;
    }
    if (sum !== 0) for (let x = 0; x < xmax; x++) weights[xx * ksize + x]! /= sum;
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, weights, ksize };
}

/** `src` is rows x columns, row-major; the result is outRows x outColumns. */
export function resizeBilinear(src: Float32Array, rows: number, columns: number, outRows: number, outColumns: number): Float32Array {
  let image = src;
  let width = columns;
  if (outColumns !== columns) {
    const c = coefficients(columns, outColumns);
    const tmp = new Float32Array(rows * outColumns);
    for (let y = 0; y < rows; y++) {
      const row = y * columns;
      for (let xx = 0; xx < outColumns; xx++) {
        let acc = 0;
        const k = xx * c.ksize;
        const s = c.start[xx]!;
        for (let x = 0; x < c.count[xx]!; x++) acc += image[row + s + x]! * c.weights[k + x]!;
        tmp[y * outColumns + xx] = acc;
      }
    }
    image = tmp;
    width = outColumns;
  }
  if (outRows !== rows) {
    const c = coefficients(rows, outRows);
    const out = new Float32Array(outRows * width);
    for (let yy = 0; yy < outRows; yy++) {
      const k = yy * c.ksize;
      const s = c.start[yy]!;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let y = 0; y < c.count[yy]!; y++) acc += image[(s + y) * width + x]! * c.weights[k + y]!;
        out[yy * width + x] = acc;
      }
    }
    image = out;
  }
  return image === src ? Float32Array.from(src) : image;
}
