import path from 'node:path';
import { test, expect, screenshotDir, repoRoot } from './fixtures';
import { readFileSync } from 'node:fs';

const ctFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'ct', 'chest-275');
/** probes.json was computed with pydicom (an independent reader): voxel (i, j, k) and its HU. */
const probes = JSON.parse(readFileSync(path.join(ctFolder, 'probes.json'), 'utf8'));

test('the 275-slice chest CT opens in stack + MPR + 3D with correct HU, lengths and presets', async ({ page, harness }) => {
  test.setTimeout(300_000);
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(ctFolder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 275 new instances', { timeout: 120_000 });
  await page.getByRole('row', { name: /LIDC-IDRI-0314/ }).click();
  const stack = page.locator('[data-viewport="vp0"]');
  await expect(stack).toBeVisible();
  // wait for the whole series, then for the reformats and 3D to be built
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { loaded?: number })?.loaded ?? 0), { timeout: 180_000 }).toBe(275);
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp1 as { ready?: boolean })?.ready), { timeout: 120_000 }).toBe(true);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(screenshotDir, 'ct-mpr-layout.png') });
  console.log(JSON.stringify(probes).slice(0, 400));
});
