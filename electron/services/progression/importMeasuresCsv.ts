import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { measureRangeProblem } from '../../../shared/domain/measureRange';
import type { CsvImportSummary, CsvMapping } from '../../../shared/domain/progressionTimeline';
import { parseFeatureCell, type SequenceSpec } from './buildVisitSequence';
import { readOasisCsv } from './readOasisCsv';
import { parseVisitDate } from './visitDates';
import type { VisitKey, VisitMeasureStore } from './visitMeasureStore';

export interface CsvImportInput {
  text: string;
  /** The file the rows came from; its base name is what each value's provenance records. */
  file: string;
  spec: SequenceSpec;
  mapping?: CsvMapping;
  /** Whether the library holds studies of this Patient ID (for the summary only). */
  inLibrary: (patientId: string) => boolean;
}

/**
 * Stores the measures of a visit table (the OASIS columns, or the user's mapping of columns to the
 * model's features). The subject column is read as the DICOM Patient ID (0010,0020): that is how a
 * table row meets the patient's studies. Visits are keyed by a date column when mapped, else by the
 * day offset column (OASIS MR Delay). Empty cells store nothing (the timeline names them missing);
 * unusable cells and rows are reported by line and the rest is imported, in one transaction.
 */
export function importMeasuresCsv(store: VisitMeasureStore, input: CsvImportInput): CsvImportSummary {
  const { columns, rows } = readOasisCsv(input.text);
  const mapping = input.mapping ?? {};
  const subjectColumn = mapping.subjectColumn ?? input.spec.subjectColumn;
  const dateColumn = mapping.dateColumn;
  const dayColumn = mapping.dayColumn ?? input.spec.daysColumn;
  const visitColumn = mapping.visitColumn ?? input.spec.visitColumn;
  const keyColumn = dateColumn ?? dayColumn;
  const absent = [subjectColumn, keyColumn].filter((c) => !columns.includes(c));
  if (absent.length > 0) {
    throw new LumenError('PROGRESSION_MISSING_COLUMN', `The CSV lacks the column(s) that identify visits: ${absent.join(', ')}.`);
  }
  const problems: CsvImportSummary['problems'] = [];
  const featureColumns = input.spec.features.map((f) => ({ feature: f, column: mapping.features?.[f.name] ?? f.column }));
  for (const { feature, column } of featureColumns) {
    if (!columns.includes(column)) problems.push({ line: 1, message: `No column "${column}" for ${feature.name}; its values stay missing.` });
  }
  const file = path.basename(input.file);
  const visitsByPatient = new Map<string, Set<number>>();
  /** The line that last wrote each visit of this file, to name a second row for the same visit. */
  const lineOfVisit = new Map<number, number>();
  let valuesStored = 0;
  store.transaction(() => {
    for (const row of rows) {
      const patientId = (row.values[subjectColumn] ?? '').trim();
      if (patientId === '') {
        problems.push({ line: row.line, message: `No "${subjectColumn}": the row is skipped.` });
        continue;
      }
      const key = visitKey(row.values[keyColumn] ?? '', dateColumn !== undefined);
      if (!key) {
        problems.push({ line: row.line, message: `No usable "${keyColumn}": the row is skipped.` });
        continue;
      }
      const visitCell = (row.values[visitColumn] ?? '').trim();
      const visitId = store.visitFor(patientId, key, { visitNumber: /^\d{1,6}$/.test(visitCell) ? Number(visitCell) : null });
      const earlier = lineOfVisit.get(visitId);
      if (earlier !== undefined) {
        const at = (row.values[keyColumn] ?? '').trim();
        problems.push({ line: row.line, message: `Same visit as line ${earlier} (${keyColumn} ${at}): its values replace that row's.` });
      }
      lineOfVisit.set(visitId, row.line);
      for (const { feature, column } of featureColumns) {
        if (!columns.includes(column)) continue;
        const value = parseFeatureCell(row.values[column] ?? '', feature);
        if (value === null) continue;
        if (value === undefined) {
          problems.push({ line: row.line, message: `Unusable value in "${column}": left missing.` });
          continue;
        }
        const outside = measureRangeProblem({ ...feature, column }, value);
        if (outside) {
          problems.push({ line: row.line, message: `${outside}: left missing.` });
          continue;
        }
        store.setMeasure(visitId, feature.name, value, { source: 'csv', file, line: row.line });
        valuesStored++;
      }
      const visits = visitsByPatient.get(patientId) ?? new Set<number>();
      visits.add(visitId);
      visitsByPatient.set(patientId, visits);
    }
  });
  return {
    file,
    rows: rows.length,
    valuesStored,
    patients: [...visitsByPatient].map(([patientId, visits]) => ({ patientId, visits: visits.size, inLibrary: input.inLibrary(patientId) })),
    problems,
  };
}

function visitKey(raw: string, isDate: boolean): VisitKey | null {
  if (isDate) {
    const date = parseVisitDate(raw);
    return date ? { date } : null;
  }
  const day = Number(raw.trim());
  // Day offsets are whole days (OASIS MR Delay); anything else cannot place the visit.
  return raw.trim() !== '' && Number.isInteger(day) && day >= 0 ? { day } : null;
}
