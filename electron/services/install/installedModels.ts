import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelManifestSchema, type ModelManifest } from '../../../shared/domain/modelManifest';

export type ModelFolder =
  | { id: string; dir: string; ok: true; manifest: ModelManifest }
  | { id: string; dir: string; ok: false; problem: string };

/**
 * Every model folder under modelsDir: a folder with a manifest.json, or with ONNX files but no manifest
 * (a broken install). Other folders (models/training in a checkout) are not models.
 */
export async function listModelFolders(modelsDir: string): Promise<ModelFolder[]> {
  let entries;
  try {
    entries = await readdir(modelsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const folders: ModelFolder[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(modelsDir, entry.name);
    const files = await readdir(dir);
    if (!files.includes('manifest.json')) {
      if (files.some((f) => f.endsWith('.onnx'))) folders.push({ id: entry.name, dir, ok: false, problem: `${dir} has ONNX files but no manifest.json` });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    } catch {
      folders.push({ id: entry.name, dir, ok: false, problem: `${path.join(dir, 'manifest.json')} is not valid JSON` });
      continue;
    }
    const parsed = ModelManifestSchema.safeParse(json);
    folders.push(parsed.success ? { id: entry.name, dir, ok: true, manifest: parsed.data } : { id: entry.name, dir, ok: false, problem: `${path.join(dir, 'manifest.json')} does not match the manifest schema` });
  }
  return folders;
}
