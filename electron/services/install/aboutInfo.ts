import { readFile } from 'node:fs/promises';
import type { AboutInfo } from '../../../shared/ipc/contract';
import { readBuildInfo } from './buildInfo';
import { listModelFolders } from './installedModels';
import { resolveInstallLayout, type InstallLayout } from './installLayout';

/** The About box: this build, the models it carries and the third-party notices gathered at build time. */
export async function readAboutInfo(layout: InstallLayout = resolveInstallLayout()): Promise<AboutInfo> {
  const build = await readBuildInfo(layout);
  const models = (await listModelFolders(layout.modelsDir)).flatMap((m) => (m.ok ? [{ id: m.id, name: m.manifest.name, version: m.manifest.version }] : []));
  const notices = await readFile(layout.noticesFile, 'utf8').catch(() => null);
  return { version: build.version, commit: build.commit, builtAt: build.builtAt, models, notices, researchUseOnly: 'For research use only. Not a medical device.' };
}
