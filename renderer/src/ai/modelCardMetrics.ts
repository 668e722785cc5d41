import type { ModelManifest } from '../../../shared/domain/modelManifest';

/** One group of a manifest's `metrics`: a flat set (one row of values) or named sets (a table, a row each). */
export type MetricGroup =
  | { kind: 'set'; title: string; values: [string, string][] }
  | { kind: 'table'; title: string; columns: string[]; rows: { name: string; cells: string[] }[] };

/** Headings for the metric groups our training scripts write; any other key is shown as it is. */
const TITLES: Record<string, string> = {
  val: 'Validation',
  cv: 'Cross-validation (mean over folds)',
  operatingPoint: 'Operating point',
  ood: 'Out-of-distribution guard',
};

/** Counts as integers, everything else to four decimals with trailing zeros dropped. */
export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/**
 * The manifest's metrics as the model card shows them, in the manifest's order. A clinician should see
 * every figure the model was judged by, and for progression models the baselines it was compared with
 * in the same folds, not a chosen few.
 */
export function metricGroups(metrics: ModelManifest['metrics']): MetricGroup[] {
  return Object.entries(metrics).map(([key, group]) => {
    const title = TITLES[key] ?? key;
    const entries = Object.entries(group);
    if (entries.every(([, v]) => typeof v === 'number')) {
      return { kind: 'set', title, values: entries.map(([k, v]) => [k, formatMetric(v as number)]) };
    }
    const sets = entries as [string, Record<string, number>][];
    const columns = [...new Set(sets.flatMap(([, set]) => Object.keys(set)))];
    return {
      kind: 'table',
      title,
      columns,
      rows: sets.map(([name, set]) => ({ name, cells: columns.map((c) => (set[c] === undefined ? '' : formatMetric(set[c]))) })),
    };
  });
}
