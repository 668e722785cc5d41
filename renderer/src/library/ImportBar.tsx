import { useState } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { importProgressView } from './importProgressText';

/** Import controls and the progress of the running import. */
export function ImportBar() {
  const { importState, importPaths, pickAndImport } = useLibraryStore();
  const [path, setPath] = useState('');
  const running = importState.status === 'running';

  return (
    <div className="import-bar">
      <form
        className="import-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) void importPaths([path.trim()]);
        }}
      >
        <input
          aria-label="Folder or file to import"
          placeholder="Folder or file path to import…"
          value={path}
          onChange={(event) => setPath(event.target.value)}
          disabled={running}
        />
        <button type="submit" disabled={running || !path.trim()}>
          Import
        </button>
        <button type="button" onClick={() => void pickAndImport()} disabled={running} title="Choose a folder">
          Browse…
        </button>
      </form>
      {importState.status === 'running' && <ImportProgress view={importProgressView(importState.progress)} />}
      {importState.status === 'done' && (
        <div className="import-result" role="status">
          {importState.seen === 0
            ? 'Nothing was imported.'
            : `Imported ${importState.added} new instance${importState.added === 1 ? '' : 's'} from ${importState.seen} file${importState.seen === 1 ? '' : 's'}` +
              (importState.alreadyInLibrary > 0 ? `; ${importState.alreadyInLibrary} already in the library` : '')}
          {importState.failed.length > 0 && (
            <details open={importState.seen === 0}>
              <summary>{importState.failed.length} file(s) could not be read</summary>
              <ul>
                {importState.failed.slice(0, 50).map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code>: {f.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      {importState.status === 'error' && (
        <div className="import-error" role="alert">
          {importState.message}
        </div>
      )}
    </div>
  );
}

function ImportProgress({ view }: { view: ReturnType<typeof importProgressView> }) {
  const determinate = view.total !== null && view.done !== null;
  return (
    <div className="import-progress">
      <span>{view.text}</span>
      <div
        className={determinate ? 'bar determinate' : 'bar indeterminate'}
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={view.total ?? undefined}
        aria-valuenow={view.done ?? undefined}
        aria-valuetext={view.text}
      >
        {determinate && <div className="bar-fill" style={{ width: `${(100 * (view.done ?? 0)) / Math.max(1, view.total ?? 1)}%` }} />}
      </div>
    </div>
  );
}
