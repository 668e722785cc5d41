import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const ctFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'ct', 'chest-275');
/** probes.json was computed with pydicom (an independent reader): voxel (i, j, k) and its HU. */
const probes = JSON.parse(readFileSync(path.join(ctFolder, 'probes.json'), 'utf8')) as {
  spacing_ijk_mm: [number, number, number];
  probes: { i: number; j: number; k: number; hu: number }[];
};

type Described = { frame?: number; shownFrame?: number; loaded?: number; ready?: boolean; window?: { center: number; width: number } };
const describe = (page: Page, vp: string) => page.evaluate((id) => window.__lumenViewer?.describe()[id] as Described | undefined, vp);

async function goToFrame(page: Page, k: number): Promise<void> {
  await page.locator('[data-viewport="vp0"]').click({ position: { x: 5, y: 5 }, button: 'middle' });
  const frames = 275;
  if (k < frames / 2) {
    await page.keyboard.press('Home');
    for (let i = 0; i < k; i++) await page.keyboard.press('ArrowDown');
  } else {
    await page.keyboard.press('End');
    for (let i = frames - 1; i > k; i--) await page.keyboard.press('ArrowUp');
  }
  await expect.poll(async () => (await describe(page, 'vp0'))?.shownFrame).toBe(k);
}

async function screenOf(page: Page, i: number, j: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-viewport="vp0"]').boundingBox())!;
  const [x, y] = (await page.evaluate(([a, b]) => window.__lumenViewer?.screenOfIndex('vp0', a!, b!), [i, j]))!;
  return { x: box.x + x, y: box.y + y };
}

test('the 275-slice chest CT: stack, MPR and 3D render; probe HU, lengths and the lung preset are right', async ({ page, harness }) => {
  test.setTimeout(420_000);
  // count every WebGL context the page ever creates: the engine must make exactly one
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    (window as unknown as { __webglContexts: number }).__webglContexts = 0;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
      if (type.startsWith('webgl')) (window as unknown as { __webglContexts: number }).__webglContexts++;
      return (original as (...a: unknown[]) => unknown).call(this, type, ...rest);
    } as typeof original;
  });
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(ctFolder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 275 new instances', { timeout: 180_000 });
  await page.getByRole('row', { name: /LIDC-IDRI-0314/ }).click();
  await expect.poll(async () => (await describe(page, 'vp0'))?.loaded, { timeout: 240_000 }).toBe(275);
  for (const vp of ['vp1', 'vp2', 'vp3']) await expect.poll(async () => (await describe(page, vp))?.ready, { timeout: 120_000 }).toBe(true);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(screenshotDir, 'ct-mpr-layout.png') });
  for (const [vp, name] of [['vp0', 'axial'], ['vp1', 'coronal'], ['vp2', 'sagittal'], ['vp3', '3d']] as const) {
    await page.locator(`[data-viewport="${vp}"]`).screenshot({ path: path.join(screenshotDir, `ct-${name}.png`) });
  }

  // the lung preset gives the window it names
  await page.locator('[data-viewport="vp0"]').click({ position: { x: 5, y: 5 }, button: 'middle' });
  await page.getByRole('button', { name: 'Lung', exact: true }).click();
  await expect(page.locator('[data-viewport="vp0"] .vp-corner.br')).toContainText('W: 1500 L: -600');
  expect((await describe(page, 'vp0'))?.window).toEqual({ center: -600, width: 1500 });

  // probe: HU at the voxels pydicom read, placed by clicking on them
  await page.keyboard.press('o');
  for (const probe of probes.probes.filter((p) => p.i > 0 && p.j > 0 && p.i < 511 && p.j < 511)) {
    await goToFrame(page, probe.k);
    const at = await screenOf(page, probe.i, probe.j);
    await page.mouse.click(at.x, at.y);
    const last = page.locator('[data-measurement="probe"] .m-values').last();
    await expect(last).toHaveText(`${probe.hu} HU`);
  }

  // length between two known pixel positions: 200 columns apart on one row
  await page.keyboard.press('l');
  const a = await screenOf(page, 150, 300);
  const b = await screenOf(page, 350, 300);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  const expectedMm = 200 * probes.spacing_ijk_mm[0];
  await expect(page.locator('[data-measurement="length"] .m-values')).toHaveText(`${expectedMm.toFixed(2)} mm`);
  await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'ct-measurements.png') });

  // Leaks: the MPR layout's vtk objects go when the layout goes; scrolling all 275 slices and back
  // creates no vtk object and no WebGL context.
  const stats = () => page.evaluate(() => window.__lumenViewer!.stats());
  await page.getByRole('button', { name: '1×1' }).click();
  await expect.poll(async () => (await stats()).sharedVolumes).toBe(0);
  await page.keyboard.press('w');
  await page.locator('[data-viewport="vp0"]').click({ position: { x: 5, y: 5 }, button: 'middle' });
  await page.keyboard.press('Home');
  const before = await stats();
  const contextsBefore = await page.evaluate(() => (window as unknown as { __webglContexts: number }).__webglContexts);
  for (let i = 0; i < 274; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await describe(page, 'vp0'))?.shownFrame).toBe(274);
  for (let i = 0; i < 274; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await describe(page, 'vp0'))?.shownFrame).toBe(0);
  const after = await stats();
  expect(after.liveVtkObjects).toBe(before.liveVtkObjects);
  expect(after.webglCanvases).toBe(1);
  expect(after.renders).toBeGreaterThan(before.renders);
  // Scrolling creates no context. (vtk.js itself makes two short-lived probe contexts when the volume
  // mapper first checks the GPU's formats; the engine draws through exactly one, checked above.)
  expect(await page.evaluate(() => (window as unknown as { __webglContexts: number }).__webglContexts)).toBe(contextsBefore);
  expect(contextsBefore).toBeLessThanOrEqual(3);
});
