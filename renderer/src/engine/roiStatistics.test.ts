import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { roiStatistics } from './roiStatistics';
import { angleDegrees } from './measurements';

/** ROI statistics against numpy on the same plane and the same pixel-centre rule. */
const NUMPY = `
import json, sys, numpy as np
spec = json.loads(sys.argv[1])
rows, cols = spec['rows'], spec['cols']
v = np.array(spec['values'], dtype=float).reshape(rows, cols)
out = []
for shape, i0, j0, i1, j1 in spec['rois']:
    jj, ii = np.mgrid[0:rows, 0:cols]
    lo_i, hi_i, lo_j, hi_j = min(i0, i1), max(i0, i1), min(j0, j1), max(j0, j1)
    inside = (ii >= lo_i) & (ii <= hi_i) & (jj >= lo_j) & (jj <= hi_j)
    if shape == 'ellipse':
        ci, cj, ri, rj = (lo_i + hi_i) / 2, (lo_j + hi_j) / 2, (hi_i - lo_i) / 2, (hi_j - lo_j) / 2
        inside &= ((ii - ci) / ri) ** 2 + ((jj - cj) / rj) ** 2 <= 1
    s = v[inside]
    out.append([int(s.size), float(s.mean()), float(s.std()), float(s.min()), float(s.max())])
print(json.dumps(out))
`;

describe('ROI statistics', () => {
  it('match numpy for rectangles and ellipses on a CT-like plane', () => {
    const rows = 40;
    const cols = 50;
    const values = Array.from({ length: rows * cols }, (_, n) => Math.round(1000 * Math.sin(n * 0.37) - 400 + (n % 7) * 13));
    const rois: [string, number, number, number, number][] = [
      ['rectangle', 3, 4, 20, 15],
      ['rectangle', 30.4, 12.6, 10.2, 2.5],
      ['ellipse', 5, 5, 35, 25],
      ['ellipse', 44.7, 39, 20.1, 10.3],
    ];
    const result = spawnSync('/usr/bin/python3', ['-c', NUMPY, JSON.stringify({ rows, cols, values, rois })], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const reference = JSON.parse(result.stdout) as number[][];
    rois.forEach(([shape, i0, j0, i1, j1], n) => {
      const ours = roiStatistics({ values, rows, columns: cols, offset: 0 }, shape as 'rectangle' | 'ellipse', i0, j0, i1, j1)!;
      const [count, mean, sd, min, max] = reference[n]!;
      expect(ours.pixels).toBe(count);
      expect(ours.mean).toBeCloseTo(mean!, 9);
      expect(ours.sd).toBeCloseTo(sd!, 6);
      expect(ours.min).toBe(min);
      expect(ours.max).toBe(max);
    });
  });

  it('measures angles in degrees at the middle point', () => {
    expect(angleDegrees([10, 0, 0], [0, 0, 0], [0, 5, 0])).toBeCloseTo(90, 12);
    expect(angleDegrees([1, 1, 0], [0, 0, 0], [1, 0, 0])).toBeCloseTo(45, 12);
  });
});
