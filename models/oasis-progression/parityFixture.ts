import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One real OASIS sequence with PyTorch's float32 inputs and outputs (oasis_export.py writes them). */
export interface ParityCase {
  subject: string;
  visits: number;
  features: number[][][];
  missing: number[][][];
  days: number[][];
  horizon_days: number[][];
  risk: number[];
  attention: number[][];
}

export interface ParityFixture {
  nFeatures: number;
  tolerance: number;
  cases: ParityCase[];
}

/** The independent reference the app's progression results are checked against. */
export function readParityFixture(): ParityFixture {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parity-fixture.json');
  return JSON.parse(readFileSync(file, 'utf8')) as ParityFixture;
}
