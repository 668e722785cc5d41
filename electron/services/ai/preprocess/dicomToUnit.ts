import { applyModalityLut } from '../../../../shared/imaging/modalityLut';
import { windowValue } from '../../../../shared/imaging/voiLut';
import { decodeFrame } from '../../dicom/decode/index';
import { pipelineParameters } from '../../dicom/decode/pipelineParameters';
import type { ParsedDicom } from '../../dicom/types';
import type { PreprocessPlan } from './preprocessPlan';

export interface UnitImage {
  /** Values in [0, 1], rows x columns, row-major. */
  values: Float32Array;
  rows: number;
  columns: number;
}

const upper = (v: unknown) => String(v ?? '').trim().toUpperCase();

/**
 * The DICOM branch of the manifest: stored values -> Modality LUT (PS3.3 C.11.1) -> the first VOI window
 * as LINEAR into [0, 1] (C.11.2.1.2.1), min-max where the file has none -> inversion for MONOCHROME1 or
 * Presentation LUT Shape INVERSE (once, even when both say so). Float64 until the window, float32 after,
 * as the Python reference (models/training/cxr/preprocess.py).
 */
export async function dicomToUnit(parsed: ParsedDicom, plan: PreprocessPlan): Promise<UnitImage> {
  const frame = await decodeFrame(parsed, plan.frame);
  const parameters = pipelineParameters(parsed.dataset, plan.frame);
  const modality = applyModalityLut(frame.pixels, parameters.modality);
  const values = new Float32Array(modality.length);
  // The first Window Center / Width pair, as the manifest says; a non-positive width is no window.
  const window = parameters.windows[0];
  if (plan.voi && window && window.width > 0) {
    for (let i = 0; i < modality.length; i++) values[i] = windowValue(modality[i]!, window, 'LINEAR', { min: 0, max: 1 });
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of modality) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi > lo) for (let i = 0; i < modality.length; i++) values[i] = (modality[i]! - lo) / (hi - lo);
  }
  const invert = upper(parsed.dataset['PhotometricInterpretation']) === 'MONOCHROME1' || upper(parsed.dataset['PresentationLUTShape']) === 'INVERSE';
  if (plan.invertMonochrome1 && invert) for (let i = 0; i < values.length; i++) values[i] = 1 - values[i]!;
  return { values, rows: frame.rows, columns: frame.columns };
}
