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

/** What damage_ct_slices.py reports: the damaged slices' z, and [z, sum of modality values] of four intact ones. */
export interface DamagedSeries {
  damaged: number[];
  intact: [number, number][];
  files: number;
}

/** Copies a single-frame compressed series into `out` with three slices' codestreams damaged (reference/damage_ct_slices.py). */
export function damageCtSlices(series: string, out: string): DamagedSeries {
  const script = path.join(here, 'reference', 'damage_ct_slices.py');
  const result = spawnSync(referencePython, [script, series, out], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`damage_ct_slices.py failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as DamagedSeries;
}

/** Deterministic pseudo-random 16-bit words, every bit pattern likely (a linear congruential generator). */
export function randomWords(n: number, seed: number): Uint16Array {
  const out = new Uint16Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 16;
  }
  return out;
}
