import { useEffect, useState } from 'react';
import { useAppStore } from '../state/appStore';
import { LibraryPanel } from '../library/LibraryPanel';
import { ViewerArea } from '../viewer/ViewerArea';
import { SettingsPage } from '../settings/SettingsPage';
import { QueryRetrievePage } from '../library/QueryRetrievePage';
import { PolicyBanner } from '../settings/PolicyBanner';
import { AboutDialog } from '../about/AboutDialog';
import { ProgressionPage } from '../progression/ProgressionPage';

export function App() {
  const { page, setPage, info, loadInfo, connectionError, timelinePatientId } = useAppStore();
  const [aboutOpen, setAboutOpen] = useState(false);
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
          <button type="button" aria-pressed={page === 'pacs'} onClick={() => setPage('pacs')}>
            PACS
          </button>
          <button type="button" aria-pressed={page === 'progression'} onClick={() => setPage('progression')}>
            Progression
          </button>
          <button type="button" aria-pressed={page === 'settings'} onClick={() => setPage('settings')}>
            Settings
          </button>
        </nav>
        <span className="ruo">Research use only · not a medical device</span>
        <span className="version">{info ? `v${info.version}` : ''}</span>
        <button type="button" onClick={() => setAboutOpen(true)}>
          About
        </button>
      </header>
      {connectionError && (
        <div className="banner-error" role="alert">
          {connectionError}
        </div>
      )}
      <PolicyBanner />
      {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
      {page === 'library' ? (
        <main className="workspace">
          <LibraryPanel />
          <ViewerArea />
        </main>
      ) : page === 'progression' ? (
        <main className="workspace single">
          <ProgressionPage initialPatientId={timelinePatientId} />
        </main>
      ) : (
        <main className="workspace single">{page === 'pacs' ? <QueryRetrievePage /> : <SettingsPage />}</main>
      )}
    </div>
  );
}
