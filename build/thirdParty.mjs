#!/usr/bin/env node
// Third-party notices and the software bill of materials, gathered at build time from the installed
// production dependency tree (offline: cyclonedx-npm reads node_modules through `npm ls`).
//   out/third-party/sbom.cdx.json            CycloneDX 1.6 SBOM, shipped as resources/licenses/
//   out/third-party/THIRD_PARTY_NOTICES.txt  every shipped package's licence text, shown in the About box
// Packages that never ship (build/shipping.mjs BUILD_ONLY_PACKAGES) are removed from both.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_ONLY_PACKAGES, matchesPackage } from './shipping.mjs';

const OUT = 'out/third-party';
const cyclonedx = path.join('node_modules', '.bin', process.platform === 'win32' ? 'cyclonedx-npm.cmd' : 'cyclonedx-npm');

const fullName = (c) => (c.group ? `${c.group}/${c.name}` : c.name);
const property = (c, name) => c.properties?.find((p) => p.name === name)?.value;
const licenceIds = (c) => (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter(Boolean);

/** Drops build-only packages and every dependency edge that points at them. */
export function withoutBuildOnly(bom) {
  const dropped = new Set();
  bom.components = bom.components.filter((c) => {
    const keep = !matchesPackage(fullName(c), BUILD_ONLY_PACKAGES);
    if (!keep) dropped.add(c['bom-ref']);
    return keep;
  });
  const kept = new Set(bom.components.map((c) => c['bom-ref']));
  bom.dependencies = (bom.dependencies ?? [])
    .filter((d) => !dropped.has(d.ref))
    .map((d) => ({ ...d, ...(d.dependsOn ? { dependsOn: d.dependsOn.filter((r) => kept.has(r) || r === bom.metadata?.component?.['bom-ref']) } : {}) }));
  return bom;
}

async function licenceTexts(dir) {
  if (!dir || !existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((n) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(n)).sort();
  return Promise.all(names.map(async (n) => ({ name: n, text: (await readFile(path.join(dir, n), 'utf8')).trim() })));
}

async function modelNotices() {
  if (!existsSync('models')) return [];
  const lines = [];
  for (const id of (await readdir('models')).sort()) {
    const file = path.join('models', id, 'manifest.json');
    if (!existsSync(file)) continue;
    const m = JSON.parse(await readFile(file, 'utf8'));
    lines.push(`${m.name} (${m.id} ${m.version}): model licence ${m.license}; trained on ${m.trainingData?.name} (${m.trainingData?.source}), licence ${m.trainingData?.license}.`);
  }
  return lines;
}

export async function generateThirdParty(outDir = OUT) {
  await mkdir(outDir, { recursive: true });
  const raw = path.join(outDir, 'sbom.raw.json');
  execFileSync(cyclonedx, ['--omit', 'dev', '--flatten-components', '--output-reproducible', '--spec-version', '1.6', '--output-format', 'JSON', '--output-file', raw], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true' },
  });
  const bom = withoutBuildOnly(JSON.parse(await readFile(raw, 'utf8')));
  await writeFile(path.join(outDir, 'sbom.cdx.json'), JSON.stringify(bom, null, 2) + '\n');
  await rm(raw);

  const pkg = JSON.parse(await readFile('package.json', 'utf8'));
  const sections = [
    `Lumen ${pkg.version}: third-party notices`,
    'For research use only. Not a medical device.',
    '',
    'Lumen runs on Electron (MIT) and Chromium; their licences are the files LICENSE.electron.txt',
    'and LICENSES.chromium.html in the installation folder (Contents/Resources on macOS).',
    '',
    ...(await modelNotices()),
  ];
  const components = [...bom.components].sort((a, b) => fullName(a).localeCompare(fullName(b)) || a.version.localeCompare(b.version));
  for (const c of components) {
    const texts = await licenceTexts(property(c, 'cdx:npm:package:path'));
    sections.push('', '='.repeat(78), `${fullName(c)} ${c.version}`, `Licence: ${licenceIds(c).join(', ') || 'not declared'}`, '-'.repeat(78));
    sections.push(...(texts.length ? texts.map((t) => t.text) : ['(the package ships no licence file; its declared licence is above)']));
  }
  await writeFile(path.join(outDir, 'THIRD_PARTY_NOTICES.txt'), sections.join('\n') + '\n');
  return { components: components.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { components } = await generateThirdParty();
  process.stdout.write(`third-party: ${components} packages in ${OUT}/sbom.cdx.json and THIRD_PARTY_NOTICES.txt\n`);
}
