import { useEffect } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { ImportBar } from './ImportBar';
import { ExportAction } from './ExportAction';
import { LibraryFilters } from './LibraryFilters';
import { StudyList } from './StudyList';

export function LibraryPanel() {
  const refresh = useLibraryStore((s) => s.refresh);
  const followChanges = useLibraryStore((s) => s.followChanges);
  useEffect(() => {
    void refresh();
    return followChanges();
  }, [refresh, followChanges]);

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
