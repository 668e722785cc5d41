/**
 * One line of `lumen doctor`: what was checked, whether it is fine, and a sentence for hospital IT.
 * `fail` makes the command exit non-zero; `warn` is worth a look but not broken.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** Machine-readable facts behind the sentence (for --json). */
  data?: Record<string, unknown>;
}

export const check = (id: string, title: string, status: CheckStatus, detail: string, data?: Record<string, unknown>): DoctorCheck => ({
  id,
  title,
  status,
  detail,
  ...(data ? { data } : {}),
});

/** Runs a check so that a bug or an unexpected error in one check is a failed line, not a crashed report. */
export async function guarded(id: string, title: string, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    return check(id, title, 'fail', `The check itself failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
