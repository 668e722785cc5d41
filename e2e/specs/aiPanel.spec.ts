import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshotDir, repoRoot } from './fixtures';

const data = path.resolve(repoRoot, '..', 'shared', 'data');
const radiograph = path.join(data, 'cxr', 'dicom', 'CR-MONO1-10-chest.dcm');

async function importAndOpen(page: Page, file: string): Promise<void> {
  await page.getByLabel('Folder or file to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/Imported \d+ new instance/, { timeout: 120_000 });
  await page.getByRole('row').nth(1).click();
  await expect.poll(async () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { shownFrame?: number })?.shownFrame ?? -1), { timeout: 90_000 }).toBe(0);
}

/** The viewport as PNG bytes, to tell whether the activation map is drawn. */
const viewportShot = (page: Page) => page.locator('[data-viewport="vp0"]').screenshot();

test('the AI panel runs cxr-pneumonia on a radiograph, shows what `lumen analyze` computes, draws the activation map, and keeps the result with the study', async ({ page, harness }) => {
  test.setTimeout(300_000);
  // The CLI analyses the same file in its own process: the panel must show the same numbers.
  const line = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts'), 'analyze', '--model', 'cxr-pneumonia', radiograph], { cwd: repoRoot, encoding: 'utf8' });
  const expected = JSON.parse(line.trim().split('\n')[0]!) as { probabilities: Record<string, number>; prediction: string; threshold: number; ood: { outside: boolean } };

  await page.goto(harness.url);
  await importAndOpen(page, radiograph);
  const panel = page.getByRole('complementary', { name: 'AI' });
  await expect(panel).toContainText('For research use only');
  await panel.getByRole('button', { name: 'Analyse this image' }).click();
  const result = panel.locator('.ai-result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
  await expect(result).toContainText(`pneumonia: ${percent(expected.probabilities['pneumonia']!)} (threshold ${percent(expected.threshold)}) → ${expected.prediction}`);
  await expect(result).toContainText(expected.ood.outside ? 'Outside the intended use' : 'Within the intended use');
  await expect(result).toContainText(/cxr-pneumonia .* on cpu, \d+ ms/);

  // The activation map: toggling it changes the pixels on screen, and opacity 0 hides it again.
  const before = await viewportShot(page);
  await result.getByRole('checkbox').check();
  await expect.poll(async () => Buffer.compare(await viewportShot(page), before) !== 0).toBe(true);
  await page.locator('[data-viewport="vp0"]').screenshot({ path: path.join(screenshotDir, 'ai-activation-map.png') });
  await result.getByLabel('Map opacity').fill('0');
  await expect.poll(async () => Buffer.compare(await viewportShot(page), before) === 0).toBe(true);

  // The model card names its intended use and the disclaimer.
  await panel.getByRole('button', { name: 'Model card' }).click();
  await expect(panel.locator('.model-card')).toContainText('Intended use');
  await expect(panel.locator('.model-card')).toContainText('Validation');
  await panel.locator('.model-card').screenshot({ path: path.join(screenshotDir, 'ai-model-card.png') });

  // Reopened, the study shows the saved result without running again.
  await page.reload();
  await page.getByRole('row').nth(1).click();
  await expect(page.getByRole('complementary', { name: 'AI' }).locator('.ai-result')).toContainText(percent(expected.probabilities['pneumonia']!), { timeout: 60_000 });
});

test('the AI panel offers no model for a CT series and says why', async ({ page, harness }) => {
  test.setTimeout(240_000);
  await page.goto(harness.url);
  const ct = path.join(data, 'ct', 'chest-275');
  const slice = execFileSync('sh', ['-c', `ls ${ct}/*.dcm | head -1`], { encoding: 'utf8' }).trim();
  await importAndOpen(page, slice);
  await expect(page.getByRole('complementary', { name: 'AI' })).toContainText('No installed model fits CT images.');
});
