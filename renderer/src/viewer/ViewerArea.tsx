import { useEffect } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { useViewerStore } from '../state/viewerStore';
import { useAppStore } from '../state/appStore';
import { formatDicomDate, formatPersonName } from '../library/formatDicom';
import { protocolFor } from '../engine/presets';
import { seriesCache } from '../engine/seriesCache';
import { SeriesStrip } from './SeriesStrip';
import { Toolbar } from './Toolbar';
import { ViewportGrid } from './ViewportGrid';
import { MeasurementsPanel } from './MeasurementsPanel';
import { HelpOverlay } from './HelpOverlay';
import { ReportButton } from './ReportButton';
import { useViewerKeys } from './useViewerKeys';
import { useMeasurementPersistence } from './useMeasurementPersistence';
import { AiPanel } from '../ai/AiPanel';
import type { AiAnalysis } from '../../../shared/domain/aiResult';
import { StackViewport } from '../engine/viewports/stackViewport';
import { engineHandle } from './engineHandle';

/** Draws (or hides) an analysis' activation map on the active stack viewport, over the analysed image. */
function showHeatmap(analysis: AiAnalysis | null, opacity: number): void {
  const viewport = engineHandle.get()?.viewport();
  if (!(viewport instanceof StackViewport)) return;
  viewport.setHeatmap(analysis?.heatmap && viewport.series ? { seriesInstanceUid: viewport.series.view.seriesInstanceUid, frame: 0, map: analysis.heatmap, opacity } : null);
}

/**
 * The viewer area: series strip, toolbar, viewport grid (drawn by the engine), measurements. Opening a
 * study applies the hanging protocol of its first series' modality (CT: stack + MPR + 3D; CR/DX: one image).
 */
export function ViewerArea() {
  const study = useLibraryStore((s) => s.studies.find((x) => x.studyInstanceUid === s.selectedStudyUid));
  const openStudy = useViewerStore((s) => s.openStudy);
  const openTimeline = useAppStore((s) => s.openTimeline);
  const openedUid = useViewerStore((s) => s.studyInstanceUid);
  const activeSeriesUid = useViewerStore((s) => s.assignments[Number((s.activeViewport ?? 'vp0').slice(2))] ?? null);
  const activeSeries = study?.series.find((x) => x.seriesInstanceUid === activeSeriesUid);
  useViewerKeys();
  useMeasurementPersistence();

  useEffect(() => {
    if (!study || study.studyInstanceUid === openedUid) return;
    const first = [...study.series].sort((a, b) => b.imageCount - a.imageCount)[0];
    const protocol = protocolFor(first?.modality ?? '', (first?.imageCount ?? 0) > 1);
    openStudy(study.studyInstanceUid, protocol.layout, first?.seriesInstanceUid ?? null, study.series.length);
    if (!first || protocol.layout !== 'mpr') return;
    // Several images are a guess at a volume; the series' layout settles it. Images that make none (a
    // colour perfusion map, scouts) get one viewport rather than reformats that can only say why not.
    void seriesCache.get(first.seriesInstanceUid).then(
      (series) => {
        const settled = protocolFor(first.modality, series.view.kind === 'volume');
        const now = useViewerStore.getState();
        if (settled.layout !== now.layout && now.studyInstanceUid === study.studyInstanceUid && now.layout === protocol.layout) now.setLayout(settled.layout, first.seriesInstanceUid);
      },
      () => undefined, // the viewport says why the series cannot be opened
    );
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
        <button type="button" className="timeline-button" onClick={() => openTimeline(study.patientId)}>
          Patient timeline
        </button>
        {/* Per study: a path typed, or "written to …", for one patient does not carry over to the next. */}
        <ReportButton key={study.studyInstanceUid} studyInstanceUid={study.studyInstanceUid} />
      </header>
      <SeriesStrip study={study} />
      <Toolbar />
      <div className="viewer-body">
        <ViewportGrid />
        <div className="side-panels">
          <MeasurementsPanel />
          {activeSeries && (
            // One panel per series: a run still going when the reader moves on finishes (and is saved)
            // with its own series, and its result never shows under the next one.
            <AiPanel
              key={activeSeries.seriesInstanceUid}
              studyInstanceUid={study.studyInstanceUid}
              seriesInstanceUid={activeSeries.seriesInstanceUid}
              modality={activeSeries.modality}
              imageIndex={0}
              onHeatmap={showHeatmap}
            />
          )}
        </div>
      </div>
      <HelpOverlay />
    </section>
  );
}
