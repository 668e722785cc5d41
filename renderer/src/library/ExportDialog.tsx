import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { useExportStore, type ExportSummary } from '../state/exportStore';
import { useSettingsStore } from '../state/settingsStore';
import { DEIDENTIFY_OPTION_LABELS, DEIDENTIFY_OPTIONS, emptyExportForm, exportRequestOf, type ExportForm } from './exportForm';

const DESTINATIONS: { kind: ExportForm['kind']; label: string }[] = [
  { kind: 'folder', label: 'Folder (with DICOMDIR)' },
  { kind: 'zip', label: 'ZIP file' },
  { kind: 'pacs', label: 'PACS node' },
];

/** Export of one study: destination, de-identification, derived objects; then progress and results. */
export function ExportDialog({ studyInstanceUid, studyLabel }: { studyInstanceUid: string; studyLabel: string }) {
  const { job, start, cancel, close } = useExportStore();
  const { settings, load } = useSettingsStore();
  const [form, setForm] = useState<ExportForm>(emptyExportForm);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const nodes = settings?.pacsNodes ?? [];
  const running = job.status === 'running';
  const update = (change: Partial<ExportForm>) => {
    setProblem(null);
    setForm({ ...form, ...change });
  };

  const submit = () => {
    const request = exportRequestOf(studyInstanceUid, { ...form, nodeId: form.nodeId || nodes[0]?.id || '' });
    if ('problem' in request) setProblem(request.problem);
    else void start(request);
  };

  return (
    <div className="export-backdrop">
      <div className="export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-title">
        <h2 id="export-title">Export study</h2>
        <p className="hint">{studyLabel}. The library and the original files are never changed.</p>
        <fieldset disabled={running}>
          <legend>Destination</legend>
          <div className="export-choices" role="radiogroup" aria-label="Destination">
            {DESTINATIONS.map((d) => (
              <label key={d.kind}>
                <input type="radio" name="export-kind" checked={form.kind === d.kind} onChange={() => update({ kind: d.kind })} />
                {d.label}
              </label>
            ))}
          </div>
          {form.kind !== 'pacs' ? (
            <div className="export-path">
              <input
                aria-label={form.kind === 'zip' ? 'ZIP file path' : 'Destination folder path'}
                placeholder={form.kind === 'zip' ? '/path/to/study.zip' : '/path/to/new-or-empty-folder'}
                value={form.path}
                onChange={(e) => update({ path: e.target.value })}
              />
              <button
                type="button"
                onClick={async () => {
                  const picked = await call('app', 'pickFolder', {});
                  if (picked.ok && picked.value.path) update({ path: form.kind === 'zip' ? `${picked.value.path}/study.zip` : picked.value.path });
                }}
              >
                Browse…
              </button>
            </div>
          ) : nodes.length === 0 ? (
            <p className="hint">No PACS node is configured; add one in Settings.</p>
          ) : (
            <div className="export-path">
              <select aria-label="PACS node" value={form.nodeId || nodes[0]?.id} onChange={(e) => update({ nodeId: e.target.value })}>
                {nodes.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name} ({n.aeTitle})
                  </option>
                ))}
              </select>
              <select aria-label="Send with" value={form.method} onChange={(e) => update({ method: e.target.value as ExportForm['method'] })}>
                <option value="c-store">DICOM C-STORE</option>
                <option value="stow-rs">DICOMweb STOW-RS</option>
              </select>
            </div>
          )}
        </fieldset>
        <fieldset disabled={running}>
          <legend>Content</legend>
          <label>
            <input type="checkbox" checked={form.includeMeasurements} onChange={(e) => update({ includeMeasurements: e.target.checked })} />
            Include measurements (DICOM SR)
          </label>
          <label>
            <input type="checkbox" checked={form.includeAi} onChange={(e) => update({ includeAi: e.target.checked })} />
            Include AI results (SR, parametric map)
          </label>
          {form.includeAi && (
            <label className="export-suboption">
              <input type="checkbox" checked={form.includeSecondaryCapture} onChange={(e) => update({ includeSecondaryCapture: e.target.checked })} />
              Also as a secondary capture image (for PACS viewers without parametric maps)
            </label>
          )}
          <label>
            <input type="checkbox" checked={form.deidentify} onChange={(e) => update({ deidentify: e.target.checked })} />
            De-identify (DICOM PS3.15 Annex E basic profile)
          </label>
          {form.deidentify && (
            <div className="export-options" aria-label="De-identification options">
              {DEIDENTIFY_OPTIONS.map((option) => (
                <label key={option}>
                  <input
                    type="checkbox"
                    checked={form.options.includes(option)}
                    onChange={(e) => update({ options: e.target.checked ? [...form.options, option] : form.options.filter((o) => o !== option) })}
                  />
                  {DEIDENTIFY_OPTION_LABELS[option]}
                </label>
              ))}
              <label>
                Images with burned-in patient details
                <select value={form.burnedInAnnotation} onChange={(e) => update({ burnedInAnnotation: e.target.value as ExportForm['burnedInAnnotation'] })}>
                  <option value="refuse">leave them out</option>
                  <option value="warn">export them with a warning</option>
                </select>
              </label>
            </div>
          )}
        </fieldset>
        {problem && (
          <p className="export-problem" role="alert">
            {problem}
          </p>
        )}
        {job.status === 'running' && (
          <div className="export-progress" role="status">
            <progress max={job.total || 1} value={job.done} aria-label="Export progress" />
            <span>
              {job.cancelling ? 'Cancelling… ' : ''}
              {job.done} of {job.total || '…'} objects{job.failed > 0 ? `, ${job.failed} failed` : ''}
            </span>
          </div>
        )}
        {job.status === 'error' && (
          <p className="export-problem" role="alert">
            {job.message}
          </p>
        )}
        {job.status === 'done' && <ExportResults summary={job.summary} />}
        <div className="export-actions">
          {running ? (
            <button type="button" onClick={() => void cancel()} disabled={job.cancelling}>
              Cancel export
            </button>
          ) : (
            <>
              <button type="button" className="primary" onClick={submit}>
                Export
              </button>
              <button type="button" onClick={close}>
                Close
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

/** The per-object results: totals, then each object that failed or warned, with its reason. */
function ExportResults({ summary }: { summary: ExportSummary }) {
  const notable = summary.results.filter((r) => r.status !== 'stored');
  const headline = summary.cancelled
    ? 'Export cancelled: nothing was left at the destination.'
    : summary.error
      ? `Export stopped: ${summary.error.message}`
      : `Exported ${summary.stored} of ${summary.total} objects${summary.failed > 0 ? `; ${summary.failed} failed` : ''}${summary.warnings > 0 ? `; ${summary.warnings} with warnings` : ''}.`;
  return (
    <div className="export-results" role="status" data-testid="export-results">
      <p className={summary.error || summary.failed > 0 ? 'export-problem' : undefined}>{headline}</p>
      {summary.output && <p className="hint">Written to {summary.output}</p>}
      {notable.length > 0 && !summary.cancelled && (
        <ul>
          {notable.slice(0, 50).map((r, i) => (
            <li key={`${r.sopInstanceUid}-${i}`} className={r.status === 'failed' ? 'failed' : 'warning'}>
              <code>{r.sopInstanceUid || '(derived object)'}</code>: {r.error?.message}
            </li>
          ))}
          {notable.length > 50 && <li>… and {notable.length - 50} more</li>}
        </ul>
      )}
    </div>
  );
}
