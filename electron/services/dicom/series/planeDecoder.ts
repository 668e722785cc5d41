import type { DecodePool } from '../decode/index';
import { parseDicomFile } from '../parse/index';
import type { ParsedDicom } from '../types';
import type { PlaneDecoder } from './buildVolume';
import type { SliceHeader } from './sliceHeader';

/**
 * A PlaneDecoder over the decode worker pool: each file is read once (full parse, pixel payload viewed
 * in place), and a multi-frame file stays parsed only until its last frame has been handed to the pool.
 */
export function poolPlaneDecoder(pool: DecodePool): PlaneDecoder {
  const open = new Map<string, { parsed: Promise<ParsedDicom>; remaining: number }>();
  return async (slice: SliceHeader, signal?: AbortSignal) => {
    let entry = open.get(slice.path);
    if (!entry) {
      entry = { parsed: parseDicomFile(slice.path), remaining: slice.planesInFile };
      if (slice.planesInFile > 1) open.set(slice.path, entry);
    }
    if (--entry.remaining <= 0) open.delete(slice.path);
    const parsed = await entry.parsed;
    return pool.decode(parsed, slice.frameIndex, { signal });
  };
}
