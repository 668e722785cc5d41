import type { AiAnalysis, Heatmap } from '../../../../shared/domain/aiResult';

/** For tests: a 6 x 5 activation grid with negative and positive evidence, as the CXR model returns (rows x columns). */
export const ACTIVATION_GRID: Heatmap = {
  rows: 6,
  columns: 5,
  values: [-0.2, 0, 0.1, 0.3, 0.05, 0, 0.4, 0.9, 0.5, 0.1, 0.1, 0.7, 1.3, 0.8, 0.2, -0.1, 0.3, 0.6, 0.4, 0, 0, 0.1, 0.2, 0.1, -0.3, 0, 0, 0.05, 0, 0],
};

/** For tests: what an AI run saves with a study (as aiService does) for an image of `frame` size at `path`. */
export function savedAiAnalysis(path: string, frame: { rows: number; columns: number }): AiAnalysis {
  return {
    path,
    model: 'cxr-pneumonia',
    version: '1.0.0',
    provider: 'cpu',
    probabilities: { normal: 0.1123, pneumonia: 0.8877 },
    prediction: 'pneumonia',
    threshold: 0.3936,
    ood: null,
    ms: 301.5,
    heatmap: ACTIVATION_GRID,
    frame,
    inferenceMs: 22.75,
    fallbacks: [],
  };
}
