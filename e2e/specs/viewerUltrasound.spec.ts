import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, screenshotDir, repoRoot, dragBetweenVoxels } from './fixtures';

const file = path.resolve(repoRoot, '..', 'shared', 'data', 'conformance', 'pydicom-data', 'gdcm-US-ALOKA-16.dcm');

/**
 * An ultrasound image has no Pixel Spacing: its scale is in the Sequence of Ultrasound Regions. The
 * ALOKA image has two B-mode regions side by side (pydicom reads their bounds and cm per pixel). A
 * length or ROI wholly in one is in mm from that region's deltas; one reaching into the other region
 * stays in pixels, as Cornerstone3D measures ultrasound.
 */
test('lengths and areas on ultrasound are calibrated by the region they lie in', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const [left, right] = JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      ['-c', 'import sys, json, pydicom; d = pydicom.dcmread(sys.argv[1], stop_before_pixels=True); print(json.dumps([{"x0": r.RegionLocationMinX0, "x1": r.RegionLocationMaxX1, "y0": r.RegionLocationMinY0, "dx": float(r.PhysicalDeltaX), "dy": float(r.PhysicalDeltaY)} for r in d.SequenceOfUltrasoundRegions if r.PhysicalUnitsXDirection == 3]))', file],
      { encoding: 'utf8' },
    ),
  ) as { x0: number; x1: number; y0: number; dx: number; dy: number }[];
  expect(right!.x0).toBeGreaterThan(left!.x1);
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Imported 1 new instance/, { timeout: 120_000 });
  await page.getByRole('row').nth(1).click();
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { shownFrame?: number })?.shownFrame ?? -1), { timeout: 60_000 }).toBe(0);
  const values = page.locator('[data-measurement] .m-values');

  // 120 columns inside the left region: 120 x delta (cm) x 10 mm
  const y = left!.y0 + 150;
  await page.keyboard.press('l');
  await dragBetweenVoxels(page, 'vp0', [left!.x0 + 40, y], [left!.x0 + 160, y]);
  await expect(values.nth(0)).toHaveText(`${(120 * left!.dx * 10).toFixed(2)} mm`);
  await expect(page.locator('[data-measurement] .m-note').nth(0)).toContainText('ultrasound region');

  // from the left region into the right one: no single calibration, so pixels
  await dragBetweenVoxels(page, 'vp0', [left!.x1 - 50, y], [right!.x0 + 50, y]);
  await expect(values.nth(1)).toHaveText(`${(right!.x0 + 50 - (left!.x1 - 50)).toFixed(2)} px`);

  // a rectangle of 100 x 80 pixels in the right region: its area in mm²
  await page.keyboard.press('g');
  await dragBetweenVoxels(page, 'vp0', [right!.x0 + 20, y], [right!.x0 + 120, y + 80]);
  await expect(values.nth(2)).toContainText(`area ${(100 * right!.dx * 10 * 80 * right!.dy * 10).toFixed(1)} mm²`);
  await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'us-region-calibration.png') });
});
