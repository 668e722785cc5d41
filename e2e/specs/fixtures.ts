import { test as base, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bridgeScriptPath, launchHarness } from '../harness/launch';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotDir = path.join(repoRoot, 'e2e', 'results', 'screenshots');

export interface HarnessHandle {
  url: string;
  token: string;
  dataDir: string;
  /** Requests the page made to anything but the harness itself. */
  foreignRequests: string[];
}

/** Gives the page `window.lumen` the way the Electron preload does, before any page script runs. */
export async function injectBridge(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => {
    (window as unknown as Record<string, unknown>).__LUMEN_HARNESS__ = { token: t };
  }, token);
  await page.addInitScript({ path: bridgeScriptPath });
}

export const test = base.extend<{ harness: HarnessHandle; harnessArgs: string[]; beforeBridge: string | null }>({
  harnessArgs: [[], { option: true }],
  /** A script run in the page before the bridge connects (a spec that must steer the control channel). */
  beforeBridge: [null, { option: true }],
  harness: async ({ page, harnessArgs, beforeBridge }, use) => {
    const { child, info } = await launchHarness(harnessArgs);
    const foreignRequests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(info.url) && !request.url().startsWith(`ws://${new URL(info.url).host}`)) foreignRequests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`);
    });
    page.on('pageerror', (error) => process.stderr.write(`[browser pageerror] ${error.message}\n`));
    if (beforeBridge) await page.addInitScript(beforeBridge);
    await injectBridge(page, info.token);
    await use({ ...info, foreignRequests });
    child.kill('SIGTERM');
  },
});

export { expect };

/** What the viewer exposes for diagnostics (renderer/src/viewer/ViewportGrid.tsx). */
export interface ViewerProbe {
  stats(): { viewports: number; liveVtkObjects: number; sharedVolumes: number; webglCanvases: number; renders: number };
  describe(): Record<string, Record<string, unknown>>;
  screenOfIndex(viewportId: string, column: number, row: number): [number, number] | null;
}
declare global {
  interface Window {
    __lumenViewer?: ViewerProbe;
  }
}

/** Drags the pointer between two voxels (column, row) of a viewport's current frame: draws with the tool that is on. */
export async function dragBetweenVoxels(page: Page, viewportId: string, from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.locator(`[data-viewport="${viewportId}"]`).boundingBox())!;
  const at = async ([i, j]: [number, number]) => {
    const [x, y] = (await page.evaluate(([id, a, b]) => window.__lumenViewer?.screenOfIndex(id as string, a as number, b as number), [viewportId, i, j] as const))!;
    return { x: box.x + x, y: box.y + y };
  };
  const a = await at(from);
  const b = await at(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}
