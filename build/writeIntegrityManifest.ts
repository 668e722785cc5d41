// Run by build/afterPack.mjs through tsx, so the packaging build and `lumen doctor` share one manifest
// format (electron/services/install/integrityManifest.ts).
//   writeIntegrityManifest.ts <installRoot> <resourcesDir> <platform> <arch>
import { readFile } from 'node:fs/promises';
import { IntegrityManifestSchema, writeIntegrityManifest } from '../electron/services/install/integrityManifest';

const [installRoot, resourcesDir, platform, arch] = process.argv.slice(2);
if (!installRoot || !resourcesDir || !platform || !arch) {
  process.stderr.write('usage: writeIntegrityManifest.ts <installRoot> <resourcesDir> <platform> <arch>\n');
  process.exit(2);
}
const info = JSON.parse(await readFile('out/build-info.json', 'utf8')) as { version: string; commit: string };
const manifest = await writeIntegrityManifest(installRoot, resourcesDir, {
  product: 'Lumen',
  version: info.version,
  commit: info.commit,
  platform: IntegrityManifestSchema.shape.platform.parse(platform),
  arch,
});
process.stdout.write(`integrity manifest: ${Object.keys(manifest.files).length} files hashed, ${manifest.osSigned.length} left to the OS signature\n`);
