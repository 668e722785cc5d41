import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const data = path.resolve(repoRoot, '..', 'shared', 'data');
const file = path.join(data, 'conformance', 'pylibjpeg-data', 'emri_small.dcm');

/** A classic multi-frame MR (no functional groups): each frame is an image of the stack, not just the first. */
test('a classic multi-frame image scrolls through every frame', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const frames = Number(execFileSync('/usr/bin/python3', ['-c', 'import sys, pydicom; print(int(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).NumberOfFrames))', file], { encoding: 'utf8' }));
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Imported 1 new instance/, { timeout: 120_000 });
  await page.getByRole('row').nth(1).click();
  const vp = page.locator('[data-viewport="vp0"]');
  const described = () => page.evaluate(() => window.__lumenViewer?.describe().vp0 as { frames?: number; shownFrame?: number } | undefined);
  await expect.poll(async () => (await described())?.frames, { timeout: 60_000 }).toBe(frames);
  await vp.click();
  await page.keyboard.press('Home');
  await expect.poll(async () => (await described())?.shownFrame, { timeout: 60_000 }).toBe(0);
  await expect(vp.locator('.vp-corner')).toContainText([new RegExp(`Im: 1/${frames}`)]);
  const first = await vp.screenshot({ path: path.join(screenshotDir, 'mr-multiframe-first.png') });
  await page.keyboard.press('End');
  await expect.poll(async () => (await described())?.shownFrame, { timeout: 60_000 }).toBe(frames - 1);
  await expect(vp.locator('.vp-corner')).toContainText([new RegExp(`Im: ${frames}/${frames}`)]);
  const last = await vp.screenshot({ path: path.join(screenshotDir, 'mr-multiframe-last.png') });
  expect(first.equals(last)).toBe(false);
});

/**
 * An image without a window in its file gets one from its own values when it arrives. "Reset view"
 * pressed before it has arrived must not fix a window over the empty samples (width 1, the image a
 * black-and-white blot); the first frame to arrive still sets it.
 */
test('reset before the first frame has arrived leaves the window to that frame', async ({ page, harness }) => {
  test.setTimeout(240_000);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pixels\//, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Imported 1 new instance/, { timeout: 120_000 });
  await page.getByRole('row').nth(1).click();
  const described = () => page.evaluate(() => window.__lumenViewer?.describe().vp0 as { frames?: number; shownFrame?: number; window?: { center: number; width: number } } | undefined);
  await expect.poll(async () => (await described())?.frames ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  expect((await described())?.shownFrame).toBe(-1);
  await page.locator('[data-viewport="vp0"]').click({ position: { x: 5, y: 5 }, button: 'middle' });
  await page.keyboard.press('r');
  release();
  await expect.poll(async () => (await described())?.shownFrame ?? -1, { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
  expect((await described())?.window?.width).toBeGreaterThan(1);
});

type Described = Record<string, { kind?: string; frames?: number; shownFrame?: number; ready?: boolean }>;

async function importAndOpen(page: Page, url: string, file: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Folder or file to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Imported 1 new instance/, { timeout: 120_000 });
  await page.getByRole('row').nth(1).click();
}

/**
 * An enhanced CT is one file whose frames are the slices: pydicom writes 60 slices of the chest CT as
 * one (make_enhanced_ct.py). It is counted in images and opens with the CT hanging protocol, the
 * reformats and 3D built from its frames, as a CT of many files does.
 */
test('an enhanced multi-frame CT counts its frames and opens with the CT hanging protocol', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-enhanced-'));
  try {
    const file = path.join(dir, 'enhanced-ct.dcm');
    const made = JSON.parse(
      execFileSync('/usr/bin/python3', [path.join(repoRoot, 'electron/services/dicom/reference/make_enhanced_ct.py'), path.join(data, 'ct', 'chest-275'), '60', file], { encoding: 'utf8' }),
    ) as { frames: number };
    await importAndOpen(page, harness.url, file);
    await expect(page.getByLabel('Series').getByText(`${made.frames} images`)).toBeVisible();
    await expect(page.locator('[data-viewport]')).toHaveCount(4);
    const described = () => page.evaluate(() => window.__lumenViewer?.describe() as Described | undefined);
    await expect.poll(async () => (await described())?.vp0?.frames, { timeout: 60_000 }).toBe(made.frames);
    for (const vp of ['vp1', 'vp2', 'vp3']) await expect.poll(async () => (await described())?.[vp]?.ready, { timeout: 120_000 }).toBe(true);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(screenshotDir, 'ct-enhanced-mpr.png') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** eCT_Supplemental is an enhanced CT of two colour perfusion frames: no volume, so one viewport, not three empty reformats. */
test('an enhanced CT whose frames make no volume opens in one viewport', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const file = path.join(data, 'conformance', 'pydicom-data', 'eCT_Supplemental.dcm');
  const frames = Number(execFileSync('/usr/bin/python3', ['-c', 'import sys, pydicom; print(int(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).NumberOfFrames))', file], { encoding: 'utf8' }));
  await importAndOpen(page, harness.url, file);
  await expect(page.getByLabel('Series').getByText(`${frames} images`)).toBeVisible();
  await expect(page.locator('[data-viewport]')).toHaveCount(1);
  const described = () => page.evaluate(() => window.__lumenViewer?.describe() as Described | undefined);
  await expect.poll(async () => (await described())?.vp0?.shownFrame ?? -1, { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshotDir, 'ct-enhanced-colour.png') });
});
