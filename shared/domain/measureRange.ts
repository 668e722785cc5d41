import { z } from 'zod';

/**
 * The values a progression model's feature can take, as its manifest declares them: the instrument's
 * scale (MMSE 0-30) or what is physically possible, never the training range. A value outside it is a
 * typing or unit error, and the model's answer for it would be an extrapolation nobody can check.
 */
export const ValueRangeSchema = z
  .tuple([z.number(), z.number()])
  .refine(([min, max]) => min <= max, { message: 'range: min must not exceed max' });
export type ValueRange = z.infer<typeof ValueRangeSchema>;

/** Why `value` cannot be a measure of the feature, for a message to the user; null when it can. */
export function measureRangeProblem(feature: { column: string; unit?: string | undefined; range?: ValueRange | undefined }, value: number): string | null {
  if (!Number.isFinite(value)) return `${feature.column} must be a finite number`;
  if (!feature.range) return null;
  const [min, max] = feature.range;
  if (value >= min && value <= max) return null;
  return `${feature.column} ${value} is outside ${min}-${max}${feature.unit ? ` (${feature.unit})` : ''}`;
}
