import type { MeasureProvenance, TimelineVisit } from '../../../shared/domain/progressionTimeline';
import { formatDicomDate } from '../library/formatDicom';

/** Display forms of the progression panel's numbers and sources. */

/** A probability as a percentage with one decimal: what the panel and its tests read. */
export function formatRisk(p: number): string {
  return `${(p * 100).toFixed(1)} %`;
}

export function formatHorizon(days: number | null): string {
  if (days === null) return 'to the next visit';
  if (days % 365 === 0) return days === 365 ? '1 year' : `${days / 365} years`;
  return `${days} days`;
}

/** A visit's place: its date when it has one, else its day offset; the visit number when known. */
export function visitLabel(v: Pick<TimelineVisit, 'date' | 'day' | 'visitNumber'>): string {
  const when = v.date ? formatDicomDate(v.date) : `Day ${v.day}`;
  return v.visitNumber !== null ? `${when} (visit ${v.visitNumber})` : when;
}

export const PROVENANCE_BADGE: Record<MeasureProvenance['source'], string> = { csv: 'CSV', sr: 'SR', form: 'Form' };

/** The full source of a value, for the badge's tooltip. */
export function provenanceDetail(p: MeasureProvenance): string {
  switch (p.source) {
    case 'csv':
      return `Imported from ${p.file}, line ${p.line}`;
    case 'sr':
      return `From the structured report SOP Instance UID ${p.sopInstanceUid}`;
    case 'form':
      return `Entered by ${p.user} on ${p.at.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** A value as entered: categorical codes back to their text (1 -> M), numbers as given. */
export function formatMeasure(value: number, codes?: Record<string, number>): string {
  if (codes) return Object.entries(codes).find(([, code]) => code === value)?.[0] ?? String(value);
  return String(value);
}
