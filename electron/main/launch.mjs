#!/usr/bin/env node
// Starts the built app in Electron. The Electron binary cannot be downloaded on offline build machines:
// point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron of the pinned version, or use the browser
// harness (`npm run harness`), which runs the same renderer and services in Chromium.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const exe = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
const candidates = [
  process.env.ELECTRON_OVERRIDE_DIST_PATH && path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe),
  path.join(root, 'node_modules', 'electron', 'dist', exe),
].filter(Boolean);
const binary = candidates.find((candidate) => existsSync(candidate));
if (!binary) {
  console.error(
    'Electron binary not available. Set ELECTRON_OVERRIDE_DIST_PATH to the folder of an unpacked Electron 41.7.1\n' +
      '(the folder that holds the `electron` executable), or run the same workstation in Chromium with `npm run harness`.',
  );
  process.exit(1);
}
const child = spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
