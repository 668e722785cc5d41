import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotDir = path.join(repoRoot, 'e2e', 'results', 'screenshots');

export interface HarnessHandle {
  url: string;
  token: string;
  dataDir: string;
  /** Requests the page made to anything but the harness itself. */
  foreignRequests: string[];
}

/** Starts the harness (services + built renderer) as its own process, exactly as `npm run harness` does. */
async function startHarnessProcess(extraArgs: string[]): Promise<{ child: ChildProcess; info: { url: string; token: string; dataDir: string } }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'e2e', 'harness', 'start.ts'), '--data-dir', dataDir, ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

/** Gives the page `window.lumen` the way the Electron preload does, before any page script runs. */
export async function injectBridge(page: Page, token: string): Promise<void> {
  await page.addInitScript((t) => {
    (window as unknown as Record<string, unknown>).__LUMEN_HARNESS__ = { token: t };
  }, token);
  await page.addInitScript({ path: path.join(repoRoot, 'out', 'harness', 'bridge.js') });
}

export const test = base.extend<{ harness: HarnessHandle; harnessArgs: string[] }>({
  harnessArgs: [[], { option: true }],
  harness: async ({ page, harnessArgs }, use) => {
    const { child, info } = await startHarnessProcess(harnessArgs);
    const foreignRequests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(info.url) && !request.url().startsWith(`ws://${new URL(info.url).host}`)) foreignRequests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`);
    });
    page.on('pageerror', (error) => process.stderr.write(`[browser pageerror] ${error.message}\n`));
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
