import { add, dot, norm, normalize, scale, sub, type Vec3 } from './vector3';

/**
 * The geometry of a stack of parallel slices from their Image Position (Patient) values, computed from
 * positions along the slice normal, never from Slice Thickness (PS3.3 C.7.6.2.1.1, C.7.6.2.1.2).
 */
export interface SliceStackGeometry {
  /** Indices into the input, sorted by position along the normal (ascending). */
  order: number[];
  /** Positions along the normal (mm), in sorted order. */
  distances: number[];
  /** Typical spacing (median of the steps between neighbours), mm; 0 for a single slice. */
  spacing: number;
  /** Every step within tolerance of the typical spacing. */
  uniform: boolean;
  /** Patient positions where a slice is missing: steps that are a whole multiple (>= 2) of the spacing. */
  missing: { afterSortedIndex: number; position: Vec3 }[];
  /** Steps that are neither the spacing nor a multiple of it (mm). */
  irregularSteps: number[];
  /** Slices at the same position along the normal. */
  duplicates: number;
  /**
   * Angle between the slice normal and the line through the slice positions, degrees (gantry tilt on CT
   * makes the stack sheared: positions advance obliquely to the normal).
   */
  tiltDegrees: number;
}

/** Steps within max(0.01 mm, 1% of the spacing) count as equal: scanners round positions to ~1e-5 mm. */
export function spacingTolerance(spacing: number): number {
  return Math.max(0.01, 0.01 * spacing);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function sliceStackGeometry(positions: readonly Vec3[], normal: Vec3): SliceStackGeometry {
  const along = positions.map((p) => dot(p, normal));
  const order = along.map((_, i) => i).sort((a, b) => along[a]! - along[b]!);
  const distances = order.map((i) => along[i]!);
  const steps = distances.slice(1).map((d, i) => d - distances[i]!);
  const positive = steps.filter((s) => s > 1e-6);
  const duplicates = steps.length - positive.length;
  const spacing = positive.length > 0 ? median(positive) : 0;
  const tolerance = spacingTolerance(spacing);
  const missing: SliceStackGeometry['missing'] = [];
  const irregularSteps: number[] = [];
  const first = positions[order[0]!];
  const last = positions[order[order.length - 1]!];
  // Direction in which sorted positions advance, one spacing per slice (follows a tilted stack too).
  const advance = first && last && distances.length > 1 ? sub(last, first) : ([0, 0, 0] as Vec3);
  const stepVector = norm(advance) > 0 ? scale(normalize(advance), spacing / Math.max(1e-12, Math.abs(dot(normalize(advance), normal)))) : scale(normal, spacing);
  steps.forEach((step, i) => {
    if (step <= 1e-6 || Math.abs(step - spacing) <= tolerance) return;
    const multiple = Math.round(step / spacing);
    if (multiple >= 2 && Math.abs(step - multiple * spacing) <= tolerance * multiple) {
      const from = positions[order[i]!]!;
      for (let k = 1; k < multiple; k++) missing.push({ afterSortedIndex: i, position: add(from, scale(stepVector, k)) });
    } else {
      irregularSteps.push(step);
    }
  });
  let tiltDegrees = 0;
  if (norm(advance) > 1e-6) {
    const cos = Math.min(1, Math.abs(dot(normalize(advance), normal)));
    tiltDegrees = (Math.acos(cos) * 180) / Math.PI;
  }
  return {
    order,
    distances,
    spacing,
    uniform: missing.length === 0 && irregularSteps.length === 0 && duplicates === 0,
    missing,
    irregularSteps,
    duplicates,
    tiltDegrees,
  };
}
