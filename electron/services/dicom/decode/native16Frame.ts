import { fstatSync, readSync } from 'node:fs';
import { LONG_VRS, transferSyntaxLayout } from '../parse/index';
import type { ParsedDicom } from '../types';
import { imagePixelDescription } from './imagePixel';
import { nativeFrameSpan } from './native';

/**
 * Where an uncompressed, little-endian, 16-bit, one-sample frame lies in its file (most CT and MR), as a
 * header-only parse found it. Series assembly keeps it with the slice (and the library with the plane),
 * so a volume load reads the frame without parsing the header a second time; before it does, the file
 * must still have the same size and the same Pixel Data element at the same place (`isStillIn`).
 */
export interface Native16Frame {
  fileSize: number;
  /** Offset of the Pixel Data element's tag, and its header's length (8 implicit, 12 explicit VR). */
  elementOffset: number;
  elementHeaderLength: 8 | 12;
  /** The Pixel Data value's declared length. */
  valueLength: number;
  /** Offset of this frame's first sample in the file. */
  frameOffset: number;
  rows: number;
  columns: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
}

/** The frame's location, or null when it is not such a frame or its bytes are not all in the file. */
export function native16Frame(parsed: ParsedDicom, frameIndex: number): Native16Frame | null {
  const location = parsed.pixelDataLocation;
  if (!location || location.vr === 'OF' || location.vr === 'OD' || location.length === 0xffffffff) return null;
  const layout = transferSyntaxLayout(parsed.transferSyntaxUid);
  if (!layout.littleEndian || layout.encapsulated || layout.deflatedDataSet) return null;
  let image;
  try {
    image = imagePixelDescription(parsed.dataset);
  } catch {
    return null; // the general decode path reports what is wrong with the attributes
  }
  if (image.bitsAllocated !== 16 || image.samplesPerPixel !== 1 || !Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= image.numberOfFrames) return null;
  const span = nativeFrameSpan(image, frameIndex);
  if (span.byteOffset + span.byteLength > Math.min(location.length, location.available)) return null;
  const elementHeaderLength = layout.explicitVR && LONG_VRS.has(location.vr) ? 12 : 8;
  return {
    fileSize: location.offset + location.available,
    elementOffset: location.offset - elementHeaderLength,
    elementHeaderLength,
    valueLength: location.length,
    frameOffset: location.offset + span.byteOffset,
    rows: image.rows,
    columns: image.columns,
    bitsStored: image.bitsStored,
    highBit: image.highBit,
    pixelRepresentation: image.pixelRepresentation,
  };
}

const PIXEL_DATA_TAG = [0xe0, 0x7f, 0x10, 0x00];

/** Whether the open file still has this frame's size and Pixel Data element header (tag and length). */
export function isStillIn(fd: number, frame: Native16Frame): boolean {
  if (fstatSync(fd).size !== frame.fileSize) return false;
  const header = Buffer.allocUnsafe(frame.elementHeaderLength);
  if (readSync(fd, header, 0, header.length, frame.elementOffset) !== header.length) return false;
  if (PIXEL_DATA_TAG.some((b, i) => header[i] !== b)) return false;
  return header.readUInt32LE(header.length - 4) === frame.valueLength;
}
