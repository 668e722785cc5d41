import { dicomError } from '../dicomError';
import type { DecodedFrame } from '../types';
import { openDicomFile, parseDicomBytes } from '../parse/index';
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
export function assertPlaneShape(frame: DecodedFrame, target: { rows: number; columns: number }): void {
  if (frame.rows !== target.rows || frame.columns !== target.columns || frame.samplesPerPixel !== 1) {
    throw dicomError('DICOM_SERIES_INCONSISTENT', `A plane decodes to ${frame.rows}x${frame.columns}x${frame.samplesPerPixel}, not ${target.rows}x${target.columns} like the rest of its series.`);
  }
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  const handle = await openDicomFile(path);
  try {
    const { size } = await handle.stat();
    const bytes = scratchBytes('file', size) ?? new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function decodePlaneJob(job: PlaneJob): Promise<void> {
  return withScratchBuffers(async () => {
    const parsed = parseDicomBytes(await readFileBytes(job.path));
    const frame = await decodeFrameJob(frameJob(parsed, job.frameIndex));
    const { target } = job;
    assertPlaneShape(frame, target);
    writePlane(voxelArray(target.sampleType, target.buffer), target.offset, frame, target.slope, target.intercept);
  });
}
