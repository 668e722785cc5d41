// electron-builder afterPack hook: writes resources/lumen-integrity.json (sha256 of every packaged file)
// once the app folder is complete and before any installer is made from it, so every target (dir,
// tar.gz, deb, rpm, AppImage, nsis, msi, dmg) carries the same manifest.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';

// electron-builder's Arch enum (builder-util), by value.
const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/**
 * onnxruntime-node's prebuilt binding ships with its symbol tables (Debian policy and lintian reject
 * unstripped objects). `strip --strip-unneeded` keeps the dynamic symbols Node loads it by.
 */
function stripNativeObjects(resourcesDir) {
  const found = execFileSync('find', [resourcesDir, '-name', '*.node', '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of found) execFileSync('strip', ['--strip-unneeded', file], { stdio: 'inherit' });
}

export default async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const resourcesDir =
    platform === 'darwin'
      ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(context.appOutDir, 'resources');
  // Electron's demo app: never loaded beside app.asar and no business on a workstation. electron-builder
  // keeps it when given an unpacked Electron (-c.electronDist), so it goes here, before hashing.
  await rm(path.join(resourcesDir, 'default_app.asar'), { force: true });
  if (platform === 'linux') stripNativeObjects(resourcesDir);
  execFileSync(process.execPath, ['--import', 'tsx', 'build/writeIntegrityManifest.ts', context.appOutDir, resourcesDir, platform, ARCH[context.arch] ?? String(context.arch)], {
    stdio: 'inherit',
  });
}
