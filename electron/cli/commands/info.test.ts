import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('lumen info', () => {
  it('prints the chest CT as one uniform 512x512x275 axial series and lists the non-DICOM files', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'info', '../shared/data/ct/chest-275'], { cwd: repo, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info.series).toHaveLength(1);
    expect(info.series[0]).toMatchObject({
      seriesInstanceUid: '1.3.6.1.4.1.14519.5.2.1.6279.6001.154677396354641150280013275227',
      modality: 'CT',
      rows: 512,
      columns: 512,
      slices: 275,
      pixelSpacing: [0.78125, 0.78125],
      sliceSpacing: 1,
      orientation: { row: 'L', column: 'P', normal: 'H', edges: { left: 'R', right: 'L', top: 'A', bottom: 'P' } },
      uniformSpacing: true,
      missingSlicePositions: [],
      gantryTiltDegrees: 0,
      warnings: [],
    });
    expect(info.failed.map((f: { path: string }) => path.basename(f.path)).sort()).toEqual(['README.md', 'probes.json']);
    expect(info.failed[0].reason).toBeTruthy();
    expect(info.files).toEqual({ seen: 277, parsed: 275, failed: 2 });
  });

  it('exits 2 with usage when given nothing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'info'], { cwd: repo, encoding: 'utf8' });
    expect(run.status).toBe(2);
  });
});
