import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HarnessProcess {
  child: ChildProcess;
  info: { url: string; token: string; dataDir: string };
}

/** Starts the harness (services + built renderer) as its own process, as `npm run harness` does. */
export async function launchHarness(extraArgs: string[] = []): Promise<HarnessProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-harness-'));
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

/** The built browser half of the bridge (`npm run build`). */
export const bridgeScriptPath = path.join(repoRoot, 'out', 'harness', 'bridge.js');
