import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCtPhantom } from '../../electron/services/demo/ctPhantom';
import { test, expect, screenshotDir } from './fixtures';

/**
 * A CT acquired with the gantry tilted 20 degrees (the demo phantom written that way): the stack warns
 * about the tilt, and the reformats are built from the tilt-corrected volume, so the phantom's round
 * spine and straight body outline stay in place instead of leaning (look at the screenshots).
 */
test('a gantry-tilted CT warns about the tilt and reformats it corrected', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const folder = mkdtempSync(path.join(tmpdir(), 'lumen-tilted-ct-'));
  try {
    await writeCtPhantom(folder, { size: 160, slices: 60, pixelSpacing: 2.2, sliceSpacing: 3, gantryTiltDegrees: 20, patientId: 'TILT-20' });
    await page.goto(harness.url);
    await page.getByLabel('Folder or file to import').fill(folder);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(/Imported 60 new instances/, { timeout: 120_000 });
    await page.getByRole('row', { name: /TILT-20/ }).click();
    await expect(page.locator('[data-viewport="vp0"] .vp-warning')).toContainText(/[Gg]antry tilt.*20/, { timeout: 60_000 });
    for (const vp of ['vp1', 'vp2']) {
      await expect.poll(() => page.evaluate((id) => (window.__lumenViewer?.describe()[id] as { ready?: boolean } | undefined)?.ready, vp), { timeout: 120_000 }).toBe(true);
    }
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(screenshotDir, 'ct-tilted-mpr.png') });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
