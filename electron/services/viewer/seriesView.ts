import type { SeriesView } from '../../../shared/ipc/contract';
import { numberOf, numbersOf, stringOf } from '../dicom/parse/index';
import { pipelineParameters } from '../dicom/decode/pipelineParameters';
import type { AssembledSeries, FrameWindow, SliceHeader } from '../dicom/series/index';
import type { NaturalDataset } from '../dicom/types';

/** A person name as the parser gives it (string or PN components), Alphabetic group only. */
function personName(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: unknown }).Alphabetic);
  return '';
}

/**
 * Pixel spacing for measuring on images without patient geometry (projection radiographs): Pixel
 * Spacing when given, else Imager Pixel Spacing, which is at the detector, so lengths are magnified
 * by the source-object geometry (PS3.3 10.7.1.3). Zero spacings (seen in the wild) count as absent.
 */
function calibration(ds: NaturalDataset, series: AssembledSeries): SeriesView['pixelSpacing'] {
  const valid = (v: readonly number[] | null | undefined) => (v && v[0]! > 0 && v[1]! > 0 ? v : undefined);
  // Enhanced multi-frame objects keep Pixel Spacing in the Pixel Measures functional group (PS3.3
  // C.7.6.16.2.1), which series assembly has read for each plane.
  const pixel = valid(numbersOf(ds, 'PixelSpacing', 2)) ?? valid(series.pixelSpacing);
  if (pixel) return { row: pixel[0]!, column: pixel[1]!, source: 'PixelSpacing' };
  const imager = valid(numbersOf(ds, 'ImagerPixelSpacing', 2));
  if (imager) {
    return {
      row: imager[0]!,
      column: imager[1]!,
      source: 'ImagerPixelSpacing',
      note: 'Calibrated at the detector (Imager Pixel Spacing): lengths are not corrected for magnification.',
    };
  }
  return null;
}

/**
 * The calibrated regions of an ultrasound image (Sequence of Ultrasound Regions, PS3.3 C.8.5.5): those
 * whose X and Y physical units are cm (code 3), with positive deltas, lying inside the pixel matrix. A
 * region reaching past the image says the image was resized after the calibration was written (seen in
 * the wild); its deltas no longer fit the pixels, so it is not used.
 */
function ultrasoundRegions(ds: NaturalDataset, rows: number, columns: number): SeriesView['ultrasoundRegions'] {
  const items = Array.isArray(ds.SequenceOfUltrasoundRegions) ? (ds.SequenceOfUltrasoundRegions as NaturalDataset[]) : [];
  const CM = 3;
  return items.flatMap((r) => {
    const [x0, y0, x1, y1, unitsX, unitsY, deltaX, deltaY] = ['RegionLocationMinX0', 'RegionLocationMinY0', 'RegionLocationMaxX1', 'RegionLocationMaxY1', 'PhysicalUnitsXDirection', 'PhysicalUnitsYDirection', 'PhysicalDeltaX', 'PhysicalDeltaY'].map((k) => numberOf(r, k));
    const inside = x0 !== undefined && y0 !== undefined && x1 !== undefined && y1 !== undefined && x0 >= 0 && y0 >= 0 && x0 <= x1 && y0 <= y1 && x1 < columns && y1 < rows;
    if (!inside || unitsX !== CM || unitsY !== CM || !(deltaX! > 0) || !(deltaY! > 0)) return [];
    return [{ x0: x0!, y0: y0!, x1: x1!, y1: y1!, columnSpacing: deltaX! * 10, rowSpacing: deltaY! * 10 }];
  });
}

/** Patient Orientation (0020,0020): two values, the row and column directions as letters. */
function patientOrientation(dataset: NaturalDataset): [string, string] | null {
  const value = dataset['PatientOrientation'];
  const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split('\\') : [];
  const [row, column] = values.map((v) => (typeof v === 'string' ? v.trim() : ''));
  return row && column ? [row, column] : null;
}

/**
 * The layout of a series for the viewer, from its assembled headers and the data set of the image
 * shown first (its window is the one the series opens with).
 */
export function seriesView(series: AssembledSeries, first: NaturalDataset, kind: SeriesView['kind'], sampleType: SeriesView['sampleType'], extraWarnings: string[]): SeriesView {
  const pipeline = pipelineParameters(first);
  const head = series.slices[0]!;
  const pixelSpacing = kind === 'images' ? calibration(first, series) : null;
  const units = head.rescale.type ?? (series.modality === 'CT' ? 'HU' : '');
  const geometry =
    kind === 'volume' && series.orientation && series.origin && series.pixelSpacing
      ? {
          dimensions: [series.columns, series.rows, series.slices.length] as [number, number, number],
          spacing: [series.pixelSpacing[1], series.pixelSpacing[0], series.sliceSpacing ?? numberOf(first, 'SliceThickness') ?? 1] as [number, number, number],
          origin: [...series.origin] as [number, number, number],
          direction: [series.orientation.row, series.orientation.column, series.orientation.normal].map((v) => [...v]) as [
            [number, number, number],
            [number, number, number],
            [number, number, number],
          ],
          slicePositions: series.slices.map((s) => [...(s.position ?? series.origin!)] as [number, number, number]),
          uniformSpacing: series.uniformSpacing,
          gantryTiltDegrees: series.gantryTiltDegrees,
          missingSlices: series.missingSlicePositions.length,
        }
      : null;
  return {
    seriesInstanceUid: series.seriesInstanceUid,
    studyInstanceUid: series.studyInstanceUid,
    modality: series.modality,
    description: series.description,
    seriesNumber: series.seriesNumber,
    patient: {
      name: personName(first.PatientName),
      id: stringOf(first, 'PatientID') ?? '',
      birthDate: stringOf(first, 'PatientBirthDate') ?? '',
      sex: stringOf(first, 'PatientSex') ?? '',
    },
    study: {
      date: stringOf(first, 'StudyDate') ?? '',
      description: stringOf(first, 'StudyDescription') ?? '',
      accession: stringOf(first, 'AccessionNumber') ?? '',
    },
    kind,
    frames: series.slices.length,
    rows: series.rows,
    columns: series.columns,
    samplesPerPixel: head.samplesPerPixel === 3 || pipeline.palette ? 3 : 1,
    sampleType,
    units,
    geometry,
    patientOrientation: geometry ? null : patientOrientation(first),
    pixelSpacing,
    ultrasoundRegions: kind === 'images' && !pixelSpacing ? ultrasoundRegions(first, series.rows, series.columns) : [],
    sliceThickness: numberOf(first, 'SliceThickness') ?? null,
    windows: pipeline.windows.filter((w) => Number.isFinite(w.center) && Number.isFinite(w.width) && w.width > 0),
    frameWindows: frameWindows(series.slices),
    frameImages: series.slices.map((s) => ({ sopInstanceUid: s.sopInstanceUid, frameNumber: s.frameIndex + 1 })),
    voiLutFunction: pipeline.voiLutFunction,
    invert: pipeline.presentationShape === 'INVERSE',
    valueRange: null,
    // Projection and colour images have no patient geometry by design: assembly's note about missing
    // positions is not a warning for them.
    warnings: [...(kind === 'volume' || series.orientation ? series.warnings : series.warnings.filter((w) => !w.startsWith('No Image Position'))), ...extraWarnings],
  };
}

/** The frames' own windows when they differ from one another, else null (the series window serves). */
function frameWindows(slices: readonly SliceHeader[]): SeriesView['frameWindows'] {
  const windows = slices.map((s) => s.window);
  const same = (a: FrameWindow | null, b: FrameWindow | null) => a === b || (!!a && !!b && a.center === b.center && a.width === b.width);
  return windows.every((w) => same(w, windows[0]!)) ? null : windows;
}
