/**
 * Reusable per-thread buffers for decoding volume planes. A plane job reads a file, decodes it and
 * writes the values into the volume before the next job starts, so its intermediate arrays (the file's
 * bytes, the codec's output, the frame's samples) need not be new each time. Fresh half-megabyte arrays
 * per plane are garbage a worker collects late: they showed as about the volume's size again in peak
 * RSS (npm run bench, volumeLoad). Outside withScratchBuffers every caller gets fresh arrays, as frame
 * jobs must: their pixels are transferred to another thread.
 */
type Slot = 'file' | 'codec' | 'samples';

let active = false;
const slots = new Map<Slot, ArrayBuffer>();

/** `byteLength` bytes of the slot's buffer (grown as needed), or null outside withScratchBuffers. */
export function scratchBytes(slot: Slot, byteLength: number): Uint8Array | null {
  if (!active) return null;
  let buffer = slots.get(slot);
  if (!buffer || buffer.byteLength < byteLength) {
    buffer = new ArrayBuffer(Math.ceil(byteLength / 65536) * 65536);
    slots.set(slot, buffer);
  }
  return new Uint8Array(buffer, 0, byteLength);
}

/** True inside withScratchBuffers: arrays made now never leave this thread. */
export function inScratchScope(): boolean {
  return active;
}

/** Runs one plane job with the scratch buffers; nothing it returns may point into them. */
export async function withScratchBuffers<T>(job: () => Promise<T>): Promise<T> {
  active = true;
  try {
    return await job();
  } finally {
    active = false;
  }
}
