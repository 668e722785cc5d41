import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { UpdateSourcePolicy } from '../../services/settings/policySchema';
import { updateSourceFromPolicy, verifyInstallerSignature, type UpdateSource } from '../../services/updates/updateSource';

/**
 * The only module that touches electron-updater, and main loads it only when the machine policy names a
 * hospital-internal update source (see electron/main/index.ts; security.test.ts proves both). Without a
 * policy no update check ever runs.
 *
 * electron-updater (generic provider) downloads the installer and checks it against the sha512 in the
 * server's latest*.yml; Lumen then requires the installer's detached Ed25519 signature from the policy's
 * key before it lets the update install at the next quit. Nothing installs while the app runs.
 */
export async function startHospitalUpdates(policy: UpdateSourcePolicy, log: (line: string) => void): Promise<void> {
  const source = updateSourceFromPolicy(policy);
  if (!source) return;
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowPrerelease = false;
  autoUpdater.allowDowngrade = false;
  autoUpdater.setFeedURL({ provider: 'generic', url: source.url });
  autoUpdater.on('error', (error: Error) => log(`updates: ${error.message}`));
  autoUpdater.on('update-downloaded', (event: { version: string; downloadedFile: string }) => {
    void acceptIfSigned(source, event.downloadedFile).then(
      (accepted) => {
        autoUpdater.autoInstallOnAppQuit = accepted;
        log(accepted ? `updates: ${event.version} verified; installs when Lumen quits` : `updates: ${event.version} refused: its signature does not verify`);
      },
      (error: unknown) => log(`updates: ${event.version} refused: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  log(`updates: checking ${source.url}`);
  await autoUpdater.checkForUpdates();
}

async function acceptIfSigned(source: UpdateSource, installer: string): Promise<boolean> {
  const signatureUrl = new URL(`${encodeURIComponent(path.basename(installer))}.sig`, source.url);
  const response = await fetch(signatureUrl);
  const signature = response.ok ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
  const ok = verifyInstallerSignature(await readFile(installer), signature, source.publicKeyPem);
  if (!ok) await rm(installer, { force: true });
  return ok;
}
