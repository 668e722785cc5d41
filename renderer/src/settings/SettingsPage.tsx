import { useEffect, useState } from 'react';
import { useSettingsStore } from '../state/settingsStore';
import { useAppStore } from '../state/appStore';
import type { Settings } from '../../../shared/ipc/contract';

export function SettingsPage() {
  const { settings, error, saved, load, save } = useSettingsStore();
  const info = useAppStore((s) => s.info);
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
            <select value={draft.importMode} onChange={(e) => setDraft({ ...draft, importMode: e.target.value as Settings['importMode'] })}>
              <option value="reference">Reference files where they are</option>
              <option value="copy">Copy files into the library store</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>DICOM network (this workstation)</legend>
          <label>
            Local AE title
            <input value={draft.localAeTitle} maxLength={16} onChange={(e) => setDraft({ ...draft, localAeTitle: e.target.value })} />
          </label>
          <label>
            Listening port
            <input
              type="number"
              min={1}
              max={65535}
              value={draft.localPort}
              onChange={(e) => setDraft({ ...draft, localPort: Number(e.target.value) })}
            />
          </label>
          <p className="hint">
            PACS nodes: {draft.pacsNodes.length === 0 ? 'none configured. Lumen makes no network connection until you add one.' : draft.pacsNodes.map((n) => n.name).join(', ')}
          </p>
        </fieldset>
        <fieldset>
          <legend>AI</legend>
          <label className="checkbox">
            <input type="checkbox" checked={draft.forceCpuInference} onChange={(e) => setDraft({ ...draft, forceCpuInference: e.target.checked })} />
            Run AI models on the CPU only
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
