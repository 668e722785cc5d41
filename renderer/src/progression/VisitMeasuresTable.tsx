import type { PatientTimeline, VisitTarget } from '../../../shared/domain/progressionTimeline';
import { formatMeasure, PROVENANCE_BADGE, provenanceDetail, visitLabel } from './formatProgression';

/**
 * Every visit's measures, one column per model feature (unit in the header), each value with a badge
 * saying where it came from; a missing value is named, in red when the model needs it.
 */
export function VisitMeasuresTable({ timeline, onEdit }: { timeline: PatientTimeline; onEdit: (target: VisitTarget) => void }) {
  return (
    <table className="visit-measures" aria-label="Visit measures">
      <thead>
        <tr>
          <th>Visit</th>
          <th>Studies</th>
          {timeline.features.map((f) => (
            <th key={f.name} title={`${f.column}: ${f.unit}${f.required ? ' (required)' : ' (optional)'}`}>
              {f.column}
              <span className="unit">{f.unit}</span>
            </th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {timeline.visits.map((v, i) => {
          const byFeature = new Map(v.measures.map((m) => [m.feature, m]));
          const target: VisitTarget | null = v.visitId !== null ? { visitId: v.visitId } : v.studies[0] ? { studyInstanceUid: v.studies[0].studyInstanceUid } : null;
          return (
            <tr key={v.visitId ?? `study-${i}`} data-testid="visit-row" data-visit-id={v.visitId ?? ''}>
              <th scope="row">{visitLabel(v)}</th>
              <td className="studies">{v.studies.map((s) => `${s.modalities.join('/')} ${s.description}`.trim()).join('; ') || '-'}</td>
              {timeline.features.map((f) => {
                const m = byFeature.get(f.name);
                if (m) {
                  return (
                    <td key={f.name} data-feature={f.name}>
                      {formatMeasure(m.value, f.codes)}{' '}
                      <span className={`provenance ${m.provenance.source}`} title={provenanceDetail(m.provenance)} data-testid="provenance">
                        {PROVENANCE_BADGE[m.provenance.source]}
                      </span>
                    </td>
                  );
                }
                const required = v.missingRequired.includes(f.name);
                return (
                  <td key={f.name} data-feature={f.name} className={required ? 'missing required' : 'missing'}>
                    {v.visitId === null ? '' : required ? 'missing (required)' : 'missing'}
                  </td>
                );
              })}
              <td>
                {target && (
                  <button type="button" onClick={() => onEdit(target)} aria-label={`Edit measures of ${visitLabel(v)}`}>
                    Edit
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
