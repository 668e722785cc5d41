import path from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

test('the demo phantom opens in MPR with a 3D view', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  await expect(page.getByRole('row', { name: /DEMO, Phantom/ })).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp3 as { ready?: boolean })?.ready), { timeout: 120_000 }).toBe(true);
  await page.waitForTimeout(2000);
  await page.screenshot({ path: path.join(screenshotDir, 'demo-mpr.png') });
});
