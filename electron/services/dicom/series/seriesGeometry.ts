import { edgeLabels, orientationLetters, sliceNormal, type EdgeLabels } from '../../../../shared/domain/geometry/orientation';
import { sliceStackGeometry } from '../../../../shared/domain/geometry/sliceStack';
import type { Vec3 } from '../../../../shared/domain/geometry/vector3';
import type { SliceGroup } from './groupSeries';
import type { SliceHeader } from './sliceHeader';

/**
 * A series as assembled from headers alone: planes in volume order and the geometry of the stack in
 * patient (LPS) coordinates (PS3.3 C.7.6.2.1.1). Enough to index, report and lay out a volume.
 */
export interface AssembledSeries {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  part: number | null;
  modality: string;
  description: string;
  seriesNumber: number | null;
  rows: number;
  columns: number;
  /** Planes in volume order: sorted along the normal when positions allow, else by instance and frame. */
  slices: SliceHeader[];
  instances: number;
  /** Frames in all instances (a classic multi-frame instance is one plane of many frames). */
  frames: number;
  /** [between rows, between columns], mm. */
  pixelSpacing: [number, number] | null;
  /** Spacing between slice positions along the normal (mm), null for a single plane or no positions. */
  sliceSpacing: number | null;
  orientation: {
    imageOrientationPatient: number[];
    row: Vec3;
    column: Vec3;
    normal: Vec3;
    /** Letters of the row, column and normal directions (PS3.3 C.7.6.1.1.1). */
    rowLetters: string;
    columnLetters: string;
    normalLetters: string;
    edges: EdgeLabels;
  } | null;
  /** IPP of the first plane in volume order. */
  origin: Vec3 | null;
  uniformSpacing: boolean | null;
  missingSlicePositions: Vec3[];
  gantryTiltDegrees: number | null;
  warnings: string[];
}

const fmt = (v: number) => Number(v.toFixed(4));

export function assembleSeries(group: SliceGroup): AssembledSeries {
  const first = group.slices[0]!;
  const warnings: string[] = [];
  if (group.splitReason) warnings.push(`Split from a larger series: ${group.splitReason}.`);
  const byInstance = new Map(group.slices.map((s) => [s.sopInstanceUid || s.path, s.numberOfFrames]));
  const instances = byInstance.size;
  const frames = [...byInstance.values()].reduce((n, f) => n + f, 0);
  const o = first.orientation;
  const positioned = o !== null && group.slices.every((s) => s.position !== null);
  let slices = [...group.slices].sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) || a.frameIndex - b.frameIndex);
  let sliceSpacing: number | null = null;
  let uniformSpacing: boolean | null = null;
  let missing: Vec3[] = [];
  let tilt: number | null = null;
  let normal: Vec3 | null = null;
  if (o) normal = sliceNormal(o);
  if (positioned && normal) {
    const stack = sliceStackGeometry(group.slices.map((s) => s.position!), normal);
    slices = stack.order.map((i) => group.slices[i]!);
    if (slices.length > 1) {
      sliceSpacing = stack.spacing;
      uniformSpacing = stack.uniform;
      missing = stack.missing.map((m) => m.position);
      tilt = stack.tiltDegrees;
      if (stack.missing.length > 0) warnings.push(`${stack.missing.length} slice(s) missing: gaps of whole multiples of the ${fmt(stack.spacing)} mm spacing.`);
      if (stack.irregularSteps.length > 0) warnings.push(`Non-uniform spacing: ${stack.irregularSteps.length} step(s) differ from ${fmt(stack.spacing)} mm (e.g. ${fmt(stack.irregularSteps[0]!)} mm).`);
      if (stack.duplicates > 0) warnings.push(`${stack.duplicates} plane(s) share a position with another.`);
      // Below 0.01 degrees the angle is rounding in the positions, not a tilt.
      if (stack.tiltDegrees >= 0.01) warnings.push(`Gantry tilt or sheared stack: positions advance ${fmt(stack.tiltDegrees)} degrees off the slice normal.`);
      else tilt = 0;
    }
  } else if (group.slices.length > 1) {
    warnings.push(
      group.slices.some((s) => s.planesInFile > 1 && s.position === null)
        ? 'Multi-frame image without a position per frame: frames shown in order, no volume geometry.'
        : 'No Image Position/Orientation (Patient) on every plane: ordered by Instance Number and frame, no volume geometry.',
    );
  }
  const rescales = new Set(group.slices.map((s) => String(s.rescale.slope) + '/' + String(s.rescale.intercept)));
  if (rescales.size > 1) warnings.push('Rescale slope/intercept differ between planes; each is applied per plane.');
  return {
    seriesInstanceUid: group.seriesInstanceUid,
    studyInstanceUid: first.studyInstanceUid,
    part: group.part,
    modality: first.modality,
    description: first.seriesDescription,
    seriesNumber: first.seriesNumber,
    rows: first.rows,
    columns: first.columns,
    slices,
    instances,
    frames,
    pixelSpacing: first.pixelSpacing,
    sliceSpacing,
    orientation:
      o && normal && first.imageOrientationPatient
        ? {
            imageOrientationPatient: first.imageOrientationPatient,
            row: o.row,
            column: o.column,
            normal,
            rowLetters: orientationLetters(o.row),
            columnLetters: orientationLetters(o.column),
            normalLetters: orientationLetters(normal),
            edges: edgeLabels(o),
          }
        : null,
    origin: slices[0]?.position ?? null,
    uniformSpacing,
    missingSlicePositions: missing,
    gantryTiltDegrees: tilt,
    warnings,
  };
}
