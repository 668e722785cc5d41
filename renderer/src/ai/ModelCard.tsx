import type { ModelManifest } from '../../../shared/domain/modelManifest';
import { metricGroups } from './modelCardMetrics';

/** A model's manifest as a card: what it is for, what it learned from, how it was judged, its licence. */
export function ModelCard({ manifest }: { manifest: ModelManifest }) {
  return (
    <dl className="model-card" aria-label={`Model card: ${manifest.name}`}>
      <dt>Model</dt>
      <dd>
        {manifest.name} {manifest.version} ({manifest.id})
      </dd>
      <dt>Task</dt>
      <dd>{manifest.task}</dd>
      <dt>Intended use</dt>
      <dd>{manifest.intendedUse}</dd>
      <dt>Modalities / body parts</dt>
      <dd>
        {manifest.modalities.join(', ')} / {manifest.bodyParts.join(', ')}
      </dd>
      <dt>Training data</dt>
      <dd>
        {manifest.trainingData.name}
        {manifest.trainingData.description && <span className="hint"> — {manifest.trainingData.description}</span>} ({manifest.trainingData.license})
      </dd>
      {metricGroups(manifest.metrics).map((group) => (
        <div key={group.title} className="model-card-metrics">
          <dt>{group.title}</dt>
          <dd>
            {group.kind === 'set' ? (
              group.values.map(([k, v]) => `${k} ${v}`).join(' · ')
            ) : (
              <table>
                <thead>
                  <tr>
                    <th />
                    {group.columns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {group.rows.map((row) => (
                    <tr key={row.name}>
                      <th scope="row">{row.name}</th>
                      {row.cells.map((cell, i) => (
                        <td key={group.columns[i]}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </dd>
        </div>
      ))}
      <dt>Licence</dt>
      <dd>{manifest.license}</dd>
      <dt>sha256</dt>
      <dd className="model-card-hash">{manifest.sha256}</dd>
      <dd>{manifest.disclaimer}</dd>
    </dl>
  );
}
