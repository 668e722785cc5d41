import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, repoRoot, dragBetweenVoxels } from './fixtures';

const mrFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'mr', 'decubitus');

type Described = { seriesInstanceUid?: string | null; shownFrame?: number };
const describe = (page: Page) => page.evaluate(() => window.__lumenViewer?.describe().vp0 as Described | undefined);

/**
 * Measurements are saved with the study a moment after each change (a handle drag saves once). A
 * length drawn just before the reader opens the next study must still be saved with its own study.
 */
test('a length drawn just before switching to another study is saved with its study', async ({ page, harness }) => {
  test.setTimeout(180_000);
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(mrFolder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 140 new instances', { timeout: 120_000 });
  const rows = page.locator('tbody tr');
  await rows.nth(0).click();
  await expect.poll(async () => (await describe(page))?.shownFrame ?? -1, { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
  const first = (await describe(page))!.seriesInstanceUid;

  const vp0 = page.locator('[data-viewport="vp0"]');
  await vp0.click({ position: { x: 5, y: 5 }, button: 'middle' });
  await page.keyboard.press('l');
  await dragBetweenVoxels(page, 'vp0', [40, 100], [120, 100]);
  await expect(page.locator('[data-measurement="length"]')).toHaveCount(1);
  // At once to the next study, before the save's pause is over.
  await rows.nth(1).click();
  await expect.poll(async () => (await describe(page))?.seriesInstanceUid).not.toBe(first);
  await expect(page.locator('[data-measurement="length"]')).toHaveCount(0);

  await rows.nth(0).click();
  await expect.poll(async () => (await describe(page))?.seriesInstanceUid).toBe(first);
  await expect(page.locator('[data-measurement="length"]')).toHaveCount(1, { timeout: 10_000 });
});
