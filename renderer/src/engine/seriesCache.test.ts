import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesView } from '../../../shared/ipc/contract';
import type * as DataChannel from '../api/dataChannel';
import type { Frame } from '../api/dataChannel';

/**
 * The series cache against a stand-in back end: frame 2's file is damaged, and the back end has
 * dropped the series (memory budget) by the time frame 3 is asked for. The damaged frame fails alone
 * and the rest load; the dropped series is opened again once and frame 3 still arrives.
 */
const backend = vi.hoisted(() => ({ opens: 0, requests: [] as number[], repaired: false }));

vi.mock('../api/client', () => ({
  call: vi.fn(async (_domain: string, method: string) => {
    if (method !== 'openSeries') throw new Error(`unexpected ${method}`);
    backend.opens++;
    const view = { seriesInstanceUid: '1.2.3', frames: 6, rows: 2, columns: 2, samplesPerPixel: 1, sampleType: 'int16' } as Partial<SeriesView>;
    return { ok: true, value: view };
  }),
}));

vi.mock('../api/dataChannel', async (importOriginal) => {
  const original = await importOriginal<typeof DataChannel>();
  return {
    ...original,
    fetchFrame: vi.fn(async (_uid: string, k: number): Promise<Frame> => {
      backend.requests.push(k);
      if (k === 2 && !backend.repaired) throw new original.FrameError('DICOM_DECODE_FAILED', 'The JPEG-LS compressed image could not be decoded.');
      if (k === 3 && backend.requests.filter((r) => r === 3).length === 1) {
        throw new original.FrameError('VIEWER_SERIES_NOT_OPEN', 'Open the series before asking for its pixels.');
      }
      return { sampleType: 'int16', rows: 2, columns: 2, samplesPerPixel: 1, samples: new Int16Array(4).fill(k + 1) };
    }),
  };
});

const { SeriesCache } = await import('./seriesCache');

describe('the series cache', () => {
  beforeEach(() => {
    backend.opens = 0;
    backend.requests = [];
    backend.repaired = false;
  });

  it('loads every frame past a damaged one, and opens a series the back end dropped once more', async () => {
    const series = await new SeriesCache().get('1.2.3');
    await series.complete;
    expect(series.loadedCount).toBe(5);
    expect([...series.failed]).toEqual([[2, 'The JPEG-LS compressed image could not be decoded.']]);
    expect(backend.opens).toBe(2);
    expect(backend.requests.filter((r) => r === 3)).toHaveLength(2);
    for (let k = 0; k < 6; k++) expect(Array.from(series.data.subarray(k * 4, k * 4 + 4))).toEqual(Array(4).fill(k === 2 ? 0 : k + 1));
  });

  it('loads a series afresh when it is asked for again after frames failed (the file may be back), and keeps a whole one', async () => {
    const cache = new SeriesCache();
    const damaged = await cache.get('1.2.3');
    await damaged.complete;
    expect(damaged.failed.size).toBe(1);
    backend.repaired = true;
    const again = await cache.get('1.2.3');
    await again.complete;
    expect(again).not.toBe(damaged);
    expect(again.failed.size).toBe(0);
    expect(again.loadedCount).toBe(6);
    expect(Array.from(again.data.subarray(8, 12))).toEqual([3, 3, 3, 3]);
    // whole now: asked for once more, it is the same series, not loaded again
    const opens = backend.opens;
    expect(await cache.get('1.2.3')).toBe(again);
    expect(backend.opens).toBe(opens);
  });
});
