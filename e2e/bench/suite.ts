/**
 * A benchmark suite measures Lumen against a peer in the same run and reports ratios, never absolute
 * numbers alone. `npm run bench` runs every suite in suites/ and writes e2e/bench/results/latest.json.
 */
export interface BenchFigure {
  /** What was measured, e.g. "header index, 275-slice CT". */
  name: string;
  lumen: { value: number; unit: string };
  peer?: { name: string; value: number; unit: string };
  /** peer / lumen for times (higher is better for Lumen), stated so in `ratioMeaning`. */
  ratio?: number;
  ratioMeaning?: string;
  goal?: string;
  notes?: string;
}

export interface BenchSuite {
  name: string;
  /** Returns skipped with a reason when a peer or data set is unavailable, rather than faking it. */
  run(): Promise<{ figures: BenchFigure[] } | { skipped: string }>;
}
