import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot, dragBetweenVoxels } from './fixtures';

const ctFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'ct', 'chest-275');

type Described = { frames?: number; frame?: number; shownFrame?: number; loaded?: number; ready?: boolean; window?: { center: number; width: number } };
const described = (page: Page, vp = 'vp0') => page.evaluate((id) => window.__lumenViewer?.describe()[id] as Described | undefined, vp);

async function importFolder(page: Page, folder: string, count: number): Promise<void> {
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`Imported ${count} new instances`, { timeout: 180_000 });
}

/**
 * A series open in the viewer gains images (a retrieve still arriving, the rest of a CD imported): the
 * viewport reads it again, so every image the library holds can be scrolled to, and the reader keeps the
 * slice on screen (by position) and the window they chose, and a measurement stays on its image. Here
 * every other slice of the chest CT is imported first, then the rest.
 */
test('a series that gains images while it is on screen is read again, keeping the slice and the window', async ({ page, harness }) => {
  test.setTimeout(420_000);
  const work = mkdtempSync(path.join(os.tmpdir(), 'lumen-grows-'));
  try {
    const names = readdirSync(ctFolder).filter((n) => n.endsWith('.dcm')).sort();
    const [first, rest] = [path.join(work, 'first'), path.join(work, 'rest')];
    mkdirSync(first);
    mkdirSync(rest);
    names.forEach((n, i) => symlinkSync(path.join(ctFolder, n), path.join(i % 2 === 0 ? first : rest, n)));
    const firstCount = Math.ceil(names.length / 2);

    await page.goto(harness.url);
    await importFolder(page, first, firstCount);
    await page.getByRole('row', { name: /LIDC-IDRI-0314/ }).click();
    await expect.poll(async () => (await described(page))?.loaded, { timeout: 120_000 }).toBe(firstCount);
    const vp = page.locator('[data-viewport="vp0"]');
    await vp.click({ position: { x: 5, y: 5 }, button: 'middle' });
    await page.getByRole('button', { name: 'Lung', exact: true }).click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await described(page))?.shownFrame).toBe(40);
    const position = async () => (await vp.locator('.vp-corner.bl').textContent())?.match(/Pos: (-?[\d.]+) mm/)?.[1];
    const before = await position();
    expect(before).toBeDefined();
    // a length on this slice, saved with the study
    await page.keyboard.press('l');
    await dragBetweenVoxels(page, 'vp0', [150, 300], [350, 300]);
    const length = page.locator('[data-measurement="length"]');
    await expect(length.locator('.m-frame')).toHaveText('image 41');
    const value = await length.locator('.m-values').textContent();

    await importFolder(page, rest, names.length - firstCount);
    await expect.poll(async () => (await described(page))?.frames, { timeout: 60_000 }).toBe(names.length);
    await expect(page.getByLabel('Series').getByText(`${names.length} images`)).toBeVisible();
    await expect.poll(async () => (await described(page))?.loaded, { timeout: 120_000 }).toBe(names.length);
    expect(await position()).toBe(before);
    expect((await described(page))?.window).toEqual({ center: -600, width: 1500 });
    // the length stays on its image, now further down the series, and is drawn there
    const shown = (await described(page))!.shownFrame!;
    expect(shown).not.toBe(40);
    await expect(length.locator('.m-frame')).toHaveText(`image ${shown + 1}`);
    await expect(length.locator('.m-values')).toHaveText(value!);
    await expect(vp.locator('g.measurement.length')).toHaveCount(1);
    await expect(vp.locator('.vp-corner.bl')).toContainText(`/${names.length}`);
    // the reformats are built from the whole series too, in the window the reader chose
    for (const id of ['vp1', 'vp2']) {
      await expect.poll(async () => (await described(page, id))?.ready, { timeout: 120_000 }).toBe(true);
      expect((await described(page, id))?.window).toEqual({ center: -600, width: 1500 });
    }
    await page.screenshot({ path: path.join(screenshotDir, 'ct-series-grew.png') });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
