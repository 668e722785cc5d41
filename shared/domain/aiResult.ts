import { z } from 'zod';

/** Where a run happened and why other providers were passed over (the "AI engine" panel shows it). */
export const ProviderFallbackSchema = z.object({ provider: z.string(), reason: z.string() });

/**
 * One image analysed by one model: what the CLI prints per line, what the AI panel shows and what the
 * library stores with the study. `ms` is the whole analysis of the image (read, preprocess, inference).
 */
export const AiResultSchema = z.object({
  path: z.string(),
  model: z.string(),
  version: z.string(),
  provider: z.string(),
  probabilities: z.record(z.string(), z.number()),
  prediction: z.string(),
  threshold: z.number(),
  /** Out-of-distribution guard; null when the model ships none. `outside`: not the intended input. */
  ood: z.object({ score: z.number(), outside: z.boolean() }).nullable(),
  ms: z.number(),
});
export type AiResult = z.infer<typeof AiResultSchema>;

/** The activation map for the positive label on the model's grid, spanning the whole frame. */
export const HeatmapSchema = z.object({
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  values: z.array(z.number()),
});
export type Heatmap = z.infer<typeof HeatmapSchema>;

/** The producer name AI analyses are stored under with their study (derived results). */
export const AI_RESULT_PRODUCER = 'lumen-ai';

export const AiAnalysisSchema = AiResultSchema.extend({
  heatmap: HeatmapSchema.nullable(),
  /** The analysed frame's size, where the heatmap is drawn back. */
  frame: z.object({ rows: z.number().int(), columns: z.number().int() }),
  inferenceMs: z.number(),
  fallbacks: z.array(ProviderFallbackSchema),
});
export type AiAnalysis = z.infer<typeof AiAnalysisSchema>;
