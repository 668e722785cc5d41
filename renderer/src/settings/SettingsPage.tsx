import { useEffect, useState } from 'react';
import { useSettingsStore } from '../state/settingsStore';
import { AiEngineSection } from '../ai/AiEngineSection';
import { useAppStore } from '../state/appStore';
import { usePolicyStore } from '../state/policyStore';
import { ManagedNote } from './ManagedNote';
import { PacsNodeEditor } from './PacsNodeEditor';
import { ScpPanel } from './ScpPanel';
import { formatAeTitles, parseAeTitles } from './aeTitleList';
import type { Settings } from '../../../shared/ipc/contract';

export function SettingsPage() {
  const { settings, error, saved, load, save } = useSettingsStore();
  const info = useAppStore((s) => s.info);
  const { isManaged } = usePolicyStore();
  const [draft, setDraft] = useState<Settings | null>(null);
  const [aeTitlesText, setAeTitlesText] = useState('');
  const allowedAeTitles = parseAeTitles(aeTitlesText);

  useEffect(() => {
    void load();
  }, [load]);
  // PACS nodes are saved by their editor on their own: take the new list without dropping the user's
  // unsaved edits to the other fields.
  useEffect(() => setDraft((current) => (current && settings ? { ...current, pacsNodes: settings.pacsNodes } : settings)), [settings]);
  useEffect(() => setAeTitlesText(formatAeTitles(settings?.scpAllowedAeTitles)), [settings?.scpAllowedAeTitles]);

  if (!draft) return <section className="settings-page">{error ?? 'Loading settings…'}</section>;

  return (
    <section className="settings-page" aria-label="Settings">
      <h2>Settings</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (allowedAeTitles.invalid.length > 0) return;
          // scpEnabled is switched (and saved) by the listener toggle: a stale copy here would undo it.
          const { scpEnabled: _switchedByToggle, ...change } = draft;
          // Sent only when edited: a managed list must come back exactly as the policy set it.
          const aeTitlesEdited = aeTitlesText !== formatAeTitles(settings?.scpAllowedAeTitles);
          void save({ ...change, ...(aeTitlesEdited ? { scpAllowedAeTitles: allowedAeTitles.titles } : {}) });
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
          <ScpPanel />
          <label>
            Also accept studies from AE titles
            {isManaged('scpAllowedAeTitles') && <ManagedNote />}
            <input
              value={aeTitlesText}
              placeholder="CT01, MR_SCANNER"
              readOnly={isManaged('scpAllowedAeTitles')}
              aria-invalid={allowedAeTitles.invalid.length > 0 || undefined}
              onChange={(e) => setAeTitlesText(e.target.value)}
            />
          </label>
          {allowedAeTitles.invalid.length > 0 ? (
            <p className="field-error">Not an AE title (1-16 printable ASCII characters): {allowedAeTitles.invalid.join(', ')}</p>
          ) : (
            <p className="hint">Configured PACS nodes may always send. Separate AE titles with commas; other senders are refused.</p>
          )}
        </fieldset>
        <fieldset>
          <legend>PACS nodes</legend>
          <PacsNodeEditor />
        </fieldset>
        <fieldset>
          <legend>AI</legend>
          <label className="checkbox">
            <input type="checkbox" checked={draft.forceCpuInference} disabled={isManaged('forceCpuInference')} onChange={(e) => setDraft({ ...draft, forceCpuInference: e.target.checked })} />
            Run AI models on the CPU only
            {isManaged('forceCpuInference') && <ManagedNote />}
          </label>
          <AiEngineSection />
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
