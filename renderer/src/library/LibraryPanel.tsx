import { useEffect } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { ImportBar } from './ImportBar';
import { ExportAction } from './ExportAction';
import { LibraryFilters } from './LibraryFilters';
import { StudyList } from './StudyList';

export function LibraryPanel() {
  const refresh = useLibraryStore((s) => s.refresh);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="library-panel" aria-label="Study library">
      <LibraryFilters />
      <ImportBar />
      <ExportAction />
      <div className="library-list">
        <StudyList />
      </div>
    </section>
  );
}
