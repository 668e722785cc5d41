import { call } from '../api/client';
import { FrameError, fetchFrame, type SampleArray } from '../api/dataChannel';
import type { SeriesView } from '../../../shared/ipc/contract';
import { middleOutOrder } from '../../../shared/domain/loadOrder';

/**
 * A series in the renderer: one typed array for all its frames (the volume, in display order), filled
 * frame by frame as they arrive over the data channel, middle first. Viewports read planes as views
 * into it; nothing is copied per slice.
 */
export interface LoadedSeries {
  view: SeriesView;
  /** frames * rows * columns * samplesPerPixel samples, in the series' sample type. */
  data: SampleArray;
  loaded: Uint8Array;
  loadedCount: number;
  /**
   * Frames that could not be produced (a damaged file), with the reason: their samples stay 0, which is
   * no value of the image, so nothing may show or measure them. The other frames load regardless.
   */
  failed: Map<number, string>;
  /** Settles when every frame has arrived or failed (or the load was aborted). */
  complete: Promise<void>;
  /** Runs when frame k has arrived or failed; returns the function that stops listening. */
  onFrame(listener: (k: number) => void): () => void;
  /** Bytes of pixel data held. */
  bytes: number;
  abort: AbortController;
}

const ARRAYS = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, float32: Float32Array } as const;
/** Frames requested at once: enough to keep the decode workers busy, few enough to let the first one win. */
const IN_FLIGHT = 6;

export class SeriesCache {
  private readonly series = new Map<string, Promise<LoadedSeries>>();
  /** Series whose load ended with frames missing: asked for again, they load afresh (the file may be back). */
  private readonly incomplete = new Set<string>();

  constructor(private readonly byteBudget = 1.5 * 2 ** 30) {}

  get(seriesInstanceUid: string): Promise<LoadedSeries> {
    if (this.incomplete.delete(seriesInstanceUid)) this.series.delete(seriesInstanceUid);
    let entry = this.series.get(seriesInstanceUid);
    if (entry) {
      // most recently used last
      this.series.delete(seriesInstanceUid);
      this.series.set(seriesInstanceUid, entry);
      return entry;
    }
    entry = this.load(seriesInstanceUid);
    this.series.set(seriesInstanceUid, entry);
    void entry.then(
      () => this.evict(seriesInstanceUid),
      () => this.series.delete(seriesInstanceUid),
    );
    return entry;
  }

  private async load(seriesInstanceUid: string): Promise<LoadedSeries> {
    const opened = await call('viewer', 'openSeries', { seriesInstanceUid });
    if (!opened.ok) throw new Error(opened.error.message);
    const view = opened.value;
    const planeSamples = view.rows * view.columns * view.samplesPerPixel;
    const data = new ARRAYS[view.sampleType](planeSamples * view.frames);
    const listeners = new Set<(k: number) => void>();
    const abort = new AbortController();
    const series: LoadedSeries = {
      view,
      data,
      loaded: new Uint8Array(view.frames),
      loadedCount: 0,
      failed: new Map(),
      complete: Promise.resolve(),
      onFrame: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      bytes: data.byteLength,
      abort,
    };
    const order = middleOutOrder(view.frames);
    let next = 0;
    // The back end drops series it has not served for a while when its memory budget is full; if it
    // dropped this one while frames were still on their way, it is opened once more, not given up.
    let reopened: Promise<unknown> | null = null;
    const fetchOrReopen = async (k: number) => {
      try {
        return await fetchFrame(seriesInstanceUid, k, abort.signal);
      } catch (error) {
        if (!(error instanceof FrameError) || error.code !== 'VIEWER_SERIES_NOT_OPEN' || abort.signal.aborted) throw error;
        reopened ??= call('viewer', 'openSeries', { seriesInstanceUid });
        await reopened;
        return fetchFrame(seriesInstanceUid, k, abort.signal);
      }
    };
    const worker = async () => {
      while (next < order.length && !abort.signal.aborted) {
        const k = order[next++]!;
        let frame;
        try {
          frame = await fetchOrReopen(k);
        } catch (error) {
          // One damaged file must not stop the others: this worker goes on with the next frame.
          if (abort.signal.aborted) throw error;
          series.failed.set(k, error instanceof FrameError ? error.message : 'The frame could not be loaded.');
          listeners.forEach((listener) => listener(k));
          continue;
        }
        data.set(frame.samples as never, k * planeSamples);
        series.loaded[k] = 1;
        series.loadedCount++;
        listeners.forEach((listener) => listener(k));
      }
    };
    series.complete = Promise.all(Array.from({ length: Math.min(IN_FLIGHT, view.frames) }, worker)).then(() => {
      performance.mark('lumen:series-loaded', { detail: seriesInstanceUid });
      if (series.failed.size > 0 && this.series.has(seriesInstanceUid)) this.incomplete.add(seriesInstanceUid);
    });
    series.complete.catch(() => undefined);
    return series;
  }

  /**
   * Series that gained images (library.changed): their loads stop and the next `get` reads them afresh.
   * Stopping first matters: the back end lays the series out again on that open, and a frame index of
   * the old layout would then fetch another image.
   */
  invalidate(seriesInstanceUids: readonly string[]): void {
    for (const uid of seriesInstanceUids) {
      const entry = this.series.get(uid);
      if (!entry) continue;
      this.series.delete(uid);
      this.incomplete.delete(uid);
      void entry.then((s) => s.abort.abort(), () => undefined);
    }
  }

  /** Least recently used series leave first; the one just loaded stays. */
  private async evict(keep: string): Promise<void> {
    const entries = await Promise.all([...this.series].map(async ([uid, p]) => [uid, await p.catch(() => null)] as const));
    let total = entries.reduce((sum, [, s]) => sum + (s?.bytes ?? 0), 0);
    for (const [uid, s] of entries) {
      if (total <= this.byteBudget) break;
      if (uid === keep || !s) continue;
      s.abort.abort();
      this.series.delete(uid);
      this.incomplete.delete(uid);
      total -= s.bytes;
    }
  }
}

/** The renderer's one series cache: viewports, thumbnails and tools share the same pixel arrays. */
export const seriesCache = new SeriesCache();
