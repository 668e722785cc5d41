import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTEGRITY_MANIFEST_NAME } from './integrityManifest';

/**
 * Where this copy of Lumen lives: an installed package (the app inside `resources/app.asar`, models and
 * notices beside it in `resources/`) or a source checkout (the repository). Worked out from this
 * module's own location, which is `<app>/out/main/*.mjs` in a bundle and the source file in a checkout.
 */
export interface InstallLayout {
  kind: 'packaged' | 'checkout';
  /** The folder holding package.json and out/ (app.asar when packaged). */
  appRoot: string;
  /** Models folder: resources/models when packaged, <repo>/models in a checkout. */
  modelsDir: string;
  buildInfoFile: string;
  noticesFile: string;
  sbomFile: string;
  /** Packaged only: the manifest written at build time (resources/lumen-integrity.json). */
  integrityManifest: string | null;
}

const RESOURCES = /^(resources|Resources)$/;

export function resolveInstallLayout(from: string = path.dirname(fileURLToPath(import.meta.url))): InstallLayout {
  const parts = path.resolve(from).split(path.sep);
  // Packaged: .../resources/app.asar/... (or .../resources/app/... when built without asar).
  for (let i = parts.length - 1; i > 0; i--) {
    if ((parts[i] === 'app.asar' || parts[i] === 'app') && RESOURCES.test(parts[i - 1] ?? '')) {
      const resources = parts.slice(0, i).join(path.sep) || path.sep;
      const licenses = path.join(resources, 'licenses');
      return {
        kind: 'packaged',
        appRoot: path.join(resources, parts[i]!),
        modelsDir: path.join(resources, 'models'),
        buildInfoFile: path.join(resources, parts[i]!, 'out', 'build-info.json'),
        noticesFile: path.join(licenses, 'THIRD_PARTY_NOTICES.txt'),
        sbomFile: path.join(licenses, 'sbom.cdx.json'),
        integrityManifest: path.join(resources, INTEGRITY_MANIFEST_NAME),
      };
    }
  }
  let dir = path.resolve(from);
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const thirdParty = path.join(dir, 'out', 'third-party');
  return {
    kind: 'checkout',
    appRoot: dir,
    modelsDir: path.join(dir, 'models'),
    buildInfoFile: path.join(dir, 'out', 'build-info.json'),
    noticesFile: path.join(thirdParty, 'THIRD_PARTY_NOTICES.txt'),
    sbomFile: path.join(thirdParty, 'sbom.cdx.json'),
    integrityManifest: null,
  };
}
