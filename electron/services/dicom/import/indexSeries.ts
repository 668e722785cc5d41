import { assembleSeries, groupSeries, sliceHeaders, type AssembledSeries, type SliceHeader } from '../series/index';
import { scanDicom, type ScanOptions, type ScanResult } from './scanDicom';

export interface IndexedSeries extends Omit<ScanResult, 'directories'> {
  series: AssembledSeries[];
  directories: string[];
}

/**
 * Scans inputs (header only) and assembles what it finds into series: the engine behind `lumen info`
 * and the first step of opening a folder. Only the plane headers are kept, never the parsed data sets.
 */
export async function indexSeries(inputs: readonly string[], options: Omit<ScanOptions, 'onInstance'> = {}): Promise<IndexedSeries> {
  const planes: SliceHeader[] = [];
  const scan = await scanDicom(inputs, { ...options, onInstance: (file, parsed) => void planes.push(...sliceHeaders(file, parsed)) });
  const series = groupSeries(planes.filter((p) => p.seriesInstanceUid !== '' && p.rows > 0)).map(assembleSeries);
  series.sort((a, b) => a.studyInstanceUid.localeCompare(b.studyInstanceUid) || (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0) || a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) || (a.part ?? 0) - (b.part ?? 0));
  return { ...scan, series };
}
