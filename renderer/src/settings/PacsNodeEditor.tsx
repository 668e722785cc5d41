import { useId, useState, type KeyboardEvent } from 'react';
import { useSettingsStore } from '../state/settingsStore';
import { usePolicyStore } from '../state/policyStore';
import { useNetworkStore } from '../state/networkStore';
import { ManagedNote } from './ManagedNote';
import { connectionTestLines } from './connectionTestText';
import { draftOf, emptyDraft, parseDraft, type DraftErrors, type DraftField, type PacsNodeDraft } from './pacsNodeDraft';

/**
 * The PACS node list with add / edit / remove and a connection test per node. Node changes are saved at
 * once (not with the page's Save), so a node can be tested as soon as it exists in the back end.
 */
export function PacsNodeEditor() {
  const nodes = useSettingsStore((s) => s.settings?.pacsNodes ?? []);
  const { savePacsNodes, pacsNodesError } = useSettingsStore();
  const { status: policy, isManaged } = usePolicyStore();
  const { tests, testConnection } = useNetworkStore();
  const [draft, setDraft] = useState<PacsNodeDraft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const canAdd = (policy?.userPacsNodesAllowed ?? true) && !isManaged('pacsNodes');

  const edit = (next: PacsNodeDraft | null) => {
    setDraft(next);
    setErrors({});
  };
  const commit = async () => {
    if (!draft) return;
    const parsed = parseDraft(draft, nodes);
    if (!parsed.ok) return setErrors(parsed.errors);
    const next = draft.id ? nodes.map((n) => (n.id === draft.id ? parsed.node : n)) : [...nodes, parsed.node];
    if (await savePacsNodes(next)) edit(null);
  };

  return (
    <div className="pacs-editor">
      <h3>PACS nodes</h3>
      {nodes.length === 0 ? (
        <p className="hint">PACS nodes: none configured. Lumen makes no network connection until you add one.</p>
      ) : (
        <ul className="pacs-nodes" aria-label="PACS nodes">
          {nodes.map((node) => {
            const managed = policy?.managedPacsNodeIds.includes(node.id) || isManaged('pacsNodes');
            const test = tests[node.id];
            return (
              <li key={node.id} aria-label={node.name}>
                <div className="pacs-node-row">
                  <span className="pacs-node-name">{node.name}</span>
                  <span className="pacs-node-address" title={[`${node.aeTitle}@${node.host}:${node.port}`, node.dicomWebUrl].filter(Boolean).join(' · ')}>
                    {node.aeTitle}@{node.host}:{node.port}
                    {node.tls && ' · TLS'}
                    {node.dicomWebUrl && ` · ${node.dicomWebUrl}`}
                  </span>
                  <span className="pacs-node-actions">
                    <button type="button" onClick={() => void testConnection(node.id)} disabled={test?.status === 'running'}>
                      Test connection
                    </button>
                    {managed ? (
                      <ManagedNote />
                    ) : (
                      <>
                        <button type="button" onClick={() => edit(draftOf(node))} disabled={draft !== null}>
                          Edit
                        </button>
                        <button type="button" onClick={() => void savePacsNodes(nodes.filter((n) => n.id !== node.id))}>
                          Remove
                        </button>
                      </>
                    )}
                  </span>
                </div>
                {test && (
                  <ul className="connection-test" aria-label={`Connection test of ${node.name}`} aria-live="polite">
                    {connectionTestLines(test).map((line) => (
                      <li key={line.text} className={line.ok ? 'ok' : 'failed'}>
                        {line.text}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {pacsNodesError && (
        <p className="field-error" role="alert">
          {pacsNodesError}
        </p>
      )}
      {draft ? (
        <NodeForm draft={draft} errors={errors} onChange={setDraft} onSave={() => void commit()} onCancel={() => edit(null)} />
      ) : canAdd ? (
        <button type="button" onClick={() => edit(emptyDraft)}>
          Add PACS node
        </button>
      ) : (
        <p className="hint">Your administrator manages the PACS nodes of this workstation.</p>
      )}
    </div>
  );
}

type TextField = Exclude<DraftField, 'tls'>;

const FIELDS: { field: TextField; label: string; placeholder: string }[] = [
  { field: 'name', label: 'Name', placeholder: 'Hospital PACS' },
  { field: 'aeTitle', label: 'AE title', placeholder: 'PACS' },
  { field: 'host', label: 'Host', placeholder: 'pacs.hospital.local' },
  { field: 'port', label: 'Port', placeholder: '104' },
  { field: 'dicomWebUrl', label: 'DICOMweb URL (optional)', placeholder: 'http://pacs.hospital.local:8042/dicom-web' },
];

/** Shown when TLS is on (DIMSE) or the DICOMweb URL is https. */
const TLS_FIELDS: { field: TextField; label: string; placeholder: string }[] = [
  { field: 'tlsCaFile', label: 'CA certificate (PEM, optional: else the system’s)', placeholder: '/etc/pki/hospital-ca.pem' },
  { field: 'tlsCertFile', label: 'Client certificate (PEM, for mutual TLS)', placeholder: '' },
  { field: 'tlsKeyFile', label: 'Client key (PEM, for mutual TLS)', placeholder: '' },
];

function NodeForm(props: { draft: PacsNodeDraft; errors: DraftErrors; onChange(d: PacsNodeDraft): void; onSave(): void; onCancel(): void }) {
  const { draft, errors, onChange, onSave, onCancel } = props;
  const id = useId();
  // The node form sits inside the settings <form>: Enter must save the node, not submit the whole page.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      onSave();
    }
  };
  return (
    <div className="pacs-node-form" role="group" aria-label={draft.id ? `Edit PACS node ${draft.name}` : 'New PACS node'}>
      {[...FIELDS, ...(draft.tls || draft.dicomWebUrl.trim().startsWith('https:') ? TLS_FIELDS : [])].map(({ field, label, placeholder }) => (
        <div key={field} className="form-field">
          <label htmlFor={`${id}-${field}`}>{label}</label>
          <input
            id={`${id}-${field}`}
            value={draft[field]}
            placeholder={placeholder}
            inputMode={field === 'port' ? 'numeric' : undefined}
            aria-invalid={errors[field] ? true : undefined}
            aria-describedby={errors[field] ? `${id}-${field}-error` : undefined}
            onChange={(e) => onChange({ ...draft, [field]: e.target.value })}
            onKeyDown={onKeyDown}
          />
          {errors[field] && (
            <span id={`${id}-${field}-error`} className="field-error">
              {errors[field]}
            </span>
          )}
        </div>
      ))}
      <label className="checkbox">
        <input type="checkbox" checked={draft.tls} onChange={(e) => onChange({ ...draft, tls: e.target.checked })} />
        Use TLS (DICOM; DICOMweb uses TLS when its URL is https)
      </label>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onSave}>
          Save node
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
