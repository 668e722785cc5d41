import { useEffect, useRef } from 'react';
import type { StudySummary } from '../../../shared/ipc/contract';
import { seriesCache, type LoadedSeries } from '../engine/seriesCache';
import { useViewerStore } from '../state/viewerStore';
import { middleOutOrder } from '../../../shared/domain/loadOrder';

export const SERIES_DRAG_TYPE = 'application/x-lumen-series';

/** The middle frame, or when its file is damaged, the loaded frame nearest to it (the middle until one is). */
function thumbnailFrame(series: LoadedSeries): number {
  const order = middleOutOrder(series.view.frames);
  const middle = order[0]!;
  return series.failed.has(middle) ? (order.find((k) => series.loaded[k]) ?? middle) : middle;
}

/** A small preview of the series' middle frame, windowed on the CPU once (64 px). */
function Thumbnail({ seriesInstanceUid }: { seriesInstanceUid: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    void seriesCache.get(seriesInstanceUid).then((series) => {
      const { view, data } = series;
      let k = thumbnailFrame(series);
      const draw = () => {
        const canvas = canvasRef.current;
        if (cancelled || !canvas || !series.loaded[k]) return;
        const size = 64;
        const ctx = canvas.getContext('2d')!;
        const image = ctx.createImageData(size, size);
        const w = view.windows[0];
        const plane = k * view.rows * view.columns * view.samplesPerPixel;
        let lo = w ? w.center - w.width / 2 : Infinity;
        let hi = w ? w.center + w.width / 2 : -Infinity;
        if (!w) {
          for (let i = 0; i < view.rows * view.columns; i++) {
            lo = Math.min(lo, data[plane + i]!);
            hi = Math.max(hi, data[plane + i]!);
          }
        }
        for (let y = 0; y < size; y++)
          for (let x = 0; x < size; x++) {
            const src = (Math.floor((y * view.rows) / size) * view.columns + Math.floor((x * view.columns) / size)) * view.samplesPerPixel;
            for (let c = 0; c < 3; c++) {
              const v = data[plane + src + (view.samplesPerPixel === 3 ? c : 0)]!;
              let g = view.samplesPerPixel === 3 ? v : ((v - lo) / Math.max(1, hi - lo)) * 255;
              if (view.invert) g = 255 - g;
              image.data[(y * size + x) * 4 + c] = g;
            }
            image.data[(y * size + x) * 4 + 3] = 255;
          }
        ctx.putImageData(image, 0, 0);
      };
      if (series.loaded[k]) draw();
      else {
        const stop = series.onFrame(() => {
          k = thumbnailFrame(series);
          if (series.loaded[k]) {
            stop();
            draw();
          }
        });
      }
    }, () => undefined); // a series that cannot be opened keeps a blank thumbnail; its viewport says why
    return () => {
      cancelled = true;
    };
  }, [seriesInstanceUid]);
  return <canvas ref={canvasRef} width={64} height={64} className="series-thumb" aria-hidden="true" />;
}

export function SeriesStrip({ study }: { study: StudySummary }) {
  const { assign, activeViewport } = useViewerStore();
  return (
    <ol className="series-strip" aria-label="Series">
      {study.series.map((series) => (
        <li
          key={series.seriesInstanceUid}
          className="series-card"
          draggable
          onDragStart={(e) => e.dataTransfer.setData(SERIES_DRAG_TYPE, series.seriesInstanceUid)}
          onDoubleClick={() => assign(Number((activeViewport ?? 'vp0').slice(2)), series.seriesInstanceUid)}
          title="Drag into a viewport, or double-click to show it in the active one"
        >
          <Thumbnail seriesInstanceUid={series.seriesInstanceUid} />
          <div className="series-text">
            <span className="series-modality">{series.modality}</span> <span className="series-number">#{series.seriesNumber ?? '–'}</span>
            <span className="series-description">{series.description || '(no description)'}</span>
            <span className="series-count">
              {series.imageCount} {series.imageCount === 1 ? 'image' : 'images'}
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
