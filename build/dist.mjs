#!/usr/bin/env node
// Runs electron-builder offline for the Linux targets that build here: `node build/dist.mjs dir` or
// `node build/dist.mjs tar.gz` (which also leaves dist/linux-unpacked). Electron comes from
// LUMEN_ELECTRON_DIST (an unpacked Electron of the pinned version; tests use the stand-in made by
// build/fixtures/makeStandInElectron.mjs), never from a download.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const targets = process.argv.slice(2);
const electronDist = process.env.LUMEN_ELECTRON_DIST;
const pinned = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const fail = (message) => {
  process.stderr.write(`dist: ${message}\n`);
  process.exit(1);
};
if (targets.length === 0) fail('name the Linux targets, for example `node build/dist.mjs dir tar.gz`.');
if (!electronDist) {
  fail(
    `LUMEN_ELECTRON_DIST is not set. Point it at an unpacked Electron ${pinned} for Linux (the folder holding the \`electron\` executable),\n` +
      `or, for packaging tests only, at a stand-in: node build/fixtures/makeStandInElectron.mjs`,
  );
}
const versionFile = path.join(electronDist, 'version');
const found = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : null;
if (found !== pinned) fail(`${electronDist} holds Electron ${found ?? '(no version file)'}, but package.json pins ${pinned}.`);

const env = { ...process.env };
// electron-builder makes tar.gz with 7-Zip; its bundled 7za is a download, Debian's p7zip-full is not.
if (targets.includes('tar.gz') && !env.ELECTRON_BUILDER_7ZIP_PATH) env.ELECTRON_BUILDER_7ZIP_PATH = '/usr/bin/7za';
const builder = path.join('node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
execFileSync(builder, ['--config', 'build/electron-builder.config.mjs', '--linux', ...targets, '--x64', `-c.electronDist=${path.resolve(electronDist)}`, '--publish', 'never'], {
  stdio: 'inherit',
  env,
});
