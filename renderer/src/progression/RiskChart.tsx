import type { PatientTimeline, ProgressionRun } from '../../../shared/domain/progressionTimeline';
import { CHART, PAD, dayScale } from './dayScale';
import { formatHorizon, formatRisk } from './formatProgression';

const TOP = 20;
const BOTTOM = 170;

/**
 * The risk at each visit, on the timeline's day scale, with the model's operating threshold dashed.
 * A click on a point shows that prediction's attention on the timeline.
 */
export function RiskChart({ timeline, run, selected, onSelect }: { timeline: PatientTimeline; run: ProgressionRun; selected: number | null; onSelect: (visitId: number) => void }) {
  const scale = dayScale(timeline.visits.map((v) => v.day), CHART.left + PAD, CHART.right - PAD);
  // Half the scale when every value is below one half: the differences between visits stay readable.
  const top = Math.max(run.threshold, ...run.points.map((p) => p.risk)) <= 0.5 ? 0.5 : 1;
  const y = (p: number) => BOTTOM - (p / top) * (BOTTOM - TOP);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((g) => g * top);
  const path = run.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${scale.x(p.day).toFixed(1)},${y(p.risk).toFixed(1)}`).join(' ');
  return (
    <svg className="risk-chart" viewBox={`0 0 ${CHART.width} 200`} role="img" aria-label={`Risk at each visit, ${formatHorizon(run.horizonDays)}`}>
      {grid.map((g) => (
        <g key={g}>
          <line x1={CHART.left} x2={CHART.right} y1={y(g)} y2={y(g)} className="grid" />
          <text x={CHART.left - 8} y={y(g) + 4} className="tick" textAnchor="end">
            {Math.round(g * 1000) / 10} %
          </text>
        </g>
      ))}
      <line x1={CHART.left} x2={CHART.right} y1={y(run.threshold)} y2={y(run.threshold)} className="threshold" data-testid="risk-threshold" />
      <path d={path} className="risk-line" />
      {run.points.map((p) => (
        <g
          key={p.visitId}
          data-testid="risk-point"
          data-visit-id={p.visitId}
          data-risk={p.risk}
          className="risk-point"
          role="button"
          tabIndex={0}
          aria-label={`Risk ${formatRisk(p.risk)} at day ${p.day}: show its attention`}
          onClick={() => onSelect(p.visitId)}
          onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(p.visitId)}
        >
          <title>{`Risk ${formatRisk(p.risk)} within ${p.horizonDays} days of this visit`}</title>
          <circle cx={scale.x(p.day)} cy={y(p.risk)} r={p.visitId === selected ? 7 : 5} className={p.risk >= run.threshold ? 'above' : 'below'} />
          <text x={scale.x(p.day)} y={y(p.risk) - 10} textAnchor="middle" className="risk-label">
            {formatRisk(p.risk)}
          </text>
        </g>
      ))}
      <text x={CHART.left} y={196} className="tick">
        days since the first visit
      </text>
      <line x1={CHART.right - 200} x2={CHART.right - 175} y1={192} y2={192} className="threshold" />
      <text x={CHART.right - 170} y={196} className="threshold-label">
        operating threshold {formatRisk(run.threshold)}
      </text>
    </svg>
  );
}
