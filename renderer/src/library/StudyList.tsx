import { useLibraryStore } from '../state/libraryStore';
import { formatDicomDate, formatPersonName } from './formatDicom';

/** The study list, or, when the library is empty, how to fill it. */
export function StudyList() {
  const { studies, query, selectedStudyUid, select, createDemo, importState, listError } = useLibraryStore();

  if (listError) return <div className="empty-state" role="alert">The library could not be read: {listError}</div>;

  if (studies.length === 0 && !query) {
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
          <th>Patient</th>
          <th>ID</th>
          <th>Date</th>
          <th>Mod.</th>
          <th>Description</th>
          <th>Series</th>
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
            <td colSpan={6} className="no-match">
              No study matches “{query}”.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
