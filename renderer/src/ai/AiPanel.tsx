import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { AiAnalysis } from '../../../shared/domain/aiResult';
import type { ModelInfoSchema } from '../../../shared/ipc/contract';
import { call, onEvent } from '../api/client';
import { ModelCard } from './ModelCard';
import { modelsThatFit } from './modelFits';

type ModelInfo = z.infer<typeof ModelInfoSchema>;

export interface AiPanelProps {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  /** The image shown (library order), analysed on request. */
  imageIndex: number;
  /** Shows the activation map on the viewport (null hides it). */
  onHeatmap: (analysis: AiAnalysis | null, opacity: number) => void;
}

/**
 * The AI panel: a model that fits the open image, a run with progress and cancel, the probability
 * against the threshold, the out-of-distribution verdict, provider and time, the activation map with
 * its opacity, the model card; results saved with the study come back when it is reopened.
 */
export function AiPanel({ studyInstanceUid, seriesInstanceUid, modality, imageIndex, onHeatmap }: AiPanelProps) {
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [modelId, setModelId] = useState<string>('');
  const [result, setResult] = useState<AiAnalysis | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opacity, setOpacity] = useState(0.5);
  const [showMap, setShowMap] = useState(false);
  const [showCard, setShowCard] = useState(false);
  const runId = useRef<string | null>(null);

  useEffect(() => {
    void call('ai', 'listModels', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      const fit = modelsThatFit(r.value, modality);
      setModels(fit);
      setModelId(fit[0]?.id ?? '');
    });
    void call('ai', 'savedResults', { studyInstanceUid }).then((r) => {
      if (r.ok) setResult(r.value.filter((s) => s.seriesInstanceUid === seriesInstanceUid).at(-1) ?? null);
    });
  }, [studyInstanceUid, seriesInstanceUid, modality]);

  useEffect(() => onEvent('ai.progress', (p) => p.runId === runId.current && setProgress(p.stage)), []);
  useEffect(() => onHeatmap(showMap ? result : null, opacity), [showMap, result, opacity, onHeatmap]);

  const run = async () => {
    const id = `ai-${Date.now()}`;
    runId.current = id;
    setError(null);
    setProgress('starting');
    const r = await call('ai', 'analyzeImage', { modelId, studyInstanceUid, seriesInstanceUid, runId: id, imageIndex });
    runId.current = null;
    setProgress(null);
    if (!r.ok) return setError(r.error.message);
    setResult(r.value.results[0] ?? null);
  };

  const card = models.find((m) => m.id === modelId)?.manifest;
  const positive = card?.positiveLabel ?? '';
  const p = result ? (result.probabilities[positive] ?? Math.max(...Object.values(result.probabilities))) : null;
  return (
    <aside className="ai-panel" aria-label="AI">
      <h3>AI</h3>
      <p className="disclaimer">For research use only. Not a medical device.</p>
      {models.length === 0 ? (
        <p className="hint">No installed model fits {modality || 'this'} images.</p>
      ) : (
        <>
          <select aria-label="Model" value={modelId} onChange={(e) => setModelId(e.target.value)}>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.manifest?.name} {m.manifest?.version}
              </option>
            ))}
          </select>
          {progress === null ? (
            <button type="button" onClick={() => void run()} disabled={!modelId}>
              Analyse this image
            </button>
          ) : (
            <button type="button" onClick={() => runId.current && void call('ai', 'cancel', { runId: runId.current })}>
              Cancel ({progress})
            </button>
          )}
          <button type="button" onClick={() => setShowCard(!showCard)}>
            Model card
          </button>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {result && p !== null && (
        <div className="ai-result" data-prediction={result.prediction}>
          <meter min={0} max={1} value={p} aria-label={`${positive} probability`} />
          <p>
            {positive}: <strong>{(p * 100).toFixed(1)}%</strong> (threshold {(result.threshold * 100).toFixed(1)}%) → <strong>{result.prediction}</strong>
          </p>
          {result.ood && (
            <p className={result.ood.outside ? 'warning' : 'hint'}>
              {result.ood.outside ? 'Outside the intended use: this image is unlike the training radiographs; do not rely on the probability.' : 'Within the intended use.'} (score{' '}
              {result.ood.score.toFixed(3)})
            </p>
          )}
          <p className="hint">
            {result.model} {result.version} on {result.provider}, {Math.round(result.ms)} ms
          </p>
          {result.heatmap && (
            <label>
              <input type="checkbox" checked={showMap} onChange={(e) => setShowMap(e.target.checked)} /> Activation map
              <input type="range" min={0} max={1} step={0.05} value={opacity} aria-label="Map opacity" onChange={(e) => setOpacity(Number(e.target.value))} />
            </label>
          )}
        </div>
      )}
      {showCard && card && <ModelCard manifest={card} />}
    </aside>
  );
}
