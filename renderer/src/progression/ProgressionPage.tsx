import './progression.css';
import { useEffect, useState } from 'react';
import { ModelCard } from '../ai/ModelCard';
import { useProgressionStore, type Horizon } from '../state/progressionStore';
import { CsvImportForm } from './CsvImportForm';
import { formatHorizon, formatRisk, visitLabel } from './formatProgression';
import { RiskChart } from './RiskChart';
import { VisitForm } from './VisitForm';
import { VisitMeasuresTable } from './VisitMeasuresTable';
import { VisitTimeline } from './VisitTimeline';

const HORIZONS: Horizon[] = [null, 180, 365, 730];

/**
 * The progression panel: a patient's visits and studies on a timeline with each measure's source, the
 * model's risk for the chosen horizon, the risk at each visit, and which visits the prediction leaned
 * on (attention). Research use only.
 */
export function ProgressionPage({ initialPatientId }: { initialPatientId: string | null }) {
  const s = useProgressionStore();
  const { init } = s;
  const [showCard, setShowCard] = useState(false);
  const model = s.models.find((m) => m.id === s.modelId) ?? null;
  useEffect(() => {
    void init(initialPatientId ?? undefined);
  }, [init, initialPatientId]);

  const { timeline, run } = s;
  const point = run ? (run.points.find((p) => p.visitId === s.selectedPoint) ?? run.points.at(-1) ?? null) : null;
  const latest = run?.points.at(-1) ?? null;
  const latestVisit = latest && timeline?.visits.find((v) => v.visitId === latest.visitId);

  return (
    <section className="progression-page" aria-label="Progression">
      <aside className="progression-side">
        <CsvImportForm />
        <h3>Patients</h3>
        <ul className="progression-patients" aria-label="Patients">
          {s.patients.map((p) => (
            <li key={p.patientId}>
              <button type="button" aria-pressed={p.patientId === s.patientId} onClick={() => void s.openPatient(p.patientId)}>
                <strong>{p.patientId}</strong>
                <span className="hint">
                  {p.visitsWithMeasures} visit(s) with measures · {p.studies} stud{p.studies === 1 ? 'y' : 'ies'}
                </span>
              </button>
            </li>
          ))}
          {s.patients.length === 0 && <li className="hint">No patient yet: import a visit table or studies.</li>}
        </ul>
      </aside>
      <div className="progression-main">
        <header className="progression-header">
          <h2>{s.patientId ? `Patient ${s.patientId}` : 'Progression'}</h2>
          <label>
            Progression model
            <select value={s.modelId ?? ''} onChange={(e) => void s.setModel(e.target.value)}>
              {s.models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.manifest.name} {m.manifest.version}
                </option>
              ))}
            </select>
          </label>
          <button type="button" aria-expanded={showCard} disabled={!model} onClick={() => setShowCard(!showCard)}>
            Model card
          </button>
          <label>
            Horizon
            <select value={s.horizon === null ? 'next' : String(s.horizon)} onChange={(e) => void s.setHorizon(e.target.value === 'next' ? null : Number(e.target.value))}>
              {HORIZONS.map((h) => (
                <option key={h ?? 'next'} value={h === null ? 'next' : String(h)}>
                  {h === null ? 'To the next visit (as trained)' : formatHorizon(h)}
                </option>
              ))}
            </select>
          </label>
          <span className="ruo-panel" data-testid="ruo">
            {run?.disclaimer ?? 'Research use only. Not a medical device.'}
          </span>
        </header>
        {showCard && model && <ModelCard manifest={model.manifest} />}
        {s.error && (
          <div className="banner-error" role="alert">
            {s.error}
          </div>
        )}
        {!s.patientId && <p className="empty-state">Choose a patient, or open the timeline from a study in the library.</p>}
        {timeline && run && (
          <>
            <div className="risk-summary" data-testid="risk-summary">
              {latest && latestVisit ? (
                <>
                  <span className="risk-value" data-risk={latest.risk}>
                    {formatRisk(latest.risk)}
                  </span>
                  <span>
                    risk of worsening (CDR up, or MMSE down by 3 or more) within {latest.horizonDays} days of {visitLabel(latestVisit)}
                  </span>
                  <span className={latest.risk >= run.threshold ? 'flag above' : 'flag below'}>
                    {latest.risk >= run.threshold ? 'above' : 'below'} the operating threshold ({formatRisk(run.threshold)})
                  </span>
                </>
              ) : (
                <span>{run.note ?? 'No prediction.'}</span>
              )}
              <span className="hint">
                {run.model} {run.version} · {run.provider}
              </span>
              {run.points.length > 0 && (
                <button type="button" onClick={() => void s.saveReport()}>
                  Save as DICOM SR
                </button>
              )}
            </div>
            {s.reportSaved && (
              <p className="hint" role="status">
                {s.reportSaved}
              </p>
            )}
            {run.excluded.length > 0 && (
              <ul className="excluded" aria-label="Visits not used">
                {run.excluded.map((e) => {
                  const v = timeline.visits.find((x) => x.visitId === e.visitId);
                  return (
                    <li key={e.visitId} data-testid="excluded-visit">
                      {v ? visitLabel(v) : `Day ${e.day}`} is not used: missing required {e.missing.map((m) => timeline.features.find((f) => f.name === m)?.column ?? m).join(', ')}.
                    </li>
                  );
                })}
              </ul>
            )}
            {timeline.axisNote && <p className="hint">{timeline.axisNote}</p>}
            <h3>
              Timeline{point ? ` · attention of the prediction at ${visitLabel(timeline.visits.find((v) => v.visitId === point.visitId) ?? { date: null, day: point.day, visitNumber: null })}` : ''}
            </h3>
            <VisitTimeline timeline={timeline} point={point} />
            <h3>Risk at each visit ({formatHorizon(run.horizonDays)})</h3>
            {run.points.length > 0 ? <RiskChart timeline={timeline} run={run} selected={point?.visitId ?? null} onSelect={s.selectPoint} /> : <p className="hint">{run.note}</p>}
            <h3>Measures</h3>
            <VisitMeasuresTable timeline={timeline} onEdit={s.edit} />
            <div className="form-actions">
              <button type="button" onClick={() => s.edit({ date: new Date().toISOString().slice(0, 10).replaceAll('-', '') })}>
                Add a visit today
              </button>
            </div>
            {s.editing && (
              <VisitForm
                key={JSON.stringify(s.editing)}
                timeline={timeline}
                target={s.editing}
                onSave={s.saveVisit}
                onCancel={() => s.edit(null)}
              />
            )}
          </>
        )}
      </div>
    </section>
  );
}
