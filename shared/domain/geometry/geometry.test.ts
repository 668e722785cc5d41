import { describe, expect, it } from 'vitest';
import { edgeLabels, imageOrientation, orientationLetters, sliceNormal } from './orientation';
import { sliceStackGeometry } from './sliceStack';
import { add, cross, dot, normalize, scale, type Vec3 } from './vector3';

const axial = imageOrientation([1, 0, 0, 0, 1, 0]);

describe('orientation (PS3.3 C.7.6.1.1.1, C.7.6.2.1.1)', () => {
  it('labels an axial image as radiologists read it: patient right on the screen left, anterior at the top', () => {
    expect(edgeLabels(axial)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(sliceNormal(axial)).toEqual([0, 0, 1]);
  });

  it('labels a sagittal image with anterior left and head at the top', () => {
    const sagittal = imageOrientation([0, 1, 0, 0, 0, -1]);
    expect(edgeLabels(sagittal)).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
    expect(orientationLetters(sliceNormal(sagittal))).toBe('R');
  });

  it('gives oblique directions their letters, most significant first, and opposite edges opposite letters', () => {
    expect(orientationLetters(normalize([0.8, -0.6, 0.1]))).toBe('LAH');
    const swap: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let n = 0; n < 200; n++) {
      const row = normalize([rand(), rand(), rand()]);
      const column = normalize(cross(sliceNormalOf(row), row));
      const labels = edgeLabels({ row, column });
      expect([...labels.left].map((c) => swap[c]).join('')).toBe(labels.right);
      expect([...labels.top].map((c) => swap[c]).join('')).toBe(labels.bottom);
    }
  });
});

function sliceNormalOf(row: Vec3): Vec3 {
  const helper: Vec3 = Math.abs(row[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  return normalize(cross(row, helper));
}

function stack(count: number, spacing: number, step: Vec3 = [0, 0, 1], origin: Vec3 = [-100, -50, 20]): Vec3[] {
  return Array.from({ length: count }, (_, i) => add(origin, scale(step, i * spacing)));
}

describe('slice stack geometry', () => {
  it('sorts shuffled positions along the normal and finds uniform spacing', () => {
    const positions = stack(10, 2.5);
    const shuffled = [3, 9, 0, 5, 1, 8, 2, 7, 4, 6].map((i) => positions[i]!);
    const g = sliceStackGeometry(shuffled, [0, 0, 1]);
    expect(g.order.map((i) => shuffled[i]![2])).toEqual(positions.map((p) => p[2]));
    expect(g.spacing).toBeCloseTo(2.5, 9);
    expect(g.uniform).toBe(true);
    expect(g.tiltDegrees).toBeCloseTo(0, 9);
  });

  it('reports missing slices at their patient positions', () => {
    const positions = stack(12, 1).filter((_, i) => i !== 4 && i !== 5 && i !== 9);
    const g = sliceStackGeometry(positions, [0, 0, 1]);
    expect(g.uniform).toBe(false);
    expect(g.missing.map((m) => m.position[2])).toEqual([24, 25, 29]);
    expect(g.irregularSteps).toEqual([]);
  });

  it('reports irregular steps and duplicate positions', () => {
    const positions: Vec3[] = [...stack(5, 1), [-100, -50, 25.4], [-100, -50, 25.4]];
    const g = sliceStackGeometry(positions, [0, 0, 1]);
    expect(g.irregularSteps.length).toBe(1);
    expect(g.duplicates).toBe(1);
    expect(g.uniform).toBe(false);
  });

  it('measures gantry tilt as the angle between the normal and the line of positions', () => {
    const tilt = (20 * Math.PI) / 180;
    const positions = stack(30, 1, [0, Math.sin(tilt), Math.cos(tilt)]);
    const g = sliceStackGeometry(positions, [0, 0, 1]);
    expect(g.tiltDegrees).toBeCloseTo(20, 6);
    expect(g.spacing).toBeCloseTo(Math.cos(tilt), 9);
    expect(g.uniform).toBe(true);
    // A missing slice in a tilted stack lies on the tilted line, not on the normal through the first slice.
    const gap = sliceStackGeometry(positions.filter((_, i) => i !== 10), [0, 0, 1]);
    expect(gap.missing).toHaveLength(1);
    const expected = positions[10]!;
    gap.missing[0]!.position.forEach((c, i) => expect(c).toBeCloseTo(expected[i]!, 6));
    expect(dot(normalize([0, Math.sin(tilt), Math.cos(tilt)]), [0, 0, 1])).toBeCloseTo(Math.cos(tilt));
  });
});
