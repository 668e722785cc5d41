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
