import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { PolicySchema, type Policy } from './policySchema';

export type LoadedPolicy =
  | { state: 'none'; file: string }
  | { state: 'applied'; file: string; policy: Policy }
  | { state: 'invalid'; file: string; problem: string };

/** "pacsNodes.0.port: Too big..." for each issue, so IT can find the line to fix. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ') + '.';
}

/**
 * Reads the machine policy. A missing file means "not managed"; anything else that is not a valid
 * policy (unreadable, not JSON, wrong keys or values) is `invalid` with the reason, never ignored.
 */
export async function loadPolicy(file: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'none', file };
    return { state: 'invalid', file, problem: `The policy file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { state: 'invalid', file, problem: `The policy file ${file} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) return { state: 'invalid', file, problem: `The policy file ${file} is not a valid Lumen policy: ${describeIssues(parsed.error)}` };
  return { state: 'applied', file, policy: parsed.data };
}
