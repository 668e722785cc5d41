#!/usr/bin/env node
// Builds what `npm run test:dist` checks, with the stand-in Electron: the app (npm run build), the
// notices and SBOM, dist/linux-unpacked + dist/Lumen-<v>-linux-x64.tar.gz (electron-builder), and the
// .deb (dpkg-deb). gzip for the .deb here: xz costs minutes on a busy CI machine and changes nothing
// the tests look at.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { makeStandInElectron } from './fixtures/makeStandInElectron.mjs';

const step = (label, command, args, env = process.env) => {
  const started = Date.now();
  execFileSync(command, args, { stdio: 'inherit', env });
  process.stdout.write(`test:dist: ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};

await rm('dist', { recursive: true, force: true });
const electronDist = await makeStandInElectron();
step('build', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);
step('third-party notices and SBOM', process.execPath, ['build/thirdParty.mjs']);
// Level 1: electron-builder's default gzip level 9 through 7-Zip takes minutes on a shared CI machine
// and the tests read the archive's contents, not its ratio. Release builds keep the default.
step('electron-builder dir + tar.gz', process.execPath, ['build/dist.mjs', 'tar.gz'], { ...process.env, LUMEN_ELECTRON_DIST: electronDist, ELECTRON_BUILDER_COMPRESSION_LEVEL: '1' });
step('deb', process.execPath, ['build/deb/assembleDeb.mjs', '--compression', 'gzip']);
