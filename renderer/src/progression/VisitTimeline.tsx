import type { PatientTimeline, RiskPoint } from '../../../shared/domain/progressionTimeline';
import { CHART, PAD, dayScale } from './dayScale';
import { formatRisk, visitLabel } from './formatProgression';

const AXIS_Y = 110;
const BAR_MAX = 80;

/**
 * The patient's visits on a day axis. Studies are marked; visits the model used are filled, visits it
 * could not use (a required measure missing) are hollow. The attention of the chosen prediction is
 * drawn as a bar over each visit it weighed: the taller, the more that visit mattered.
 */
export function VisitTimeline({ timeline, point }: { timeline: PatientTimeline; point: RiskPoint | null }) {
  const scale = dayScale(timeline.visits.map((v) => v.day), CHART.left + PAD, CHART.right - PAD);
  const weight = new Map(point ? point.attentionVisitIds.map((id, i) => [id, point.attention[i]!]) : []);
  return (
    <svg className="visit-timeline" viewBox={`0 0 ${CHART.width} 195`} role="img" aria-label="Visit timeline">
      <line x1={CHART.left - 10} x2={CHART.right + 10} y1={AXIS_Y} y2={AXIS_Y} className="axis" />
      {scale.ticks.map((d) => (
        <g key={d}>
          <line x1={scale.x(d)} x2={scale.x(d)} y1={AXIS_Y} y2={AXIS_Y + 4} className="axis" />
          <text x={scale.x(d)} y={AXIS_Y + 60} className="tick" textAnchor="middle">
            {d}
          </text>
        </g>
      ))}
      <text x={CHART.right + 10} y={AXIS_Y + 60} className="tick" textAnchor="end">
        days
      </text>
      <g className="legend" transform={`translate(${CHART.left - 10}, ${AXIS_Y + 80})`}>
        <circle cx={4} cy={-4} r={4} className="visit-dot used" />
        <text x={12} y={0}>used by the model</text>
        <circle cx={134} cy={-4} r={4} className="visit-dot excluded" />
        <text x={142} y={0}>not used: a required measure is missing</text>
        <rect x={390} y={-8} width={8} height={8} className="study-mark" />
        <text x={402} y={0}>study in the library</text>
        <rect x={530} y={-10} width={8} height={10} className="attention-bar" />
        <text x={542} y={0}>attention: how much the risk leaned on the visit</text>
      </g>
      {timeline.visits.map((v, i) => {
        const x = scale.x(v.day);
        const w = v.visitId !== null ? weight.get(v.visitId) : undefined;
        const used = v.visitId !== null && v.measures.length > 0 && v.missingRequired.length === 0;
        const label = visitLabel(v);
        return (
          <g key={v.visitId ?? `study-${i}`} data-testid="timeline-visit" data-visit-id={v.visitId ?? ''} aria-label={label}>
            <title>
              {label}
              {v.studies.length > 0 ? ` · ${v.studies.length} stud${v.studies.length === 1 ? 'y' : 'ies'}` : ''}
              {v.missingRequired.length > 0 ? ` · missing ${v.missingRequired.join(', ')}: not used by the model` : ''}
            </title>
            {w !== undefined && (
              <g data-testid="attention-bar" data-weight={w}>
                <rect x={x - 9} y={AXIS_Y - 10 - w * BAR_MAX} width={18} height={Math.max(w * BAR_MAX, 1)} className="attention-bar" style={{ opacity: 0.35 + 0.65 * w }} />
                <text x={x} y={AXIS_Y - 14 - w * BAR_MAX} className="attention-label" textAnchor="middle">
                  {formatRisk(w)}
                </text>
              </g>
            )}
            {v.studies.length > 0 && <rect x={x - 5} y={AXIS_Y + 8} width={10} height={10} className="study-mark" data-testid="study-mark" />}
            {v.visitId !== null && v.measures.length > 0 && (
              <circle cx={x} cy={AXIS_Y} r={6} className={used ? 'visit-dot used' : 'visit-dot excluded'} />
            )}
            {point?.visitId === v.visitId && v.visitId !== null && <circle cx={x} cy={AXIS_Y} r={10} className="visit-ring" />}
            <text x={x} y={AXIS_Y + 36} className="visit-label" textAnchor="middle">
              {v.date ? label.slice(0, 10) : `#${v.visitNumber ?? i + 1}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
