import { add, cross, scale, type Vec3 } from '../../../../shared/domain/geometry/vector3';
import type { SeriesView } from '../../../../shared/ipc/contract';

/**
 * Where frame k of a series lies: for volumes, its Image Position and the series' direction cosines
 * (PS3.3 C.7.6.2.1.1); for images without patient geometry (radiographs), a calibrated image plane
 * (Pixel Spacing or Imager Pixel Spacing, else 1 unit per pixel, flagged as uncalibrated).
 */
export interface FramePlane {
  origin: Vec3;
  row: Vec3;
  column: Vec3;
  normal: Vec3;
  /** mm between columns (along a row) and between rows. */
  columnSpacing: number;
  rowSpacing: number;
  /** Whether lengths are in patient mm ('patient'), detector mm ('detector') or pixels ('pixels'). */
  calibration: 'patient' | 'detector' | 'pixels';
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
