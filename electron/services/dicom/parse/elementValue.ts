import { dicomError } from '../dicomError';
import type { CharacterSet } from './characterSet';
import { hexTag } from './dictionary';

/**
 * Turns one element's value bytes into the value a naturalised data set holds (the shapes dcmjs uses):
 * one value -> a scalar, several -> an array, zero length -> null; numbers for IS, DS and the binary
 * numeric VRs; PN -> { Alphabetic, Ideographic?, Phonetic? }; SQ is handled by the data set reader.
 * OB and UN are views into the file bytes (no copy); OW, OF, OL, OD, OV are typed arrays in host byte
 * order (a view when aligned and little endian, else a swapped copy).
 */

export interface ValueSource {
  bytes: Uint8Array;
  /** The same memory as `bytes`, as a Buffer: its latin1 slicing is the fastest way to ASCII text. */
  buffer: Buffer;
  view: DataView;
  littleEndian: boolean;
}

/** PS3.5 Table 6.2-1: VRs whose values are text in the Specific Character Set. */
const CHARSET_VRS = new Set(['SH', 'LO', 'UC', 'ST', 'LT', 'UT', 'PN']);
/** Text VRs that hold a single value: a backslash in them is text, not a value delimiter. */
const SINGLE_VALUE_TEXT = new Set(['ST', 'LT', 'UT', 'UR']);

const BACKSLASH = 0x5c;
const CONTROL_DELIMITERS = [0x0a, 0x0c, 0x0d, 0x09];
const DELIMITERS_TEXT = new Set(CONTROL_DELIMITERS);
const DELIMITERS_MULTI = new Set([...CONTROL_DELIMITERS, BACKSLASH]);
const DELIMITERS_PN = new Set([...CONTROL_DELIMITERS, BACKSLASH, 0x5e, 0x3d]);

export interface PersonName {
  Alphabetic: string;
  Ideographic?: string;
  Phonetic?: string;
}

function single<T>(values: T[]): T | T[] {
  return values.length === 1 ? values[0]! : values;
}

function asciiText(src: ValueSource, offset: number, length: number): string {
  return src.buffer.toString('latin1', offset, offset + length);
}

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x00) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

function personName(text: string): PersonName {
  const [alphabetic = '', ideographic, phonetic] = trimEnd(text).split('=');
  const name: PersonName = { Alphabetic: alphabetic };
  if (ideographic !== undefined) name.Ideographic = ideographic;
  if (phonetic !== undefined) name.Phonetic = phonetic;
  return name;
}

/** PS3.5 6.2: DS and IS are decimal strings; an empty or invalid one is NaN, for callers to reject. */
function decimal(s: string): number {
  const t = s.trim();
  return t === '' ? Number.NaN : Number(t);
}

const NUMERIC: Record<string, { size: number; read: (v: DataView, o: number, le: boolean) => number | bigint }> = {
  US: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  SS: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  UL: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  SL: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  FL: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  FD: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  UV: { size: 8, read: (v, o, le) => v.getBigUint64(o, le) },
  SV: { size: 8, read: (v, o, le) => v.getBigInt64(o, le) },
};

type TypedCtor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayBufferView; new (length: number): ArrayBufferView; BYTES_PER_ELEMENT: number };
const WORD_ARRAYS: Record<string, TypedCtor> = {
  OW: Uint16Array as unknown as TypedCtor,
  OF: Float32Array as unknown as TypedCtor,
  OL: Uint32Array as unknown as TypedCtor,
  OD: Float64Array as unknown as TypedCtor,
  OV: BigUint64Array as unknown as TypedCtor,
};

/** A typed array over the value: a view when the bytes allow it, a byte-swapped copy otherwise. */
export function wordArray(src: ValueSource, vr: string, offset: number, length: number): ArrayBufferView {
  const Ctor = WORD_ARRAYS[vr]!;
  const size = Ctor.BYTES_PER_ELEMENT;
  const count = Math.floor(length / size);
  const start = src.bytes.byteOffset + offset;
  if (src.littleEndian && start % size === 0) return new Ctor(src.bytes.buffer, start, count);
  const copy = new Uint8Array(count * size);
  copy.set(src.bytes.subarray(offset, offset + count * size));
  if (!src.littleEndian) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return new Ctor(copy.buffer, 0, count);
}

export function elementValue(src: ValueSource, tag: number, vr: string, offset: number, length: number, charset: CharacterSet): unknown {
  if (length === 0) return null;
  const numeric = NUMERIC[vr];
  if (numeric) {
    if (length % numeric.size !== 0) {
      throw dicomError('DICOM_BAD_VR', `Element (${hexTag(tag).slice(0, 4)},${hexTag(tag).slice(4)}) has VR ${vr} but a length of ${length} bytes, not a multiple of ${numeric.size}.`);
    }
    if (length === numeric.size) return numeric.read(src.view, offset, src.littleEndian);
    const values: Array<number | bigint> = [];
    for (let o = offset; o < offset + length; o += numeric.size) values.push(numeric.read(src.view, o, src.littleEndian));
    return values;
  }
  switch (vr) {
    case 'OB':
    case 'UN':
      return src.bytes.subarray(offset, offset + length);
    case 'OW':
    case 'OF':
    case 'OL':
    case 'OD':
    case 'OV':
      return wordArray(src, vr, offset, length);
    case 'AT': {
      const tags: string[] = [];
      for (let o = offset; o + 4 <= offset + length; o += 4) {
        tags.push(hexTag(((src.view.getUint16(o, src.littleEndian) << 16) | src.view.getUint16(o + 2, src.littleEndian)) >>> 0));
      }
      return single(tags);
    }
    case 'IS':
    case 'DS': {
      const text = asciiText(src, offset, length);
      // Most values are single: no array to build and take apart (indexing reads thousands of them).
      return text.includes('\\') ? text.split('\\').map(decimal) : decimal(text);
    }
  }
  let text: string;
  if (CHARSET_VRS.has(vr)) {
    const delimiters = vr === 'PN' ? DELIMITERS_PN : SINGLE_VALUE_TEXT.has(vr) ? DELIMITERS_TEXT : DELIMITERS_MULTI;
    text = charset.decode(src.bytes.subarray(offset, offset + length), delimiters);
  } else {
    text = asciiText(src, offset, length);
  }
  if (SINGLE_VALUE_TEXT.has(vr)) return trimEnd(text);
  if (!text.includes('\\')) return vr === 'PN' ? personName(text) : trimEnd(text).trimStart();
  const parts = text.split('\\');
  if (vr === 'PN') return parts.map(personName);
  // Leading and trailing spaces are insignificant in these VRs (PS3.5 Table 6.2-1); UI pads with NUL.
  return parts.map((p) => trimEnd(p).trimStart());
}
