/**
 * A minimal Explicit VR Little Endian element encoder (PS3.5 7.1.2), enough for a DICOMDIR and its
 * File Meta Information: text, UIDs, US/UL numbers, OB, and sequences of explicit-length items.
 * Explicit lengths (rather than undefined lengths with delimiters) keep every byte position computable
 * before anything is written, which the DICOMDIR's offsets need.
 */

import { LONG_VRS } from '../dicom/parse/index';

export type TextVr = 'AE' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'UT';

export interface EncodedElement {
  tag: number;
  bytes: Buffer;
}

const tagOf = (group: number, element: number) => ((group << 16) | element) >>> 0;

function header(group: number, element: number, vr: string, length: number): Buffer {
  const long = LONG_VRS.has(vr);
  const out = Buffer.alloc(long ? 12 : 8);
  out.writeUInt16LE(group, 0);
  out.writeUInt16LE(element, 2);
  out.write(vr, 4, 'latin1');
  if (long) out.writeUInt32LE(length, 8);
  else {
    if (length > 0xffff) throw new RangeError(`value too long for a 16-bit length (${group.toString(16)},${element.toString(16)})`);
    out.writeUInt16LE(length, 6);
  }
  return out;
}

export function binaryElement(group: number, element: number, vr: string, value: Buffer): EncodedElement {
  const padded = value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.alloc(1)]);
  return { tag: tagOf(group, element), bytes: Buffer.concat([header(group, element, vr, padded.length), padded]) };
}

/**
 * Text values, joined by backslash when multi-valued, padded to even length: UI with NUL, the others
 * with a space (PS3.5 6.2). `encoding` is utf8 only when the record declares ISO_IR 192.
 */
export function textElement(group: number, element: number, vr: TextVr, value: string | readonly string[], encoding: 'latin1' | 'utf8' = 'latin1'): EncodedElement {
  const joined = typeof value === 'string' ? value : value.join('\\');
  let bytes = Buffer.from(joined, encoding);
  if (bytes.length % 2 === 1) bytes = Buffer.concat([bytes, Buffer.from(vr === 'UI' ? '\0' : ' ', 'latin1')]);
  return { tag: tagOf(group, element), bytes: Buffer.concat([header(group, element, vr, bytes.length), bytes]) };
}

export function usElement(group: number, element: number, value: number): EncodedElement {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(value, 0);
  return binaryElement(group, element, 'US', bytes);
}

export function ulElement(group: number, element: number, value: number): EncodedElement {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0, 0);
  return binaryElement(group, element, 'UL', bytes);
}

/** An item (FFFE,E000) with explicit length holding the given elements, sorted by tag (PS3.5 7.5). */
export function item(elements: readonly EncodedElement[]): Buffer {
  const body = concatSorted(elements);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(0xe000, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** A sequence (SQ) of explicit-length items. */
export function sequenceElement(group: number, element: number, items: readonly Buffer[]): EncodedElement {
  const body = Buffer.concat(items);
  return { tag: tagOf(group, element), bytes: Buffer.concat([header(group, element, 'SQ', body.length), body]) };
}

/** The byte length of a sequence element's header (before its first item). */
export const SEQUENCE_HEADER_LENGTH = 12;

/** Elements in ascending tag order (PS3.5 7.1: a data set is ordered by tag), concatenated. */
export function concatSorted(elements: readonly EncodedElement[]): Buffer {
  return Buffer.concat([...elements].sort((a, b) => a.tag - b.tag).map((e) => e.bytes));
}
