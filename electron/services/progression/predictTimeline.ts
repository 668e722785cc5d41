import type { PatientTimeline, ProgressionRun, TimelineVisit } from '../../../shared/domain/progressionTimeline';
import { encodeSubject, type ParsedVisit } from './buildVisitSequence';
import type { ProgressionRunner } from './runProgression';

type UsableVisit = TimelineVisit & { visitId: number };

/**
 * The model over a patient's timeline. Visits that lack a required measure are left out and named in
 * `excluded` (the model was trained with required values only; it is never given an invented one);
 * missing optional values are masked as in training. Without a horizon, each visit k gets the risk
 * for the interval to the next usable visit, exactly as the CLI computes it; with a horizon, every
 * visit including the last gets the risk for that many days ahead.
 */
export async function predictTimeline(runner: ProgressionRunner, timeline: PatientTimeline, horizonDays: number | null): Promise<ProgressionRun> {
  const spec = runner.spec;
  const withMeasures = timeline.visits.filter((v): v is UsableVisit => v.visitId !== null && v.measures.length > 0);
  const usable = withMeasures.filter((v) => v.missingRequired.length === 0);
  // The CLI's order (buildVisitSequences): days, then visit number; sort is stable, so encodeSubject keeps it.
  usable.sort((a, b) => a.day - b.day || (a.visitNumber ?? 0) - (b.visitNumber ?? 0));
  const parsed: ParsedVisit[] = usable.map((v) => {
    const values = new Map(v.measures.map((m) => [m.feature, m.value]));
    return { days: v.day, visit: v.visitNumber ?? 0, values: spec.features.map((f) => values.get(f.name) ?? Number.NaN) };
  });
  const manifest = runner.model.manifest;
  const run: ProgressionRun = {
    patientId: timeline.patientId,
    model: manifest.id,
    version: manifest.version,
    provider: runner.provider,
    horizonDays,
    threshold: manifest.threshold,
    points: [],
    excluded: withMeasures.filter((v) => v.missingRequired.length > 0).map((v) => ({ visitId: v.visitId, day: v.day, missing: v.missingRequired })),
    note: null,
    disclaimer: manifest.disclaimer,
  };
  const lastK = horizonDays === null ? usable.length - 1 : usable.length;
  if (lastK < 1) {
    run.note =
      horizonDays === null
        ? 'At least two visits with every required measure are needed to predict to the next visit; choose a horizon to predict from a single visit.'
        : 'No visit has every required measure.';
    return run;
  }
  const sequence = encodeSubject(timeline.patientId, parsed, spec);
  for (let k = 1; k <= lastK; k++) {
    const p = await runner.predict(sequence, k, horizonDays ?? undefined);
    const visit = usable[k - 1]!;
    run.points.push({
      visitId: visit.visitId,
      day: visit.day,
      horizonDays: p.horizonDays,
      risk: p.risk,
      attention: p.attention,
      attentionVisitIds: usable.slice(0, k).map((v) => v.visitId),
    });
  }
  return run;
}
