import type { CsvMapping } from '../../../shared/domain/progressionTimeline';
import type { ProgressionModel } from '../state/progressionStore';

/** What the mapping form holds: a column name per entry, blank for "the manifest's column". */
export interface MappingFields {
  subject: string;
  day: string;
  date: string;
  features: Record<string, string>;
}

export const emptyMapping: MappingFields = { subject: '', day: '', date: '', features: {} };

/**
 * The import request's mapping: only the entries the user changed from the manifest's columns, or
 * undefined when there are none (the OASIS layout as is). A date column, when given, places visits by
 * calendar date instead of the day offset.
 */
export function csvMappingFrom(fields: MappingFields, columns: ProgressionModel['columns']): CsvMapping | undefined {
  const mapping: CsvMapping = {};
  const changed = (value: string, fallback: string) => value.trim() !== '' && value.trim() !== fallback;
  if (changed(fields.subject, columns.subject)) mapping.subjectColumn = fields.subject.trim();
  if (changed(fields.day, columns.day)) mapping.dayColumn = fields.day.trim();
  if (fields.date.trim() !== '') mapping.dateColumn = fields.date.trim();
  const features: Record<string, string> = {};
  for (const f of columns.features) {
    const value = fields.features[f.name] ?? '';
    if (changed(value, f.column)) features[f.name] = value.trim();
  }
  if (Object.keys(features).length > 0) mapping.features = features;
  return Object.keys(mapping).length > 0 ? mapping : undefined;
}
