import { isDeepStrictEqual } from 'node:util';
import type { AiAnalysis } from '../../../shared/domain/aiResult';
import type { Measurement } from '../../../shared/domain/measurement';
import type { NaturalDataset } from '../dicom/types';
import { layoutStoredSeries, type StoredSeriesFiles } from '../viewer/seriesLayout';
import { isAiResultReport, readAiResultReport } from './aiResultReport';
import { items } from './contentTree';
import { frameImages, frameKey, type FrameImage } from './frameImages';
import { isTid1500, readMeasurementReport, toViewerMeasurement } from './readMeasurementReport';

/** What restoring needs of the library: its files, and where measurements and AI results are kept. */
export interface SrRestoreTarget {
  studyFiles(studyInstanceUid: string): { sopInstanceUid: string; path: string }[];
  seriesPlanes(seriesInstanceUid: string): StoredSeriesFiles;
  measurements(studyInstanceUid: string): Measurement[];
  saveMeasurements(studyInstanceUid: string, measurements: readonly Measurement[]): void;
  aiResults(studyInstanceUid: string): AiAnalysis[];
  saveAiResult(studyInstanceUid: string, seriesInstanceUid: string, analysis: AiAnalysis): void;
}

export type SrRestoreResult =
  | { kind: 'measurements'; restored: number; unresolved: number }
  | { kind: 'ai-result'; restored: number; unresolved: number }
  | { kind: 'none' };

/** Series UIDs of the SR's evidence (Current Requested Procedure Evidence, PS3.3 C.17.2.3). */
function evidenceSeries(ds: NaturalDataset): { seriesInstanceUid: string; sopInstanceUids: string[] }[] {
  return items(ds.CurrentRequestedProcedureEvidenceSequence).flatMap((study) =>
    items(study.ReferencedSeriesSequence).map((series) => ({
      seriesInstanceUid: String(series.SeriesInstanceUID ?? ''),
      sopInstanceUids: items(series.ReferencedSOPSequence).map((s) => String(s.ReferencedSOPInstanceUID ?? '')),
    })),
  );
}

async function framesOfSeries(ds: NaturalDataset, target: SrRestoreTarget): Promise<Map<string, FrameImage>> {
  const byKey = new Map<string, FrameImage>();
  for (const { seriesInstanceUid } of evidenceSeries(ds)) {
    const stored = target.seriesPlanes(seriesInstanceUid);
    if (stored.length === 0) continue;
    try {
      for (const f of frameImages(await layoutStoredSeries(stored))) byKey.set(frameKey(f.sopInstanceUid, f.frameNumber), f);
    } catch {
      // a referenced series that no longer reads leaves its measurements unresolved
    }
  }
  return byKey;
}

/**
 * Brings back what an imported SR holds as the library keeps it: a TID 1500 measurement report (Lumen's
 * or another viewer's) as the viewer's saved measurements of the study, added to those it has (a local
 * measurement with the same id wins); a Lumen AI report as a stored AI result of the analysed image's
 * series, unless the same result is already there. References to images not in the library are
 * counted as unresolved, not guessed.
 */
export async function restoreFromSr(ds: NaturalDataset, target: SrRestoreTarget): Promise<SrRestoreResult> {
  const study = String(ds.StudyInstanceUID ?? '');
  if (String(ds.Modality ?? '') !== 'SR' || !study) return { kind: 'none' };
  if (isAiResultReport(ds)) {
    const { analysis, source } = readAiResultReport(ds);
    const file = target.studyFiles(study).find((f) => f.sopInstanceUid === source.sopInstanceUid);
    const series = evidenceSeries(ds).find((s) => s.sopInstanceUids.includes(source.sopInstanceUid));
    if (!file || !series) return { kind: 'ai-result', restored: 0, unresolved: 1 };
    const restored: AiAnalysis = { path: file.path, ...analysis };
    if (target.aiResults(study).some((existing) => isDeepStrictEqual(existing, restored))) return { kind: 'ai-result', restored: 0, unresolved: 0 };
    target.saveAiResult(study, series.seriesInstanceUid, restored);
    return { kind: 'ai-result', restored: 1, unresolved: 0 };
  }
  if (!isTid1500(ds)) return { kind: 'none' };
  const report = readMeasurementReport(ds);
  const frames = await framesOfSeries(ds, target);
  const restored = report.measurements.map((m) => toViewerMeasurement(m, frames));
  const found = restored.filter((m): m is Measurement => m !== undefined);
  const existing = target.measurements(study);
  const known = new Set(existing.map((m) => m.id));
  const added = found.filter((m) => !known.has(m.id));
  if (added.length > 0) target.saveMeasurements(study, [...existing, ...added]);
  return { kind: 'measurements', restored: added.length, unresolved: restored.length - found.length + report.skipped.length };
}
