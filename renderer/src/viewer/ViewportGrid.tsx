import { useEffect, useRef } from 'react';
import { RenderingEngine } from '../engine/renderingEngine';
import { LAYOUTS } from '../engine/presets';
import { useViewerStore } from '../state/viewerStore';
import { engineHandle } from './engineHandle';
import { SERIES_DRAG_TYPE } from './SeriesStrip';

declare global {
  interface Window {
    /** Read-only diagnostics of the viewport engine (support and end-to-end tests). */
    __lumenViewer?: {
      stats(): ReturnType<RenderingEngine['stats']>;
      describe(): ReturnType<RenderingEngine['describe']>;
      screenOfIndex(viewportId: string, column: number, row: number): [number, number] | null;
    };
  }
}

/**
 * The viewport grid: React lays out the panes, the engine (created once here) draws into them. The
 * grid re-renders only when the layout or the series assignment changes, never on scroll or W/L.
 */
export function ViewportGrid() {
  const containerRef = useRef<HTMLDivElement>(null);
  const paneRefs = useRef<(HTMLDivElement | null)[]>([]);
  const engineRef = useRef<RenderingEngine | null>(null);
  const { layout, assignments, tool, activeViewport, assign, setActiveViewport, setMeasurements } = useViewerStore();
  const spec = LAYOUTS[layout];

  useEffect(() => {
    const engine = new RenderingEngine(containerRef.current!, {
      measurementsChanged: (all) => setMeasurements(all),
      activeViewportChanged: (id) => setActiveViewport(id),
    });
    engineRef.current = engine;
    engineHandle.set(engine);
    window.__lumenViewer = {
      stats: () => engine.stats(),
      describe: () => engine.describe(),
      screenOfIndex: (id, i, j) => {
        const vp = engine.viewport(id) as { screenOfIndex?: (i: number, j: number) => [number, number] | null } | undefined;
        return vp?.screenOfIndex?.(i, j) ?? null;
      },
    };
    return () => {
      engine.dispose();
      engineRef.current = null;
      engineHandle.set(null);
      delete window.__lumenViewer;
    };
  }, [setActiveViewport, setMeasurements]);

  useEffect(() => {
    engineRef.current?.setViewports(
      spec.viewports.map((viewportSpec, i) => ({
        id: `vp${i}`,
        element: paneRefs.current[i]!,
        spec: viewportSpec,
        seriesInstanceUid: assignments[i] ?? null,
      })),
    );
  }, [spec, assignments]);

  useEffect(() => engineRef.current?.setTool(tool), [tool]);

  return (
    <div
      ref={containerRef}
      className="viewport-grid"
      data-testid="viewport-grid"
      style={{ gridTemplateColumns: `repeat(${spec.columns}, 1fr)`, gridTemplateRows: `repeat(${spec.rows}, 1fr)` }}
    >
      {spec.viewports.map((viewportSpec, i) => (
        <div
          key={`${layout}-${i}`}
          ref={(el) => {
            paneRefs.current[i] = el;
          }}
          className={`viewport${activeViewport === `vp${i}` ? ' active' : ''}`}
          data-viewport={`vp${i}`}
          data-kind={viewportSpec.kind === 'mpr' ? viewportSpec.plane : viewportSpec.kind}
          tabIndex={0}
          onDragOver={(e) => {
            if (e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) e.preventDefault();
          }}
          onDrop={(e) => {
            const uid = e.dataTransfer.getData(SERIES_DRAG_TYPE);
            if (uid) assign(i, uid);
          }}
        />
      ))}
    </div>
  );
}
