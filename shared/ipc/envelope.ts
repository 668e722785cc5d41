import { z } from 'zod';
import { ErrorValueSchema, type ErrorValue } from '../domain/errors';

/** The one shape every contract call answers with: a value or a typed error, never a thrown string. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Envelope<never> => ({ ok: false, error: { code, message } });

export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorValueSchema }),
  ]);
}
