import { z } from 'zod';

/**
 * Errors are values with stable codes (UPPER_SNAKE, prefixed by domain: DICOM_, LIBRARY_, PACS_, MODEL_,
 * IPC_, ...) and a sentence a clinician understands. Details for the log go in `detail` and must never
 * hold patient data.
 */
export const ErrorCodeSchema = z.string().regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, 'error codes are UPPER_SNAKE');
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorValueSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
});
export type ErrorValue = z.infer<typeof ErrorValueSchema>;

/**
 * Thrown inside services only, caught at the host boundary (contract handlers, CLI) and turned into an
 * ErrorValue. Anything else that escapes a service is a bug and becomes INTERNAL_ERROR.
 */
export class LumenError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LumenError';
    this.code = code;
  }

  toValue(): ErrorValue {
    return { code: this.code, message: this.message };
  }
}

export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof LumenError) return error.toValue();
  return { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred; see the log for details.' };
}
