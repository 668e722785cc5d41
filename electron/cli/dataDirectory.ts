import os from 'node:os';
import path from 'node:path';

/**
 * The data directory the CLI works on: `--data-dir`, else LUMEN_DATA_DIR, else the app's own (Electron's
 * userData for productName "Lumen", plus /data), so `lumen import` fills the library the app shows.
 */
export function resolveDataDirectory(flag: string | undefined): string {
  if (flag) return path.resolve(flag);
  if (process.env.LUMEN_DATA_DIR) return path.resolve(process.env.LUMEN_DATA_DIR);
  const home = os.homedir();
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  return path.join(appData, 'Lumen', 'data');
}
