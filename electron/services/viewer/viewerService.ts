import os from 'node:os';
import { LumenError } from '../../../shared/domain/errors';
import type { SeriesView } from '../../../shared/ipc/contract';
import { parseDicomFile } from '../dicom/parse/index';
import { createDecodePool, type DecodePool } from '../dicom/decode/index';
import { pipelineParameters } from '../dicom/decode/pipelineParameters';
import { buildVolume, poolPlaneDecoder, writePlane, type AssembledSeries, type SliceHeader, type Volume } from '../dicom/series/index';
import { applyPalette } from '../../../shared/imaging/paletteColor';
import { ybrFullToRgb } from '../../../shared/imaging/ybrColour';
import type { DecodedFrame, NaturalDataset, ParsedDicom } from '../dicom/types';
import type { EventBus } from '../eventBus';
import type { LibraryService } from '../library/libraryService';
import { layoutStoredSeries } from './seriesLayout';
import { middleOutOrder } from '../../../shared/domain/loadOrder';

/** One frame as the data channel sends it: raw samples and how to read them. */
export interface FramePayload {
  sampleType: SeriesView['sampleType'];
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bytes: Uint8Array;
}

interface OpenSeries {
  view: SeriesView;
  slices: SliceHeader[];
  first: NaturalDataset;
  /** volume kind: filled in place by buildVolume; planes flagged as they land. */
  volume?: Volume;
  loaded: Uint8Array;
  /** volume kind: planes whose file could not be decoded; the rest of the series still loads. */
  failedPlanes: Map<number, LumenError>;
  waiters: Map<number, ((error?: LumenError) => void)[]>;
  /** images kind: frames decoded on request, kept while the series is open. */
  frames: Map<number, Promise<FramePayload>>;
  /** images kind: the multi-frame file being shown (a cine), read and parsed once for all its frames. */
  multiFrameFile?: { path: string; parsed: Promise<ParsedDicom> };
  bytes: number;
  abort: AbortController;
  failure?: LumenError;
  /**
   * Instances were added to the series since it was laid out: it keeps serving the frames of the layout
   * the renderer holds, and the next open lays it out afresh.
   */
  outOfDate?: boolean;
}

const BYTES = { uint8: 1, int16: 2, uint16: 2, float32: 4 } as const;

/**
 * Opens series for viewing: assembles them from headers, decodes them in the worker pool into one
 * array per series (middle slice first) and serves frames to the data channel as soon as each is in.
 * Open series are kept within a byte budget, least recently used evicted first.
 */
export class ViewerService {
  private pool: DecodePool | null = null;
  private readonly open = new Map<string, OpenSeries>();
  private readonly stopListening: () => void;

  constructor(
    private readonly library: Pick<LibraryService, 'seriesPlanes'>,
    private readonly events: EventBus,
    private readonly byteBudget = Math.min(4 * 2 ** 30, os.totalmem() * 0.4),
  ) {
    this.stopListening = events.on('library.changed', ({ seriesInstanceUids }) => {
      for (const uid of seriesInstanceUids) {
        const entry = this.open.get(uid);
        if (entry) entry.outOfDate = true;
      }
    });
  }

  private decodePool(): DecodePool {
    this.pool ??= createDecodePool();
    return this.pool;
  }

  /**
   * Starts the decode workers ahead of the first open: a worker's start-up (loader, codec modules) would
   * otherwise delay the first image the user asks for.
   */
  warmUp(): void {
    void this.decodePool().warm();
  }

  async openSeries(seriesInstanceUid: string): Promise<SeriesView> {
    const cached = this.open.get(seriesInstanceUid);
    if (cached && !cached.failure && !finishedWithFailures(cached) && !cached.outOfDate) {
      this.touch(seriesInstanceUid, cached);
      return cached.view;
    }
    // Opened again after planes failed (a disk that came back, a file put right), or after images were
    // added to it: read it afresh.
    cached?.abort.abort();
    this.open.delete(seriesInstanceUid);
    const stored = this.library.seriesPlanes(seriesInstanceUid);
    if (stored.length === 0) throw new LumenError('VIEWER_SERIES_NOT_FOUND', 'This series is not in the library.');

    const { series, first, view, isVolume } = await layoutStoredSeries(stored);
    const entry: OpenSeries = {
      view,
      slices: series.slices,
      first,
      loaded: new Uint8Array(series.slices.length),
      failedPlanes: new Map(),
      waiters: new Map(),
      frames: new Map(),
      bytes: isVolume ? series.rows * series.columns * series.slices.length * BYTES[view.sampleType] : 0,
      abort: new AbortController(),
    };
    this.open.set(seriesInstanceUid, entry);
    this.evict(seriesInstanceUid);
    if (isVolume) this.load(entry, series);
    return view;
  }

  private load(entry: OpenSeries, series: AssembledSeries): void {
    const total = series.slices.length;
    let lastEmit = 0;
    buildVolume(series, {
      decode: poolPlaneDecoder(this.decodePool()),
      concurrency: Math.max(2, this.decodePool().size * 2),
      signal: entry.abort.signal,
      order: middleOutOrder(total),
      onAllocated: (volume) => (entry.volume = volume),
      onPlane: (k) => {
        entry.loaded[k] = 1;
        entry.waiters.get(k)?.forEach((wake) => wake());
        entry.waiters.delete(k);
      },
      onPlaneFailed: (k, error) => {
        entry.failedPlanes.set(k, error);
        entry.waiters.get(k)?.forEach((wake) => wake(error));
        entry.waiters.delete(k);
      },
      onProgress: (done) => {
        const now = performance.now();
        if (done === total || now - lastEmit > 100) {
          lastEmit = now;
          this.events.emit('viewer.loadProgress', { seriesInstanceUid: entry.view.seriesInstanceUid, loaded: done, total });
        }
      },
    }).catch((error: unknown) => {
      entry.failure =
        error instanceof LumenError ? error : new LumenError('VIEWER_LOAD_FAILED', 'The series could not be loaded completely.');
      for (const wakers of entry.waiters.values()) wakers.forEach((wake) => wake(entry.failure));
      entry.waiters.clear();
    });
  }

  /** Frame k in display order; waits until it is decoded. */
  async frame(seriesInstanceUid: string, k: number): Promise<FramePayload> {
    const entry = this.open.get(seriesInstanceUid);
    if (!entry) throw new LumenError('VIEWER_SERIES_NOT_OPEN', 'Open the series before asking for its pixels.');
    if (!Number.isInteger(k) || k < 0 || k >= entry.view.frames) throw new LumenError('VIEWER_FRAME_OUT_OF_RANGE', `Frame ${k} does not exist.`);
    this.touch(seriesInstanceUid, entry);
    if (entry.view.kind === 'images') {
      let frame = entry.frames.get(k);
      if (!frame) {
        frame = this.decodeImage(entry, k);
        entry.frames.set(k, frame);
        frame.catch(() => entry.frames.delete(k));
      }
      return frame;
    }
    if (!entry.loaded[k]) {
      const failure = entry.failedPlanes.get(k) ?? entry.failure;
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => {
        const list = entry.waiters.get(k) ?? [];
        list.push((error) => (error ? reject(error) : resolve()));
        entry.waiters.set(k, list);
      });
    }
    const volume = entry.volume!;
    const planeSize = entry.view.rows * entry.view.columns;
    const bytesPerSample = volume.voxels.BYTES_PER_ELEMENT;
    return {
      sampleType: entry.view.sampleType,
      rows: entry.view.rows,
      columns: entry.view.columns,
      samplesPerPixel: 1,
      // a view of the plane inside the volume: no copy
      bytes: new Uint8Array(volume.voxels.buffer, volume.voxels.byteOffset + k * planeSize * bytesPerSample, planeSize * bytesPerSample),
    };
  }

  private async decodeImage(entry: OpenSeries, k: number): Promise<FramePayload> {
    const slice = entry.slices[k]!;
    let parsed: ParsedDicom;
    if (slice.planesInFile > 1) {
      // Frames of one file (a cine of hundreds) would otherwise read the whole file once per frame.
      if (entry.multiFrameFile?.path !== slice.path) entry.multiFrameFile = { path: slice.path, parsed: parseDicomFile(slice.path) };
      parsed = await entry.multiFrameFile.parsed;
    } else {
      parsed = await parseDicomFile(slice.path);
    }
    const frame = await this.decodePool().decode(parsed, slice.frameIndex, { signal: entry.abort.signal });
    const { rows, columns } = frame;
    if (entry.view.samplesPerPixel === 3) return { sampleType: 'uint8', rows, columns, samplesPerPixel: 3, bytes: toRgb8(frame, pipelineParameters(parsed.dataset, slice.frameIndex).palette) };
    const ArrayType = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, float32: Float32Array }[entry.view.sampleType];
    const values = new ArrayType(rows * columns);
    writePlane(values, 0, frame, slice.rescale.slope, slice.rescale.intercept);
    return { sampleType: entry.view.sampleType, rows, columns, samplesPerPixel: 1, bytes: new Uint8Array(values.buffer) };
  }

  private touch(uid: string, entry: OpenSeries): void {
    this.open.delete(uid);
    this.open.set(uid, entry);
  }

  /** Drops least recently used series (never the one just opened) until the budget holds. */
  private evict(keep: string): void {
    let total = [...this.open.values()].reduce((sum, e) => sum + e.bytes, 0);
    for (const [uid, entry] of this.open) {
      if (total <= this.byteBudget) break;
      if (uid === keep) continue;
      entry.abort.abort();
      this.open.delete(uid);
      total -= entry.bytes;
    }
  }

  async dispose(): Promise<void> {
    this.stopListening();
    for (const entry of this.open.values()) entry.abort.abort();
    this.open.clear();
    await this.pool?.dispose();
    this.pool = null;
  }
}

/** Colour frames to 8-bit interleaved RGB for display (palette expanded, YBR_FULL converted). */
export function toRgb8(frame: DecodedFrame, palette: ReturnType<typeof pipelineParameters>['palette']): Uint8Array {
  const n = frame.rows * frame.columns;
  if (palette && frame.samplesPerPixel === 1) {
    const rgb16 = applyPalette(frame.pixels, palette);
    // Palette entries are 8 or 16 bits as the descriptor says (PS3.3 C.7.6.3.1.5).
    const shift = palette.red.bitsPerEntry > 8 ? 8 : 0;
    const out = new Uint8Array(n * 3);
    for (let i = 0; i < out.length; i++) out[i] = rgb16[i]! >> shift;
    return out;
  }
  const pi = frame.photometricInterpretation.toUpperCase();
  const src = pi === 'YBR_FULL' || pi === 'YBR_FULL_422' ? ybrFullToRgb(frame.pixels) : frame.pixels;
  if (src instanceof Uint8Array) return src;
  const shift = Math.max(0, frame.bitsStored - 8);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < out.length; i++) out[i] = (src[i] as number) >> shift;
  return out;
}

/** A volume whose load has ended with planes missing. */
function finishedWithFailures(entry: OpenSeries): boolean {
  if (entry.failedPlanes.size === 0) return false;
  let loaded = 0;
  for (const flag of entry.loaded) loaded += flag;
  return loaded + entry.failedPlanes.size === entry.loaded.length;
}
