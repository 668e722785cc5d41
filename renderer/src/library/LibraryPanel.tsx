import { useEffect } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { ImportBar } from './ImportBar';
import { StudyList } from './StudyList';

export function LibraryPanel() {
  const { query, setQuery, refresh } = useLibraryStore();
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="library-panel" aria-label="Study library">
      <div className="library-toolbar">
        <input
          type="search"
          aria-label="Search studies"
          placeholder="Search patient, ID, accession, description"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <ImportBar />
      <div className="library-list">
        <StudyList />
      </div>
    </section>
  );
}
