import { AI_RESULT_PRODUCER, AiAnalysisSchema } from '../../../shared/domain/aiResult';
import type { Measurement } from '../../../shared/domain/measurement';
import { LumenError } from '../../../shared/domain/errors';
import { parseDicomFile } from '../dicom/parse/index';
import { writeParametricMap } from '../derivedImages/parametricMap';
import { captureLabel, writeHeatmapSecondaryCapture } from '../derivedImages/secondaryCapture';
import type { LibraryDatabase } from '../library/libraryDatabase';
import { displayFrame } from '../report/keyFramePixels';
import { layoutStoredSeries, type StoredSeriesFiles } from '../viewer/seriesLayout';
import { writeAiResultReport } from './aiResultReport';
import { frameImages, type FrameImage } from './frameImages';
import { writeMeasurementReport } from './measurementReport';
import { patientStudyOf, sourceImageOf } from './sourceImage';
import type { WrittenObject } from './srDocument';

export interface StudyResultObjectsOptions {
  /** Also write each activation map burned into a Secondary Capture (for PACS viewers without Parametric Map support). */
  secondaryCapture?: boolean;
  /** The finding each model reports (its manifest's positive label), by model id; else the prediction. */
  positiveLabel?: (modelId: string) => string | undefined;
}

export interface StudyResultObject extends WrittenObject {
  kind: 'measurement-report' | 'ai-result-report' | 'parametric-map' | 'secondary-capture';
}

/**
 * Everything a study's saved results become in DICOM, for export: one measurement report (TID 1500)
 * for the viewer's measurements, and per AI analysis an AI result SR, the activation map as a
 * Parametric Map and optionally a Secondary Capture. Source images are read from the library's files.
 */
export async function studyResultObjects(
  library: { measurements(study: string): Measurement[]; seriesPlanes(series: string): StoredSeriesFiles },
  db: Pick<LibraryDatabase, 'derivedResults'>,
  studyInstanceUid: string,
  options: StudyResultObjectsOptions = {},
): Promise<StudyResultObject[]> {
  const out: StudyResultObject[] = [];
  const measurements = library.measurements(studyInstanceUid);
  if (measurements.length > 0) {
    const frames = new Map<string, readonly FrameImage[]>();
    let patientStudy = {};
    for (const series of new Set(measurements.map((m) => m.seriesInstanceUid))) {
      const stored = library.seriesPlanes(series);
      if (stored.length === 0) throw new LumenError('SR_FRAME_NOT_FOUND', 'A measured series is no longer in the library; the measurement report was not written.');
      const layout = await layoutStoredSeries(stored);
      frames.set(series, frameImages(layout));
      patientStudy = patientStudyOf(layout.first);
    }
    out.push({ kind: 'measurement-report', ...writeMeasurementReport(measurements, frames, patientStudy) });
  }
  for (const result of db.derivedResults(studyInstanceUid)) {
    if (result.kind !== 'ai-result' || result.producer !== AI_RESULT_PRODUCER) continue;
    const parsed = AiAnalysisSchema.safeParse(result.payload);
    if (!parsed.success) continue;
    const analysis = parsed.data;
    let source;
    try {
      source = sourceImageOf((await parseDicomFile(analysis.path, { headerOnly: true })).dataset);
    } catch (error) {
      throw new LumenError('SR_SOURCE_MISSING', 'An analysed image is no longer readable; its AI result was not written.', { cause: error });
    }
    const positiveLabel = options.positiveLabel?.(analysis.model);
    out.push({ kind: 'ai-result-report', ...writeAiResultReport(analysis, source, positiveLabel ? { positiveLabel } : {}) });
    if (!analysis.heatmap) continue;
    out.push({ kind: 'parametric-map', ...writeParametricMap(analysis.heatmap, source, { id: analysis.model, version: analysis.version }) });
    if (options.secondaryCapture) {
      const shown = await displayFrame(analysis.path, 0);
      const image = { columns: shown.pixels.columns, rows: shown.pixels.rows, samplesPerPixel: shown.pixels.samplesPerPixel === 3 ? 3 : 1, data: shown.pixels.data } as const;
      out.push({ kind: 'secondary-capture', ...writeHeatmapSecondaryCapture(image, analysis.heatmap, captureLabel(analysis, positiveLabel), source) });
    }
  }
  return out;
}
