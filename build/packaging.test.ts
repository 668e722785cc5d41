import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, lstatSync, readlinkSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile, listPackage } from '@electron/asar';
import { ModelManifestSchema } from '../shared/domain/modelManifest';
import { verifyIntegrity } from '../electron/services/install/integrityManifest';
import { resolveInstallLayout } from '../electron/services/install/installLayout';
import { runDoctor } from '../electron/services/doctor/index';
import { flipOneByte } from '../electron/services/install/testSupport';
import { BUILD_ONLY_PACKAGES, BUNDLED_INTO_RENDERER, matchesPackage } from './shipping.mjs';
import { DEB_DEPENDS, DEB_EXECUTABLES } from './deb/debianPackage.mjs';

/**
 * Opens what `npm run test:dist` built (build/testDist.mjs) with the stand-in Electron and checks it the
 * way hospital IT and Debian tooling would: the asar's contents, the models against their manifests,
 * the integrity manifest, the tar.gz, and the .deb with lintian and dpkg-deb.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; dependencies: Record<string, string> };
const APP_DIR = 'dist/linux-unpacked';
const RESOURCES = path.join(APP_DIR, 'resources');
const ASAR = path.join(RESOURCES, 'app.asar');
const UNPACKED = `${ASAR}.unpacked`;
const TARBALL = `dist/Lumen-${pkg.version}-linux-x64.tar.gz`;
const DEB = `dist/lumen_${pkg.version}_amd64.deb`;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const shippedModels = readdirSync('models').filter((id) => existsSync(path.join('models', id, 'manifest.json')));
/** Package name of a node_modules path ("node_modules/@scope/name/..." -> "@scope/name"). */
const packageOf = (p: string) => {
  const parts = p.replace(/^\//, '').split('/');
  return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
};

describe('the app package (dist/linux-unpacked)', () => {
  const entries = listPackage(ASAR, { isPack: false }).map((e) => e.replace(/\\/g, '/'));
  const files = new Set(entries);

  it('packs main, preload, renderer, the CLI and the decode worker', () => {
    for (const expected of ['/package.json', '/out/main/index.mjs', '/out/main/cli.mjs', '/out/main/decodeWorker.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/build-info.json']) {
      expect(files, expected).toContain(expected);
    }
    expect(entries.some((e) => /^\/out\/renderer\/assets\/.*\.js$/.test(e))).toBe(true);
  });

  it('packs every package the main-process bundles import, and the WASM codecs as real files', () => {
    const bundles = ['out/main/index.mjs', 'out/main/cli.mjs', 'out/main/decodeWorker.js'].map((f) => extractFile(ASAR, f).toString('utf8'));
    const imported = new Set(
      bundles.flatMap((code) => [...code.matchAll(/(?:from\s*|import\s*\(\s*)["']([^"'./][^"']*)["']/g)].map((m) => m[1]!)).filter((s) => !s.startsWith('node:') && s !== 'electron'),
    );
    expect(imported.size).toBeGreaterThan(3);
    for (const specifier of imported) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      expect(files, `${specifier} is imported by a bundle`).toContain(`/node_modules/${name}/package.json`);
    }
    for (const codec of ['codec-charls', 'codec-libjpeg-turbo-8bit', 'codec-openjpeg', 'codec-openjph']) {
      const wasm = readdirSync(path.join(UNPACKED, 'node_modules/@cornerstonejs', codec, 'dist')).filter((f) => f.endsWith('.wasm'));
      expect(wasm.length, codec).toBeGreaterThan(0);
    }
  });

  it('unpacks onnxruntime-node for linux-x64 only, stripped', () => {
    const bin = path.join(UNPACKED, 'node_modules/onnxruntime-node/bin/napi-v6');
    expect(readdirSync(bin)).toEqual(['linux']);
    expect(readdirSync(path.join(bin, 'linux'))).toEqual(['x64']);
    const binding = path.join(bin, 'linux/x64/onnxruntime_binding.node');
    expect(execFileSync('file', ['-b', binding], { encoding: 'utf8' })).toMatch(/ELF 64-bit.*x86-64.*stripped/);
    expect(execFileSync('file', ['-b', binding], { encoding: 'utf8' })).not.toMatch(/not stripped/);
  });

  it('leaves out dev dependencies, build-only and renderer-bundled packages, sources, tests, maps and training data', () => {
    const all = [...entries, ...listFilesUnder(UNPACKED).map((f) => `/${f}`)];
    const forbidden = all.filter(
      (e) =>
        /\.map$|\.tsx?$|\/\.github\/|\.md$/i.test(e.replace(/\.d\.ts$/, '')) ||
        // Our own tests; in node_modules a name like core-js's es.regexp.test.js is runtime code.
        (!e.startsWith('/node_modules/') && /\.(test|spec)\.[cm]?[jt]sx?$/.test(e)) ||
        /^\/(electron|renderer|shared|e2e|models|build|dist|test-results)\//.test(e) ||
        /training|shared\/data|stand-in/i.test(e),
    );
    expect(forbidden).toEqual([]);
    const packages = new Set(all.filter((e) => e.startsWith('/node_modules/')).map(packageOf));
    const devDeps = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    expect([...packages].filter((p) => p && (devDeps.includes(p) || matchesPackage(p, BUILD_ONLY_PACKAGES) || matchesPackage(p, BUNDLED_INTO_RENDERER)))).toEqual([]);
  });

  it('carries no absolute path of the build machine in the code it runs', () => {
    const here = process.cwd();
    const code = ['out/main/index.mjs', 'out/main/cli.mjs', 'out/main/decodeWorker.js', 'out/preload/index.cjs', ...entries.filter((e) => e.startsWith('/out/renderer/') && e.endsWith('.js')).map((e) => e.slice(1))];
    expect(code.filter((f) => extractFile(ASAR, f).toString('utf8').includes(here))).toEqual([]);
  });

  it('ships each model with its manifest, and the files match the manifest sha256', () => {
    expect(shippedModels.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(RESOURCES, 'models')).sort()).toEqual([...shippedModels].sort());
    for (const id of shippedModels) {
      const dir = path.join(RESOURCES, 'models', id);
      const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
      expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join('models', id, 'manifest.json'), 'utf8'));
      expect(sha256(path.join(dir, manifest.file)), `${id}/${manifest.file}`).toBe(manifest.sha256);
      if (manifest.ood) expect(sha256(path.join(dir, manifest.ood.file)), `${id}/${manifest.ood.file}`).toBe(manifest.ood.sha256);
      expect(readdirSync(dir).every((f) => ['model.onnx', 'ood.onnx', 'manifest.json'].includes(f))).toBe(true);
    }
  });

  it('has an integrity manifest that covers every file and matches', async () => {
    const report = await verifyIntegrity(path.join(RESOURCES, 'lumen-integrity.json'));
    expect(report).toMatchObject({ missing: [], changed: [], unexpected: [] });
    expect(report.checked).toBe(listFilesUnder(APP_DIR).length - 1);
    expect(existsSync(path.join(RESOURCES, 'default_app.asar'))).toBe(false);
  });
});

describe('lumen doctor on an installed copy', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(path.join(os.tmpdir(), 'lumen-installed-'));
    await cp(APP_DIR, copy, { recursive: true });
  });
  afterAll(() => rm(copy, { recursive: true, force: true }));

  it('passes the integrity check, and after one byte of a model changes names that file', async () => {
    const layout = resolveInstallLayout(path.join(copy, 'resources', 'app.asar', 'out', 'main'));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-doctor-data-'));
    const options = { layout, dataDir, policyFile: path.join(dataDir, 'none.json') };
    const before = await runDoctor(options);
    expect(before.checks.find((c) => c.id === 'integrity')).toMatchObject({ status: 'ok' });
    expect(before.checks.find((c) => c.id === 'models')).toMatchObject({ status: 'ok' });

    const id = shippedModels[0]!;
    const victim = path.join(copy, 'resources', 'models', id, 'model.onnx');
    await flipOneByte(victim, 64);

    const after = await runDoctor(options);
    expect(after.ok).toBe(false);
    expect(after.checks.find((c) => c.id === 'integrity')).toMatchObject({ status: 'fail', detail: expect.stringContaining(`resources/models/${id}/model.onnx`) });
    expect(after.checks.find((c) => c.id === 'models')).toMatchObject({ status: 'fail', detail: expect.stringContaining(victim) });
  });
});

describe('third-party notices and SBOM', () => {
  const bom = JSON.parse(readFileSync(path.join(RESOURCES, 'licenses', 'sbom.cdx.json'), 'utf8')) as {
    bomFormat: string;
    specVersion: string;
    components: { name: string; group?: string; version: string; licenses?: { license?: { id?: string; name?: string }; expression?: string }[] }[];
  };
  const byName = new Map(bom.components.map((c) => [c.group ? `${c.group}/${c.name}` : c.name, c]));
  const notices = readFileSync(path.join(RESOURCES, 'licenses', 'THIRD_PARTY_NOTICES.txt'), 'utf8');

  it('is a CycloneDX SBOM listing every runtime dependency with its licence', () => {
    expect(bom.bomFormat).toBe('CycloneDX');
    const runtime = Object.keys(pkg.dependencies).filter((d) => !matchesPackage(d, BUILD_ONLY_PACKAGES));
    for (const name of ['onnxruntime-node', 'dcmjs', '@kitware/vtk.js', 'react', ...runtime]) {
      const component = byName.get(name);
      expect(component, name).toBeDefined();
      expect(component!.version, name).toBe(readPackageVersion(name));
      expect(component!.licenses?.length, `${name} licence`).toBeGreaterThan(0);
    }
    expect(bom.components.filter((c) => !c.licenses?.length).map((c) => c.name)).toEqual([]);
    expect([...byName.keys()].filter((n) => matchesPackage(n, BUILD_ONLY_PACKAGES))).toEqual([]);
  });

  it('gathers every listed package and its licence text into the notices the About box shows', () => {
    for (const [name, c] of byName) expect(notices, name).toContain(`\n${name} ${c.version}\nLicence: `);
    expect(notices).toContain('For research use only. Not a medical device.');
    expect(notices).toMatch(/Permission is hereby granted, free of charge/);
  });
});

describe('the tar.gz', () => {
  it('holds the same app folder, under a name with product, version and architecture', () => {
    // Verbose listing: the type letter tells files from folders (7-Zip's tar writes some folders without '/').
    const listing = execFileSync('tar', ['-tvzf', TARBALL], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
    const top = `Lumen-${pkg.version}-linux-x64/`;
    const entries = listing.map((l) => ({ type: l[0], name: l.slice(l.indexOf(top)) }));
    expect(entries.every((e) => e.name.startsWith(top))).toBe(true);
    const inTar = new Set(entries.filter((e) => e.type === '-').map((e) => e.name.slice(top.length)));
    expect([...inTar].sort()).toEqual(listFilesUnder(APP_DIR).sort());
    const manifest = execFileSync('tar', ['-xzOf', TARBALL, `${top}resources/lumen-integrity.json`], { encoding: 'utf8' });
    expect(manifest).toBe(readFileSync(path.join(RESOURCES, 'lumen-integrity.json'), 'utf8'));
  });
});

describe('the .deb', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lumen-deb-'));
    execFileSync('dpkg-deb', ['-x', DEB, root]);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('declares its package, version, architecture and dependencies', () => {
    const field = (name: string) => execFileSync('dpkg-deb', ['-f', DEB, name], { encoding: 'utf8' }).trim();
    expect(field('Package')).toBe('lumen');
    expect(field('Version')).toBe(pkg.version);
    expect(field('Architecture')).toBe('amd64');
    expect(field('Depends')).toBe(DEB_DEPENDS.join(', '));
    expect(field('Description')).toContain('research use only');
  });

  it('passes lintian with no errors and no warnings (accepted tags are overridden in the package, with reasons)', () => {
    const result = spawnSync('lintian', ['--fail-on', 'error,warning', '--tag-display-limit', '0', DEB], { encoding: 'utf8' });
    const tags = result.stdout.split('\n').filter((l) => /^[EWIPX]: /.test(l));
    expect(tags.filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('installs the app under /usr/lib/lumen with Debian ownership and modes, and the integrity manifest still holds', async () => {
    const app = path.join(root, 'usr/lib/lumen');
    for (const rel of DEB_EXECUTABLES) expect(statSync(path.join(app, rel)).mode & 0o7777, rel).toBe(0o755);
    for (const file of listFilesUnder(root).filter((f) => !lstatSync(path.join(root, f)).isSymbolicLink())) {
      const mode = lstatSync(path.join(root, file)).mode & 0o7777;
      expect([0o644, 0o755], file).toContain(mode);
      if (mode === 0o755) expect(file.startsWith('usr/lib/lumen/') && DEB_EXECUTABLES.includes(file.slice('usr/lib/lumen/'.length)), file).toBe(true);
    }
    const owners = execFileSync('dpkg-deb', ['--contents', DEB], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
    expect(owners.every((l) => l.split(/\s+/)[1] === 'root/root')).toBe(true);
    expect(owners.filter((l) => /^[-d]..[sS]|^[-d].....[sS]/.test(l))).toEqual([]); // no setuid/setgid shipped
    expect(readlinkSync(path.join(root, 'usr/bin/lumen'))).toBe('../lib/lumen/lumen');
    expect(readlinkSync(path.join(root, 'usr/bin/lumen-cli'))).toBe('../lib/lumen/resources/bin/lumen-cli');
    for (const rel of ['usr/share/applications/lumen.desktop', 'usr/share/icons/hicolor/256x256/apps/lumen.png', 'usr/share/icons/hicolor/scalable/apps/lumen.svg', 'usr/share/doc/lumen/copyright', 'usr/share/doc/lumen/changelog.gz', 'usr/share/man/man1/lumen.1.gz']) {
      expect(existsSync(path.join(root, rel)), rel).toBe(true);
    }
    expect(readFileSync(path.join(root, 'usr/share/applications/lumen.desktop'), 'utf8')).toMatch(/^Exec=lumen %U$/m);
    expect(await verifyIntegrity(path.join(app, 'resources', 'lumen-integrity.json'))).toMatchObject({ missing: [], changed: [], unexpected: [] });
  });
});

function listFilesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFilesUnder(path.join(dir, entry.name), rel) : [rel];
  });
}

function readPackageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
