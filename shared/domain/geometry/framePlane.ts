import { add, cross, dot, scale, sub, type Vec3 } from './vector3';
import type { SeriesView } from '../../ipc/contract';

/**
 * Where frame k of a series lies: for volumes, its Image Position and the series' direction cosines
 * (PS3.3 C.7.6.2.1.1); for images without patient geometry (radiographs), a calibrated image plane
 * (Pixel Spacing or Imager Pixel Spacing, else 1 unit per pixel, flagged as uncalibrated). The viewer
 * places measurements with it and DICOM SR export maps them to image coordinates with it, so both
 * agree on every frame.
 */
export interface FramePlane {
  origin: Vec3;
  row: Vec3;
  column: Vec3;
  normal: Vec3;
  /** mm between columns (along a row) and between rows. */
  columnSpacing: number;
  rowSpacing: number;
  /**
   * Whether lengths are in patient mm ('patient'), detector mm ('detector'), mm of an ultrasound region
   * ('ultrasound-region': the plane a measurement inside one is computed on) or pixels ('pixels').
   */
  calibration: 'patient' | 'detector' | 'ultrasound-region' | 'pixels';
}

export function framePlane(view: SeriesView, k: number): FramePlane {
  const g = view.geometry;
  if (g) {
    return {
      origin: g.slicePositions[k] ?? g.origin,
      row: g.direction[0],
      column: g.direction[1],
      normal: g.direction[2],
      columnSpacing: g.spacing[0],
      rowSpacing: g.spacing[1],
      calibration: 'patient',
    };
  }
  const ps = view.pixelSpacing;
  const row: Vec3 = [1, 0, 0];
  const column: Vec3 = [0, 1, 0];
  return {
    origin: [0, 0, 0],
    row,
    column,
    normal: cross(row, column),
    columnSpacing: ps?.column ?? 1,
    rowSpacing: ps?.row ?? 1,
    calibration: !ps ? 'pixels' : ps.source === 'PixelSpacing' ? 'patient' : 'detector',
  };
}

/** Patient point at the centre of a frame. */
export function frameCenter(p: FramePlane, columns: number, rows: number): Vec3 {
  return add(add(p.origin, scale(p.row, ((columns - 1) / 2) * p.columnSpacing)), scale(p.column, ((rows - 1) / 2) * p.rowSpacing));
}

/** Continuous pixel index (column i, row j; pixel centres at integers) of a patient point on the plane. */
export function patientToIndex(p: FramePlane, q: Vec3): [number, number] {
  const v = sub(q, p.origin);
  return [dot(v, p.row) / p.columnSpacing, dot(v, p.column) / p.rowSpacing];
}

/** The patient point at continuous pixel index (column i, row j). */
export function indexToPatient(p: FramePlane, i: number, j: number): Vec3 {
  return add(add(p.origin, scale(p.row, i * p.columnSpacing)), scale(p.column, j * p.rowSpacing));
}

const ULTRASOUND_REGION_NOTE = 'Calibrated by its ultrasound region (Physical Delta X/Y).';

/**
 * What a measurement on this plane says about its calibration (Measurement.calibrationNote): the
 * detector note for Imager Pixel Spacing, 'pixels' when uncalibrated, nothing for patient millimetres.
 */
export function calibrationNoteOf(plane: FramePlane, view: SeriesView): { calibrationNote?: string } {
  if (plane.calibration === 'detector') return { calibrationNote: view.pixelSpacing?.note ?? 'Imager Pixel Spacing' };
  if (plane.calibration === 'ultrasound-region') return { calibrationNote: ULTRASOUND_REGION_NOTE };
  if (plane.calibration === 'pixels') return { calibrationNote: 'pixels' };
  return {};
}

/**
 * The plane a measurement's values are computed on, and in which its points are: the frame's own,
 * except on an uncalibrated ultrasound image where every point lies in one calibrated region: then
 * the region's mm per pixel (as Cornerstone3D calibrates ultrasound). A measurement reaching outside
 * the region, or over regions that disagree, stays in pixels. `points` are on `plane`.
 */
export function measurementPlane(plane: FramePlane, view: SeriesView, points: readonly Vec3[]): FramePlane {
  if (plane.calibration !== 'pixels' || view.ultrasoundRegions.length === 0 || points.length === 0) return plane;
  const indices = points.map((q) => patientToIndex(plane, q));
  const holding = view.ultrasoundRegions.filter((r) => indices.every(([i, j]) => i >= r.x0 - 0.5 && i <= r.x1 + 0.5 && j >= r.y0 - 0.5 && j <= r.y1 + 0.5));
  const region = holding[0];
  if (!region || holding.some((r) => r.columnSpacing !== region.columnSpacing || r.rowSpacing !== region.rowSpacing)) return plane;
  return { ...plane, columnSpacing: region.columnSpacing, rowSpacing: region.rowSpacing, calibration: 'ultrasound-region' };
}

/** Points on one plane, as the same pixels on another (a measurement's points on its measurement plane). */
export function pointsOnPlane(from: FramePlane, to: FramePlane, points: readonly Vec3[]): Vec3[] {
  return points.map((q) => indexToPatient(to, ...patientToIndex(from, q)));
}
