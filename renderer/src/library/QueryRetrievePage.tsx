import { useEffect, useState } from 'react';
import { useSettingsStore } from '../state/settingsStore';
import { useNetworkStore, type RemoteStudy, type RetrieveMethod, type RetrieveState } from '../state/networkStore';
import { useAppStore } from '../state/appStore';
import { formatDicomDate, formatPersonName } from './formatDicom';
import { emptyRemoteQuery, remoteQueryOf, retrieveMethods, type RemoteQueryForm } from './remoteQuery';

const TEXT_FIELDS: { field: keyof RemoteQueryForm; label: string; placeholder: string; type?: string }[] = [
  { field: 'patientName', label: 'Patient name', placeholder: 'DOE^J*' },
  { field: 'patientId', label: 'Patient ID', placeholder: '' },
  { field: 'accessionNumber', label: 'Accession', placeholder: '' },
  { field: 'dateFrom', label: 'Date from', placeholder: '', type: 'date' },
  { field: 'dateTo', label: 'Date to', placeholder: '', type: 'date' },
  { field: 'modality', label: 'Modality', placeholder: 'CT' },
];

/** Query a configured PACS node and pull studies into the library, with progress per study. */
export function QueryRetrievePage() {
  const { settings, load } = useSettingsStore();
  const { query, retrieves, queryStudies, retrieve } = useNetworkStore();
  const setPage = useAppStore((s) => s.setPage);
  const nodes = settings?.pacsNodes ?? [];
  const [nodeId, setNodeId] = useState('');
  const [form, setForm] = useState<RemoteQueryForm>(emptyRemoteQuery);
  const [method, setMethod] = useState<RetrieveMethod | ''>('');
  useEffect(() => {
    void load();
  }, [load]);

  const node = nodes.find((n) => n.id === nodeId) ?? nodes[0];
  const methods = node ? retrieveMethods(node) : [];
  const chosenMethod = methods.find((m) => m.method === method)?.method ?? methods[0]?.method;

  if (settings && nodes.length === 0) {
    return (
      <section className="pacs-page" aria-label="Query and retrieve">
        <h2>Query / retrieve</h2>
        <p className="hint">No PACS node is configured. Add one in Settings to search a PACS and retrieve studies.</p>
        <button type="button" onClick={() => setPage('settings')}>
          Open Settings
        </button>
      </section>
    );
  }

  return (
    <section className="pacs-page" aria-label="Query and retrieve">
      <h2>Query / retrieve</h2>
      <form
        className="pacs-query"
        onSubmit={(event) => {
          event.preventDefault();
          if (node) void queryStudies(node.id, remoteQueryOf(form));
        }}
      >
        <label>
          PACS node
          <select value={node?.id ?? ''} onChange={(e) => setNodeId(e.target.value)}>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        {TEXT_FIELDS.map(({ field, label, placeholder, type }) => (
          <label key={field}>
            {label}
            <input type={type ?? 'text'} value={form[field]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [field]: e.target.value })} />
          </label>
        ))}
        <label>
          Retrieve with
          <select value={chosenMethod ?? ''} onChange={(e) => setMethod(e.target.value as RetrieveMethod)}>
            {methods.map((m) => (
              <option key={m.method} value={m.method}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!node || query.status === 'running'}>
          Search PACS
        </button>
      </form>
      {query.status === 'running' && <p className="hint">Searching…</p>}
      {query.status === 'error' && (
        <p className="field-error" role="alert">
          {query.message}
        </p>
      )}
      {query.status === 'done' &&
        (query.studies.length === 0 ? (
          <p className="hint">No study on the PACS matches.</p>
        ) : (
          <table className="study-list remote-studies" aria-label="PACS studies">
            <thead>
              <tr>
                <th>Patient</th>
                <th>ID</th>
                <th>Date</th>
                <th>Accession</th>
                <th>Mod.</th>
                <th>Description</th>
                <th className="num">Series / images</th>
                <th>Retrieve</th>
              </tr>
            </thead>
            <tbody>
              {query.studies.map((study) => (
                <RemoteStudyRow key={study.studyInstanceUid} study={study} state={retrieves[study.studyInstanceUid]} onRetrieve={() => node && chosenMethod && void retrieve(node.id, study.studyInstanceUid, chosenMethod)} />
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

function RemoteStudyRow({ study, state, onRetrieve }: { study: RemoteStudy; state: RetrieveState | undefined; onRetrieve(): void }) {
  return (
    <tr>
      <td>{formatPersonName(study.patientName)}</td>
      <td>{study.patientId}</td>
      <td>{formatDicomDate(study.studyDate)}</td>
      <td>{study.accessionNumber}</td>
      <td>{study.modalities.join(', ')}</td>
      <td>{study.description}</td>
      <td className="num">
        {study.seriesCount ?? '?'} / {study.instanceCount ?? '?'}
      </td>
      <td className="retrieve-cell">
        <div className="retrieve-actions">
          <RetrieveStatus study={study} state={state} onRetrieve={onRetrieve} />
        </div>
      </td>
    </tr>
  );
}

function RetrieveStatus({ study, state, onRetrieve }: { study: RemoteStudy; state: RetrieveState | undefined; onRetrieve(): void }) {
  if (state?.status === 'running') {
    const total = state.remaining === null ? null : state.completed + state.failed + state.remaining;
    return (
      <span className="retrieve-progress">
        <span
          className={total ? 'bar determinate' : 'bar indeterminate'}
          role="progressbar"
          aria-label={`Retrieving ${study.studyInstanceUid}`}
          aria-valuemin={0}
          aria-valuemax={total ?? undefined}
          aria-valuenow={total ? state.completed + state.failed : undefined}
        >
          {total ? <span className="bar-fill" style={{ width: `${(100 * (state.completed + state.failed)) / total}%` }} /> : null}
        </span>
        {state.completed}
        {total ? ` of ${total}` : ''} received{state.failed ? `, ${state.failed} failed` : ''}
      </span>
    );
  }
  const label = `Retrieve study of ${formatPersonName(study.patientName)} ${formatDicomDate(study.studyDate)}`;
  return (
    <>
      {state?.status === 'done' && (
        <span className={state.failed ? 'field-error' : 'ok'}>
          Retrieved: {state.received} received, {state.added} new{state.failed ? `, ${state.failed} failed` : ''}
        </span>
      )}
      {state?.status === 'error' && <span className="field-error">{state.message}</span>}
      {state?.status !== 'done' && study.local && <span className="ok">In library</span>}
      {state?.status !== 'done' && (
        <button type="button" aria-label={label} onClick={onRetrieve}>
          {study.local ? 'Retrieve again' : state?.status === 'error' ? 'Try again' : 'Retrieve'}
        </button>
      )}
    </>
  );
}
