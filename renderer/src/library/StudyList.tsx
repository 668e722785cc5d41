import { useLibraryStore, type StudySortKey } from '../state/libraryStore';
import { formatDicomDate, formatPersonName } from './formatDicom';

const COLUMNS: { key: StudySortKey; label: string; title?: string; numeric?: boolean }[] = [
  { key: 'patientName', label: 'Patient' },
  { key: 'patientId', label: 'ID' },
  { key: 'studyDate', label: 'Date' },
  { key: 'modality', label: 'Mod.', title: 'Modality' },
  { key: 'description', label: 'Description' },
  { key: 'seriesCount', label: 'Series', numeric: true },
];

/** The study list, or, when the library is empty, how to fill it. */
export function StudyList() {
  const { studies, selectedStudyUid, select, createDemo, importState, listError, sort, sortBy, isFiltered } = useLibraryStore();
  const filtered = isFiltered();

  if (listError) return <div className="empty-state" role="alert">The library could not be read: {listError}</div>;

  if (studies.length === 0 && !filtered) {
    return (
      <div className="empty-state" data-testid="library-empty">
        <h2>Your study library is empty</h2>
        <p>Import DICOM studies from a folder, a CD/DVD (DICOMDIR) or a USB drive: type the path above and press Import, or choose Browse…</p>
        <p>Files are read in place and never changed.</p>
        <p>No data of your own yet? Open a demo study: a synthetic chest CT phantom generated on this workstation.</p>
        <button type="button" className="primary" onClick={() => void createDemo()} disabled={importState.status === 'running'}>
          Open demo study
        </button>
      </div>
    );
  }

  return (
    <table className="study-list" aria-label="Studies">
      <thead>
        <tr>
          {COLUMNS.map((column) => {
            const active = sort.by === column.key;
            return (
              <th key={column.key} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={column.numeric ? 'num' : undefined}>
                <button type="button" className="sort-header" title={`Sort by ${(column.title ?? column.label).toLowerCase()}`} onClick={() => sortBy(column.key)}>
                  {column.label}
                  <span className="sort-mark" aria-hidden="true">
                    {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {studies.map((study) => (
          <tr
            key={study.studyInstanceUid}
            className={study.studyInstanceUid === selectedStudyUid ? 'selected' : undefined}
            onClick={() => select(study.studyInstanceUid)}
            aria-selected={study.studyInstanceUid === selectedStudyUid}
          >
            <td>{formatPersonName(study.patientName)}</td>
            <td>{study.patientId}</td>
            <td>{formatDicomDate(study.studyDate)}</td>
            <td>{study.modalities.join(', ')}</td>
            <td>{study.description}</td>
            <td className="num">{study.series.length}</td>
          </tr>
        ))}
        {studies.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length} className="no-match">
              No study matches the search and filters.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
