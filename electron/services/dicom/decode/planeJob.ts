import { dicomError } from '../dicomError';
import type { DecodedFrame } from '../types';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openDicomFileSync, parseDicomBytes, parseDicomFileHeader, transferSyntaxLayout } from '../parse/index';
import { imagePixelDescription } from './imagePixel';
import { nativeFrameSpan } from './native';
import { toStoredValues } from './storedValues';
import { addToUint16, maskAndAddUint16 } from './uint16Lanes';
import { decodeFrameJob } from './decodeFrameJob';
import { frameJob } from './frameJob';
import { voxelArray, writePlane, type PlanePlacement } from './modalityPlane';
import { scratchBytes, withScratchBuffers } from './scratchBuffers';

/**
 * One plane of a volume, decoded where it is read: the worker reads and parses the file itself and
 * writes modality values into the volume's shared memory. Nothing but this small record and a
 * one-word answer crosses threads, so the main thread neither parses, copies nor converts pixels.
 */
export interface PlaneJob {
  path: string;
  frameIndex: number;
  target: PlanePlacement & { buffer: SharedArrayBuffer };
}

/** A plane of a volume must decode to the series' size and one sample per pixel. */
export function assertPlaneShape(frame: Pick<DecodedFrame, 'rows' | 'columns' | 'samplesPerPixel'>, target: { rows: number; columns: number }): void {
  if (frame.rows !== target.rows || frame.columns !== target.columns || frame.samplesPerPixel !== 1) {
    throw dicomError('DICOM_SERIES_INCONSISTENT', `A plane decodes to ${frame.rows}x${frame.columns}x${frame.samplesPerPixel}, not ${target.rows}x${target.columns} like the rest of its series.`);
  }
}

/**
 * The whole file into the plane job's scratch buffer. Synchronous on purpose: this runs in a decode
 * worker that has nothing else to do meanwhile, and the promise file API's four round trips cost more
 * than the read of a cached file.
 */
function readFileBytes(path: string): Uint8Array {
  const fd = openDicomFileSync(path);
  try {
    const { size } = fstatSync(fd);
    const bytes = scratchBytes('file', size)!;
    return bytes.subarray(0, readSync(fd, bytes, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}

export function decodePlaneJob(job: PlaneJob): Promise<void> {
  return withScratchBuffers(async () => {
    if (readNativePlaneInPlace(job)) return;
    const parsed = parseDicomBytes(readFileBytes(job.path));
    const frame = await decodeFrameJob(frameJob(parsed, job.frameIndex));
    const { target } = job;
    assertPlaneShape(frame, target);
    writePlane(voxelArray(target.sampleType, target.buffer), target.offset, frame, target.slope, target.intercept);
  });
}

/**
 * The fast path for uncompressed 16-bit little-endian planes going into a 16-bit volume with an integer
 * intercept (CT and MR as most scanners write them): the frame's bytes are read from the file straight
 * into their place in the volume, then masked and offset there while they are in cache. Every other
 * plane takes the general path (returns false). A pass over the volume's memory is most of an
 * uncompressed load, so skipping the intermediate copy roughly halves it (npm run bench, volumeLoad).
 */
function readNativePlaneInPlace(job: PlaneJob): boolean {
  const { target } = job;
  if ((target.sampleType !== 'int16' && target.sampleType !== 'uint16') || target.slope !== 1 || !Number.isInteger(target.intercept)) return false;
  const header = parseDicomFileHeader(job.path);
  const location = header.pixelDataLocation;
  const layout = transferSyntaxLayout(header.transferSyntaxUid);
  if (!location || location.vr === 'OF' || location.vr === 'OD' || !layout.littleEndian || layout.encapsulated || layout.deflatedDataSet) return false;
  const image = imagePixelDescription(header.dataset);
  if (image.bitsAllocated !== 16 || image.samplesPerPixel !== 1) return false;
  assertPlaneShape({ rows: image.rows, columns: image.columns, samplesPerPixel: 1 }, target);
  if (!Number.isInteger(job.frameIndex) || job.frameIndex < 0 || job.frameIndex >= image.numberOfFrames) {
    throw dicomError('DICOM_FRAME_OUT_OF_RANGE', `Frame ${job.frameIndex + 1} does not exist; the image has ${image.numberOfFrames} frame(s).`);
  }
  const span = nativeFrameSpan(image, job.frameIndex);
  const place = new Uint8Array(target.buffer, target.offset * 2, span.byteLength);
  const fd = openDicomFileSync(job.path);
  let bytesRead: number;
  try {
    // The declared length bounds the read: bytes after a short Pixel Data value are not pixels.
    const available = Math.max(0, Math.min(span.byteLength, location.length - span.byteOffset));
    bytesRead = readSync(fd, place, 0, available, location.offset + span.byteOffset);
  } finally {
    closeSync(fd);
  }
  if (bytesRead < span.byteLength) {
    throw dicomError('DICOM_PIXEL_DATA_TOO_SHORT', `The image data is shorter than its declared size: frame ${job.frameIndex + 1} needs ${span.byteLength} bytes, there are ${bytesRead}.`);
  }
  const n = image.rows * image.columns;
  const voxels = target.sampleType === 'int16' ? new Int16Array(target.buffer, target.offset * 2, n) : new Uint16Array(target.buffer, target.offset * 2, n);
  if (image.pixelRepresentation === 0) {
    const shift = image.highBit + 1 - image.bitsStored;
    maskAndAddUint16(voxels, shift, image.bitsStored === 16 ? 0xffff : (1 << image.bitsStored) - 1, target.intercept);
  } else {
    // Signed: sign-extend Bits Stored in place (PS3.5 8.1.1), then add the intercept.
    const stored = toStoredValues(new Int16Array(target.buffer, target.offset * 2, n), image) as Int16Array;
    addToUint16(voxels, 0, stored, n, target.intercept);
  }
  return true;
}
