import type { AiAnalysis } from '../../../shared/domain/aiResult';
import type { Measurement } from '../../../shared/domain/measurement';

/** Stated on every page of the report, as in the UI and the model manifests. */
export const REPORT_DISCLAIMER = 'Research use only, not a medical device.';

/**
 * The patient and study header, as DICOM values (PN, DA) from the study's first image, or the values a
 * de-identified export gives (helper of the export pipeline passes its own). Empty strings print as "-".
 */
export interface ReportHeader {
  /** Person Name (0010,0010), one component group ("Family^Given^Middle^Prefix^Suffix"). */
  patientName: string;
  patientId: string;
  /** DA, YYYYMMDD. */
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  institutionName: string;
  studyInstanceUid: string;
  modalities: string[];
  /** The identifying values above were removed or replaced (PS3.15 Annex E); said in the header. */
  deidentified: boolean;
}

/** A window as the key image was rendered with it, and where it came from. */
export interface KeyImageWindow {
  center: number;
  width: number;
  /** header: Window Center/Width (0028,1050/1051); minmax: the frame's range (no window in the file); caller: chosen. */
  source: 'header' | 'minmax' | 'caller';
  /** Window Center & Width Explanation (0028,1055), when the header gives one. */
  explanation?: string;
}

/** A line or outline drawn over a key image, in pixel coordinates of the source frame (column, row). */
export interface KeyImageOverlay {
  /** Number of the measurement in the report's table (1-based). */
  number: number;
  kind: Measurement['kind'];
  points: [number, number][];
}

/** One key image: a frame rendered through the DICOM pixel pipeline to 8-bit display values. */
export interface KeyImage {
  seriesInstanceUid: string;
  seriesDescription: string;
  seriesNumber: number | null;
  modality: string;
  /** Display order in the series (the viewer's image number minus one). */
  frame: number;
  frames: number;
  instanceNumber: number | null;
  /** Grey images: after the Modality LUT, the window and the Presentation LUT; colour: RGB. */
  window: KeyImageWindow | null;
  voiLutFunction: string;
  /** MONOCHROME1 or Presentation LUT Shape INVERSE: minimum values shown white (PS3.3 C.11.6). */
  inverted: boolean;
  /** The frame's size before any reduction for the page; overlays use these coordinates. */
  sourceColumns: number;
  sourceRows: number;
  /** Display pixels, row-major; samplesPerPixel 3 is interleaved RGB. */
  pixels: { columns: number; rows: number; samplesPerPixel: 1 | 3; data: Uint8Array };
  overlays: KeyImageOverlay[];
  /** Why it is a key image ("measurements 1, 2", "AI analysis"). */
  reason: string;
}

export interface ReportMeasurement {
  measurement: Measurement;
  /** Where it was made, in words (series description and image number). */
  image: string;
}

/** The model card, in short: what the report prints beside an AI finding. */
export interface ModelCardSummary {
  name: string;
  intendedUse: string;
  trainingData: { name: string; source: string; license: string };
  /** Validation metrics of the manifest's first metric set (e.g. "val"), numbers only. */
  validation: { set: string; metrics: Record<string, number> } | null;
  oodMethod: string | null;
  disclaimer: string;
}

export interface ReportAiFinding {
  analysis: AiAnalysis & { createdAt: string };
  /** The label whose probability is compared with the threshold (the manifest's positiveLabel). */
  positiveLabel: string | null;
  /** Where it ran, in words (series description and image number). */
  image: string;
  modelCard: ModelCardSummary | null;
}

/** Everything a report shows: pure data, rendered by renderStudyReport without any I/O. */
export interface ReportInput {
  header: ReportHeader;
  keyImages: KeyImage[];
  measurements: ReportMeasurement[];
  findings: ReportAiFinding[];
  /** ISO 8601 time the report was made. */
  generatedAt: string;
  lumenVersion: string;
  /** Things the reader must know (an image that could not be rendered, a model card not installed). */
  notes: string[];
}
