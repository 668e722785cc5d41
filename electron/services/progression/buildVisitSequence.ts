import { z } from 'zod';
import { LumenError } from '../../../shared/domain/errors';
import type { ModelManifest } from '../../../shared/domain/modelManifest';
import { measureRangeProblem, type ValueRange } from '../../../shared/domain/measureRange';
import type { CsvRow } from './readOasisCsv';

/**
 * Visit sequences built only from what a progression manifest asks for: its feature list (column,
 * mean, std, required) and its preprocessing steps (grouping columns, categorical codes, input names).
 * Pure: no I/O, so the app, the CLI and the tests build identical model inputs.
 */

const GroupStepSchema = z.object({
  op: z.literal('group-visits'),
  subjectColumn: z.string().min(1),
  daysColumn: z.string().min(1),
  visitColumn: z.string().min(1),
});
const CategoricalStepSchema = z.object({
  op: z.literal('encode-categorical'),
  column: z.string().min(1),
  codes: z.record(z.string(), z.number()),
});
const BindStepSchema = z.object({
  op: z.literal('bind'),
  inputs: z.object({ features: z.string(), missing: z.string(), days: z.string(), horizon: z.string() }),
  outputs: z.object({ risk: z.string(), attention: z.string() }),
});

export interface FeatureSpec {
  name: string;
  column: string;
  mean: number;
  std: number;
  required: boolean;
  /** The manifest's unit, shown beside values in the app. */
  unit?: string;
  /** Text code -> value for categorical columns (M/F); numeric columns parse as numbers. */
  codes?: Readonly<Record<string, number>>;
  /** Valid values, inclusive; a value outside makes the visit unusable. */
  range?: ValueRange;
}

export interface SequenceSpec {
  subjectColumn: string;
  daysColumn: string;
  visitColumn: string;
  features: FeatureSpec[];
  bind: z.infer<typeof BindStepSchema>;
}

function findStep<T extends z.ZodTypeAny>(manifest: ModelManifest, op: string, schema: T): z.infer<T>[] {
  return manifest.preprocessing
    .filter((s) => s.op === op)
    .map((s) => {
      const parsed = schema.safeParse(s);
      if (!parsed.success) throw new LumenError('MODEL_BAD_MANIFEST', `The model manifest's "${op}" step is malformed.`);
      return parsed.data as z.infer<T>;
    });
}

/** Reads the sequence-building constants of a progression manifest; a manifest without them cannot run. */
export function sequenceSpecFromManifest(manifest: ModelManifest): SequenceSpec {
  if (manifest.task !== 'progression' || !manifest.features || manifest.features.length === 0) {
    throw new LumenError('MODEL_WRONG_TASK', `Model "${manifest.id}" is not a progression model with a feature list.`);
  }
  const [group] = findStep(manifest, 'group-visits', GroupStepSchema);
  const [bind] = findStep(manifest, 'bind', BindStepSchema);
  if (!group || !bind) throw new LumenError('MODEL_BAD_MANIFEST', `Model "${manifest.id}" lacks its group-visits or bind step.`);
  const codes = new Map(findStep(manifest, 'encode-categorical', CategoricalStepSchema).map((s) => [s.column, s.codes]));
  return {
    subjectColumn: group.subjectColumn,
    daysColumn: group.daysColumn,
    visitColumn: group.visitColumn,
    features: manifest.features.map((f) => ({ ...f, ...(codes.has(f.column) ? { codes: codes.get(f.column)! } : {}) })),
    bind,
  };
}

/** The columns a CSV must have for this spec. */
export function requiredColumns(spec: SequenceSpec): string[] {
  return [spec.subjectColumn, spec.daysColumn, spec.visitColumn, ...spec.features.map((f) => f.column)];
}

/** One subject's visits in time order, as the model reads them (row-major [visits, features]). */
export interface VisitSequence {
  subject: string;
  /** Days since the subject's first visit. */
  days: Float32Array;
  features: Float32Array;
  missing: Float32Array;
  nFeatures: number;
}

export type SubjectResult = { subject: string; sequence: VisitSequence } | { subject: string; error: LumenError };

/** A century of follow-up: more is a unit or typing error, and day counts must stay exact in float32. */
const MAX_DAYS = 36525;

// Decimal numbers only: Number() would also accept hex, "Infinity" and whitespace-only cells.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(raw: string): number | undefined {
  const s = raw.trim();
  return DECIMAL.test(s) ? Number(s) : undefined;
}

function badRow(row: CsvRow, what: string): LumenError {
  return new LumenError('PROGRESSION_BAD_ROW', `The visit on line ${row.line} ${what}.`);
}

/** One visit's raw feature values in the spec's order (NaN where missing), before encoding. */
export interface ParsedVisit {
  days: number;
  visit: number;
  values: number[];
}

/**
 * One cell of a feature column: its number (categorical codes applied), null when the cell is empty,
 * undefined when it holds something unusable. Shared by the CLI path and the app's CSV import.
 */
export function parseFeatureCell(raw: string, feature: FeatureSpec): number | null | undefined {
  const s = raw.trim();
  if (s === '') return null;
  return feature.codes ? feature.codes[s] : parseNumber(s);
}

function parseVisit(row: CsvRow, spec: SequenceSpec): ParsedVisit {
  const days = parseNumber(row.values[spec.daysColumn] ?? '');
  if (days === undefined || days < 0 || days > MAX_DAYS) throw badRow(row, `has no usable "${spec.daysColumn}" (days from 0 to ${MAX_DAYS})`);
  const visit = parseNumber(row.values[spec.visitColumn] ?? '');
  if (visit === undefined) throw badRow(row, `has no usable "${spec.visitColumn}"`);
  const values = spec.features.map((f) => {
    const v = parseFeatureCell(row.values[f.column] ?? '', f);
    if (v === null) {
      if (f.required) throw badRow(row, `is missing the required measure "${f.column}"`);
      return Number.NaN;
    }
    if (v === undefined) throw badRow(row, `has an unusable value in "${f.column}"`);
    const problem = measureRangeProblem(f, v);
    if (problem) throw badRow(row, `is unusable: ${problem}`);
    return v;
  });
  return { days, visit, values };
}

/** Two visits of one subject on the same day leave no interval to predict over (a duplicated row, or a mistyped delay). */
function rejectSameDay(rows: readonly CsvRow[], visits: readonly ParsedVisit[], spec: SequenceSpec): void {
  const lineOfDay = new Map<number, number>();
  visits.forEach((v, i) => {
    const line = lineOfDay.get(v.days);
    if (line !== undefined) throw badRow(rows[i]!, `is on the same day (${spec.daysColumn} ${v.days}) as the visit on line ${line}`);
    lineOfDay.set(v.days, rows[i]!.line);
  });
}

/**
 * Groups rows by subject (in order of first appearance), orders each subject's visits by days then
 * visit number, and encodes them: z = (value - mean) / std, computed in double and stored as float32
 * like the Python reference; missing optional values become 0 with missing = 1. A subject with any
 * unusable row gets an error instead of a sequence, so one bad row never hides the other subjects.
 */
export function buildVisitSequences(rows: readonly CsvRow[], spec: SequenceSpec): SubjectResult[] {
  const bySubject = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const subject = (row.values[spec.subjectColumn] ?? '').trim();
    const list = bySubject.get(subject) ?? [];
    list.push(row);
    bySubject.set(subject, list);
  }
  const results: SubjectResult[] = [];
  for (const [subject, subjectRows] of bySubject) {
    if (subject === '') {
      results.push({ subject, error: badRow(subjectRows[0]!, `has no "${spec.subjectColumn}"`) });
      continue;
    }
    try {
      const visits = subjectRows.map((r) => parseVisit(r, spec));
      rejectSameDay(subjectRows, visits, spec);
      results.push({ subject, sequence: encodeSubject(subject, visits, spec) });
    } catch (error) {
      if (!(error instanceof LumenError)) throw error;
      results.push({ subject, error });
    }
  }
  return results;
}

/** Orders one subject's visits (days, then visit number) and z-scores them; NaN values are masked. */
export function encodeSubject(subject: string, visits: ParsedVisit[], spec: SequenceSpec): VisitSequence {
  visits.sort((a, b) => a.days - b.days || a.visit - b.visit);
  const F = spec.features.length;
  const T = visits.length;
  const origin = visits[0]!.days;
  const seq: VisitSequence = {
    subject,
    days: new Float32Array(T),
    features: new Float32Array(T * F),
    missing: new Float32Array(T * F),
    nFeatures: F,
  };
  visits.forEach((v, t) => {
    seq.days[t] = v.days - origin;
    spec.features.forEach((f, j) => {
      const x = v.values[j]!;
      if (Number.isNaN(x)) seq.missing[t * F + j] = 1;
      else seq.features[t * F + j] = (x - f.mean) / f.std;
    });
  });
  return seq;
}

/**
 * The model inputs for "visits 1..k" of a sequence (k >= 1), and the horizon to visit k+1, or the
 * given horizon (the app's horizon chooser; k may then be the last visit).
 */
export function prefix(
  seq: VisitSequence,
  k: number,
  horizonDays?: number,
): { features: Float32Array; missing: Float32Array; days: Float32Array; horizonDays: number } {
  const F = seq.nFeatures;
  return {
    features: seq.features.slice(0, k * F),
    missing: seq.missing.slice(0, k * F),
    days: seq.days.slice(0, k),
    // Day counts are integers below 2^24, exact in float32, so this equals the Python float64 difference.
    horizonDays: Math.fround(horizonDays ?? (seq.days[k]! - seq.days[k - 1]!)),
  };
}
