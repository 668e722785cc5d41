import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesView } from '../../../shared/ipc/contract';
import type * as DataChannel from '../api/dataChannel';
import type { Frame } from '../api/dataChannel';

/**
 * The series cache against a stand-in back end: frame 2's file is damaged, and the back end has
 * dropped the series (memory budget) by the time frame 3 is asked for. The damaged frame fails alone
 * and the rest load; the dropped series is opened again once and frame 3 still arrives.
 */
const backend = vi.hoisted(() => ({ opens: 0, requests: [] as number[] }));

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
      if (k === 2) throw new original.FrameError('DICOM_DECODE_FAILED', 'The JPEG-LS compressed image could not be decoded.');
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
});
