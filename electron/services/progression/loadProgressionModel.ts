import { LumenError } from '../../../shared/domain/errors';
import type { ModelManifest } from '../../../shared/domain/modelManifest';
import { openModel, readVerifiedModelBytes } from '../ai/modelRegistry';

/** A model folder whose manifest validated and whose ONNX bytes match the manifest's sha256. */
export interface VerifiedModel {
  dir: string;
  manifest: ModelManifest;
  onnx: Uint8Array;
}

/**
 * The progression model through the model registry (manifest schema, id and checksum checks are the
 * registry's), refused unless it is a progression model. Its sequences are a handful of tokens, so it
 * runs in-process (runProgression.ts) rather than through the image inference host.
 */
export async function loadProgressionModel(modelsDir: string, id: string): Promise<VerifiedModel> {
  const model = await openModel(modelsDir, id);
  if (model.manifest.task !== 'progression') throw new LumenError('MODEL_WRONG_TASK', `Model "${id}" is not a progression model.`);
  return { dir: model.dir, manifest: model.manifest, onnx: await readVerifiedModelBytes(model) };
}
