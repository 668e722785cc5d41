// electron-builder afterPack hook: writes resources/lumen-integrity.json (sha256 of every packaged file)
// once the app folder is complete and before any installer is made from it, so every target (dir,
// tar.gz, deb, rpm, AppImage, nsis, msi, dmg) carries the same manifest.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// electron-builder's Arch enum (builder-util), by value.
const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const resourcesDir =
    platform === 'darwin'
      ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(context.appOutDir, 'resources');
  execFileSync(process.execPath, ['--import', 'tsx', 'build/writeIntegrityManifest.ts', context.appOutDir, resourcesDir, platform, ARCH[context.arch] ?? String(context.arch)], {
    stdio: 'inherit',
  });
}
