import os from 'node:os';
import path from 'node:path';

/**
 * The app's data directory without Electron: Electron's `userData` for the product name "Lumen" plus
 * `data`, as electron/main uses it. The CLI (`lumen doctor`) looks where the app keeps its files.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const userData =
    platform === 'win32'
      ? path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Lumen')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'Lumen')
        : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lumen');
  return (platform === 'win32' ? path.win32 : path).join(userData, 'data');
}
