import { useState, type FormEvent } from 'react';
import { measureRangeProblem } from '../../../shared/domain/measureRange';
import type { PatientTimeline, VisitTarget } from '../../../shared/domain/progressionTimeline';
import { formatMeasure, visitLabel } from './formatProgression';

interface Props {
  timeline: PatientTimeline;
  target: VisitTarget;
  onSave: (target: VisitTarget, values: Record<string, number>) => Promise<boolean>;
  onCancel: () => void;
}

/** Which visit the form writes to, in words. */
function targetLabel(timeline: PatientTimeline, target: VisitTarget): string {
  if ('visitId' in target) {
    const v = timeline.visits.find((x) => x.visitId === target.visitId);
    return v ? visitLabel(v) : 'visit';
  }
  if ('studyInstanceUid' in target) {
    const v = timeline.visits.find((x) => x.studies.some((s) => s.studyInstanceUid === target.studyInstanceUid));
    return v ? `the study of ${visitLabel(v)}` : 'the study';
  }
  return 'date' in target ? target.date : `Day ${target.day}`;
}

/**
 * Enter or correct a visit's measures in the manifest's units. Only changed fields are sent, so a
 * value imported from a CSV or an SR keeps its source unless the clinician changes it.
 */
export function VisitForm({ timeline, target, onSave, onCancel }: Props) {
  const visit = 'visitId' in target ? timeline.visits.find((v) => v.visitId === target.visitId) : undefined;
  const current = new Map((visit?.measures ?? []).map((m) => [m.feature, m.value]));
  const initial = Object.fromEntries(timeline.features.map((f) => [f.name, current.has(f.name) ? formatMeasure(current.get(f.name)!, f.codes) : '']));
  const [fields, setFields] = useState<Record<string, string>>(initial);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const values: Record<string, number> = {};
    for (const f of timeline.features) {
      const raw = (fields[f.name] ?? '').trim();
      if (raw === (initial[f.name] ?? '') || raw === '') continue;
      const value = f.codes ? f.codes[raw] : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw) ? Number(raw) : undefined;
      if (value === undefined) return setProblem(`${f.column}: enter a number in ${f.unit}.`);
      const outside = measureRangeProblem(f, value);
      if (outside) return setProblem(`${outside}.`);
      values[f.name] = value;
    }
    if (Object.keys(values).length === 0) return setProblem('Nothing changed.');
    setProblem(null);
    await onSave(target, values);
  };

  return (
    <form className="visit-form" aria-label="Visit measures form" onSubmit={(e) => void submit(e)}>
      <h3>Measures of {targetLabel(timeline, target)}</h3>
      <div className="visit-form-fields">
        {timeline.features.map((f) => (
          <label key={f.name}>
            <span>
              {f.column}
              {f.required ? ' *' : ''}
            </span>
            {f.codes ? (
              <select value={fields[f.name]} onChange={(e) => setFields({ ...fields, [f.name]: e.target.value })}>
                <option value="">-</option>
                {Object.keys(f.codes).map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            ) : (
              <input
                inputMode="decimal"
                value={fields[f.name]}
                title={f.range ? `${f.range[0]} to ${f.range[1]}` : undefined}
                onChange={(e) => setFields({ ...fields, [f.name]: e.target.value })}
              />
            )}
            <span className="unit">{f.unit}</span>
          </label>
        ))}
      </div>
      {problem && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary">
          Save measures
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="hint">* required by the model. Saved values are marked as entered by you.</span>
      </div>
    </form>
  );
}
