import type { LumenError } from '../../../../shared/domain/errors';
import { dicomError } from '../dicomError';
import type { PixelArray } from '../types';
import type { ImagePixelDescription } from './imagePixel';
import { allocateSamples } from './sampleArrays';

/**
 * Sequential DCT JPEG with Huffman coding at 12-bit sample precision (ITU-T T.81 Process 4, DICOM
 * JPEG Extended 1.2.840.10008.1.2.4.51). Written here because the maintained WASM builds decode 8-bit
 * only. Greyscale only, which is what 12-bit lossy DICOM holds (colour JPEG in DICOM is 8-bit).
 *
 * The inverse DCT is IJG's accurate integer "islow" (jidctint.c, CONST_BITS 13, PASS1_BITS 1 at 12-bit),
 * the one dcmtk's dcmdjpeg uses, so results match dcmtk exactly rather than within IDCT rounding.
 */

const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42,
  49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

function fail(reason: string): LumenError {
  return dicomError('DICOM_DECODE_FAILED', `The 12-bit JPEG image could not be decoded: ${reason}.`);
}

interface HuffmanTable {
  /** For code length l (1..16): the largest code of that length, or -1. */
  maxCode: Int32Array;
  /** Index into values of the first code of length l, minus that code. */
  valueOffset: Int32Array;
  values: Uint8Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1] as number;
    if (n > 0) {
      valueOffset[length] = k - code;
      code += n;
      k += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, valueOffset, values };
}

interface Component {
  id: number;
  h: number;
  v: number;
  quantTable: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Decoded samples of the whole (block-padded) component plane. */
  plane: Int32Array;
  dcTable?: HuffmanTable;
  acTable?: HuffmanTable;
  prediction: number;
}

class BitReader {
  private bitBuffer = 0;
  private bitCount = 0;
  /** Set when a marker is reached: the rest of the segment reads as zero bits (T.81 F.2.2.5). */
  markerHit = false;
  constructor(
    private readonly data: Uint8Array,
    public position: number,
  ) {}

  bit(): number {
    if (this.bitCount === 0) {
      let byte = 0;
      if (!this.markerHit && this.position < this.data.length) {
        byte = this.data[this.position] as number;
        if (byte === 0xff) {
          const next = this.data[this.position + 1];
          if (next === 0x00) this.position += 2;
          else {
            this.markerHit = true;
            byte = 0;
          }
        } else this.position++;
      }
      this.bitBuffer = byte;
      this.bitCount = 8;
    }
    this.bitCount--;
    return (this.bitBuffer >> this.bitCount) & 1;
  }

  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }

  decode(table: HuffmanTable): number {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit();
      if (code <= (table.maxCode[length] as number)) return table.values[code + (table.valueOffset[length] as number)] as number;
    }
    throw fail('invalid Huffman code');
  }

  /** EXTEND of T.81 F.2.2.1: a t-bit magnitude category value to a signed difference. */
  receiveExtend(t: number): number {
    if (t === 0) return 0;
    const v = this.bits(t);
    return v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
  }

  /** Skips to the byte after a restart marker and resets the bit buffer (T.81 F.2.1.3.1). */
  restart(): void {
    this.bitCount = 0;
    this.markerHit = false;
    while (this.position + 1 < this.data.length && !(this.data[this.position] === 0xff && (this.data[this.position + 1] as number) >= 0xd0 && (this.data[this.position + 1] as number) <= 0xd7)) {
      this.position++;
    }
    this.position += 2;
  }
}

// jidctint.c constants at CONST_BITS 13.
const CONST_BITS = 13;
const PASS1_BITS = 1;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;
const MAXJSAMPLE = 4095;
const CENTERJSAMPLE = 2048;
const RANGE = 4 * (MAXJSAMPLE + 1);

/** IJG's DESCALE: rounded arithmetic right shift. IJG's INT32 is 64-bit here, so use exact doubles. */
function descale(x: number, n: number): number {
  return Math.floor((x + 2 ** (n - 1)) / 2 ** n);
}

/** IJG's post-IDCT range limit: the table wraps modulo 4*(MAXJSAMPLE+1) and then clamps (jdmaster.c). */
function rangeLimit(x: number): number {
  let wrapped = ((x % RANGE) + RANGE) % RANGE;
  if (wrapped >= RANGE / 2) wrapped -= RANGE;
  const v = wrapped + CENTERJSAMPLE;
  return v < 0 ? 0 : v > MAXJSAMPLE ? MAXJSAMPLE : v;
}

const workspace = new Float64Array(64);

/** jpeg_idct_islow: dequantised coefficients (natural order) to 64 samples written into `plane`. */
/** The eight outputs of one 1-D pass, in order 0..7, before descaling. */
const butterflyOut = new Float64Array(8);

/**
 * One 1-D pass of IJG's jidctint.c (Loeffler-Ligtenberg-Moschytz with 13-bit constants): the column
 * and the row pass share it, and differ only in where inputs come from and how outputs are descaled.
 */
function butterfly(v: (i: number) => number): Float64Array {
  let z2 = v(2);
  let z3 = v(6);
  let z1 = (z2 + z3) * FIX_0_541196100;
  let tmp2 = z1 + z3 * -FIX_1_847759065;
  let tmp3 = z1 + z2 * FIX_0_765366865;
  let tmp0 = (v(0) + v(4)) * 2 ** CONST_BITS;
  let tmp1 = (v(0) - v(4)) * 2 ** CONST_BITS;
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  tmp0 = v(7);
  tmp1 = v(5);
  tmp2 = v(3);
  tmp3 = v(1);
  z1 = tmp0 + tmp3;
  z2 = tmp1 + tmp2;
  z3 = tmp0 + tmp2;
  let z4 = tmp1 + tmp3;
  const z5 = (z3 + z4) * FIX_1_175875602;
  tmp0 *= FIX_0_298631336;
  tmp1 *= FIX_2_053119869;
  tmp2 *= FIX_3_072711026;
  tmp3 *= FIX_1_501321110;
  z1 *= -FIX_0_899976223;
  z2 *= -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;
  const out = butterflyOut;
  out[0] = tmp10 + tmp3;
  out[7] = tmp10 - tmp3;
  out[1] = tmp11 + tmp2;
  out[6] = tmp11 - tmp2;
  out[2] = tmp12 + tmp1;
  out[5] = tmp12 - tmp1;
  out[3] = tmp13 + tmp0;
  out[4] = tmp13 - tmp0;
  return out;
}

function idctIslow(coef: Int32Array, quant: Uint16Array, plane: Int32Array, offset: number, stride: number): void {
  const ws = workspace;
  for (let c = 0; c < 8; c++) {
    const d = (i: number): number => (coef[c + 8 * i] as number) * (quant[c + 8 * i] as number);
    if (coef[c + 8] === 0 && coef[c + 16] === 0 && coef[c + 24] === 0 && coef[c + 32] === 0 && coef[c + 40] === 0 && coef[c + 48] === 0 && coef[c + 56] === 0) {
      const dc = d(0) * 2 ** PASS1_BITS;
      for (let r = 0; r < 8; r++) ws[c + 8 * r] = dc;
      continue;
    }
    const o = butterfly(d);
    const n = CONST_BITS - PASS1_BITS;
    for (let k = 0; k < 8; k++) ws[c + 8 * k] = descale(o[k]!, n);
  }
  const shift = CONST_BITS + PASS1_BITS + 3;
  for (let r = 0; r < 8; r++) {
    const row = r * 8;
    const w = (i: number): number => ws[row + i] as number;
    const out = offset + r * stride;
    if (w(1) === 0 && w(2) === 0 && w(3) === 0 && w(4) === 0 && w(5) === 0 && w(6) === 0 && w(7) === 0) {
      const v = rangeLimit(descale(w(0), PASS1_BITS + 3));
      for (let i = 0; i < 8; i++) plane[out + i] = v;
      continue;
    }
    const o = butterfly(w);
    for (let k = 0; k < 8; k++) plane[out + k] = rangeLimit(descale(o[k]!, shift));
  }
}

export function decodeJpegSequential12(image: ImagePixelDescription, data: Uint8Array): PixelArray {
  if (data[0] !== 0xff || data[1] !== 0xd8) throw fail('no start of image marker');
  const quantTables: Uint16Array[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let hMax = 1;
  let vMax = 1;
  let restartInterval = 0;
  let pos = 2;
  const u16 = (at: number): number => (((data[at] as number) << 8) | (data[at + 1] as number)) >>> 0;

  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) {
      pos++;
      continue;
    }
    const marker = data[pos + 1] as number;
    if (marker === 0xd9) break;
    if (marker === 0xff || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = u16(pos + 2);
    const start = pos + 4;
    const end = pos + 2 + length;
    if (end > data.length) throw fail('a marker segment runs past the end of the data');
    switch (marker) {
      case 0xdb: {
        // DQT (T.81 B.2.4.1): Pq 1 means 16-bit entries, allowed at 12-bit precision. Stored in zigzag order.
        let p = start;
        while (p < end) {
          const pq = (data[p] as number) >> 4;
          const tq = (data[p] as number) & 15;
          p++;
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k++) {
            table[ZIGZAG[k] as number] = pq ? u16(p + 2 * k) : (data[p + k] as number);
          }
          p += pq ? 128 : 64;
          quantTables[tq] = table;
        }
        break;
      }
      case 0xc4: {
        let p = start;
        while (p < end) {
          const tc = (data[p] as number) >> 4;
          const th = (data[p] as number) & 15;
          const counts = data.subarray(p + 1, p + 17);
          const total = counts.reduce((a, b) => a + b, 0);
          const table = buildHuffman(counts, data.slice(p + 17, p + 17 + total));
          (tc === 0 ? dcTables : acTables)[th] = table;
          p += 17 + total;
        }
        break;
      }
      case 0xdd:
        restartInterval = u16(start);
        break;
      case 0xc0:
      case 0xc1: {
        if ((data[start] as number) > 12) throw fail(`sample precision ${data[start]}`);
        height = u16(start + 1);
        width = u16(start + 3);
        const count = data[start + 5] as number;
        components = [];
        for (let c = 0; c < count; c++) {
          const at = start + 6 + 3 * c;
          components.push({
            id: data[at] as number,
            h: (data[at + 1] as number) >> 4,
            v: (data[at + 1] as number) & 15,
            quantTable: data[at + 2] as number,
            blocksPerLine: 0,
            blocksPerColumn: 0,
            plane: new Int32Array(0),
            prediction: 0,
          });
        }
        hMax = Math.max(...components.map((c) => c.h));
        vMax = Math.max(...components.map((c) => c.v));
        const mcusPerLine = Math.ceil(width / (8 * hMax));
        const mcusPerColumn = Math.ceil(height / (8 * vMax));
        for (const c of components) {
          c.blocksPerLine = mcusPerLine * c.h;
          c.blocksPerColumn = mcusPerColumn * c.v;
          c.plane = new Int32Array(c.blocksPerLine * 8 * c.blocksPerColumn * 8);
        }
        break;
      }
      case 0xda: {
        const count = data[start] as number;
        const scan: Component[] = [];
        for (let i = 0; i < count; i++) {
          const id = data[start + 1 + 2 * i] as number;
          const tables = data[start + 2 + 2 * i] as number;
          const component = components.find((c) => c.id === id);
          if (!component) throw fail(`scan refers to unknown component ${id}`);
          component.dcTable = dcTables[tables >> 4];
          component.acTable = acTables[tables & 15];
          if (!component.dcTable || !component.acTable) throw fail('a Huffman table is missing');
          component.prediction = 0;
          scan.push(component);
        }
        pos = decodeScan(data, end, scan, quantTables, width, height, hMax, vMax, restartInterval);
        continue;
      }
      default:
        if (marker >= 0xc2 && marker <= 0xcf) throw fail(`JPEG process SOF${marker - 0xc0} is not sequential Huffman`);
    }
    pos = end;
  }

  if (components.length !== 1) throw fail(`${components.length} components (only greyscale 12-bit JPEG is supported)`);
  const component = components[0] as Component;
  if (width !== image.columns || height !== image.rows) throw fail(`the code stream is ${width}x${height}, the header says ${image.columns}x${image.rows}`);
  const out = allocateSamples(image, width * height);
  const stride = component.blocksPerLine * 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = component.plane[y * stride + x] as number;
  }
  return out;
}

function decodeScan(
  data: Uint8Array,
  start: number,
  scan: Component[],
  quantTables: Uint16Array[],
  width: number,
  height: number,
  hMax: number,
  vMax: number,
  restartInterval: number,
): number {
  const reader = new BitReader(data, start);
  const coef = new Int32Array(64);
  const single = scan.length === 1;
  const first = scan[0] as Component;
  // A non-interleaved scan covers only the component's own blocks (T.81 A.2.2).
  const mcusPerLine = single ? Math.ceil(Math.ceil((width * first.h) / hMax) / 8) : Math.ceil(width / (8 * hMax));
  const mcusPerColumn = single ? Math.ceil(Math.ceil((height * first.v) / vMax) / 8) : Math.ceil(height / (8 * vMax));
  const total = mcusPerLine * mcusPerColumn;

  const decodeBlock = (c: Component, blockRow: number, blockCol: number): void => {
    coef.fill(0);
    const t = reader.decode(c.dcTable as HuffmanTable);
    c.prediction += reader.receiveExtend(t);
    coef[0] = c.prediction;
    for (let k = 1; k < 64; ) {
      const rs = reader.decode(c.acTable as HuffmanTable);
      const r = rs >> 4;
      const s = rs & 15;
      if (s === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) break;
      coef[ZIGZAG[k] as number] = reader.receiveExtend(s);
      k++;
    }
    const quant = quantTables[c.quantTable];
    if (!quant) throw fail('a quantisation table is missing');
    const stride = c.blocksPerLine * 8;
    if (blockRow < c.blocksPerColumn && blockCol < c.blocksPerLine) idctIslow(coef, quant, c.plane, blockRow * 8 * stride + blockCol * 8, stride);
  };

  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      reader.restart();
      for (const c of scan) c.prediction = 0;
    }
    const mcuRow = Math.floor(mcu / mcusPerLine);
    const mcuCol = mcu % mcusPerLine;
    if (single) {
      decodeBlock(first, mcuRow, mcuCol);
    } else {
      for (const c of scan) {
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, mcuRow * c.v + v, mcuCol * c.h + h);
      }
    }
  }
  // Continue after the entropy-coded data: the next marker.
  let p = reader.position;
  while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] !== 0x00 && !((data[p + 1] as number) >= 0xd0 && (data[p + 1] as number) <= 0xd7))) p++;
  return p;
}
