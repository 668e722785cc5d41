/**
 * YBR_FULL to RGB (PS3.3 C.7.6.3.1.2, the ITU-R BT.601 full-range inverse), for colour-by-pixel 8-bit
 * data. Rounds half up and clamps to 0..255, as pydicom's convert_color_space does.
 */
export function ybrFullToRgb(ybr: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(ybr.length);
  const gCb = (-0.114 * 1.772) / 0.587;
  const gCr = (-0.299 * 1.402) / 0.587;
  const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let i = 0; i + 2 < ybr.length; i += 3) {
    const y = ybr[i] as number;
    const cb = (ybr[i + 1] as number) - 128;
    const cr = (ybr[i + 2] as number) - 128;
    out[i] = clamp(Math.floor(y + 1.402 * cr + 0.5));
    out[i + 1] = clamp(Math.floor(y + gCb * cb + gCr * cr + 0.5));
    out[i + 2] = clamp(Math.floor(y + 1.772 * cb + 0.5));
  }
  return out;
}
