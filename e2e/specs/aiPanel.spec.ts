import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
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

/**
 * Before the bridge connects: holds the answers to analyzeImage on the control channel until the test
 * calls window.__releaseAnalysis() (window.__analysisHeld says one has arrived), so "the analysis
 * finishes after the reader moved on" is certain, not a race the machine's speed decides.
 */
const HOLD_ANALYSIS = `(() => {
  const Native = window.WebSocket;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  window.__releaseAnalysis = () => release();
  window.__analysisHeld = false;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const analyses = new Set();
      const send = this.send.bind(this);
      this.send = (data) => {
        const m = JSON.parse(String(data));
        if (m.type === 'invoke' && String(m.channel).includes('analyzeImage')) analyses.add(m.id);
        send(data);
      };
      const listen = this.addEventListener.bind(this);
      this.addEventListener = (type, listener, options) => {
        if (type !== 'message') return listen(type, listener, options);
        return listen(type, (event) => {
          const m = JSON.parse(String(event.data));
          if (m.type === 'result' && analyses.has(m.id)) {
            window.__analysisHeld = true;
            void held.then(() => listener(event));
          }
          else listener(event);
        }, options);
      };
    }
  };
})();`;

test.describe('an analysis that finishes after the reader moved on', () => {
  test.use({ beforeBridge: HOLD_ANALYSIS });

  /**
   * The result belongs to, and is saved with, the image it was run on: it must not appear under the
   * series the reader switched to meanwhile. (Two radiographs of one study: pydicom writes the second
   * series.)
   */
  test('shows under its own series, not under the series the reader switched to', async ({ page, harness }) => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-two-series-'));
    try {
      execFileSync('/usr/bin/python3', [
        '-c',
        `import sys, pydicom
from pydicom.uid import generate_uid
d = pydicom.dcmread(sys.argv[1])
d.save_as(sys.argv[2] + '/first.dcm')
d.SeriesInstanceUID = generate_uid()
d.SOPInstanceUID = generate_uid()
d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
d.SeriesNumber = 2
d.save_as(sys.argv[2] + '/second.dcm')`,
        path.join(data, 'cxr', 'dicom', '966_fixed.dcm'),
        dir,
      ]);
      await page.goto(harness.url);
      await importAndOpen(page, dir);
      const shown = () => page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { seriesInstanceUid?: string | null; shownFrame?: number }) ?? null);
      const first = (await shown())!.seriesInstanceUid;
      const panel = page.getByRole('complementary', { name: 'AI' });
      await panel.getByRole('button', { name: 'Analyse this image' }).click();
      await expect(panel.getByRole('button', { name: /Cancel/ })).toBeVisible();

      // Double-click each series card in turn until the viewport shows the other series.
      const cards = page.getByRole('list', { name: 'Series' }).getByRole('listitem');
      await expect(cards).toHaveCount(2);
      await cards.nth(1).dblclick();
      if ((await shown())?.seriesInstanceUid === first) await cards.nth(0).dblclick();
      await expect.poll(async () => (await shown())?.seriesInstanceUid).not.toBe(first);
      await expect.poll(async () => (await shown())?.shownFrame ?? -1, { timeout: 60_000 }).toBe(0);
      // The analysis has answered (and is held): let its answer through now, on the other series.
      await page.waitForFunction(() => (window as unknown as { __analysisHeld: boolean }).__analysisHeld, null, { timeout: 120_000 });
      await page.evaluate(() => (window as unknown as { __releaseAnalysis: () => void }).__releaseAnalysis());
      await page.waitForTimeout(1000);
      await expect(panel).not.toContainText('pneumonia:');
      await expect(panel.getByRole('button', { name: 'Analyse this image' })).toBeVisible();

      // Back on the series it ran on, the result is there: saved with it.
      for (let i = 0; i < 2 && (await shown())?.seriesInstanceUid !== first; i++) {
        await cards.nth(i).dblclick();
        await page.waitForTimeout(500);
      }
      await expect(panel.locator('.ai-result')).toContainText('pneumonia:', { timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
