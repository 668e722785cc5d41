import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { ModelManifestSchema, type ModelManifest } from '../../../shared/domain/modelManifest';

/** A model folder whose manifest validated and whose ONNX bytes match the manifest's sha256. */
export interface VerifiedModel {
  dir: string;
  manifest: ModelManifest;
  onnx: Uint8Array;
}

// Same pattern as the manifest id: it also keeps an id from walking out of the models folder.
const MODEL_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

async function readOrNotFound(file: string, id: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new LumenError('MODEL_NOT_FOUND', `Model "${id}" is not installed (no ${path.basename(file)}).`, { cause: error });
  }
}

/**
 * Loads `<modelsDir>/<id>/manifest.json` and its ONNX file, validates the manifest and verifies the
 * checksum before anything is handed to the runtime, so a corrupted or swapped model never runs.
 */
export async function loadProgressionModel(modelsDir: string, id: string): Promise<VerifiedModel> {
  if (!MODEL_ID.test(id)) throw new LumenError('MODEL_NOT_FOUND', `"${id}" is not a valid model id.`);
  const dir = path.join(modelsDir, id);
  const text = (await readOrNotFound(path.join(dir, 'manifest.json'), id)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LumenError('MODEL_BAD_MANIFEST', `The manifest of model "${id}" is not valid JSON.`, { cause: error });
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) throw new LumenError('MODEL_BAD_MANIFEST', `The manifest of model "${id}" does not match the manifest schema.`);
  const manifest = parsed.data;
  if (manifest.id !== id) throw new LumenError('MODEL_BAD_MANIFEST', `The manifest in folder "${id}" declares id "${manifest.id}".`);
  if (manifest.task !== 'progression') throw new LumenError('MODEL_WRONG_TASK', `Model "${id}" is not a progression model.`);
  // The file name comes from the manifest: keep it inside the model folder.
  const onnxPath = path.join(dir, path.basename(manifest.file));
  const onnx = await readOrNotFound(onnxPath, id);
  const digest = createHash('sha256').update(onnx).digest('hex');
  if (digest !== manifest.sha256) {
    throw new LumenError('MODEL_CHECKSUM_MISMATCH', `The file of model "${id}" does not match its manifest checksum; reinstall the model.`);
  }
  return { dir, manifest, onnx: new Uint8Array(onnx.buffer, onnx.byteOffset, onnx.byteLength) };
}
