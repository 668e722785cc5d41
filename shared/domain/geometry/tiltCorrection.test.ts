import { describe, expect, it } from 'vitest';
import { correctGantryTilt, type ShearedStack } from './tiltCorrection';
import { add, cross, dot, normalize, scale, sub, type Vec3 } from './vector3';

/**
 * A stack acquired with the gantry tilted by `degrees` about the patient's left-right axis: rows along
 * x, columns in the tilted y-z plane, the table (and so the slice positions) moving along z. Every
 * pixel holds `field` at its patient position: the reference the corrected volume is checked against.
 */
function tiltedStack(degrees: number, field: (p: Vec3) => number) {
  const t = (degrees * Math.PI) / 180;
  const [nx, ny, nz] = [40, 32, 12];
  const pixelSpacing = [0.8, 0.7] as const;
  const row: Vec3 = [1, 0, 0];
  const column: Vec3 = [0, Math.cos(t), -Math.sin(t)];
  const positions: Vec3[] = Array.from({ length: nz }, (_, k) => [-15, -10, 2.5 * k] as Vec3);
  const values = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) values[(k * ny + j) * nx + i] = field(add(positions[k]!, add(scale(row, i * pixelSpacing[0]), scale(column, j * pixelSpacing[1]))));
  const stack: ShearedStack = { dimensions: [nx, ny, nz], pixelSpacing, row, column, positions };
  return { values, stack, normal: normalize(cross(row, column)) };
}

/** Where voxel (i, j, k) of the corrected volume lies (the function's contract, from the geometry alone). */
function voxelPosition(stack: ShearedStack, normal: Vec3, i: number, j: number, k: number): Vec3 {
  const p0 = stack.positions[0]!;
  const along = dot(sub(stack.positions[k]!, p0), normal);
  return add(p0, add(scale(stack.row, i * stack.pixelSpacing[0]), add(scale(stack.column, j * stack.pixelSpacing[1]), scale(normal, along))));
}

describe('gantry tilt correction', () => {
  // Linear in patient coordinates: bilinear resampling reproduces it exactly wherever the source covers.
  const field = (p: Vec3) => 3 * p[0] - 2 * p[1] + 5 * p[2] + 100;

  it('puts the value of every patient position where the orthogonal volume says it is', () => {
    const { values, stack, normal } = tiltedStack(20, field);
    const corrected = correctGantryTilt(values, stack, -1000);
    const [nx, ny, nz] = stack.dimensions;
    let checked = 0;
    let worstUncorrected = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const value = corrected[(k * ny + j) * nx + i]!;
          if (value === -1000) continue; // moved out of the acquired slice
          const expected = field(voxelPosition(stack, normal, i, j, k));
          expect(value).toBeCloseTo(expected, 2);
          worstUncorrected = Math.max(worstUncorrected, Math.abs(values[(k * ny + j) * nx + i]! - expected));
          checked++;
        }
    // most of the volume is covered, and without the correction the values would be far off
    expect(checked).toBeGreaterThan(0.6 * nx * ny * nz);
    expect(worstUncorrected).toBeGreaterThan(10);
  });

  it('leaves an untilted stack unchanged and rounds integer voxels', () => {
    const { values, stack } = tiltedStack(0, field);
    const ints = Int16Array.from(values, Math.round);
    expect(Array.from(correctGantryTilt(ints, stack, -1000))).toEqual(Array.from(ints));
    const tilted = tiltedStack(15, field);
    const out = correctGantryTilt(Int16Array.from(tilted.values, Math.round), tilted.stack, -1000);
    expect(out).toBeInstanceOf(Int16Array);
    expect(out.every((v) => Number.isInteger(v))).toBe(true);
  });
});
