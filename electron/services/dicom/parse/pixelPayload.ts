import { dicomError } from '../dicomError';
import type { NaturalDataset, PixelDataPayload } from '../types';
import type { Fragment, PixelElement } from './dataSetReader';
import { imageAttributes, nativePixelBytes } from './imageAttributes';
import { DEFLATED_IMAGE_FRAME_COMPRESSION } from './transferSyntax';

const PIXEL_KEYWORDS: Record<number, string> = { 0x7fe00010: 'PixelData', 0x7fe00008: 'FloatPixelData', 0x7fe00009: 'DoubleFloatPixelData' };

function concat(bytes: Uint8Array, fragments: readonly Fragment[]): Uint8Array {
  // One fragment per frame is the common case: a view, no copy.
  if (fragments.length === 1) return bytes.subarray(fragments[0]!.offset, fragments[0]!.offset + fragments[0]!.length);
  const out = new Uint8Array(fragments.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of fragments) {
    out.set(bytes.subarray(f.offset, f.offset + f.length), at);
    at += f.length;
  }
  return out;
}

/** A fragment that starts a JPEG / JPEG-LS (SOI), JPEG 2000 codestream (SOC) or JP2 file starts a frame. */
function startsFrame(bytes: Uint8Array, f: Fragment): boolean {
  const b = bytes.subarray(f.offset, f.offset + Math.min(f.length, 12));
  if (b[0] === 0xff && (b[1] === 0xd8 || b[1] === 0x4f)) return true;
  return b.length >= 8 && b[3] === 0x0c && b[4] === 0x6a && b[5] === 0x50 && b[6] === 0x20 && b[7] === 0x20;
}

function groupByOffsets(fragments: readonly Fragment[], offsets: readonly number[]): Fragment[][] {
  return offsets.map((start, k) => {
    const next = offsets[k + 1] ?? Number.POSITIVE_INFINITY;
    return fragments.filter((f) => f.itemOffset >= start && f.itemOffset < next);
  });
}

/**
 * Frames of encapsulated Pixel Data (PS3.5 A.4): by the Extended Offset Table when present (one fragment
 * per frame), else by the Basic Offset Table, else one fragment per frame when the counts agree, else by
 * the codec's start-of-image marker.
 */
function encapsulatedFrames(bytes: Uint8Array, pixel: PixelElement, dataset: NaturalDataset, frameCount: number): Uint8Array[] {
  const { basicOffsetTable, fragments } = pixel.encapsulated!;
  if (fragments.length === 0) throw dicomError('DICOM_PIXEL_DATA_MISSING', 'The encapsulated Pixel Data holds no fragments.');
  const eot = dataset.ExtendedOffsetTable;
  const eotLengths = dataset.ExtendedOffsetTableLengths;
  let groups: Fragment[][];
  if (eot instanceof BigUint64Array && eotLengths instanceof BigUint64Array && eot.length > 0) {
    return Array.from(eot, (offset, k) => {
      const f = fragments.find((x) => x.itemOffset === Number(offset));
      const length = Number(eotLengths[k] ?? 0n);
      if (!f || length > f.length) throw dicomError('DICOM_BAD_LENGTH', `The Extended Offset Table entry for frame ${k + 1} does not match a fragment.`);
      return bytes.subarray(f.offset, f.offset + length);
    });
  }
  if (basicOffsetTable.length >= 4) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + basicOffsetTable.offset, basicOffsetTable.length);
    const offsets = Array.from({ length: Math.floor(basicOffsetTable.length / 4) }, (_, k) => view.getUint32(4 * k, true));
    groups = groupByOffsets(fragments, offsets);
  } else if (frameCount === 1) {
    groups = [[...fragments]];
  } else if (fragments.length === frameCount) {
    groups = fragments.map((f) => [f]);
  } else {
    const starts = fragments.filter((f) => startsFrame(bytes, f)).map((f) => f.itemOffset);
    groups = groupByOffsets(fragments, starts.length > 0 ? starts : [0]);
  }
  groups = groups.filter((g) => g.length > 0);
  if (groups.length < frameCount) {
    throw dicomError('DICOM_PIXEL_DATA_TOO_SHORT', `Number of Frames is ${frameCount} but the Pixel Data holds ${groups.length}.`);
  }
  return groups.slice(0, frameCount).map((g) => concat(bytes, g));
}

/**
 * Builds the decoder's input from the located Pixel Data and checks it against the Image Pixel Module
 * before anyone allocates a frame: zero length, too few bytes or frames, or impossible attributes are
 * typed errors here.
 */
export function pixelPayload(bytes: Uint8Array, littleEndian: boolean, pixel: PixelElement, dataset: NaturalDataset, transferSyntaxUid: string): PixelDataPayload {
  const keyword = PIXEL_KEYWORDS[pixel.tag] ?? 'PixelData';
  if (pixel.native && pixel.native.length === 0) throw dicomError('DICOM_PIXEL_DATA_MISSING', 'Pixel Data is present but empty.');
  const attributes = imageAttributes(dataset, keyword);
  if (pixel.native) {
    const { offset, length } = pixel.native;
    const needed = nativePixelBytes(attributes);
    if (length < needed) {
      throw dicomError('DICOM_PIXEL_DATA_TOO_SHORT', `Pixel Data holds ${length} bytes; ${attributes.numberOfFrames} frame(s) of ${attributes.rows}x${attributes.columns} need ${needed}.`);
    }
    const vr = keyword === 'FloatPixelData' ? 'OF' : keyword === 'DoubleFloatPixelData' ? 'OD' : pixel.vr === 'OB' || pixel.vr === 'OW' ? pixel.vr : attributes.bitsAllocated <= 8 ? 'OB' : 'OW';
    return { kind: 'native', bytes: bytes.subarray(offset, offset + length), bigEndian: !littleEndian, vr };
  }
  const frames = encapsulatedFrames(bytes, pixel, dataset, attributes.numberOfFrames);
  return transferSyntaxUid === DEFLATED_IMAGE_FRAME_COMPRESSION ? { kind: 'deflatedFrames', frames } : { kind: 'encapsulated', frames };
}
