import type { z } from 'zod';
import type { StudyQuerySchema } from '../../../shared/ipc/contract';
import { foldForSearch, searchTokens } from './searchKey';

export type StudyQuery = z.infer<typeof StudyQuerySchema>;

export interface SqlFragment {
  sql: string;
  params: (string | number)[];
}

/** LIKE patterns hold user text: escape the wildcards so "%" matches a percent sign. */
export const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * User text as a LIKE pattern that honours the DICOM query wildcards (PS3.4 C.2.2.2.4): `*` matches any
 * run of characters and `?` one character, as in a PACS C-FIND; everything else is literal.
 */
export const wildcardLike = (text: string): string => likeEscape(text).replaceAll('*', '%').replaceAll('?', '_');
const like = (column: string) => `${column} LIKE ? ESCAPE '\\'`;

/** DICOM DA (YYYYMMDD); the query also accepts YYYY-MM-DD from date inputs. */
export const toDicomDate = (date: string): string => date.replaceAll('-', '');

const SORT_COLUMNS = {
  patientName: 'p.name_key',
  patientId: 'p.patient_id',
  studyDate: 'st.study_date',
  modality: 'modalities',
  description: 'st.description_key',
  seriesCount: 'series_count',
} as const;

/**
 * The WHERE and ORDER BY of a study search, over `studies st JOIN patients p`. Every criterion narrows:
 * patient name tokens match the start of any PN component (so "jo doe" and "DOE^JO" find DOE^JOHN,
 * accents and case folded), IDs and accession numbers match by prefix, descriptions by substring, and
 * the free text matches any of those. `*` and `?` are DICOM wildcards in names, IDs and free text.
 */
export function studySearchSql(query: StudyQuery): SqlFragment {
  const where: string[] = [];
  const params: (string | number)[] = [];

  for (const token of searchTokens(query.patientName ?? '')) {
    where.push(like('p.name_key'));
    params.push(`% ${wildcardLike(token)}%`);
  }
  if (query.patientId?.trim()) {
    where.push(like('p.patient_id'));
    params.push(`${wildcardLike(query.patientId.trim())}%`);
  }
  if (query.accessionNumber?.trim()) {
    where.push(like('st.accession_number'));
    params.push(`${wildcardLike(query.accessionNumber.trim())}%`);
  }
  if (query.description?.trim()) {
    where.push(`(${like('st.description_key')} OR EXISTS (SELECT 1 FROM series d WHERE d.study_ref = st.id AND ${like('d.description_key')}))`);
    const pattern = `%${likeEscape(foldForSearch(query.description))}%`;
    params.push(pattern, pattern);
  }
  if (query.dateFrom) {
    where.push('st.study_date >= ?');
    params.push(toDicomDate(query.dateFrom));
  }
  if (query.dateTo) {
    where.push("st.study_date <> '' AND st.study_date <= ?");
    params.push(toDicomDate(query.dateTo));
  }
  if (query.modality?.trim()) {
    where.push('EXISTS (SELECT 1 FROM series m WHERE m.study_ref = st.id AND m.modality = ?)');
    params.push(query.modality.trim().toUpperCase());
  }
  for (const token of searchTokens(query.text ?? '')) {
    const escaped = wildcardLike(token);
    where.push(`(${like('p.name_key')} OR ${like('p.patient_id')} OR ${like('st.accession_number')} OR ${like('st.description_key')})`);
    params.push(`% ${escaped}%`, `${escaped}%`, `${escaped}%`, `%${escaped}%`);
  }

  const column = SORT_COLUMNS[query.sortBy ?? 'studyDate'];
  const direction = (query.sortDirection ?? (query.sortBy ? 'asc' : 'desc')) === 'asc' ? 'ASC' : 'DESC';
  const sql = `${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${column} ${direction}, st.study_instance_uid`;
  return { sql, params };
}
