import { dicomError } from '../dicomError';
import type { ParsedDicom } from '../types';
import { imagePixelDescription, type ImagePixelDescription } from './imagePixel';
import { nativeFrameSpan } from './native';
import { transferSyntaxInfo } from './transferSyntax';

/**
 * Everything needed to decode one frame, as plain data: what a worker receives. `data` is the frame's
 * encoded bytes (or native bytes); the pool transfers its buffer instead of copying it.
 */
export interface FrameJob {
  transferSyntaxUid: string;
  image: ImagePixelDescription;
  data: Uint8Array;
  /** Native 1-bit frames may start inside a byte (PS3.5 8.1.1). */
  bitOffset: number;
  bigEndian: boolean;
  vr: string;
}

export function frameJob(parsed: ParsedDicom, frameIndex: number): FrameJob {
  const pixelData = parsed.pixelData;
  if (!pixelData) throw dicomError('DICOM_PIXEL_DATA_MISSING', 'This object has no image pixels to show.');
  transferSyntaxInfo(parsed.transferSyntaxUid);
  const floatVr = pixelData.kind === 'native' && (pixelData.vr === 'OF' || pixelData.vr === 'OD') ? pixelData.vr : undefined;
  const image = imagePixelDescription(parsed.dataset, floatVr);
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= image.numberOfFrames) {
    throw dicomError('DICOM_FRAME_OUT_OF_RANGE', `Frame ${frameIndex + 1} does not exist; the image has ${image.numberOfFrames} frame(s).`);
  }
  const base = { transferSyntaxUid: parsed.transferSyntaxUid, image };
  if (pixelData.kind === 'native') {
    const span = nativeFrameSpan(image, frameIndex);
    if (span.byteOffset + span.byteLength > pixelData.bytes.length) {
      throw dicomError(
        'DICOM_PIXEL_DATA_TOO_SHORT',
        `The image data is shorter than its declared size: frame ${frameIndex + 1} needs bytes up to ${span.byteOffset + span.byteLength}, there are ${pixelData.bytes.length}.`,
      );
    }
    return {
      ...base,
      data: pixelData.bytes.subarray(span.byteOffset, span.byteOffset + span.byteLength),
      bitOffset: span.bitOffset,
      bigEndian: pixelData.bigEndian,
      vr: pixelData.vr,
    };
  }
  const frame = pixelData.frames[frameIndex];
  if (!frame) {
    throw dicomError('DICOM_DECODE_FAILED', `Frame ${frameIndex + 1} is missing from the compressed pixel data (${pixelData.frames.length} found).`);
  }
  return { ...base, data: frame, bitOffset: 0, bigEndian: false, vr: 'OB' };
}
