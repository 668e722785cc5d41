import { z } from 'zod';
import { LumenError } from '../../../../shared/domain/errors';
import type { ModelManifest } from '../../../../shared/domain/modelManifest';

/**
 * The manifest's `preprocessing` steps read into what the TypeScript pipeline does. Every step is
 * recognised or the model is refused (MODEL_BAD_MANIFEST): skipping a step silently would feed the
 * network images unlike its training data.
 */
export interface PreprocessPlan {
  frame: number;
  /** VOI window: the file's first Window Center/Width, else this fallback over the frame. */
  voi: { fallback: 'minmax' } | null;
  invertMonochrome1: boolean;
  greyscaleWeights: [number, number, number];
  rasterDivisor: number;
  resize: { rows: number; columns: number };
  normalize: { mean: number; std: number };
  inputName: string;
}

const Decode = z.object({ frame: z.number().int().nonnegative().default(0) });
const Voi = z.object({ function: z.literal('LINEAR'), value: z.literal('first'), fallback: z.literal('minmax'), output: z.tuple([z.literal(0), z.literal(1)]) });
const Greyscale = z.object({ weights: z.tuple([z.number(), z.number(), z.number()]) });
const Scale = z.object({ divisor: z.number().positive() });
const Resize = z.object({ size: z.number().int().positive(), filter: z.literal('bilinear'), antialias: z.literal(true), policy: z.literal('squash') });
const Normalize = z.object({ mean: z.number(), std: z.number().positive() });

export function preprocessPlan(manifest: ModelManifest): PreprocessPlan {
  const bad = (why: string) => new LumenError('MODEL_BAD_MANIFEST', `Model "${manifest.id}": ${why}`);
  const plan: Partial<PreprocessPlan> = { frame: 0, voi: null, invertMonochrome1: false, greyscaleWeights: [0.299, 0.587, 0.114], rasterDivisor: 255 };
  for (const step of manifest.preprocessing) {
    const parse = <T>(schema: z.ZodType<T>): T => {
      const r = schema.safeParse(step);
      if (!r.success) throw bad(`preprocessing step "${step.op}" has constants this version cannot follow.`);
      return r.data;
    };
    switch (step.op) {
      case 'decode':
        plan.frame = parse(Decode).frame;
        break;
      case 'modalityLut':
        break; // always applied: PS3.3 C.11.1 is not optional
      case 'voiWindow':
        plan.voi = { fallback: parse(Voi).fallback };
        break;
      case 'invertMonochrome1':
        plan.invertMonochrome1 = true;
        break;
      case 'greyscale':
        plan.greyscaleWeights = parse(Greyscale).weights;
        break;
      case 'scale01':
        plan.rasterDivisor = parse(Scale).divisor;
        break;
      case 'resize': {
        const r = parse(Resize);
        plan.resize = { rows: r.size, columns: r.size };
        break;
      }
      case 'normalize':
        plan.normalize = parse(Normalize);
        break;
      case 'toTensor':
        break;
      default:
        throw bad(`unknown preprocessing step "${step.op}".`);
    }
  }
  if (!plan.resize || !plan.normalize) throw bad('the preprocessing has no resize or normalize step.');
  const input = manifest.inputs[0]!;
  return { ...(plan as Omit<PreprocessPlan, 'inputName'>), inputName: input.name };
}
