import { useEffect } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { useViewerStore } from '../state/viewerStore';
import { formatDicomDate, formatPersonName } from '../library/formatDicom';
import { protocolFor } from '../engine/presets';
import { SeriesStrip } from './SeriesStrip';
import { Toolbar } from './Toolbar';
import { ViewportGrid } from './ViewportGrid';
import { MeasurementsPanel } from './MeasurementsPanel';
import { HelpOverlay } from './HelpOverlay';
import { useViewerKeys } from './useViewerKeys';
import { useMeasurementPersistence } from './useMeasurementPersistence';

/**
 * The viewer area: series strip, toolbar, viewport grid (drawn by the engine), measurements. Opening a
 * study applies the hanging protocol of its first series' modality (CT: stack + MPR + 3D; CR/DX: one image).
 */
export function ViewerArea() {
  const study = useLibraryStore((s) => s.studies.find((x) => x.studyInstanceUid === s.selectedStudyUid));
  const openStudy = useViewerStore((s) => s.openStudy);
  const openedUid = useViewerStore((s) => s.studyInstanceUid);
  useViewerKeys();
  useMeasurementPersistence();

  useEffect(() => {
    if (!study || study.studyInstanceUid === openedUid) return;
    const first = [...study.series].sort((a, b) => b.instanceCount - a.instanceCount)[0];
    const protocol = protocolFor(first?.modality ?? '', (first?.instanceCount ?? 0) > 1);
    openStudy(study.studyInstanceUid, protocol.layout, first?.seriesInstanceUid ?? null, study.series.length);
  }, [study, openedUid, openStudy]);

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
      <SeriesStrip study={study} />
      <Toolbar />
      <div className="viewer-body">
        <ViewportGrid />
        <MeasurementsPanel />
      </div>
      <HelpOverlay />
    </section>
  );
}
