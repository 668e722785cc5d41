import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * For tests and benchmarks only: where the shared real-data corpus lives (never copied into the repo),
 * and a way to ask Debian's pydicom (+ GDCM, numpy) for reference values at test time.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const dataRoot = path.resolve(here, '../../../../shared/data');
export const referencePython = '/usr/bin/python3';

/** Runs a Python snippet with the given arguments and parses the JSON it prints on stdout. */
export function pythonJson<T>(script: string, args: readonly string[] = []): T {
  const result = spawnSync(referencePython, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`reference python failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as T;
}
