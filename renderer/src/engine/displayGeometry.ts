import { add, cross, dot, scale, sub, type Vec3 } from '../../../shared/domain/geometry/vector3';
import { directionOfLetters, orientationLetters } from '../../../shared/domain/geometry/orientation';

/**
 * How a plane of patient space is laid on a viewport: pure math shared by the vtk.js camera, the
 * overlays, the tools and their tests. Screen axes: x to the right, y down, in CSS pixels.
 */
export interface PlaneDisplay {
  /** Patient point shown at the viewport centre before panning. */
  center: Vec3;
  /** Patient directions (unit, LPS) shown towards screen right and screen down with no rotation/flip. */
  right: Vec3;
  down: Vec3;
  /** Half the viewport height in mm at zoom 1 ("fit"). */
  fitHalfHeightMm: number;
  zoom: number;
  /** Image shift on screen, mm along screen right / down. */
  panMm: [number, number];
  /** Clockwise rotation of the image on screen, degrees. */
  rotationDeg: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

export interface ScreenFrame {
  /** Patient direction shown towards screen right / down after rotation and flips. */
  right: Vec3;
  down: Vec3;
  /** Patient point at the viewport centre. */
  focal: Vec3;
  /** mm per CSS pixel. */
  mmPerPixel: number;
  width: number;
  height: number;
}

export function screenFrame(d: PlaneDisplay, width: number, height: number): ScreenFrame {
  const t = (d.rotationDeg * Math.PI) / 180;
  const c = Math.round(Math.cos(t) * 1e12) / 1e12;
  const s = Math.round(Math.sin(t) * 1e12) / 1e12;
  // Rotating the image clockwise by t brings the direction that was at the top to the right.
  let right = sub(scale(d.right, c), scale(d.down, s));
  let down = add(scale(d.right, s), scale(d.down, c));
  if (d.flipHorizontal) right = scale(right, -1);
  if (d.flipVertical) down = scale(down, -1);
  const mmPerPixel = (2 * d.fitHalfHeightMm) / d.zoom / Math.max(1, height);
  const focal = sub(sub(d.center, scale(right, d.panMm[0])), scale(down, d.panMm[1]));
  return { right, down, focal, mmPerPixel, width, height };
}

export function screenToPatient(f: ScreenFrame, x: number, y: number): Vec3 {
  return add(add(f.focal, scale(f.right, (x - f.width / 2) * f.mmPerPixel)), scale(f.down, (y - f.height / 2) * f.mmPerPixel));
}

export function patientToScreen(f: ScreenFrame, p: Vec3): [number, number] {
  const v = sub(p, f.focal);
  return [f.width / 2 + dot(v, f.right) / f.mmPerPixel, f.height / 2 + dot(v, f.down) / f.mmPerPixel];
}

/** vtk.js camera for a frame: parallel projection looking into the screen. */
export function cameraFor(f: ScreenFrame, distanceMm = 1000) {
  const up = scale(f.down, -1);
  const towardViewer = cross(f.right, up);
  return {
    focalPoint: f.focal,
    position: add(f.focal, scale(towardViewer, distanceMm)),
    viewUp: up,
    parallelScale: (f.mmPerPixel * f.height) / 2,
  };
}

/** Orientation markers at the viewport edges (PS3.3 C.7.6.1.1.1 letters): where each edge points. */
export function edgeMarkers(f: ScreenFrame): { left: string; right: string; top: string; bottom: string } {
  return {
    left: orientationLetters(scale(f.right, -1), 0.3),
    right: orientationLetters(f.right, 0.3),
    top: orientationLetters(scale(f.down, -1), 0.3),
    bottom: orientationLetters(f.down, 0.3),
  };
}

/**
 * Edge markers of a projection image from its Patient Orientation (0020,0020): the image plane has no
 * patient geometry, so the screen directions (in image axes: x along rows, y along columns) are mapped
 * through the row and column directions the letters name. Rotations and flips carry over as for slices.
 * Null when the letters do not parse.
 */
export function projectionEdgeMarkers(f: ScreenFrame, patientOrientation: readonly [string, string]): ReturnType<typeof edgeMarkers> | null {
  const row = directionOfLetters(patientOrientation[0]);
  const column = directionOfLetters(patientOrientation[1]);
  if (!row || !column) return null;
  const toPatient = (v: Vec3): Vec3 => add(scale(row, v[0]), scale(column, v[1]));
  return edgeMarkers({ ...f, right: toPatient(f.right), down: toPatient(f.down) });
}

/** Half height (mm) that fits a width x height mm image into a viewport of the given aspect. */
export function fitHalfHeight(imageWidthMm: number, imageHeightMm: number, viewportWidth: number, viewportHeight: number): number {
  const aspect = viewportWidth / Math.max(1, viewportHeight);
  return Math.max(imageHeightMm / 2, imageWidthMm / 2 / aspect) * 1.02;
}

/**
 * Where the plane through `center` with normal `other` cuts the plane the frame shows: a screen point
 * and unit screen direction of that line (the linked crosshair line of another view), or null when the
 * two planes are parallel.
 */
export function planeCutOnScreen(f: ScreenFrame, center: Vec3, other: Vec3): { through: [number, number]; direction: [number, number] } | null {
  const along = cross(cross(f.right, f.down), other);
  const length = Math.hypot(...along);
  if (length < 1e-6) return null;
  const dx = dot(along, f.right) / length;
  const dy = dot(along, f.down) / length;
  const n = Math.hypot(dx, dy);
  return { through: patientToScreen(f, center), direction: [dx / n, dy / n] };
}

/** Distance in pixels from a screen point to a line (point + unit direction). */
export function distanceToLine(x: number, y: number, line: { through: [number, number]; direction: [number, number] }): number {
  const [px, py] = line.through;
  const [dx, dy] = line.direction;
  return Math.abs((x - px) * dy - (y - py) * dx);
}
