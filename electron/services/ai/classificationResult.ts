import { LumenError } from '../../../shared/domain/errors';
import type { ModelManifest } from '../../../shared/domain/modelManifest';
import type { HostTensor } from './hostProtocol';

export interface Classification {
  probabilities: Record<string, number>;
  prediction: string;
  threshold: number;
  /** Evidence map for the positive label (cam[positive] - cam[other]) on the model's grid, when the model has one. */
  heatmap: { rows: number; columns: number; values: number[] } | null;
}

/**
 * Reads a classifier's outputs by the manifest: the output with labels and two axes is the
 * probabilities, one with four axes ([batch, labels, rows, columns]) the class activation maps. The
 * prediction is the positive label when its probability reaches the manifest threshold.
 */
export function readClassification(manifest: ModelManifest, outputs: Record<string, HostTensor>): Classification {
  const bad = () => new LumenError('MODEL_BAD_OUTPUT', `Model "${manifest.id}" returned outputs that do not match its manifest.`);
  const probSpec = manifest.outputs.find((o) => o.labels && o.shape.length === 2);
  const camSpec = manifest.outputs.find((o) => o.labels && o.shape.length === 4);
  const labels = probSpec?.labels;
  const probs = probSpec ? outputs[probSpec.name] : undefined;
  if (!probSpec || !labels || !probs || probs.data.length < labels.length) throw bad();
  const probabilities: Record<string, number> = {};
  labels.forEach((label, i) => (probabilities[label] = probs.data[i]!));
  const positive = manifest.positiveLabel ?? labels[labels.length - 1]!;
  const p = probabilities[positive];
  if (p === undefined || !Number.isFinite(p)) throw bad();
  const negative = labels.find((l) => l !== positive) ?? positive;
  const prediction = p >= manifest.threshold ? positive : negative;

  let heatmap: Classification['heatmap'] = null;
  const cam = camSpec ? outputs[camSpec.name] : undefined;
  if (cam && cam.dims.length === 4) {
    const [, k, rows, columns] = cam.dims as [number, number, number, number];
    const pi = labels.indexOf(positive);
    const ni = labels.indexOf(negative);
    if (k === labels.length && pi >= 0) {
      const plane = rows * columns;
      const values = Array.from({ length: plane }, (_, i) => cam.data[pi * plane + i]! - (ni !== pi ? cam.data[ni * plane + i]! : 0));
      heatmap = { rows, columns, values };
    }
  }
  return { probabilities, prediction, threshold: manifest.threshold, heatmap };
}
