import { readFile } from 'node:fs/promises';
import { LumenError } from '../../../../shared/domain/errors';
import type { ModelManifest } from '../../../../shared/domain/modelManifest';
import { parseDicomBytes } from '../../dicom/parse/index';
import { assertApplicable, type ImageFacts } from '../applicability';
import { dicomToUnit, type UnitImage } from './dicomToUnit';
import { preprocessPlan } from './preprocessPlan';
import { rasterKind, rasterToUnit } from './rasterToUnit';
import { resizeBilinear } from './resizeBilinear';

export interface PreprocessedImage {
  /** The network input for one image: [1, 1, rows, columns] after resize and normalisation. */
  tensor: Float32Array;
  dims: number[];
  facts: ImageFacts;
  /** The frame's size before resizing (where a heatmap is drawn back). */
  native: { rows: number; columns: number };
}

/** Resize and normalise a [0, 1] image: the steps both branches share. */
export function unitToTensor(unit: UnitImage, manifest: ModelManifest): PreprocessedImage['tensor'] {
  const plan = preprocessPlan(manifest);
  const resized = resizeBilinear(unit.values, unit.rows, unit.columns, plan.resize.rows, plan.resize.columns);
  const { mean, std } = plan.normalize;
  for (let i = 0; i < resized.length; i++) resized[i] = (resized[i]! - mean) / std;
  return resized;
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v).trim() || undefined);

/**
 * A file (DICOM, PNG or JPEG, told apart by content) to the model's input tensor, following the
 * manifest's preprocessing; refused (MODEL_NOT_APPLICABLE) before any pixel work when the image does
 * not fit the model.
 */
export async function preprocessFile(file: string, manifest: ModelManifest): Promise<PreprocessedImage> {
  const plan = preprocessPlan(manifest);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new LumenError('AI_IMAGE_UNREADABLE', 'The file could not be read.', { cause });
  }
  const kind = rasterKind(bytes);
  let unit: UnitImage;
  let facts: ImageFacts;
  if (kind) {
    facts = { source: 'png/jpeg' };
    assertApplicable(manifest, facts);
    unit = rasterToUnit(bytes, kind, plan);
  } else {
    const parsed = parseDicomBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const d = parsed.dataset;
    facts = {
      source: 'dicom',
      ...(text(d['Modality']) ? { modality: text(d['Modality'])! } : {}),
      ...(text(d['BodyPartExamined']) ? { bodyPart: text(d['BodyPartExamined'])! } : {}),
      samplesPerPixel: Number(d['SamplesPerPixel'] ?? 1),
    };
    assertApplicable(manifest, facts);
    if (!parsed.pixelData) throw new LumenError('MODEL_NOT_APPLICABLE', 'The DICOM file holds no image (no Pixel Data).');
    unit = await dicomToUnit(parsed, plan);
  }
  return { tensor: unitToTensor(unit, manifest), dims: [1, 1, plan.resize.rows, plan.resize.columns], facts, native: { rows: unit.rows, columns: unit.columns } };
}
