import type { z } from 'zod';
import type { ModelInfoSchema } from '../../../shared/ipc/contract';

type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** Image models that can run (checksums fine) and declare this modality; the back end checks again. */
export function modelsThatFit(models: readonly ModelInfo[], modality: string): ModelInfo[] {
  const m = modality.trim().toUpperCase();
  return models.filter((x) => x.ok && x.manifest?.task === 'classification' && x.manifest.modalities.map((s) => s.toUpperCase()).includes(m));
}
