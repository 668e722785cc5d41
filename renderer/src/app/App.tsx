import { useEffect } from 'react';
import { useAppStore } from '../state/appStore';
import { LibraryPanel } from '../library/LibraryPanel';
import { ViewerArea } from '../viewer/ViewerArea';
import { SettingsPage } from '../settings/SettingsPage';

export function App() {
  const { page, setPage, info, loadInfo, connectionError } = useAppStore();
  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Lumen</span>
        <nav>
          <button type="button" aria-pressed={page === 'library'} onClick={() => setPage('library')}>
            Library
          </button>
          <button type="button" aria-pressed={page === 'settings'} onClick={() => setPage('settings')}>
            Settings
          </button>
        </nav>
        <span className="ruo">Research use only · not a medical device</span>
        <span className="version">{info ? `v${info.version}` : ''}</span>
      </header>
      {connectionError && (
        <div className="banner-error" role="alert">
          {connectionError}
        </div>
      )}
      {page === 'library' ? (
        <main className="workspace">
          <LibraryPanel />
          <ViewerArea />
        </main>
      ) : (
        <main className="workspace single">
          <SettingsPage />
        </main>
      )}
    </div>
  );
}
