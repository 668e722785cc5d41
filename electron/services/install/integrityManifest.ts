import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LumenError } from '../../../shared/domain/errors';

/**
 * The installation manifest: the sha256 of every packaged file, written by the packaging build
 * (build/afterPack.mjs) into `resources/lumen-integrity.json` and checked by `lumen doctor`, so hospital
 * IT can tell that what runs on a workstation is what was shipped.
 */
export const INTEGRITY_MANIFEST_NAME = 'lumen-integrity.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const IntegrityManifestSchema = z.object({
  schemaVersion: z.literal(1),
  product: z.string(),
  version: z.string(),
  commit: z.string(),
  platform: z.enum(['linux', 'darwin', 'win32']),
  arch: z.string(),
  /** The install root, relative to the folder that holds this manifest (`..` on Linux and Windows). */
  root: z.string(),
  /** Install-root-relative POSIX paths to sha256. */
  files: z.record(z.string(), Sha256),
  /** Files left to the operating system's code signature (see coveredByOsSignature). */
  osSigned: z.array(z.string()),
});
export type IntegrityManifest = z.infer<typeof IntegrityManifestSchema>;
export type InstallPlatform = IntegrityManifest['platform'];

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * On macOS and Windows, code signing rewrites executables and libraries after the manifest is written
 * (electron-builder signs after afterPack), and on macOS a file added after signing would break the
 * bundle's seal. Those files are covered by the OS signature (`codesign --verify`, Authenticode) instead.
 * On Linux nothing is signed per file, so every file is in the manifest.
 */
export function coveredByOsSignature(relativePath: string, platform: InstallPlatform): boolean {
  if (platform === 'linux') return false;
  if (platform === 'win32') return /\.(exe|dll|node|sys)$/i.test(relativePath);
  return /\.(node|dylib|so)$/.test(relativePath) || /\/Contents\/(MacOS|Frameworks)\//.test(relativePath);
}

/** Every regular file under root, as sorted POSIX relative paths; links are not followed (macOS frameworks). */
export async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel);
      else if (entry.isFile()) found.push(rel);
    }
  };
  await withoutAsar(() => walk(root, ''));
  return found.sort();
}

/**
 * Under Electron (the packaged CLI runs as Electron-as-Node) `fs` treats app.asar as a folder; the
 * manifest hashes the archive itself, so asar redirection is off while files are listed and hashed.
 */
async function withoutAsar<T>(work: () => Promise<T>): Promise<T> {
  const proc = process as { noAsar?: boolean };
  const before = proc.noAsar;
  proc.noAsar = true;
  try {
    return await work();
  } finally {
    proc.noAsar = before;
  }
}

export interface ManifestIdentity {
  product: string;
  version: string;
  commit: string;
  platform: InstallPlatform;
  arch: string;
}

/** Hashes the install at `installRoot` and writes the manifest into `resourcesDir`. */
export async function writeIntegrityManifest(installRoot: string, resourcesDir: string, identity: ManifestIdentity): Promise<IntegrityManifest> {
  const manifestPath = path.join(resourcesDir, INTEGRITY_MANIFEST_NAME);
  const self = path.relative(installRoot, manifestPath).split(path.sep).join('/');
  const files: Record<string, string> = {};
  const osSigned: string[] = [];
  for (const rel of await listFiles(installRoot)) {
    if (rel === self) continue;
    if (coveredByOsSignature(rel, identity.platform)) osSigned.push(rel);
    else files[rel] = await withoutAsar(() => sha256File(path.join(installRoot, rel)));
  }
  const manifest: IntegrityManifest = {
    schemaVersion: 1,
    ...identity,
    root: path.relative(resourcesDir, installRoot).split(path.sep).join('/') || '.',
    files,
    osSigned,
  };
  await writeFile(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

export async function readIntegrityManifest(manifestPath: string): Promise<IntegrityManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new LumenError('INSTALL_MANIFEST_MISSING', `The installation manifest ${manifestPath} is missing or unreadable; reinstall Lumen.`, { cause: error });
  }
  const parsed = IntegrityManifestSchema.safeParse(json);
  if (!parsed.success) throw new LumenError('INSTALL_MANIFEST_INVALID', `The installation manifest ${manifestPath} is not valid; reinstall Lumen.`);
  return parsed.data;
}

export interface IntegrityReport {
  installRoot: string;
  checked: number;
  missing: string[];
  changed: string[];
  /** Files present but not in the manifest (added after installation). */
  unexpected: string[];
}

/** Re-hashes every file the manifest lists and names each one that is missing or different. */
export async function verifyIntegrity(manifestPath: string): Promise<IntegrityReport> {
  const manifest = await readIntegrityManifest(manifestPath);
  const installRoot = path.resolve(path.dirname(manifestPath), manifest.root);
  const report: IntegrityReport = { installRoot, checked: 0, missing: [], changed: [], unexpected: [] };
  for (const [rel, expected] of Object.entries(manifest.files)) {
    const file = path.join(installRoot, ...rel.split('/'));
    const actual = await withoutAsar(async () => ((await lstat(file).catch(() => null))?.isFile() ? sha256File(file) : null));
    report.checked++;
    if (actual === null) report.missing.push(rel);
    else if (actual !== expected) report.changed.push(rel);
  }
  const known = new Set([...Object.keys(manifest.files), ...manifest.osSigned]);
  const self = path.relative(installRoot, manifestPath).split(path.sep).join('/');
  report.unexpected = (await listFiles(installRoot)).filter((rel) => rel !== self && !known.has(rel));
  return report;
}
