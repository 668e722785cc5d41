import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { damageCtSlices, pythonJson } from '../../electron/services/dicom/testSupport';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const ctFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'ct', 'chest-275');
const mrFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'mr', 'decubitus');

type Described = { seriesInstanceUid?: string | null; frame?: number; shownFrame?: number; loaded?: number; failed?: number[] };
const describe = (page: Page, vp: string) => page.evaluate((id) => window.__lumenViewer?.describe()[id] as Described | undefined, vp);

/**
 * A CT from a scratched CD: three slices' files are damaged (the middle one, which opens first, among
 * them). Every other slice loads and shows; a damaged slice's place says why it is empty instead of
 * showing its neighbour; the series says how many are missing; reformats and 3D say why they are off.
 */
test('a CT with damaged slices shows every intact slice, and says which ones are missing and why', async ({ page, harness }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-damaged-ct-'));
  try {
    damageCtSlices(ctFolder, dir);
    await page.goto(harness.url);
    await page.getByLabel('Folder or file to import').fill(dir);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // Damaged pixel data is not seen by a header-only import: all 275 are in the library.
    await expect(page.getByRole('status')).toContainText('Imported 275 new instances', { timeout: 180_000 });
    await page.getByRole('row', { name: /LIDC-IDRI-0314/ }).click();

    await expect.poll(async () => ((await describe(page, 'vp0'))?.loaded ?? 0) + ((await describe(page, 'vp0'))?.failed?.length ?? 0), { timeout: 240_000 }).toBe(275);
    const stack = await describe(page, 'vp0');
    expect(stack?.loaded).toBe(272);
    expect(stack?.failed).toContain(stack?.frame);
    const vp0 = page.locator('[data-viewport="vp0"]');
    await expect(vp0).toContainText(`Image ${stack!.frame! + 1} cannot be shown: The JPEG-LS compressed image could not be decoded`);
    await expect(vp0).toContainText('3 of 275 images could not be read.');
    await expect(vp0.locator('.vp-corner.bl')).not.toContainText('Loading');
    for (const vp of ['vp1', 'vp2']) await expect(page.locator(`[data-viewport="${vp}"]`)).toContainText('Reformat is not available: 3 of 275 images of the series could not be read, and it needs every slice.');
    await expect(page.locator('[data-viewport="vp3"]')).toContainText('3D is not available');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshotDir, 'ct-damaged-slice.png') });

    // Two slices away from the damaged pair, an image again, and its place says nothing is wrong.
    await vp0.click({ position: { x: 5, y: 5 }, button: 'middle' });
    const target = Math.max(...stack!.failed!.filter((k) => Math.abs(k - stack!.frame!) <= 1)) + 1;
    while ((await describe(page, 'vp0'))!.frame! < target) await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await describe(page, 'vp0'))?.shownFrame).toBe(target);
    await expect(vp0).not.toContainText('cannot be shown');
    await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'ct-damaged-next-slice.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Selecting a study whose series cannot be opened (its files were imported in place from a disk that
 * is gone) must not leave the study shown before on screen: a radiologist would read the previous
 * patient's images under the new selection. The viewport empties at once and says why.
 */
test('a series that cannot be opened leaves no image of the series shown before, and says why', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-gone-'));
  try {
    const positions = { hfs: path.join(mrFolder, 'HFS'), hfp: path.join(mrFolder, 'HFP') };
    for (const [name, source] of Object.entries(positions)) cpSync(source, path.join(dir, name), { recursive: true });
    // pydicom names each copy's series
    const seriesOf = pythonJson<Record<string, string>>(
      `import sys, os, json, pydicom
out = {}
for name in ('hfs', 'hfp'):
    for root, _, files in os.walk(os.path.join(sys.argv[1], name)):
        for f in files:
            if f.endswith('.dcm'):
                out[name] = str(pydicom.dcmread(os.path.join(root, f), stop_before_pixels=True).SeriesInstanceUID)
print(json.dumps(out))`,
      [dir],
    );
    await page.goto(harness.url);
    await page.getByLabel('Folder or file to import').fill(dir);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Imported 70 new instances', { timeout: 120_000 });
    await expect.poll(async () => (await describe(page, 'vp0'))?.shownFrame ?? -1, { timeout: 120_000 }).toBeGreaterThanOrEqual(0);
    const shown = (await describe(page, 'vp0'))!.seriesInstanceUid;
    const gone = Object.keys(seriesOf).find((name) => seriesOf[name] !== shown)!;
    expect(Object.values(seriesOf)).toContain(shown);
    rmSync(path.join(dir, gone), { recursive: true, force: true });

    await page.locator('tbody tr[aria-selected="false"]').first().click();
    const vp0 = page.locator('[data-viewport="vp0"]');
    await expect(vp0).toContainText('Could not open the series: None of the images of this series could be read: The file is no longer where it was', { timeout: 30_000 });
    const after = await describe(page, 'vp0');
    expect(after?.seriesInstanceUid).toBeNull();
    expect(after?.shownFrame).toBe(-1);
    await expect(vp0.locator('.vp-corner.tl')).toHaveText('');
    await vp0.screenshot({ path: path.join(screenshotDir, 'series-cannot-open.png') });

    // The intact study opens again.
    await page.locator('tbody tr[aria-selected="false"]').first().click();
    await expect.poll(async () => (await describe(page, 'vp0'))?.seriesInstanceUid).toBe(shown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
