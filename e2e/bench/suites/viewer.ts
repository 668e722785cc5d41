import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { bridgeScriptPath, launchHarness } from '../../harness/launch';
import type { BenchSuite } from '../suite';

const here = path.dirname(fileURLToPath(import.meta.url));
const ctFolder = path.resolve(here, '..', '..', '..', '..', 'shared', 'data', 'ct', 'chest-275');

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * 0.95))] ?? NaN;

/**
 * Viewer timings in Chromium through the harness (issue 5), from performance marks the engine sets:
 * click on the CT study -> first image on screen, -> whole series loaded; render time per frame while
 * scrolling. Peer: reading the same 275 files' bytes (the floor for loading the series).
 */
export const suite: BenchSuite = {
  name: 'viewer',
  async run() {
    const names = (await readdir(ctFolder).catch(() => [])).filter((f) => f.endsWith('.dcm'));
    if (names.length === 0) return { skipped: `no CT at ${ctFolder}` };
    const readStart = performance.now();
    await Promise.all(names.map((n) => readFile(path.join(ctFolder, n))));
    const plainReadMs = performance.now() - readStart;

    const harness = await launchHarness();
    const browser = await chromium.launch({
      executablePath: process.env.LUMEN_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.addInitScript((t) => ((window as unknown as Record<string, unknown>).__LUMEN_HARNESS__ = { token: t }), harness.info.token);
      await page.addInitScript({ path: bridgeScriptPath });
      await page.goto(harness.info.url);
      const imported = await page.evaluate(async (folder) => (window as unknown as { lumen: { library: { importPaths(r: unknown): Promise<{ ok: boolean }> } } }).lumen.library.importPaths({ paths: [folder] }), ctFolder);
      if (!imported.ok) throw new Error('import failed');
      await page.reload();
      const row = page.getByRole('row', { name: /LIDC-IDRI-0314/ });
      await row.waitFor();
      await page.evaluate(() => performance.mark('bench:click'));
      await row.click();
      await page.waitForFunction(() => performance.getEntriesByName('lumen:first-image').length > 0, undefined, { timeout: 120_000 });
      await page.waitForFunction(() => performance.getEntriesByName('lumen:series-loaded').length > 0, undefined, { timeout: 300_000 });
      const marks = await page.evaluate(() => {
        const t0 = performance.getEntriesByName('bench:click')[0]!.startTime;
        return {
          firstImageMs: performance.getEntriesByName('lumen:first-image')[0]!.startTime - t0,
          seriesLoadedMs: performance.getEntriesByName('lumen:series-loaded')[0]!.startTime - t0,
        };
      });
      // let the reformats and 3D settle, then scroll the stack and time each render
      await page.waitForTimeout(3000);
      await page.locator('[data-viewport="vp0"]').click({ position: { x: 5, y: 5 }, button: 'middle' });
      await page.evaluate(() => performance.clearMeasures('lumen:render'));
      for (let i = 0; i < 100; i++) await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(500);
      const renders = await page.evaluate(() => performance.getEntriesByName('lumen:render').map((e) => e.duration));
      return {
        figures: [
          { name: 'time to first image after clicking the 275-slice CT (default MPR layout)', lumen: { value: marks.firstImageMs, unit: 'ms' }, goal: '<= 500 ms' },
          {
            name: 'time to the whole CT series in the renderer',
            lumen: { value: marks.seriesLoadedMs, unit: 'ms' },
            peer: { name: 'plain read of the 275 files (Node fs)', value: plainReadMs, unit: 'ms' },
            ratio: marks.seriesLoadedMs / plainReadMs,
            ratioMeaning: 'Lumen time / plain read time (lower is better)',
          },
          {
            name: 'frame time while scrolling the axial stack (median of 100 renders)',
            lumen: { value: median(renders), unit: 'ms' },
            notes: `95th percentile ${p95(renders).toFixed(1)} ms over ${renders.length} renders; software WebGL (SwiftShader) here`,
          },
        ],
      };
    } finally {
      await browser.close();
      harness.child.kill('SIGTERM');
    }
  },
};
