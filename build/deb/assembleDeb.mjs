#!/usr/bin/env node
// Assembles dist/lumen_<version>_amd64.deb from electron-builder's dist/linux-unpacked with Debian's
// dpkg-deb: electron-builder's own deb target needs fpm, a download (see ../shared/docs/TOOLCHAIN.md).
// Layout: the app in /usr/lib/lumen, `lumen` and `lumen-cli` in /usr/bin, a desktop entry, hicolor
// icons, man page, copyright and changelog where lintian expects them.
//   node build/deb/assembleDeb.mjs [--compression gzip|xz|none]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { chmod, cp, lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEB_DEPENDS, DEB_EXECUTABLES, DEB_INSTALL_DIR, DEB_MAINTAINER, DEB_PACKAGE } from './debianPackage.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values } = parseArgs({ options: { compression: { type: 'string', default: 'xz' }, source: { type: 'string', default: 'dist/linux-unpacked' } } });

async function walk(dir, visit, prefix = '') {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    await visit(full, rel, entry);
    if (entry.isDirectory()) await walk(full, visit, rel);
  }
}

const put = async (file, content, mode = 0o644) => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  await chmod(file, mode);
};

// gzip -9n: no name, no timestamp, so the package is reproducible.
const gz = (text) => gzipSync(Buffer.from(text), { level: 9 });

function copyrightFile(pkg, year) {
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Lumen
Comment: ${pkg.description}

Files: *
Copyright: ${year} Lumen contributors
License: proprietary
 Lumen is distributed to hospitals under the terms of their licence agreement.
 For research use only. Not a medical device.

Files: usr/lib/lumen/resources/app.asar usr/lib/lumen/resources/app.asar.unpacked/*
Copyright: the authors of the bundled packages
License: various
 The licence of every bundled third-party package, with its text, is in
 ${DEB_INSTALL_DIR}/resources/licenses/THIRD_PARTY_NOTICES.txt and the CycloneDX
 software bill of materials beside it (sbom.cdx.json).

Files: usr/lib/lumen/LICENSE.electron.txt usr/lib/lumen/LICENSES.chromium.html
Copyright: 2013-${year} GitHub Inc., OpenJS Foundation and Electron contributors
 ${year} The Chromium Authors
License: Expat and various
 Electron is distributed under the MIT (Expat) licence, in
 ${DEB_INSTALL_DIR}/LICENSE.electron.txt; Chromium's licences are in
 ${DEB_INSTALL_DIR}/LICENSES.chromium.html.
`;
}

function changelog(version, commit, builtAt) {
  const date = new Date(builtAt).toUTCString().replace('GMT', '+0000');
  return `${DEB_PACKAGE} (${version}) unstable; urgency=medium\n\n  * Lumen ${version}, built from commit ${commit}.\n\n -- ${DEB_MAINTAINER}  ${date}\n`;
}

async function installedSizeKiB(root) {
  let bytes = 0;
  await walk(root, async (full, rel, entry) => {
    if (!rel.startsWith('DEBIAN') && entry.isFile()) bytes += (await lstat(full)).size;
  });
  return Math.ceil(bytes / 1024);
}

export async function assembleDeb({ source = 'dist/linux-unpacked', compression = 'xz' } = {}) {
  const pkg = JSON.parse(await readFile('package.json', 'utf8'));
  const info = JSON.parse(await readFile('out/build-info.json', 'utf8'));
  const root = path.resolve('dist/deb-root');
  const app = path.join(root, DEB_INSTALL_DIR);
  await rm(root, { recursive: true, force: true });
  await mkdir(path.dirname(app), { recursive: true });
  await cp(source, app, { recursive: true, verbatimSymlinks: true });

  // Debian modes: directories 0755, files 0644, the few executables 0755 (shared objects are not).
  const executables = new Set(DEB_EXECUTABLES);
  await walk(app, async (full, rel, entry) => {
    if (entry.isDirectory()) await chmod(full, 0o755);
    else if (entry.isFile()) await chmod(full, executables.has(rel) ? 0o755 : 0o644);
  });

  await mkdir(path.join(root, 'usr/bin'), { recursive: true });
  await symlink(`../lib/${DEB_PACKAGE}/lumen`, path.join(root, 'usr/bin/lumen'));
  await symlink(`../lib/${DEB_PACKAGE}/resources/bin/lumen-cli`, path.join(root, 'usr/bin/lumen-cli'));
  await put(path.join(root, 'usr/share/applications/lumen.desktop'), await readFile(path.join(here, 'lumen.desktop')));
  for (const size of ['256x256', '512x512']) {
    await put(path.join(root, `usr/share/icons/hicolor/${size}/apps/lumen.png`), await readFile(`build/icons/${size}.png`));
  }
  await put(path.join(root, 'usr/share/icons/hicolor/scalable/apps/lumen.svg'), await readFile('build/icons/icon.svg'));
  const manPage = gz(await readFile(path.join(here, 'lumen.1'), 'utf8'));
  await put(path.join(root, 'usr/share/man/man1/lumen.1.gz'), manPage);
  await symlink('lumen.1.gz', path.join(root, 'usr/share/man/man1/lumen-cli.1.gz'));
  const doc = path.join(root, 'usr/share/doc', DEB_PACKAGE);
  await put(path.join(doc, 'copyright'), copyrightFile(pkg, new Date(info.builtAt).getUTCFullYear()));
  await put(path.join(doc, 'changelog.gz'), gz(changelog(pkg.version, info.commit, info.builtAt)));

  await put(path.join(root, 'usr/share/lintian/overrides', DEB_PACKAGE), await readFile(path.join(here, 'lintian-overrides')));

  const control = [
    `Package: ${DEB_PACKAGE}`,
    `Version: ${pkg.version}`,
    'Architecture: amd64',
    `Maintainer: ${DEB_MAINTAINER}`,
    `Installed-Size: ${await installedSizeKiB(root)}`,
    `Depends: ${DEB_DEPENDS.join(', ')}`,
    'Section: science',
    'Priority: optional',
    `Homepage: ${pkg.homepage}`,
    'Description: offline diagnostic imaging workstation (research use only)',
    ' Lumen reads DICOM from disk and from the hospital PACS, shows stacks, MPR and',
    ' 3D volumes, and runs AI models on the workstation itself. It makes no network',
    ' connection unless a PACS node is configured and sends no telemetry.',
    ' .',
    ' For research use only. Not a medical device.',
    '',
  ].join('\n');
  const debian = path.join(root, 'DEBIAN');
  await put(path.join(debian, 'control'), control);
  await put(path.join(debian, 'postinst'), await readFile(path.join(here, 'postinst')), 0o755);
  await put(path.join(debian, 'prerm'), await readFile(path.join(here, 'prerm')), 0o755);
  const sums = [];
  await walk(root, async (full, rel, entry) => {
    if (!rel.startsWith('DEBIAN') && entry.isFile()) sums.push(`${createHash('md5').update(await readFile(full)).digest('hex')}  ${rel}`);
  });
  await put(path.join(debian, 'md5sums'), sums.sort((a, b) => a.slice(34).localeCompare(b.slice(34))).join('\n') + '\n');

  const out = path.resolve('dist', `${DEB_PACKAGE}_${pkg.version}_amd64.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  await rm(root, { recursive: true, force: true });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write((await assembleDeb(values)) + '\n');
}
