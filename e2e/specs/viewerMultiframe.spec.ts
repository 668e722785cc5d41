import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const file = path.resolve(repoRoot, '..', 'shared', 'data', 'conformance', 'pylibjpeg-data', 'emri_small.dcm');

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
