import { cross, normalize, type Vec3 } from './vector3';

/**
 * Image Orientation (Patient) (0020,0037): the direction cosines of the first row (direction of
 * increasing column index) and of the first column (increasing row index) (PS3.3 C.7.6.2.1.1).
 */
export interface ImageOrientation {
  row: Vec3;
  column: Vec3;
}

export function imageOrientation(iop: readonly number[]): ImageOrientation {
  return { row: normalize([iop[0]!, iop[1]!, iop[2]!]), column: normalize([iop[3]!, iop[4]!, iop[5]!]) };
}

/** The slice normal, row x column: the direction in which slices are stacked and sorted. */
export function sliceNormal(o: ImageOrientation): Vec3 {
  return normalize(cross(o.row, o.column));
}

/** True when two orientations differ by less than `tolerance` in every cosine (same stack of slices). */
export function sameOrientation(a: ImageOrientation, b: ImageOrientation, tolerance = 1e-4): boolean {
  for (let i = 0; i < 3; i++) {
    if (Math.abs(a.row[i]! - b.row[i]!) > tolerance || Math.abs(a.column[i]! - b.column[i]!) > tolerance) return false;
  }
  return true;
}

const POSITIVE = ['L', 'P', 'H'] as const;
const NEGATIVE = ['R', 'A', 'F'] as const;

/**
 * The patient-orientation letters a direction points to, most significant first, as PS3.3 C.7.6.1.1.1
 * writes Patient Orientation (0020,0020): L/R, A/P, H/F. Components under `minimum` (default ~0.0001)
 * are left out, so an oblique direction gives two or three letters ("LP", "HAL").
 */
export function orientationLetters(direction: Vec3, minimum = 1e-4): string {
  return [0, 1, 2]
    .filter((axis) => Math.abs(direction[axis]!) > minimum)
    .sort((a, b) => Math.abs(direction[b]!) - Math.abs(direction[a]!))
    .map((axis) => (direction[axis]! > 0 ? POSITIVE[axis] : NEGATIVE[axis]))
    .join('');
}

const LETTER_AXES: Record<string, [number, 1 | -1]> = { L: [0, 1], R: [0, -1], P: [1, 1], A: [1, -1], H: [2, 1], F: [2, -1] };

/**
 * A direction standing for Patient Orientation letters (0020,0020; PS3.3 C.7.6.1.1.1), for projection
 * images that have no Image Orientation (Patient): "P" is +y, "LF" mostly left and somewhat foot. The
 * weights (1, 0.6, 0.4) keep the letters' order, so orientationLetters gives the same letters back.
 * Null for an empty or malformed value.
 */
export function directionOfLetters(letters: string): Vec3 | null {
  const text = letters.trim().toUpperCase();
  if (!/^[LRAPHF]{1,3}$/.test(text)) return null;
  const direction: [number, number, number] = [0, 0, 0];
  const used = new Set<number>();
  const weights = [1, 0.6, 0.4];
  for (const [i, letter] of [...text].entries()) {
    const [axis, sign] = LETTER_AXES[letter]!;
    if (used.has(axis)) return null;
    used.add(axis);
    direction[axis] = sign * weights[i]!;
  }
  return normalize(direction);
}

export function oppositeDirection(direction: Vec3): Vec3 {
  return [-direction[0], -direction[1], -direction[2]];
}

/** The labels a viewer shows at the image edges with no flip or rotation: where each edge points. */
export interface EdgeLabels {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

export function edgeLabels(o: ImageOrientation): EdgeLabels {
  return {
    left: orientationLetters(oppositeDirection(o.row)),
    right: orientationLetters(o.row),
    top: orientationLetters(oppositeDirection(o.column)),
    bottom: orientationLetters(o.column),
  };
}
