import type { PixelArray } from '../types';

/**
 * Colour-by-plane (Planar Configuration 1: RRR..GGG..BBB..) to colour-by-pixel (RGBRGB...), the layout
 * every decoded frame uses (PS3.3 C.7.6.3.1.3).
 */
export function interleavePlanes<T extends PixelArray>(planar: T, samplesPerPixel: number, create: (n: number) => T): T {
  const pixels = planar.length / samplesPerPixel;
  const out = create(planar.length);
  for (let s = 0; s < samplesPerPixel; s++) {
    const base = s * pixels;
    for (let i = 0; i < pixels; i++) out[i * samplesPerPixel + s] = planar[base + i] as number;
  }
  return out;
}

/**
 * Native YBR_FULL_422 stores two luminance samples and one Cb, Cr pair per two pixels (Y1 Y2 Cb Cr,
 * PS3.3 C.7.6.3.1.2). Expand to one Y Cb Cr triple per pixel (YBR_FULL), as pydicom and dcmtk do; the
 * chrominance of a pair is shared by both pixels.
 */
export function expandYbrFull422<T extends PixelArray>(packed: T, rows: number, columns: number, create: (n: number) => T): T {
  const out = create(rows * columns * 3);
  let src = 0;
  let dst = 0;
  const pixels = rows * columns;
  for (let p = 0; p < pixels; p += 2) {
    const y1 = packed[src] as number;
    const y2 = packed[src + 1] as number;
    const cb = packed[src + 2] as number;
    const cr = packed[src + 3] as number;
    src += 4;
    out[dst++] = y1;
    out[dst++] = cb;
    out[dst++] = cr;
    if (p + 1 < pixels) {
      out[dst++] = y2;
      out[dst++] = cb;
      out[dst++] = cr;
    }
  }
  return out;
}
