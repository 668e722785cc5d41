import { dot, norm, sub, type Vec3 } from '../../../shared/domain/geometry/vector3';
import { roiStatistics, type PlaneSamples } from './roiStatistics';
import type { Measurement, MeasurementKind } from '../../../shared/domain/measurement';

export type { Measurement, MeasurementKind } from '../../../shared/domain/measurement';

export const POINTS_NEEDED: Record<MeasurementKind, number> = { length: 2, angle: 3, rectangle: 2, ellipse: 2, probe: 1 };

/** Angle at the middle point, degrees. */
export function angleDegrees(a: Vec3, vertex: Vec3, b: Vec3): number {
  const u = sub(a, vertex);
  const v = sub(b, vertex);
  const c = dot(u, v) / (norm(u) * norm(v));
  return (Math.acos(Math.min(1, Math.max(-1, c))) * 180) / Math.PI;
}

export interface PlaneIndexer {
  /** Continuous pixel index (column i, row j) of a patient point on the plane. */
  toIndex(p: Vec3): [number, number];
  /** The frame's values; null for colour (no one value per pixel) or a frame not loaded. */
  samples: PlaneSamples | null;
  /** Area of one pixel, mm². */
  pixelArea: number;
}

/** The values of a finished measurement. */
export function measure(kind: MeasurementKind, points: Vec3[], plane: PlaneIndexer | null): Record<string, number> {
  switch (kind) {
    case 'length':
      return { lengthMm: norm(sub(points[1]!, points[0]!)) };
    case 'angle':
      return { angleDeg: angleDegrees(points[0]!, points[1]!, points[2]!) };
    case 'probe': {
      if (!plane?.samples) return {};
      const [i, j] = plane.toIndex(points[0]!).map(Math.round) as [number, number];
      if (i < 0 || j < 0 || i >= plane.samples.columns || j >= plane.samples.rows) return {};
      return { value: plane.samples.values[plane.samples.offset + j * plane.samples.columns + i] as number, column: i, row: j };
    }
    case 'rectangle':
    case 'ellipse': {
      if (!plane) return {};
      const [i0, j0] = plane.toIndex(points[0]!);
      const [i1, j1] = plane.toIndex(points[1]!);
      const stats = plane.samples ? roiStatistics(plane.samples, kind, i0, j0, i1, j1) : null;
      const w = Math.abs(i1 - i0);
      const h = Math.abs(j1 - j0);
      const area = (kind === 'ellipse' ? (Math.PI / 4) * w * h : w * h) * plane.pixelArea;
      return stats ? { mean: stats.mean, sd: stats.sd, min: stats.min, max: stats.max, pixels: stats.pixels, areaMm2: area } : { areaMm2: area };
    }
  }
}

export function summarize(m: Pick<Measurement, 'kind' | 'values' | 'units' | 'calibrationNote'>): string {
  const v = m.values;
  const u = m.units ? ` ${m.units}` : '';
  const lengthUnit = m.calibrationNote === 'pixels' ? 'px' : 'mm';
  switch (m.kind) {
    case 'length':
      return `${v.lengthMm?.toFixed(1)} ${lengthUnit}`;
    case 'angle':
      return `${v.angleDeg?.toFixed(1)}°`;
    case 'probe':
      return v.value === undefined ? 'outside image' : `${Number(v.value.toFixed(2))}${u} @ (${v.column}, ${v.row})`;
    default: {
      if (v.areaMm2 === undefined) return 'empty';
      const area = `area ${m.calibrationNote === 'pixels' ? `${v.areaMm2.toFixed(0)} px²` : `${(v.areaMm2 / 100).toFixed(2)} cm²`}`;
      // colour images have an area but no single value per pixel
      return v.mean === undefined ? area : `mean ${v.mean.toFixed(1)}${u}, SD ${v.sd!.toFixed(1)}, min ${v.min}, max ${v.max}, ${area}`;
    }
  }
}
