import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { ModelManifestSchema, type ModelManifest } from '../../../shared/domain/modelManifest';
import { sha256File } from '../install/integrityManifest';
import { listModelFolders } from '../install/installedModels';

/** A file of a model with the checksum its manifest promises. */
export interface ModelFile {
  role: 'model' | 'ood';
  path: string;
  sha256: string;
}

export interface InstalledModel {
  dir: string;
  manifest: ModelManifest;
  files: ModelFile[];
}

export interface ModelListing {
  id: string;
  dir: string;
  manifest: ModelManifest | null;
  /** Empty when the manifest validated and every file matches its sha256. */
  problems: string[];
}

// Same pattern as the manifest id: it also keeps an id from walking out of the models folder.
const MODEL_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The files a manifest names, kept inside the model folder whatever the manifest says. */
export function modelFiles(dir: string, manifest: ModelManifest): ModelFile[] {
  const files: ModelFile[] = [{ role: 'model', path: path.join(dir, path.basename(manifest.file)), sha256: manifest.sha256 }];
  if (manifest.ood) files.push({ role: 'ood', path: path.join(dir, path.basename(manifest.ood.file)), sha256: manifest.ood.sha256 });
  return files;
}

/** Each file against its manifest sha256: a sentence per missing or changed file. */
export async function verifyModelFiles(files: readonly ModelFile[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    const actual = await sha256File(file.path).catch(() => null);
    if (actual === null) problems.push(`${file.path} is missing`);
    else if (actual !== file.sha256) problems.push(`${file.path} does not match the sha256 in its manifest`);
  }
  return problems;
}

/** Every model folder, validated and checksummed; broken ones say why. */
export async function listModels(modelsDir: string): Promise<ModelListing[]> {
  const listings: ModelListing[] = [];
  for (const folder of await listModelFolders(modelsDir)) {
    if (!folder.ok) {
      listings.push({ id: folder.id, dir: folder.dir, manifest: null, problems: [folder.problem] });
      continue;
    }
    const problems = await verifyModelFiles(modelFiles(folder.dir, folder.manifest));
    if (folder.manifest.id !== folder.id) problems.push(`the manifest in folder "${folder.id}" declares id "${folder.manifest.id}"`);
    listings.push({ id: folder.id, dir: folder.dir, manifest: folder.manifest, problems });
  }
  return listings;
}

/**
 * `<modelsDir>/<id>/manifest.json`, validated. Checksums are not read here: whoever hands bytes to a
 * runtime verifies those very bytes (the inference host, readVerifiedModelBytes).
 */
export async function openModel(modelsDir: string, id: string): Promise<InstalledModel> {
  if (!MODEL_ID.test(id)) throw new LumenError('MODEL_NOT_FOUND', `"${id}" is not a valid model id.`);
  const dir = path.join(modelsDir, id);
  let text: string;
  try {
    text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch (cause) {
    throw new LumenError('MODEL_NOT_FOUND', `Model "${id}" is not installed (no manifest.json).`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LumenError('MODEL_BAD_MANIFEST', `The manifest of model "${id}" is not valid JSON.`, { cause });
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) throw new LumenError('MODEL_BAD_MANIFEST', `The manifest of model "${id}" does not match the manifest schema.`);
  const manifest = parsed.data;
  if (manifest.id !== id) throw new LumenError('MODEL_BAD_MANIFEST', `The manifest in folder "${id}" declares id "${manifest.id}".`);
  return { dir, manifest, files: modelFiles(dir, manifest) };
}

/** For in-process runtimes: the model file's bytes, refused unless they match the manifest sha256. */
export async function readVerifiedModelBytes(model: InstalledModel): Promise<Uint8Array> {
  const file = model.files[0]!;
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (cause) {
    throw new LumenError('MODEL_NOT_FOUND', `Model "${model.manifest.id}" is not installed (no ${path.basename(file.path)}).`, { cause });
  }
  if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
    throw new LumenError('MODEL_CHECKSUM_MISMATCH', `The file of model "${model.manifest.id}" does not match its manifest checksum; reinstall the model.`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
