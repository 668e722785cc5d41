import { useEffect, useState } from 'react';
import { useSettingsStore } from '../state/settingsStore';
import { useAppStore } from '../state/appStore';
import { usePolicyStore } from '../state/policyStore';
import { ManagedNote } from './ManagedNote';
import type { Settings } from '../../../shared/ipc/contract';

export function SettingsPage() {
  const { settings, error, saved, load, save } = useSettingsStore();
  const info = useAppStore((s) => s.info);
  const { status: policy, isManaged } = usePolicyStore();
  const [draft, setDraft] = useState<Settings | null>(null);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setDraft(settings), [settings]);

  if (!draft) return <section className="settings-page">{error ?? 'Loading settings…'}</section>;

  return (
    <section className="settings-page" aria-label="Settings">
      <h2>Settings</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save(draft);
        }}
      >
        <fieldset>
          <legend>Import</legend>
          <label>
            When importing
            {isManaged('importMode') && <ManagedNote />}
            <select value={draft.importMode} disabled={isManaged('importMode')} onChange={(e) => setDraft({ ...draft, importMode: e.target.value as Settings['importMode'] })}>
              <option value="reference">Reference files where they are</option>
              <option value="copy">Copy files into the library store</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>DICOM network (this workstation)</legend>
          <label>
            Local AE title
            {isManaged('localAeTitle') && <ManagedNote />}
            <input value={draft.localAeTitle} maxLength={16} readOnly={isManaged('localAeTitle')} onChange={(e) => setDraft({ ...draft, localAeTitle: e.target.value })} />
          </label>
          <label>
            Listening port
            {isManaged('localPort') && <ManagedNote />}
            <input
              type="number"
              min={1}
              max={65535}
              readOnly={isManaged('localPort')}
              value={draft.localPort}
              onChange={(e) => setDraft({ ...draft, localPort: Number(e.target.value) })}
            />
          </label>
          {draft.pacsNodes.length === 0 ? (
            <p className="hint">PACS nodes: none configured. Lumen makes no network connection until you add one.</p>
          ) : (
            <ul className="pacs-nodes" aria-label="PACS nodes">
              {draft.pacsNodes.map((node) => {
                const managed = policy?.managedPacsNodeIds.includes(node.id) || isManaged('pacsNodes');
                return (
                  <li key={node.id} aria-label={node.name}>
                    <span>
                      {node.name} · {node.aeTitle}@{node.host}:{node.port}
                    </span>
                    {managed ? (
                      <ManagedNote />
                    ) : (
                      <button type="button" onClick={() => setDraft({ ...draft, pacsNodes: draft.pacsNodes.filter((n) => n.id !== node.id) })}>
                        Remove
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </fieldset>
        <fieldset>
          <legend>AI</legend>
          <label className="checkbox">
            <input type="checkbox" checked={draft.forceCpuInference} disabled={isManaged('forceCpuInference')} onChange={(e) => setDraft({ ...draft, forceCpuInference: e.target.checked })} />
            Run AI models on the CPU only
            {isManaged('forceCpuInference') && <ManagedNote />}
          </label>
        </fieldset>
        <div className="settings-actions">
          <button type="submit" className="primary">
            Save
          </button>
          {saved && !error && <span role="status">Saved.</span>}
          {error && <span role="alert">{error}</span>}
        </div>
      </form>
      <footer className="about">
        Lumen {info?.version} · data in <code>{info?.dataDirectory}</code> · For research use only. Not a medical device.
      </footer>
    </section>
  );
}
