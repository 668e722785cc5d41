import { useViewerStore } from '../state/viewerStore';
import { engineHandle } from './engineHandle';

const KIND_LABELS = { length: 'Length', angle: 'Angle', rectangle: 'Rectangle', ellipse: 'Ellipse', probe: 'Probe' } as const;

/** The measurement list: what each measures, editable names, delete. */
export function MeasurementsPanel() {
  const measurements = useViewerStore((s) => s.measurements);
  return (
    <aside className="measurements-panel" aria-label="Measurements">
      <h3>Measurements</h3>
      {measurements.length === 0 && <p className="hint">None yet: pick Length, Angle, an ROI or Probe and draw on an image.</p>}
      <ul>
        {measurements.map((m) => (
          <li key={m.id} data-measurement={m.kind}>
            <div className="m-head">
              <strong>{KIND_LABELS[m.kind]}</strong> <span className="m-frame">image {m.frame + 1}</span>
              <button type="button" aria-label={`Delete ${KIND_LABELS[m.kind]}`} onClick={() => engineHandle.get()?.removeMeasurement(m.id)}>
                ×
              </button>
            </div>
            <input aria-label="Measurement label" defaultValue={m.label} onBlur={(e) => engineHandle.get()?.relabelMeasurement(m.id, e.target.value)} />
            <div className="m-values">{formatValues(m.values, m.units, m.calibrationNote)}</div>
            {m.calibrationNote && m.calibrationNote !== 'pixels' && <div className="m-note">{m.calibrationNote}</div>}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function formatValues(values: Record<string, number>, units: string, calibration?: string): string {
  const lengthUnit = calibration === 'pixels' ? 'px' : 'mm';
  const parts: string[] = [];
  if (values.lengthMm !== undefined) parts.push(`${values.lengthMm.toFixed(2)} ${lengthUnit}`);
  if (values.angleDeg !== undefined) parts.push(`${values.angleDeg.toFixed(1)}°`);
  if (values.value !== undefined) parts.push(`${values.value} ${units}`.trim());
  if (values.mean !== undefined) parts.push(`mean ${values.mean.toFixed(1)}, SD ${values.sd?.toFixed(1)}, min ${values.min}, max ${values.max} ${units}`.trim());
  if (values.areaMm2 !== undefined) parts.push(`area ${values.areaMm2.toFixed(1)} ${lengthUnit}²`);
  return parts.join(' · ');
}
