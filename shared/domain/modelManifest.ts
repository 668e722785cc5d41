import { z } from 'zod';
import { ValueRangeSchema } from './measureRange';

/**
 * The model card: `models/<id>/manifest.json`. Models are data: the app reads every constant it needs
 * (input shape, preprocessing, labels, threshold) from here and never hard-codes a model.
 */

/** A tensor dimension: a fixed size, or a name for a dynamic axis ("batch", "visits"). */
const Dim = z.union([z.number().int().positive(), z.string().min(1)]);

export const TensorSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(Dim),
  dtype: z.enum(['float32', 'int64', 'bool']),
  description: z.string().optional(),
});

/** One preprocessing step with all its constants; applied in order. `op` names the step. */
export const PreprocessStepSchema = z
  .object({ op: z.string().min(1), description: z.string().optional() })
  .catchall(z.unknown());

export const MetricSetSchema = z.record(z.string(), z.number());

export const ModelManifestSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  name: z.string().min(1),
  task: z.enum(['classification', 'progression']),
  modalities: z.array(z.string()),
  bodyParts: z.array(z.string()),
  file: z.string().default('model.onnx'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema.extend({ labels: z.array(z.string()).optional() })).min(1),
  preprocessing: z.array(PreprocessStepSchema),
  /** Classification: the label whose probability is compared with the threshold. */
  positiveLabel: z.string().optional(),
  threshold: z.number().min(0).max(1),
  calibration: z.object({ method: z.string(), temperature: z.number().positive().optional() }).optional(),
  /** Progression models: the per-visit features, in the order the model reads them. */
  features: z
    .array(
      z.object({
        name: z.string(),
        column: z.string(),
        unit: z.string(),
        mean: z.number(),
        std: z.number().positive(),
        required: z.boolean(),
        /** Valid values, inclusive (the scale of the instrument, or what is physically possible). */
        range: ValueRangeSchema.optional(),
      }),
    )
    .optional(),
  /** Out-of-distribution guard shipped beside the model. */
  ood: z
    .object({
      file: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      method: z.string(),
      threshold: z.number(),
      description: z.string(),
    })
    .optional(),
  intendedUse: z.string().min(1),
  trainingData: z.object({ name: z.string(), source: z.string(), license: z.string(), description: z.string().optional() }),
  license: z.string(),
  metrics: z.record(z.string(), z.union([MetricSetSchema, z.record(z.string(), MetricSetSchema)])),
  disclaimer: z.literal('Research use only. Not a medical device.'),
});

export type ModelManifest = z.infer<typeof ModelManifestSchema>;
