import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { LumenError } from '../../../shared/domain/errors';
import { LONG_VRS, VALID_VRS } from '../dicom/parse/index';
import { lookupTag } from '../dicom/parse/dictionary';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from '../dicom/parse/transferSyntax';
import { part10File } from '../network/part10File';

/**
 * A Part 10 file as a tree of raw data elements (PS3.5 section 7): every value keeps the bytes it had in
 * the source, so whatever the de-identifier keeps is written back byte for byte, in its original
 * Specific Character Set (ISO 2022 escapes included), and Pixel Data is never decoded. Only what is
 * replaced gets new bytes. dcmjs is not used here on purpose: it transcodes all text to UTF-8, drops
 * the second and later ISO 2022 terms and rewrites (0008,0005), which would change values we keep.
 */

export interface DicomElement {
  tag: number;
  /** The VR as written (explicit) or as the dictionary gives it (implicit); 'UN' when unknown. */
  vr: string;
  /** A leaf's value bytes (little endian, as in the file). */
  value?: Uint8Array;
  /** A sequence's items. */
  items?: DicomElement[][];
  /** Items of an undefined-length non-sequence element (encapsulated Pixel Data, PS3.5 A.4): raw. */
  fragments?: Uint8Array[];
  /** Sequence items are Implicit VR inside (a sequence encoded as UN, PS3.5 6.2.2). */
  implicitItems?: boolean;
}

export interface Part10Object {
  transferSyntaxUid: string;
  /** Group 0002 (PS3.10 7.1); empty for a data set that came without File Meta. */
  meta: DicomElement[];
  dataSet: DicomElement[];
}

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const MAX_DEPTH = 32;

function malformed(detail: string): LumenError {
  return new LumenError('DEID_UNREADABLE_OBJECT', `The object could not be read for de-identification: ${detail}.`);
}

/** The dictionary's VR for Implicit VR data; private creators are LO (PS3.5 7.8.1). */
export function implicitVr(tag: number): string {
  const entry = lookupTag(tag);
  if (entry) return entry.vr;
  const element = tag & 0xffff;
  if (((tag >>> 16) & 1) === 1 && element >= 0x0010 && element <= 0x00ff) return 'LO';
  return 'UN';
}

class Reader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  dataSet(start: number, end: number, explicit: boolean, delimited: boolean, depth: number, stopAfterGroup2 = false): { elements: DicomElement[]; end: number } {
    if (depth > MAX_DEPTH) throw malformed('sequences are nested too deeply');
    const elements: DicomElement[] = [];
    let offset = start;
    while (offset < end) {
      if (stopAfterGroup2 && this.view.getUint16(offset, true) !== 0x0002) break;
      if (offset + 8 > end) throw malformed('an element header runs past the end');
      const group = this.view.getUint16(offset, true);
      const tag = ((group << 16) | this.view.getUint16(offset + 2, true)) >>> 0;
      if (tag === ITEM_DELIMITATION) {
        offset += 8;
        if (delimited) return { elements, end: offset };
        continue;
      }
      let vr: string;
      let length: number;
      let valueOffset: number;
      if (explicit) {
        vr = String.fromCharCode(this.bytes[offset + 4]!, this.bytes[offset + 5]!);
        if (!VALID_VRS.has(vr)) throw malformed('an element has an invalid value representation code');
        if (LONG_VRS.has(vr)) {
          if (offset + 12 > end) throw malformed('an element header runs past the end');
          length = this.view.getUint32(offset + 8, true);
          valueOffset = offset + 12;
        } else {
          length = this.view.getUint16(offset + 6, true);
          valueOffset = offset + 8;
        }
      } else {
        vr = implicitVr(tag);
        length = this.view.getUint32(offset + 4, true);
        valueOffset = offset + 8;
        if (length === UNDEFINED_LENGTH && vr === 'UN') vr = 'SQ';
      }
      const dictionaryVr = lookupTag(tag)?.vr;
      const isSequence = vr === 'SQ' || (vr === 'UN' && (length === UNDEFINED_LENGTH || dictionaryVr === 'SQ'));
      if (isSequence) {
        const itemsExplicit = vr === 'SQ' ? explicit : false;
        const r = this.sequence(valueOffset, length, end, itemsExplicit, depth);
        elements.push({ tag, vr: 'SQ', items: r.items, ...(itemsExplicit ? {} : { implicitItems: true }) });
        offset = r.end;
      } else if (length === UNDEFINED_LENGTH) {
        const r = this.fragments(valueOffset, end);
        elements.push({ tag, vr, fragments: r.fragments });
        offset = r.end;
      } else {
        if (valueOffset + length > end) throw malformed('an element value runs past the end');
        elements.push({ tag, vr, value: this.bytes.subarray(valueOffset, valueOffset + length) });
        offset = valueOffset + length;
      }
    }
    if (delimited) throw malformed('a sequence item is not delimited');
    return { elements, end: offset };
  }

  private sequence(start: number, length: number, limit: number, explicit: boolean, depth: number): { items: DicomElement[][]; end: number } {
    const defined = length !== UNDEFINED_LENGTH;
    const end = defined ? start + length : limit;
    if (end > limit) throw malformed('a sequence runs past the end');
    const items: DicomElement[][] = [];
    let offset = start;
    while (offset < end) {
      if (offset + 8 > end) throw malformed('a sequence item header runs past the end');
      const tag = ((this.view.getUint16(offset, true) << 16) | this.view.getUint16(offset + 2, true)) >>> 0;
      const itemLength = this.view.getUint32(offset + 4, true);
      offset += 8;
      if (tag === SEQUENCE_DELIMITATION) {
        if (!defined) return { items, end: offset };
        continue;
      }
      if (tag !== ITEM) throw malformed('a sequence holds something other than items');
      if (itemLength === UNDEFINED_LENGTH) {
        const r = this.dataSet(offset, end, explicit, true, depth + 1);
        items.push(r.elements);
        offset = r.end;
      } else {
        if (offset + itemLength > end) throw malformed('a sequence item runs past the end');
        items.push(this.dataSet(offset, offset + itemLength, explicit, false, depth + 1).elements);
        offset += itemLength;
      }
    }
    if (!defined) throw malformed('a sequence is not delimited');
    return { items, end: offset };
  }

  private fragments(start: number, limit: number): { fragments: Uint8Array[]; end: number } {
    const fragments: Uint8Array[] = [];
    let offset = start;
    while (offset + 8 <= limit) {
      const tag = ((this.view.getUint16(offset, true) << 16) | this.view.getUint16(offset + 2, true)) >>> 0;
      const length = this.view.getUint32(offset + 4, true);
      offset += 8;
      if (tag === SEQUENCE_DELIMITATION) return { fragments, end: offset };
      if (tag !== ITEM || length === UNDEFINED_LENGTH || offset + length > limit) throw malformed('encapsulated Pixel Data is malformed');
      fragments.push(this.bytes.subarray(offset, offset + length));
      offset += length;
    }
    throw malformed('encapsulated Pixel Data is not delimited');
  }
}

/** Trims the padding of a UI (NUL) or text (space) value read as latin1. */
export function textOf(value: Uint8Array | undefined): string {
  if (!value) return '';
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
}

export function findElement(elements: readonly DicomElement[], tag: number): DicomElement | undefined {
  return elements.find((e) => e.tag === tag);
}

/** Reads a Part 10 file (or a bare Little Endian data set without File Meta, as some archives hold). */
export function readPart10(bytes: Uint8Array): Part10Object {
  const marker = (at: number) => bytes.length >= at + 4 && Buffer.from(bytes.subarray(at, at + 4)).toString('latin1') === 'DICM';
  // The File Meta starts after the preamble and "DICM" (PS3.10 7.1); some writers drop the preamble,
  // or the marker too and begin straight with group 0002 (always Explicit VR Little Endian).
  const metaStart = marker(128) ? 132 : marker(0) ? 4 : bytes.length >= 2 && bytes[0] === 0x02 && bytes[1] === 0x00 ? 0 : -1;
  let meta: DicomElement[] = [];
  let offset = 0;
  let transferSyntaxUid: string;
  if (metaStart >= 0) {
    const r = new Reader(bytes).dataSet(metaStart, bytes.length, true, false, 0, true);
    meta = r.elements;
    offset = r.end;
    transferSyntaxUid = textOf(findElement(meta, 0x00020010)?.value);
    if (!transferSyntaxUid) throw malformed('the File Meta Information has no Transfer Syntax UID');
  } else {
    // No File Meta: Implicit VR Little Endian is the default (PS3.5 10.1); an explicit VR code after
    // the first tag says otherwise.
    const vr = bytes.length >= 6 ? String.fromCharCode(bytes[4]!, bytes[5]!) : '';
    transferSyntaxUid = VALID_VRS.has(vr) && lookupTag(((bytes[1]! << 24) | (bytes[0]! << 16) | (bytes[3]! << 8) | bytes[2]!) >>> 0)?.vr === vr
      ? EXPLICIT_VR_LITTLE_ENDIAN
      : IMPLICIT_VR_LITTLE_ENDIAN;
  }
  if (transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN) {
    throw new LumenError('DEID_UNSUPPORTED_TRANSFER_SYNTAX', 'Objects in Explicit VR Big Endian (a retired transfer syntax) cannot be de-identified; convert them first.');
  }
  let body = bytes.subarray(offset);
  if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) body = new Uint8Array(inflateRawSync(body));
  const dataSet = new Reader(body).dataSet(0, body.length, transferSyntaxUid !== IMPLICIT_VR_LITTLE_ENDIAN, false, 0).elements;
  return { transferSyntaxUid, meta, dataSet };
}

class Writer {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  header(tag: number, vr: string | null, length: number): void {
    const long = vr === null || LONG_VRS.has(vr);
    const buf = Buffer.alloc(vr !== null && long ? 12 : 8);
    buf.writeUInt16LE(tag >>> 16, 0);
    buf.writeUInt16LE(tag & 0xffff, 2);
    if (vr === null) buf.writeUInt32LE(length, 4);
    else {
      buf.write(vr, 4, 'latin1');
      if (long) buf.writeUInt32LE(length, 8);
      else buf.writeUInt16LE(length, 6);
    }
    this.push(buf);
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks, this.size);
  }
}

function writeElements(w: Writer, elements: readonly DicomElement[], explicit: boolean): void {
  for (const e of [...elements].sort((a, b) => a.tag - b.tag)) {
    if (e.items) {
      // Undefined lengths with delimiters: no length to compute, and every reader accepts them.
      w.header(e.tag, explicit ? (e.implicitItems ? 'UN' : 'SQ') : null, UNDEFINED_LENGTH);
      for (const item of e.items) {
        w.header(ITEM, null, UNDEFINED_LENGTH);
        writeElements(w, item, e.implicitItems ? false : explicit);
        w.header(ITEM_DELIMITATION, null, 0);
      }
      w.header(SEQUENCE_DELIMITATION, null, 0);
    } else if (e.fragments) {
      w.header(e.tag, explicit ? e.vr : null, UNDEFINED_LENGTH);
      for (const fragment of e.fragments) {
        w.header(ITEM, null, fragment.length);
        w.push(fragment);
      }
      w.header(SEQUENCE_DELIMITATION, null, 0);
    } else {
      const value = e.value ?? new Uint8Array(0);
      const vr = explicit && !LONG_VRS.has(e.vr) && value.length > 0xffff ? 'UN' : e.vr;
      w.header(e.tag, explicit ? vr : null, value.length);
      w.push(value);
    }
  }
}

/** Encodes a data set in the given transfer syntax's VR form (deflating it when the syntax says so). */
export function encodeDataSet(elements: readonly DicomElement[], transferSyntaxUid: string): Uint8Array {
  const w = new Writer();
  writeElements(w, elements, transferSyntaxUid !== IMPLICIT_VR_LITTLE_ENDIAN);
  const raw = w.bytes();
  return transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? new Uint8Array(deflateRawSync(raw)) : raw;
}

/** A new Part 10 file (PS3.10 7.1) with Lumen's File Meta around the data set. */
export function writePart10(obj: { transferSyntaxUid: string; sopClassUid: string; sopInstanceUid: string; dataSet: readonly DicomElement[] }): Uint8Array {
  return part10File(encodeDataSet(obj.dataSet, obj.transferSyntaxUid), {
    sopClassUid: obj.sopClassUid,
    sopInstanceUid: obj.sopInstanceUid,
    transferSyntaxUid: obj.transferSyntaxUid,
    sourceAeTitle: 'LUMEN',
  });
}
