import { dicomError } from '../dicomError';
import type { DecodedFrame } from '../types';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openDicomFileSync, parseDicomBytes } from '../parse/index';
import { isStillIn, type Native16Frame } from './native16Frame';
import { KERNEL_MAX_BYTES, kernelScratch, storedPlusAddend16 } from './storedSamples16';
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
  /** Where the index found the frame, for uncompressed 16-bit planes (read without parsing the header). */
  native16?: Native16Frame;
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
    if (readNative16BitPlane(job)) return;
    const parsed = parseDicomBytes(readFileBytes(job.path));
    const frame = await decodeFrameJob(frameJob(parsed, job.frameIndex));
    const { target } = job;
    assertPlaneShape(frame, target);
    writePlane(voxelArray(target.sampleType, target.buffer), target.offset, frame, target.slope, target.intercept);
  });
}

/**
 * The fast path for uncompressed 16-bit little-endian planes going into a 16-bit volume with an integer
 * intercept (CT and MR as most scanners write them), located by the index (`job.native16`): the frame's
 * bytes are read from the file into the SIMD kernel's memory, turned into stored values plus the
 * intercept there while they are in cache, and copied into their place in the volume. A file that no
 * longer matches what the index saw, and every other plane, takes the general path (returns false).
 */
function readNative16BitPlane(job: PlaneJob): boolean {
  const { target, native16: frame } = job;
  if (!frame) return false;
  const n = frame.rows * frame.columns;
  if ((target.sampleType !== 'int16' && target.sampleType !== 'uint16') || target.slope !== 1 || !Number.isInteger(target.intercept) || n * 2 > KERNEL_MAX_BYTES) return false;
  assertPlaneShape({ rows: frame.rows, columns: frame.columns, samplesPerPixel: 1 }, target);
  const fd = openDicomFileSync(job.path);
  try {
    if (!isStillIn(fd, frame)) return false;
    const scratch = kernelScratch(n * 2);
    const bytesRead = readSync(fd, scratch, 0, n * 2, frame.frameOffset);
    // The index saw the whole frame in a file of this size; fewer bytes now means it shrank meanwhile.
    if (bytesRead < n * 2) throw dicomError('DICOM_PIXEL_DATA_TOO_SHORT', `The image data ends ${n * 2 - bytesRead} bytes early; the file changed while it was read.`);
    // Int16 and Uint16 volumes hold the same bits: the copy is a plain memory copy either way.
    new Uint16Array(target.buffer, target.offset * 2, n).set(storedPlusAddend16(n, frame, target.intercept));
    return true;
  } finally {
    closeSync(fd);
  }
}
