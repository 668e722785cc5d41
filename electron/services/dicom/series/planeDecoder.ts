import type { DecodePool } from '../decode/index';
import { writePlane } from '../decode/modalityPlane';
import { assertPlaneShape } from '../decode/planeJob';
import { parseDicomFile } from '../parse/index';
import type { ParsedDicom } from '../types';
import type { PlaneDecoder } from './buildVolume';
import type { SliceHeader } from './sliceHeader';

/**
 * A PlaneDecoder over the decode worker pool. A single-frame file is read, decoded and written into the
 * volume's shared memory by the worker (the common CT/MR case: nothing but a path crosses threads). A
 * multi-frame file is read once here and stays parsed only until its last frame has been handed to the
 * pool, so an enhanced series is not read once per frame.
 */
export function poolPlaneDecoder(pool: DecodePool): PlaneDecoder {
  const open = new Map<string, { parsed: Promise<ParsedDicom>; remaining: number }>();
  return async (slice: SliceHeader, target, signal?: AbortSignal) => {
    const { buffer } = target.voxels;
    if (slice.planesInFile === 1 && buffer instanceof SharedArrayBuffer) {
      const { voxels: _, ...place } = target;
      return pool.decodePlane({ path: slice.path, frameIndex: slice.frameIndex, ...(slice.native16 ? { native16: slice.native16 } : {}), target: { ...place, buffer } }, { ...(signal ? { signal } : {}) });
    }
    let entry = open.get(slice.path);
    if (!entry) {
      entry = { parsed: parseDicomFile(slice.path), remaining: slice.planesInFile };
      if (slice.planesInFile > 1) open.set(slice.path, entry);
    }
    if (--entry.remaining <= 0) open.delete(slice.path);
    const frame = await pool.decode(await entry.parsed, slice.frameIndex, { ...(signal ? { signal } : {}) });
    assertPlaneShape(frame, target);
    writePlane(target.voxels, target.offset, frame, target.slope, target.intercept);
  };
}
