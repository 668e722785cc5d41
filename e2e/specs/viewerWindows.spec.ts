import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const folder = path.resolve(repoRoot, '..', 'shared', 'data', 'mr', 'decubitus', 'HFS');

type Window = { center: number; width: number };
type Described = { frames?: number; shownFrame?: number; window?: Window };
const described = (page: Page) => page.evaluate(() => window.__lumenViewer?.describe().vp0 as Described | undefined);

/** pydicom: each slice's Window Center/Width, the slices in order along the normal (the viewer's order). */
function windowsInOrder(): Window[] {
  const script = `import sys, os, json, numpy as np, pydicom
files = [os.path.join(r, f) for r, _, fs in os.walk(sys.argv[1]) for f in fs if f.endswith('.dcm')]
ds = [pydicom.dcmread(f, stop_before_pixels=True) for f in files]
o = np.array(ds[0].ImageOrientationPatient, float)
n = np.cross(o[:3], o[3:])
ds.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), n)))
print(json.dumps([{'center': float(d.WindowCenter), 'width': float(d.WindowWidth)} for d in ds]))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, folder], { encoding: 'utf8' })) as Window[];
}

async function showFrame(page: Page, key: 'Home' | 'End', k: number): Promise<void> {
  await page.keyboard.press(key);
  await expect.poll(async () => (await described(page))?.shownFrame, { timeout: 60_000 }).toBe(k);
}

/**
 * The Siemens MR in mr/decubitus gives every slice its own window. Each image is shown in its own (as
 * Cornerstone3D's stack viewport does) until the reader sets one; that one then holds for every image,
 * and Default (the window only) or Reset (the whole view) gives the images theirs back.
 */
test('each image of a series with per-slice windows is shown in its own until the reader sets one', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const windows = windowsInOrder();
  expect(new Set(windows.map((w) => `${w.center}/${w.width}`)).size).toBeGreaterThan(1);
  const last = windows.length - 1;
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`Imported ${windows.length} new instances`, { timeout: 120_000 });
  await page.getByRole('row', { name: /crlab/ }).click();
  const vp = page.locator('[data-viewport="vp0"]');
  const corner = vp.locator('.vp-corner.br');
  const shows = (w: Window) => `W: ${Math.round(w.width)} L: ${Math.round(w.center)}`;

  // opens on the middle slice, in its window
  const middle = Math.floor(windows.length / 2);
  await expect.poll(async () => (await described(page))?.shownFrame, { timeout: 60_000 }).toBe(middle);
  expect((await described(page))?.window).toEqual(windows[middle]);
  await vp.click({ position: { x: 5, y: 5 }, button: 'middle' });
  await showFrame(page, 'Home', 0);
  expect((await described(page))?.window).toEqual(windows[0]);
  await expect(corner).toContainText(shows(windows[0]!));
  await vp.screenshot({ path: path.join(screenshotDir, 'mr-own-window-first.png') });
  await showFrame(page, 'End', last);
  expect((await described(page))?.window).toEqual(windows[last]);
  await expect(corner).toContainText(shows(windows[last]!));

  // the reader's window holds for every image
  await page.keyboard.press('w');
  const box = (await vp.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  const chosen = (await described(page))!.window!;
  expect(chosen).not.toEqual(windows[last]);
  await showFrame(page, 'Home', 0);
  expect((await described(page))?.window).toEqual(chosen);
  await expect(corner).toContainText(shows(chosen));

  // "Default" gives the images their own windows back and leaves the view (here, flipped) as it is
  const markers = async () => (await page.evaluate(() => window.__lumenViewer?.describe().vp0 as { markers?: unknown }))?.markers;
  const unflipped = await markers();
  await page.keyboard.press('h');
  const flipped = await markers();
  expect(flipped).not.toEqual(unflipped);
  await page.getByRole('button', { name: 'Default', exact: true }).click();
  await expect.poll(async () => (await described(page))?.window).toEqual(windows[0]);
  expect(await markers()).toEqual(flipped);
  await page.getByRole('button', { name: 'Lung', exact: true }).click();
  await expect.poll(async () => (await described(page))?.window).toEqual({ center: -600, width: 1500 });

  // Reset: the image on screen in its own window again, and so the next ones; the view unflipped
  await page.keyboard.press('r');
  await expect.poll(async () => (await described(page))?.window).toEqual(windows[0]);
  expect(await markers()).toEqual(unflipped);
  await showFrame(page, 'End', last);
  expect((await described(page))?.window).toEqual(windows[last]);
  await vp.screenshot({ path: path.join(screenshotDir, 'mr-own-window-last.png') });
});
