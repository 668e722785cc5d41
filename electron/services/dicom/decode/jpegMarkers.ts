/** Start Of Frame of a JPEG code stream (ITU-T T.81 B.2.2): process, sample precision, geometry. */
export interface JpegFrameHeader {
  /** The SOF marker's low nibble: 0 baseline, 1 extended Huffman, 3 lossless, ... */
  process: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

/** Finds the first SOF marker without decoding anything; undefined when there is none. */
export function readJpegFrameHeader(stream: Uint8Array): JpegFrameHeader | undefined {
  let i = 2;
  while (i + 9 < stream.length) {
    if (stream[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = stream[i + 1] as number;
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = ((stream[i + 2] as number) << 8) | (stream[i + 3] as number);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        process: marker & 0x0f,
        precision: stream[i + 4] as number,
        rows: ((stream[i + 5] as number) << 8) | (stream[i + 6] as number),
        columns: ((stream[i + 7] as number) << 8) | (stream[i + 8] as number),
        components: stream[i + 9] as number,
      };
    }
    i += 2 + length;
  }
  return undefined;
}
