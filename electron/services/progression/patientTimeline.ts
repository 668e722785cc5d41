import type { StudySummary } from '../../../shared/ipc/contract';
import type { PatientTimeline, TimelineVisit } from '../../../shared/domain/progressionTimeline';
import type { SequenceSpec } from './buildVisitSequence';
import { daysBetween, parseVisitDate } from './visitDates';
import type { StoredVisit } from './visitMeasureStore';

/**
 * A patient's timeline: the library studies and the stored visits on one day axis. Dated entries
 * (studies, visits with a date) count days from the earliest date; visits known only by a day offset
 * (a CSV without dates) keep their offset, which assumes they count from the same first visit: the
 * timeline says so when both kinds meet. A visit linked to a study, or on a study's date, is one entry.
 * Every feature the model asks for and the visit lacks is named, required ones apart.
 */
export function buildPatientTimeline(patientId: string, modelId: string, spec: SequenceSpec, stored: readonly StoredVisit[], studies: readonly StudySummary[]): PatientTimeline {
  const datedStudies = studies.map((s) => ({ study: s, date: parseVisitDate(s.studyDate) })).filter((s): s is { study: StudySummary; date: string } => s.date !== null);
  const dates = [...datedStudies.map((s) => s.date), ...stored.flatMap((v) => (v.date ? [v.date] : []))].sort();
  const anchor = dates[0] ?? null;
  const attached = new Set<string>();
  const toStudy = (s: StudySummary) => ({ studyInstanceUid: s.studyInstanceUid, description: s.description, modalities: s.modalities });

  const visits: TimelineVisit[] = stored.map((v) => {
    const own = datedStudies.filter((s) => !attached.has(s.study.studyInstanceUid) && (s.study.studyInstanceUid === v.studyInstanceUid || (v.date !== null && s.date === v.date)));
    own.forEach((s) => attached.add(s.study.studyInstanceUid));
    const have = new Set(v.measures.map((m) => m.feature));
    const lacking = spec.features.filter((f) => !have.has(f.name));
    return {
      visitId: v.id,
      date: v.date,
      day: v.date !== null && anchor !== null ? daysBetween(anchor, v.date) : v.day ?? 0,
      visitNumber: v.visitNumber,
      studies: own.map((s) => toStudy(s.study)),
      measures: [...v.measures].sort((a, b) => featureIndex(spec, a.feature) - featureIndex(spec, b.feature)),
      missingRequired: lacking.filter((f) => f.required).map((f) => f.name),
      missingOptional: lacking.filter((f) => !f.required).map((f) => f.name),
    };
  });
  // Studies on a date without measures: on the axis, with nothing for the model.
  for (const s of datedStudies) {
    if (attached.has(s.study.studyInstanceUid)) continue;
    const sameDay = visits.find((v) => v.visitId === null && v.date === s.date);
    if (sameDay) sameDay.studies.push(toStudy(s.study));
    else visits.push({ visitId: null, date: s.date, day: daysBetween(anchor!, s.date), visitNumber: null, studies: [toStudy(s.study)], measures: [], missingRequired: [], missingOptional: [] });
  }
  visits.sort((a, b) => a.day - b.day || (a.visitNumber ?? 0) - (b.visitNumber ?? 0) || (a.visitId ?? 0) - (b.visitId ?? 0));

  const notes: string[] = [];
  if (anchor !== null && stored.some((v) => v.date === null)) notes.push('Visits without a date are placed by their day offset, counted from the first dated visit.');
  const undated = studies.length - datedStudies.length;
  if (undated > 0) notes.push(`${undated} stud${undated === 1 ? 'y has' : 'ies have'} no Study Date and cannot be placed on the timeline.`);
  return {
    patientId,
    modelId,
    features: spec.features.map((f) => ({ name: f.name, column: f.column, unit: f.unit ?? '', required: f.required, ...(f.codes ? { codes: { ...f.codes } } : {}), ...(f.range ? { range: f.range } : {}) })),
    visits,
    axisNote: notes.length > 0 ? notes.join(' ') : null,
  };
}

function featureIndex(spec: SequenceSpec, name: string): number {
  return spec.features.findIndex((f) => f.name === name);
}
