import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const data = path.resolve(repoRoot, '..', 'shared', 'data');

async function importFolder(page: Page, folder: string, expected: RegExp): Promise<void> {
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(expected, { timeout: 120_000 });
}

async function markers(page: Page) {
  const vp = page.locator('[data-viewport="vp0"]');
  const text = async (edge: string) => (await vp.locator(`.vp-marker.${edge}`).textContent())?.trim();
  return { left: await text('left'), right: await text('right'), top: await text('top'), bottom: await text('bottom') };
}

/**
 * mr/decubitus/README.md: all four series (HFS, HFP, HFDR, HFDL) have Image Orientation (Patient)
 * 0\1\0\0\0\-1, rows run to +Y (posterior) and columns to -Z (feet): with no flip the left edge is
 * Anterior, the right Posterior, the top Head and the bottom Feet, whatever the patient position.
 */
test('the four decubitus MR series show the same, correct orientation markers', async ({ page, harness }) => {
  test.setTimeout(240_000);
  await page.goto(harness.url);
  await importFolder(page, path.join(data, 'mr', 'decubitus'), /Imported 140 new instances/);
  // The four positions were scanned as four studies; every header says PatientName "HFS" (README).
  const rows = page.getByRole('row', { name: /crlab/ });
  await expect(rows).toHaveCount(4);
  for (let study = 0; study < 4; study++) {
    await rows.nth(study).click();
    await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { shownFrame?: number })?.shownFrame ?? -1), { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
    await expect.poll(() => markers(page)).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
    await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, `mr-decubitus-study${study + 1}.png`) });
  }
  // flipping and rotating move the labels with the image
  await page.locator('[data-viewport="vp0"]').click({ button: 'middle' });
  await page.keyboard.press('h');
  await expect.poll(() => markers(page)).toEqual({ left: 'P', right: 'A', top: 'H', bottom: 'F' });
  await page.keyboard.press(']');
  await expect.poll(() => markers(page)).toEqual({ left: 'F', right: 'H', top: 'P', bottom: 'A' });
});

/** cxr/dicom/README.md: CR-MONO1-10-chest is MONOCHROME1 with Window Center 550 / Width 1024. */
test('a chest radiograph opens in the 1x1 layout with the window from its file, inverted for MONOCHROME1', async ({ page, harness }) => {
  test.setTimeout(240_000);
  await page.goto(harness.url);
  await importFolder(page, path.join(data, 'cxr', 'dicom', 'CR-MONO1-10-chest.dcm'), /Imported 1 new instance/);
  await page.getByRole('row').nth(1).click();
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { shownFrame?: number })?.shownFrame ?? -1), { timeout: 60_000 }).toBe(0);
  expect(await page.locator('[data-viewport]').count()).toBe(1);
  await expect(page.locator('[data-viewport="vp0"] .vp-corner.br')).toContainText('W: 1024 L: 550 (inv)');
  // This 1993 film carries no Patient Orientation (dcmdump finds none): no markers rather than a guess.
  expect(execFileSync('dcmdump', ['+P', '0020,0020', path.join(data, 'cxr', 'dicom', 'CR-MONO1-10-chest.dcm')], { encoding: 'utf8' })).toBe('');
  await expect.poll(() => markers(page)).toEqual({ left: '', right: '', top: '', bottom: '' });
  await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'cxr-cr-mono1.png') });
});

/** cxr/dicom/README.md: 966_fixed is a Canon DX chest PA; dcmdump reads its Patient Orientation as L\\F. */
test('a radiograph without Image Orientation (Patient) is labelled from its Patient Orientation, through rotation', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const file = path.join(data, 'cxr', 'dicom', '966_fixed.dcm');
  expect(execFileSync('dcmdump', ['+P', '0020,0020', file], { encoding: 'utf8' })).toContain('[L\\F]');
  await page.goto(harness.url);
  await importFolder(page, file, /Imported 1 new instance/);
  await page.getByRole('row').nth(1).click();
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { shownFrame?: number })?.shownFrame ?? -1), { timeout: 90_000 }).toBe(0);
  // rows run to the patient's left (screen right), columns to the feet (screen down)
  await expect.poll(() => markers(page)).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
  await page.locator('[data-viewport="vp0"]').click();
  await page.keyboard.press(']');
  await expect.poll(() => markers(page)).toEqual({ left: 'F', right: 'H', top: 'R', bottom: 'L' });
  await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'dx-patient-orientation-rotated.png') });
});
