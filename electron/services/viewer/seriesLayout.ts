import { LumenError } from '../../../shared/domain/errors';
import type { SeriesView } from '../../../shared/ipc/contract';
import { readHeadersAhead } from '../dicom/import/index';
import { parseDicomFileHeader } from '../dicom/parse/index';
import { pipelineParameters } from '../dicom/decode/pipelineParameters';
import { assembleSeries, groupSeries, sliceHeaders, voxelTypeFor, type AssembledSeries, type SliceHeader } from '../dicom/series/index';
import type { NaturalDataset } from '../dicom/types';
import { seriesView } from './seriesView';
import type { StoredPlane } from '../library/instanceRecord';
import { middleOutOrder } from '../../../shared/domain/loadOrder';

/** A series as the viewer lays it out: frame k of the view is `series.slices[k]`. */
export interface SeriesLayout {
  series: AssembledSeries;
  /** The data set of the image shown first (the middle one), or of the nearest one that reads. */
  first: NaturalDataset;
  view: SeriesView;
  isVolume: boolean;
}

/** A library series' files with the planes stored at import (null where none were). */
export type StoredSeriesFiles = readonly { path: string; planes: readonly StoredPlane[] | null }[];

/** Lays out a library series from the planes stored at import: only files without them are read. */
export function layoutStoredSeries(stored: StoredSeriesFiles): Promise<SeriesLayout> {
  return layoutSeries(
    stored.map((f) => f.path),
    stored.map((f) => f.planes),
  );
}

/**
 * Reads a series' headers and lays it out the way the viewer shows it (largest stack, sorted in patient
 * space). The viewer opens series with it and SR export/import resolve frames with it, so "frame k"
 * means the same image everywhere.
 */
export async function layoutSeries(files: readonly string[], stored: readonly (readonly StoredPlane[] | null)[] = []): Promise<SeriesLayout> {
  // Header-only reads, several in flight, of the files whose planes the library did not store at import.
  // Planes stored before frames had their own window carry none: the series window stands in.
  const parsedHeaders: (SliceHeader[] | null)[] = files.map((file, i) => stored[i]?.map((plane) => ({ ...plane, window: plane.window ?? null, path: file })) ?? null);
  const datasets = new Map<string, NaturalDataset>();
  const toRead = files.flatMap((_, i) => (parsedHeaders[i] === null ? [i] : []));
  let n = 0;
  let firstFailure: string | null = null;
  for await (const read of readHeadersAhead(toRead.map((i) => files[i]!))) {
    const i = toRead[n++]!;
    // A file that no longer reads is left out; the count shows in the warnings.
    if (!read.ok) {
      firstFailure ??= read.error instanceof Error ? read.error.message : null;
      continue;
    }
    datasets.set(read.file, read.parsed.dataset);
    parsedHeaders[i] = sliceHeaders(read.file, read.parsed);
  }
  const headers = parsedHeaders.flatMap((h) => h ?? []);
  const groups = groupSeries(headers);
  const unreadableSeries = () => new LumenError('VIEWER_SERIES_UNREADABLE', `None of the images of this series could be read${firstFailure ? `: ${firstFailure}` : '.'}`);
  if (groups.length === 0) throw unreadableSeries();
  const group = groups.reduce((a, b) => (b.slices.length > a.slices.length ? b : a));
  const warnings: string[] = [];
  const unreadable = parsedHeaders.filter((h) => h === null).length;
  if (unreadable > 0) warnings.push(`${unreadable} file(s) of this series could not be read.`);
  if (groups.length > 1) warnings.push(`This series holds ${groups.length} separate stacks; showing the largest (${group.slices.length} images).`);
  const series = assembleSeries(group);
  const head = series.slices[0]!;
  // The data set the view takes its window, patient and study from: that of the image shown first (the
  // middle one), else the nearest that reads. Some scanners give each slice its own window (Siemens
  // MR): an edge slice's, set for noise, showed the anatomy white, and whichever file the library
  // listed first decided it.
  let first: NaturalDataset | null = null;
  for (const k of middleOutOrder(series.slices.length)) {
    const file = series.slices[k]!.path;
    const read = datasets.get(file) ?? (await readDataset(file));
    if (typeof read !== 'string') {
      first = read;
      break;
    }
    firstFailure ??= read;
  }
  if (!first) throw unreadableSeries();
  const palette = pipelineParameters(first).palette;
  const isVolume = !!(series.orientation && series.origin && series.pixelSpacing && head.samplesPerPixel === 1 && !palette);
  const colour = head.samplesPerPixel === 3 || !!palette;
  const sampleType = colour ? 'uint8' : voxelTypeFor(series.slices);
  return { series, first, view: seriesView(series, first, isVolume ? 'volume' : 'images', sampleType, warnings), isVolume };
}

/** One file's header data set, or why it does not read. */
function readDataset(file: string): Promise<NaturalDataset | string> {
  return parseDicomFileHeader(file).then(
    (parsed) => parsed.dataset,
    (error: unknown) => (error instanceof Error ? error.message : 'The file could not be read.'),
  );
}
