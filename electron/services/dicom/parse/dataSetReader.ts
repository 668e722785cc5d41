import { dicomError } from '../dicomError';
import type { NaturalDataset } from '../types';
import { characterSetFor, type CharacterSet } from './characterSet';
import { hexTag, lookupTag } from './dictionary';
import { elementValue, type ValueSource } from './elementValue';
import { LONG_VRS, vrFromCode } from './valueRepresentation';

/**
 * Walks a DICOM data set (PS3.5 section 7) and naturalises it. Every declared length is checked against
 * the bytes that remain (or the enclosing item) before anything is read or allocated, so a bad length
 * becomes a typed error, never an over-read, a hang or a huge allocation.
 */

export interface ReaderSource extends ValueSource {
  explicitVR: boolean;
  /** Length of the whole stream; `bytes` may hold only its first part (header-only reads). */
  totalLength: number;
}

/** Not an error: the header-only path read too little of the file and must read at least this much. */
export class NeedMoreBytes {
  constructor(readonly atLeast: number) {}
}

export interface Fragment {
  /** Offset of the fragment's value in the source bytes. */
  offset: number;
  length: number;
  /** Offset of the fragment's Item tag from the first fragment's Item tag: what offset tables count (PS3.5 A.4). */
  itemOffset: number;
}

export interface PixelElement {
  tag: number;
  vr: string;
  /** Native Pixel Data: where its value lies. */
  native?: { offset: number; length: number };
  /** Encapsulated Pixel Data: the Basic Offset Table item's value and the fragments after it. */
  encapsulated?: { basicOffsetTable: { offset: number; length: number }; fragments: Fragment[] };
}

export interface DataSetReadOptions {
  /** Stop at the first element outside group 0002 (the File Meta Information, PS3.10 7.1). */
  metaOnly?: boolean;
  /** Stop before a top-level Pixel Data / Float / Double Float Pixel Data element without reading it. */
  stopAtPixelData?: boolean;
}

export interface DataSetReadResult {
  dataset: NaturalDataset;
  /** Offset after the last element read (or of the element the reader stopped before). */
  end: number;
  pixel?: PixelElement;
  /** Where the Pixel Data value the reader stopped before lies, as its element header declares it. */
  skippedPixelValue?: { vr: string; offset: number; length: number };
  elementCount: number;
}

const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const SPECIFIC_CHARACTER_SET = 0x00080005;
/** Pixel Data, Float Pixel Data, Double Float Pixel Data (PS3.3 C.7.6.3). */
const PIXEL_TAGS = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);
/** Deeper nesting than this is not seen in real objects; a limit keeps a crafted file off the stack. */
const MAX_DEPTH = 32;

interface Header {
  tag: number;
  vr: string;
  length: number;
  valueOffset: number;
}

function tagText(tag: number): string {
  const hex = hexTag(tag);
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

export class DataSetReader {
  constructor(private readonly src: ReaderSource) {}

  /** Reads a data set from `start` to the end of the bytes (the top level of a file). */
  readTopLevel(start: number, options: DataSetReadOptions = {}): DataSetReadResult {
    const state: TopState = { options, count: 0 };
    const { dataset, end } = this.dataSet(start, this.src.bytes.length, false, this.src.explicitVR, 0, characterSetFor(undefined), state);
    return { dataset, end, pixel: state.pixel, skippedPixelValue: state.skipped, elementCount: state.count };
  }

  /** A declared region [offset, offset+count) must fit in `limit`; otherwise say what is wrong. */
  private require(offset: number, count: number, limit: number, what: string, tag?: number): void {
    if (offset + count <= limit) return;
    // Messages are built only here: formatting a tag for every element costs more than reading it.
    if (tag !== undefined) what = what.replace('%tag', tagText(tag));
    const src = this.src;
    if (limit < src.bytes.length) {
      throw dicomError('DICOM_BAD_LENGTH', `${what} runs past the end of the sequence item that holds it.`);
    }
    if (offset + count <= src.totalLength) throw new NeedMoreBytes(offset + count);
    // A length beyond anything the file could hold is a corrupt length field, not a cut-off file.
    if (count > src.totalLength || count >= 0x80000000) {
      throw dicomError('DICOM_BAD_LENGTH', `${what} declares ${count} bytes; the file has only ${src.totalLength - offset} left.`);
    }
    throw dicomError('DICOM_TRUNCATED', `The file ends inside ${what} (needs ${offset + count - src.totalLength} more bytes).`);
  }

  private header(offset: number, limit: number, explicit: boolean): Header {
    const { view, littleEndian: le, bytes } = this.src;
    this.require(offset, 8, limit, 'an element header');
    const group = view.getUint16(offset, le);
    const tag = ((group << 16) | view.getUint16(offset + 2, le)) >>> 0;
    if (group === 0xfffe) return { tag, vr: '', length: view.getUint32(offset + 4, le), valueOffset: offset + 8 };
    if (!explicit) {
      return { tag, vr: implicitVR(tag, view.getUint32(offset + 4, le)), length: view.getUint32(offset + 4, le), valueOffset: offset + 8 };
    }
    const vr = vrFromCode(bytes[offset + 4]!, bytes[offset + 5]!);
    if (vr === undefined) {
      throw dicomError('DICOM_BAD_VR', `Element ${tagText(tag)} has an invalid value representation code.`);
    }
    if (LONG_VRS.has(vr)) {
      this.require(offset, 12, limit, 'element %tag', tag);
      return { tag, vr, length: view.getUint32(offset + 8, le), valueOffset: offset + 12 };
    }
    return { tag, vr, length: view.getUint16(offset + 6, le), valueOffset: offset + 8 };
  }

  /**
   * Elements from `start` until `limit` (a defined-length item or the end of the bytes) or, when
   * `delimited`, until an Item Delimitation Item.
   */
  private dataSet(
    start: number,
    limit: number,
    delimited: boolean,
    explicit: boolean,
    depth: number,
    inherited: CharacterSet,
    top: TopState | null,
  ): { dataset: NaturalDataset; end: number } {
    const dataset: NaturalDataset = {};
    let charset = inherited;
    let offset = start;
    for (;;) {
      if (offset >= limit) {
        if (delimited) this.require(offset, 8, limit, 'an undelimited sequence item');
        break;
      }
      if (top?.options.metaOnly) {
        // Peek at the group: the File Meta ends where group 0002 ends, whatever (0002,0000) claims.
        this.require(offset, 2, limit, 'the File Meta Information');
        if (this.src.view.getUint16(offset, true) !== 0x0002) break;
      }
      const h = this.header(offset, limit, explicit);
      if (h.tag === ITEM_DELIMITATION) {
        if (delimited) return { dataset, end: h.valueOffset };
        offset = h.valueOffset;
        continue;
      }
      if (h.tag === SEQUENCE_DELIMITATION || h.tag === ITEM) {
        throw dicomError('DICOM_BAD_SEQUENCE', `A sequence ${h.tag === ITEM ? 'item' : 'delimiter'} appears outside a sequence.`);
      }
      if (top && depth === 0 && PIXEL_TAGS.has(h.tag)) {
        if (top.options.stopAtPixelData) {
          top.skipped = { vr: h.vr, offset: h.valueOffset, length: h.length };
          return { dataset, end: offset };
        }
        offset = this.pixelElement(h, limit, top);
        continue;
      }
      if (top) top.count++;
      const entry = lookupTag(h.tag);
      let value: unknown;
      let end: number;
      const asSequence =
        h.vr === 'SQ' ||
        (h.length === UNDEFINED_LENGTH && (h.vr === 'UN' || (!explicit && !entry))) ||
        (h.vr === 'UN' && entry?.vr === 'SQ');
      if (asSequence) {
        // PS3.5 6.2.2: a sequence encoded as UN is Implicit VR Little Endian inside.
        const itemsExplicit = h.vr === 'SQ' ? explicit : false;
        const r = this.sequence(h, limit, itemsExplicit, depth, charset);
        value = r.items;
        end = r.end;
      } else {
        if (h.length === UNDEFINED_LENGTH) {
          throw dicomError('DICOM_BAD_LENGTH', `Element ${tagText(h.tag)} (VR ${h.vr}) has an undefined length, which only sequences may have.`);
        }
        this.require(h.valueOffset, h.length, limit, 'element %tag', h.tag);
        // PS3.5 6.2.2: UN whose tag the dictionary knows is read with the dictionary's VR.
        const vr = h.vr === 'UN' && entry && entry.vr !== 'UN' ? entry.vr : h.vr;
        value = elementValue(this.src, h.tag, vr, h.valueOffset, h.length, charset);
        end = h.valueOffset + h.length;
      }
      // Group lengths (gggg,0000) are retired and often wrong (PS3.5 7.2); only the File Meta's is kept.
      if ((h.tag & 0xffff) !== 0 || h.tag === 0x00020000) dataset[entry?.keyword ?? hexTag(h.tag)] = value;
      if (h.tag === SPECIFIC_CHARACTER_SET) charset = characterSetFor(value);
      offset = end;
    }
    return { dataset, end: offset };
  }

  private sequence(h: Header, limit: number, explicit: boolean, depth: number, charset: CharacterSet): { items: NaturalDataset[]; end: number } {
    if (depth >= MAX_DEPTH) throw dicomError('DICOM_BAD_SEQUENCE', `Sequences are nested more than ${MAX_DEPTH} deep.`);
    const defined = h.length !== UNDEFINED_LENGTH;
    let end = limit;
    if (defined) {
      this.require(h.valueOffset, h.length, limit, 'sequence %tag', h.tag);
      end = h.valueOffset + h.length;
    }
    const items: NaturalDataset[] = [];
    let offset = h.valueOffset;
    for (;;) {
      if (defined && offset >= end) break;
      const item = this.header(offset, end, false);
      if (item.tag === SEQUENCE_DELIMITATION) {
        offset = item.valueOffset;
        if (!defined) break;
        continue;
      }
      if (item.tag !== ITEM) {
        throw dicomError('DICOM_BAD_SEQUENCE', `Sequence ${tagText(h.tag)} holds element ${tagText(item.tag)} where an item was expected.`);
      }
      if (item.length === UNDEFINED_LENGTH) {
        const r = this.dataSet(item.valueOffset, end, true, explicit, depth + 1, charset, null);
        items.push(r.dataset);
        offset = r.end;
      } else {
        this.require(item.valueOffset, item.length, end, 'an item of sequence %tag', h.tag);
        const r = this.dataSet(item.valueOffset, item.valueOffset + item.length, false, explicit, depth + 1, charset, null);
        items.push(r.dataset);
        offset = item.valueOffset + item.length;
      }
    }
    return { items, end: offset };
  }

  /** Locates Pixel Data without reading it: native value bounds, or the fragments (PS3.5 A.4). */
  private pixelElement(h: Header, limit: number, top: TopState): number {
    if (h.length !== UNDEFINED_LENGTH) {
      this.require(h.valueOffset, h.length, limit, 'Pixel Data');
      top.pixel ??= { tag: h.tag, vr: h.vr, native: { offset: h.valueOffset, length: h.length } };
      return h.valueOffset + h.length;
    }
    const fragments: Fragment[] = [];
    let basicOffsetTable: { offset: number; length: number } | undefined;
    let offset = h.valueOffset;
    let firstFragmentItem = -1;
    for (;;) {
      // Files cut exactly after their last fragment lack only the delimiter; keep what is complete.
      if (offset === this.src.totalLength && offset === limit && basicOffsetTable) break;
      const item = this.header(offset, limit, false);
      if (item.tag === SEQUENCE_DELIMITATION) {
        offset = item.valueOffset;
        break;
      }
      if (item.tag !== ITEM || item.length === UNDEFINED_LENGTH) {
        throw dicomError('DICOM_BAD_SEQUENCE', 'Encapsulated Pixel Data holds something other than fragment items.');
      }
      this.require(item.valueOffset, item.length, limit, 'a Pixel Data fragment');
      if (!basicOffsetTable) {
        basicOffsetTable = { offset: item.valueOffset, length: item.length };
      } else {
        if (firstFragmentItem < 0) firstFragmentItem = offset;
        fragments.push({ offset: item.valueOffset, length: item.length, itemOffset: offset - firstFragmentItem });
      }
      offset = item.valueOffset + item.length;
    }
    top.pixel ??= { tag: h.tag, vr: h.vr, encapsulated: { basicOffsetTable: basicOffsetTable ?? { offset, length: 0 }, fragments } };
    return offset;
  }
}

interface TopState {
  options: DataSetReadOptions;
  skipped?: { vr: string; offset: number; length: number };
  count: number;
  pixel?: PixelElement;
}

/** Implicit VR: the dictionary says; private creators are LO (PS3.5 7.8.1); anything else unknown is UN. */
function implicitVR(tag: number, length: number): string {
  const entry = lookupTag(tag);
  if (entry) return entry.vr;
  const element = tag & 0xffff;
  if (((tag >>> 16) & 1) === 1 && element >= 0x0010 && element <= 0x00ff) return 'LO';
  return length === UNDEFINED_LENGTH ? 'SQ' : 'UN';
}
