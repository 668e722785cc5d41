import { dot, sub, type Vec3 } from './vector3';

/** The voxel arrays a stack is held in (renderer series data, back-end volumes). */
export type StackValues = Int16Array | Uint16Array | Uint8Array | Float32Array;

export interface ShearedStack {
  /** [columns, rows, slices]. */
  dimensions: readonly [number, number, number];
  /** [between columns, between rows], mm. */
  pixelSpacing: readonly [number, number];
  /** Row and column directions (LPS unit vectors) shared by every slice. */
  row: Vec3;
  column: Vec3;
  /** Image Position (Patient) of each slice, in stack order. */
  positions: readonly Vec3[];
}

/**
 * Gantry tilt: the slices of a tilted CT are parallel, but each is displaced within its own plane
 * relative to the first (the table moves along the patient's axis, not along the slice normal). A
 * volume with orthogonal axes through the first slice's corner is right only once every slice is moved
 * back by that in-plane offset, which is what this does (bilinear; `fill` where the acquired slice does
 * not reach).
 * Voxel (i, j, k) of the result lies at positions[0] + i*dx*row + j*dy*column + ((positions[k] -
 * positions[0]) . normal) * normal. Hand-written: vtk.js reslices orthogonal grids only, and no
 * library on npm corrects a DICOM gantry tilt.
 */
export function correctGantryTilt<T extends StackValues>(values: T, stack: ShearedStack, fill: number): T {
  const [nx, ny, nz] = stack.dimensions;
  const [dx, dy] = stack.pixelSpacing;
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const integral = !(values instanceof Float32Array);
  const p0 = stack.positions[0]!;
  for (let k = 0; k < nz; k++) {
    const shift = sub(stack.positions[k]!, p0);
    // Where voxel (i, j) of the corrected slice falls in acquired slice k, in pixels: (i - a, j - b).
    const a = dot(shift, stack.row) / dx;
    const b = dot(shift, stack.column) / dy;
    const base = k * nx * ny;
    // Neighbours past the last row or column are only read with weight 0 (fu or fv is 0 there).
    const at = (ii: number, jj: number) => values[base + Math.min(jj, ny - 1) * nx + Math.min(ii, nx - 1)]!;
    for (let j = 0; j < ny; j++) {
      const v = j - b;
      const j0 = Math.floor(v);
      const fv = v - j0;
      for (let i = 0; i < nx; i++) {
        const u = i - a;
        if (u < 0 || u > nx - 1 || v < 0 || v > ny - 1) {
          out[base + j * nx + i] = fill;
          continue;
        }
        const i0 = Math.floor(u);
        const fu = u - i0;
        const top = at(i0, j0) * (1 - fu) + at(i0 + 1, j0) * fu;
        const bottom = at(i0, j0 + 1) * (1 - fu) + at(i0 + 1, j0 + 1) * fu;
        const value = top * (1 - fv) + bottom * fv;
        out[base + j * nx + i] = integral ? Math.round(value) : value;
      }
    }
  }
  return out;
}
