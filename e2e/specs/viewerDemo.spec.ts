import path from 'node:path';
import { test, expect, screenshotDir, dragBetweenVoxels } from './fixtures';

test('the demo phantom opens in MPR with a 3D view', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  await expect(page.getByRole('row', { name: /DEMO, Phantom/ })).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp3 as { ready?: boolean })?.ready), { timeout: 120_000 }).toBe(true);
  await page.waitForTimeout(2000);
  await page.screenshot({ path: path.join(screenshotDir, 'demo-mpr.png') });
});

type MprState = { normal: [number, number, number]; lines: { viewportId: string; through: [number, number]; direction: [number, number]; rotatable: boolean }[] };

test('dragging the sagittal line on the coronal view turns the sagittal plane about the coronal normal', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  await expect(page.getByRole('row', { name: /DEMO, Phantom/ })).toBeVisible({ timeout: 60_000 });
  const state = (id: string) => page.evaluate((vp) => window.__lumenViewer?.describe()[vp] as MprState & { ready?: boolean }, id);
  for (const vp of ['vp1', 'vp2']) await expect.poll(async () => (await state(vp))?.ready, { timeout: 120_000 }).toBe(true);
  await page.getByRole('button', { name: 'Crosshair (MPR)' }).click();
  const before = await state('vp2');
  const line = (await state('vp1')).lines.find((l) => l.viewportId === 'vp2')!;
  expect(line.rotatable).toBe(true);
  // on the coronal view the sagittal plane is a vertical line; the axial stack's is horizontal and fixed
  expect(Math.abs(line.direction[0])).toBeLessThan(1e-6);
  expect((await state('vp1')).lines.find((l) => l.viewportId === 'vp0')?.rotatable).toBe(false);

  const box = (await page.locator('[data-viewport="vp1"]').boundingBox())!;
  const [cx, cy] = line.through;
  const radius = 80;
  const start = Math.atan2(line.direction[1], line.direction[0]);
  const turn = (30 * Math.PI) / 180;
  await page.mouse.move(box.x + cx + radius * Math.cos(start), box.y + cy + radius * Math.sin(start));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    const a = start + (turn * i) / 10;
    await page.mouse.move(box.x + cx + radius * Math.cos(a), box.y + cy + radius * Math.sin(a));
  }
  await page.mouse.up();

  const after = await state('vp2');
  const degrees = (a: readonly number[], b: readonly number[]) => (Math.acos(Math.min(1, Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + (a[2] ?? 0) * (b[2] ?? 0)))) * 180) / Math.PI;
  expect(degrees(before.normal, after.normal)).toBeCloseTo(30, 0);
  // turned about the coronal normal (anterior-posterior): the sagittal normal stays in the coronal plane
  expect(Math.abs(after.normal[1])).toBeLessThan(1e-9);
  const moved = (await state('vp1')).lines.find((l) => l.viewportId === 'vp2')!;
  expect(degrees(line.direction, moved.direction)).toBeCloseTo(30, 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(screenshotDir, 'demo-mpr-turned-sagittal.png') });
});

type StackState = { frame: number; shownFrame: number; frames: number; loaded: number };

/**
 * Scrolling to a slice that has not arrived yet (a slow disk, a series still loading) leaves the slice
 * shown before on screen. What the user reads and draws then belongs to that slice: the image number is
 * its number, with the one on its way named, and a length drawn on it is stored on it, not on the slice
 * that is not yet drawn.
 */
test('a slice scrolled to before it has arrived: the image number and a length drawn meanwhile belong to the slice on screen', async ({ page, harness }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // Frame 0 is loaded last (middle first); hold it back until the test lets it through.
  await page.route(/\/pixels\/[^/]+\/0$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  const stack = () => page.evaluate(() => window.__lumenViewer?.describe().vp0 as StackState | undefined);
  await expect.poll(async () => (await stack())?.shownFrame ?? -1, { timeout: 120_000 }).toBeGreaterThanOrEqual(0);
  const first = await stack();
  const middle = first!.shownFrame;
  await expect.poll(async () => (await stack())?.loaded, { timeout: 120_000 }).toBe(first!.frames - 1);

  const vp0 = page.locator('[data-viewport="vp0"]');
  await vp0.click({ position: { x: 5, y: 5 }, button: 'middle' });
  await page.keyboard.press('Home');
  await expect.poll(async () => (await stack())?.frame).toBe(0);
  expect((await stack())?.shownFrame).toBe(middle);
  await expect(vp0.locator('.vp-corner.bl')).toContainText(`Im: ${middle + 1}/${first!.frames} (1 loading)`);

  await page.keyboard.press('l');
  await dragBetweenVoxels(page, 'vp0', [80, 128], [176, 128]);
  const item = page.locator('[data-measurement="length"]');
  await expect(item.locator('.m-frame')).toHaveText(`image ${middle + 1}`);
  // 96 columns at the phantom's 1.5 mm pixel spacing
  await expect(item.locator('.m-values')).toHaveText('144.00 mm');
  await expect(vp0.locator('svg g.measurement.length')).toHaveCount(1);
  await vp0.screenshot({ path: path.join(screenshotDir, 'demo-slice-on-its-way.png') });

  release();
  // With the last frame the reformats and 3D build their volume, which in software WebGL takes seconds.
  await expect.poll(async () => (await stack())?.shownFrame, { timeout: 60_000 }).toBe(0);
  await expect(vp0.locator('.vp-corner.bl')).toContainText(`Im: 1/${first!.frames}`);
  await expect(vp0.locator('.vp-corner.bl')).not.toContainText('loading');
  await expect(vp0.locator('svg g.measurement.length')).toHaveCount(0);
});
