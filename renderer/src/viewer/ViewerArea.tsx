import { useLibraryStore } from '../state/libraryStore';
import { formatDicomDate, formatPersonName } from '../library/formatDicom';

/**
 * The viewer area. The viewport engine (renderer/src/engine) draws here; until a study is chosen it
 * says what to do.
 */
export function ViewerArea() {
  const study = useLibraryStore((s) => s.studies.find((x) => x.studyInstanceUid === s.selectedStudyUid));

  if (!study) {
    return (
      <section className="viewer-area" aria-label="Viewer">
        <div className="viewer-placeholder">Select a study in the library to view it.</div>
      </section>
    );
  }

  return (
    <section className="viewer-area" aria-label="Viewer">
      <header className="viewer-header">
        <strong>{formatPersonName(study.patientName)}</strong>
        <span>{study.patientId}</span>
        <span>{formatDicomDate(study.studyDate)}</span>
        <span>{study.description}</span>
      </header>
      <ol className="series-strip" aria-label="Series">
        {study.series.map((series) => (
          <li key={series.seriesInstanceUid} className="series-card">
            <span className="series-modality">{series.modality}</span>
            <span className="series-number">#{series.seriesNumber ?? '–'}</span>
            <span className="series-description">{series.description || '(no description)'}</span>
            <span className="series-count">{series.instanceCount} images</span>
          </li>
        ))}
      </ol>
      <div className="viewport-grid" data-testid="viewport-grid" />
    </section>
  );
}
