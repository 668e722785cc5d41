import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkImageMapper from '@kitware/vtk.js/Rendering/Core/ImageMapper';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import { dot, sub, type Vec3 } from '../../../../shared/domain/geometry/vector3';
import { cameraFor, edgeMarkers, fitHalfHeight, patientToScreen, projectionEdgeMarkers, screenFrame, screenToPatient, type PlaneDisplay, type ScreenFrame } from '../displayGeometry';
import { measure, POINTS_NEEDED, summarize, type Measurement, type MeasurementKind, type PlaneIndexer } from '../measurements';
import { ViewportOverlay } from '../overlay';
import { placeRenderer } from './placeRenderer';
import type { LoadedSeries } from '../seriesCache';
import { calibrationNoteOf, frameCenter, framePlane, measurementPlane, pointsOnPlane, type FramePlane } from './planeGeometry';
import type { LinkedPlane, ToolId, Viewport, ViewportContext } from './viewport';
import { PLANE_COLORS } from './planeColors';
import { drawMeasurements } from './drawMeasurements';
import { drawHeatmap } from '../heatmapOverlay';
import type { Heatmap } from '../../../../shared/domain/aiResult';
import { firstShownFrame } from '../../../../shared/domain/loadOrder';
import type { SeriesView } from '../../../../shared/ipc/contract';

interface Window {
  center: number;
  width: number;
}

type Drag =
  | { kind: 'windowLevel' | 'pan' | 'zoom' | 'scroll'; x: number; y: number; start: { window: Window; pan: [number, number]; zoom: number; frame: number } }
  | { kind: 'draw'; measurement: Measurement }
  | { kind: 'handle'; measurement: Measurement; index: number };

const MEASURE_TOOLS: readonly ToolId[] = ['length', 'angle', 'rectangle', 'ellipse', 'probe'];
let nextMeasurementId = 1;

/**
 * A 2D stack viewport: one frame of a series at a time, drawn by vtk.js from a one-plane image whose
 * samples are a view into the series array (no copy per slice). Window/level is a property of the
 * image slice, applied on the GPU.
 */
export class StackViewport implements Viewport {
  readonly overlay: ViewportOverlay;
  series: LoadedSeries | null = null;
  private disposed = false;
  readonly renderer;
  private imageData: ReturnType<typeof vtkImageData.newInstance> | null = null;
  private scalars: ReturnType<typeof vtkDataArray.newInstance> | null = null;
  private mapper: ReturnType<typeof vtkImageMapper.newInstance> | null = null;
  private actor: ReturnType<typeof vtkImageSlice.newInstance> | null = null;
  private frame = 0;
  /** Frame whose samples the image currently shows (-1: none yet). */
  private shownFrame = -1;
  private window: Window = { center: 0, width: 1 };
  /**
   * Whether the reader set the window (drag, preset). Until then each image is shown in its own window
   * where the frames carry different ones (as Cornerstone3D's stack viewport does); once set, it holds
   * for every image, and Reset gives the images theirs back.
   */
  private windowSetByReader = false;
  private display: PlaneDisplay | null = null;
  private invert = false;
  private drag: Drag | null = null;
  /** An AI activation map for one frame of the shown series (ai panel), drawn under the measurements. */
  private heatmap: { seriesInstanceUid: string; frame: number; map: Heatmap; opacity: number } | null = null;
  private unsubscribe: (() => void) | null = null;
  private width = 1;
  private height = 1;
  private cine: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    private readonly ctx: ViewportContext,
  ) {
    this.overlay = new ViewportOverlay(element);
    this.renderer = ctx.tracker.track(vtkRenderer.newInstance({ background: [0, 0, 0] }));
    this.renderer.getActiveCamera().setParallelProjection(true);
    ctx.renderWindow.addRenderer(this.renderer);
  }

  setSeries(series: LoadedSeries | null): void {
    if (this.disposed) return;
    this.stopCine();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.releaseImage();
    this.series = series;
    this.shownFrame = -1;
    if (!series) {
      this.display = null;
      this.overlay.setStatus('Drop a series here');
      this.ctx.requestRender();
      return;
    }
    const { view } = series;
    this.frame = firstShownFrame(view.frames);
    this.invert = view.invert;
    this.windowSetByReader = false;
    const first = view.windows[0];
    this.window = first ? { center: first.center, width: first.width } : { center: NaN, width: NaN };
    this.createImage(series);
    this.display = this.fitDisplay();
    this.unsubscribe = series.onFrame((k) => {
      // A failure anywhere changes the warning line; on the shown frame it replaces the image.
      if ((k === this.frame && this.shownFrame !== k) || series.failed.has(k)) this.ctx.requestRender();
      else if (series.loadedCount === view.frames || series.loadedCount % 16 === 0) this.refreshProgress(series);
    });
    this.ctx.requestRender();
  }

  /**
   * The series read again after images were added to it: the reader keeps the image on screen (the
   * nearest position along the normal; without geometry, the same number), and a window, zoom, pan,
   * flips or inversion they set.
   */
  replaceSeries(series: LoadedSeries): void {
    const before = this.series;
    const display = this.display;
    if (!before || !display) {
      this.setSeries(series);
      return;
    }
    const kept = { window: this.window, windowSetByReader: this.windowSetByReader, invert: this.invert, frame: this.frame };
    this.setSeries(series);
    this.frame = sameImage(before.view, kept.frame, series.view);
    this.display = display;
    this.invert = kept.invert;
    if (kept.windowSetByReader) {
      this.window = kept.window;
      this.windowSetByReader = true;
    }
    this.ctx.requestRender();
  }

  private refreshProgress(series: LoadedSeries): void {
    if (series !== this.series || !this.display) return;
    const p = this.plane();
    this.overlay.setCorner('bl', this.bottomLeftCorner(series, series.view.geometry ? dot(p.origin, p.normal) : null));
  }

  private createImage(series: LoadedSeries): void {
    const { view } = series;
    const t = this.ctx.tracker;
    this.imageData = t.track(vtkImageData.newInstance());
    this.imageData.setDimensions(view.columns, view.rows, 1);
    this.scalars = t.track(
      vtkDataArray.newInstance({
        numberOfComponents: view.samplesPerPixel,
        values: series.data.subarray(0, view.rows * view.columns * view.samplesPerPixel),
        name: 'pixels',
      }),
    );
    this.imageData.getPointData().setScalars(this.scalars);
    this.mapper = t.track(vtkImageMapper.newInstance());
    this.mapper.setInputData(this.imageData);
    this.mapper.setSlicingMode(vtkImageMapper.SlicingMode.K);
    this.actor = t.track(vtkImageSlice.newInstance());
    this.actor.setMapper(this.mapper);
    const property = this.actor.getProperty();
    property.setInterpolationTypeToLinear();
    if (view.samplesPerPixel === 3) property.setIndependentComponents(false);
    this.renderer.addViewProp(this.actor);
  }

  private releaseImage(): void {
    if (this.actor) this.renderer.removeViewProp(this.actor);
    this.ctx.tracker.release(this.actor, this.mapper, this.scalars, this.imageData);
    this.actor = this.mapper = this.scalars = this.imageData = null;
  }

  /** From Image Orientation (Patient) for slices, from Patient Orientation for radiographs. */
  private markers(f: ScreenFrame): ReturnType<typeof edgeMarkers> | null {
    const view = this.series?.view;
    if (!view) return null;
    if (view.geometry) return edgeMarkers(f);
    return view.patientOrientation ? projectionEdgeMarkers(f, view.patientOrientation) : null;
  }

  /**
   * The frame whose image, or whose failure, is on screen. A frame scrolled to before it has arrived
   * leaves the one shown before on screen, and everything the user reads or draws (image number,
   * position, measurements, the AI map) refers to what is on screen, never to an image not
   * yet drawn: a length drawn there belongs to the slice it was drawn on.
   */
  private get onScreenFrame(): number {
    const waiting = this.shownFrame >= 0 && this.shownFrame !== this.frame && !this.series?.failed.has(this.frame);
    return waiting ? this.shownFrame : this.frame;
  }

  /** Whether an image is on screen to read and measure (not loading, not failed). */
  private get imageOnScreen(): boolean {
    return this.shownFrame >= 0 && !this.series!.failed.has(this.onScreenFrame);
  }

  private plane(k = this.onScreenFrame): FramePlane {
    return framePlane(this.series!.view, k);
  }

  private fitDisplay(): PlaneDisplay {
    const { view } = this.series!;
    const p = this.plane();
    return {
      center: frameCenter(p, view.columns, view.rows),
      right: p.row,
      down: p.column,
      fitHalfHeightMm: fitHalfHeight(view.columns * p.columnSpacing, view.rows * p.rowSpacing, this.width, this.height),
      zoom: 1,
      panMm: [0, 0],
      rotationDeg: 0,
      flipHorizontal: false,
      flipVertical: false,
    };
  }

  private screen(): ScreenFrame | null {
    if (!this.display) return null;
    // The display centre follows the current slice along the normal, so scrolling keeps the view.
    const p = this.plane();
    const center = frameCenter(p, this.series!.view.columns, this.series!.view.rows);
    return screenFrame({ ...this.display, center }, this.width, this.height);
  }

  layout(container: DOMRect): void {
    const size = placeRenderer(this.renderer, this.element, container);
    const resized = size.width !== this.width || size.height !== this.height;
    ({ width: this.width, height: this.height } = size);
    if (resized && this.display && this.series) {
      const fit = this.fitDisplay();
      this.display = { ...this.display, fitHalfHeightMm: fit.fitHalfHeightMm };
    }
  }

  /** Frame number, position, thickness and load progress: progress alone changes it without a redraw. */
  private bottomLeftCorner(series: LoadedSeries, position: number | null): string[] {
    const { view } = series;
    const shown = this.onScreenFrame;
    return [
      `Im: ${shown + 1}/${view.frames}${shown !== this.frame ? ` (${this.frame + 1} loading)` : ''}`,
      ...(position !== null ? [`Pos: ${position.toFixed(1)} mm`] : []),
      ...(view.sliceThickness ? [`Thk: ${view.sliceThickness} mm`] : []),
      ...(series.loadedCount + series.failed.size < view.frames ? [`Loading ${series.loadedCount}/${view.frames}`] : []),
    ];
  }

  /** The acquired plane (not rotatable): drawn as a line on the reformats of the series. */
  linkedPlane(): Omit<LinkedPlane, 'viewportId'> | null {
    const g = this.series?.view.geometry;
    return g ? { normal: g.direction[2], color: PLANE_COLORS.stack, rotate: null } : null;
  }

  get drawsImage(): boolean {
    return this.shownFrame >= 0;
  }

  update(): void {
    const series = this.series;
    if (!series || !this.imageData || !this.scalars || !this.actor) {
      this.overlay.setCorner('tl', []);
      this.overlay.setCorner('tr', []);
      this.overlay.setCorner('bl', []);
      this.overlay.setCorner('br', []);
      this.overlay.setMarkers(null);
      this.overlay.setScale(null, 0);
      return;
    }
    const { view } = series;
    const planeSamples = view.rows * view.columns * view.samplesPerPixel;
    // The texture is uploaded again only when the frame changes (an upload per render cost more than
    // the render itself in software WebGL).
    let newFrame = false;
    if (series.loaded[this.frame] && this.shownFrame !== this.frame) {
      this.scalars.setData(series.data.subarray(this.frame * planeSamples, (this.frame + 1) * planeSamples), view.samplesPerPixel);
      newFrame = true;
      // Performance marks for the benchmark: first image of a series on screen, and the whole series.
      if (this.shownFrame < 0) performance.mark('lumen:first-image', { detail: view.seriesInstanceUid });
      this.shownFrame = this.frame;
      const own = this.windowSetByReader ? null : view.frameWindows?.[this.frame];
      if (own) this.window = { ...own };
      else if (!Number.isFinite(this.window.width)) this.window = this.autoWindow();
    }
    // A frame that failed is not replaced by the last one shown: its place is empty, and says why.
    const failure = series.failed.get(this.frame);
    const shown = this.onScreenFrame;
    const p = this.plane(shown);
    this.imageData.setOrigin([...p.origin]);
    this.imageData.setSpacing([p.columnSpacing, p.rowSpacing, 1]);
    this.imageData.setDirection([...p.row, ...p.column, ...p.normal]);
    if (newFrame) {
      this.scalars.modified();
      this.imageData.modified();
    }
    this.actor.setVisibility(this.shownFrame >= 0 && failure === undefined);

    const property = this.actor.getProperty();
    if (view.samplesPerPixel === 1) {
      property.setColorWindow(this.invert ? -this.window.width : this.window.width);
      property.setColorLevel(this.window.center);
    } else {
      property.setColorWindow(this.invert ? -255 : 255);
      property.setColorLevel(127.5);
    }

    const f = this.screen()!;
    const camera = this.renderer.getActiveCamera();
    const c = cameraFor(f);
    camera.setFocalPoint(...c.focalPoint);
    camera.setPosition(...c.position);
    camera.setViewUp(...c.viewUp);
    camera.setParallelScale(c.parallelScale);
    camera.setClippingRange(1, 2000);

    const position = view.geometry ? dot(p.origin, p.normal) : null;
    this.overlay.setCorner('tl', [view.patient.name.replaceAll('^', ' ').trim(), view.patient.id, [view.patient.birthDate, view.patient.sex].filter(Boolean).join(' ')]);
    this.overlay.setCorner('tr', [view.study.description, view.study.date, `${view.modality} #${view.seriesNumber ?? '-'} ${view.description}`]);
    this.overlay.setCorner('bl', this.bottomLeftCorner(series, position));
    this.overlay.setCorner('br', [
      view.samplesPerPixel === 1 ? `W: ${Math.round(this.window.width)} L: ${Math.round(this.window.center)}${this.invert ? ' (inv)' : ''}` : 'RGB',
      `Zoom: ${(this.display!.zoom).toFixed(2)}x`,
    ]);
    this.overlay.setMarkers(this.markers(f));
    this.overlay.setScale(p.calibration === 'pixels' ? null : f.mmPerPixel, this.width);
    this.overlay.setStatus(failure !== undefined ? `Image ${this.frame + 1} cannot be shown: ${failure}` : this.shownFrame < 0 ? 'Loading…' : '');
    this.overlay.setWarnings(series.failed.size > 0 ? [...view.warnings, `${series.failed.size} of ${view.frames} images could not be read.`] : view.warnings);
    drawMeasurements(this.overlay.svg, this.ctx.measurements(view.seriesInstanceUid).filter((m) => m.frame === shown), f, this.drag?.kind === 'draw' ? this.drag.measurement : null);

    const h = this.heatmap?.seriesInstanceUid === view.seriesInstanceUid && this.heatmap.frame === shown ? this.heatmap : null;
    drawHeatmap(this.overlay.svg, f, p, view, h?.map ?? null, h?.opacity ?? 0);
  }

  /** Shows (or, with null, hides) an activation map over a frame, at an opacity from 0 to 1. */
  setHeatmap(heatmap: { seriesInstanceUid: string; frame: number; map: Heatmap; opacity: number } | null): void {
    this.heatmap = heatmap;
    this.ctx.requestRender();
  }

  /** A window over the frame's own range when the file gives none (MR, projection images, PET). */
  private autoWindow(): Window {
    const { view, data } = this.series!;
    const n = view.rows * view.columns;
    const offset = this.onScreenFrame * n;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[offset + i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { center: (min + max) / 2, width: Math.max(1, max - min) };
  }

  // ---- commands -------------------------------------------------------------------------------------

  setFrame(k: number): void {
    if (!this.series) return;
    this.frame = Math.min(this.series.view.frames - 1, Math.max(0, k));
    this.ctx.requestRender();
  }

  scrollBy(delta: number): void {
    this.setFrame(this.frame + delta);
  }

  setWindow(center: number, width: number): void {
    this.windowSetByReader = true;
    this.window = { center, width: Math.max(1, width) };
    this.ctx.requestRender();
  }

  toggleInvert(): void {
    this.invert = !this.invert;
    this.ctx.requestRender();
  }

  /**
   * Rotations and flips act on what is on screen now, in the order the user applies them (a flip then
   * a rotation differs from a rotation then a flip), so they update the displayed directions directly.
   */
  rotate(degrees: 90 | -90): void {
    if (!this.display) return;
    const { right, down } = this.display;
    this.display =
      degrees === 90
        ? { ...this.display, right: [-down[0], -down[1], -down[2]], down: right }
        : { ...this.display, right: down, down: [-right[0], -right[1], -right[2]] };
    this.ctx.requestRender();
  }

  flip(axis: 'horizontal' | 'vertical'): void {
    if (!this.display) return;
    const { right, down } = this.display;
    this.display =
      axis === 'horizontal' ? { ...this.display, right: [-right[0], -right[1], -right[2]] } : { ...this.display, down: [-down[0], -down[1], -down[2]] };
    this.ctx.requestRender();
  }

  fit(): void {
    if (!this.display || !this.series) return;
    this.display = { ...this.display, zoom: 1, panMm: [0, 0] };
    this.ctx.requestRender();
  }

  /** The window from the file (the image's own where the frames carry theirs), or automatic. */
  defaultWindow(): void {
    if (!this.series) return;
    this.windowSetByReader = false;
    const first = this.series.view.frameWindows?.[this.shownFrame] ?? this.series.view.windows[0];
    // Without a window in the file, one from the image on screen; before any image is there, the first
    // one to arrive sets it (a window over empty samples would be width 1).
    this.window = first ? { center: first.center, width: first.width } : this.imageOnScreen ? this.autoWindow() : { center: NaN, width: NaN };
    this.ctx.requestRender();
  }

  reset(): void {
    if (!this.series) return;
    this.defaultWindow();
    this.invert = this.series.view.invert;
    this.display = this.fitDisplay();
  }

  startCine(fps: number): void {
    this.stopCine();
    this.cine = setInterval(() => {
      if (this.series) this.setFrame((this.frame + 1) % this.series.view.frames);
    }, 1000 / Math.max(1, fps));
  }

  stopCine(): void {
    if (this.cine) clearInterval(this.cine);
    this.cine = null;
  }

  get cineRunning(): boolean {
    return this.cine !== null;
  }

  // ---- input ----------------------------------------------------------------------------------------

  private local(event: MouseEvent): [number, number] {
    const r = this.element.getBoundingClientRect();
    return [event.clientX - r.left, event.clientY - r.top];
  }

  /** Patient point under the pointer on the current frame. */
  patientPointAt(x: number, y: number): Vec3 | null {
    const f = this.screen();
    if (!f) return null;
    const onScreen = screenToPatient(f, x, y);
    // project onto the frame's plane (the display centre lies on it)
    const p = this.plane();
    const offset = dot(sub(onScreen, p.origin), p.normal);
    return [onScreen[0] - offset * p.normal[0], onScreen[1] - offset * p.normal[1], onScreen[2] - offset * p.normal[2]];
  }

  onWheel(event: WheelEvent): void {
    event.preventDefault();
    if (event.ctrlKey && this.display) {
      this.display = { ...this.display, zoom: Math.min(40, Math.max(0.1, this.display.zoom * Math.exp(-event.deltaY / 500))) };
      this.ctx.requestRender();
      return;
    }
    this.scrollBy(Math.sign(event.deltaY));
  }

  onPointerDown(event: PointerEvent): void {
    if (!this.series || !this.display) return;
    const [x, y] = this.local(event);
    const tool: ToolId = event.button === 2 ? 'zoom' : event.button === 1 ? 'pan' : this.ctx.tool();
    const handle = this.handleAt(x, y);
    if (event.button === 0 && handle) {
      this.drag = { kind: 'handle', ...handle };
      return;
    }
    if (MEASURE_TOOLS.includes(tool) && event.button === 0) {
      // Nothing to measure on a frame that is loading or could not be read.
      if (!this.imageOnScreen) return;
      const point = this.patientPointAt(x, y);
      if (!point) return;
      const kind = tool as MeasurementKind;
      const measurement = this.newMeasurement(kind, point);
      if (POINTS_NEEDED[kind] === 1) {
        this.finish(measurement);
        return;
      }
      this.drag = { kind: 'draw', measurement };
      return;
    }
    if (tool === 'crosshair') return;
    this.drag = {
      kind: tool === 'pan' || tool === 'zoom' || tool === 'scroll' ? tool : 'windowLevel',
      x,
      y,
      start: { window: { ...this.window }, pan: [...this.display.panMm], zoom: this.display.zoom, frame: this.frame },
    };
  }

  onPointerMove(event: PointerEvent): void {
    const [x, y] = this.local(event);
    const drag = this.drag;
    if (!drag || !this.display) return;
    if (drag.kind === 'draw' || drag.kind === 'handle') {
      const point = this.patientPointAt(x, y);
      if (!point) return;
      const m = drag.measurement;
      if (drag.kind === 'handle') m.points[drag.index] = point;
      else if (m.kind === 'angle' && m.points.length === 2) m.points[1] = point;
      else if (m.kind === 'angle') m.points[2] = point;
      else m.points[1] = point;
      if (drag.kind === 'handle') this.finish(m);
      this.ctx.requestRender();
      return;
    }
    const dx = x - drag.x;
    const dy = y - drag.y;
    if (drag.kind === 'windowLevel') {
      this.windowSetByReader = true;
      const sensitivity = Math.max(1, drag.start.window.width) / 300;
      this.window = { width: Math.max(1, drag.start.window.width + dx * sensitivity), center: drag.start.window.center + dy * sensitivity };
    } else if (drag.kind === 'pan') {
      const mmPerPixel = this.screen()!.mmPerPixel;
      this.display = { ...this.display, panMm: [drag.start.pan[0] + dx * mmPerPixel, drag.start.pan[1] + dy * mmPerPixel] };
    } else if (drag.kind === 'zoom') {
      this.display = { ...this.display, zoom: Math.min(40, Math.max(0.1, drag.start.zoom * Math.exp(-dy / 150))) };
    } else if (drag.kind === 'scroll') {
      this.setFrame(drag.start.frame + Math.round(dy / 4));
    }
    this.ctx.requestRender();
  }

  onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    if (drag.kind === 'draw') {
      const m = drag.measurement;
      if (m.kind === 'angle' && m.points.length < 3) {
        // the second click sets the vertex; keep drawing to the third point
        const [x, y] = this.local(event);
        const point = this.patientPointAt(x, y);
        if (point) m.points[1] = point;
        m.points.push(m.points[1]!);
        this.drag = drag;
        return;
      }
      this.finish(m);
    } else if (drag.kind === 'handle') {
      this.finish(drag.measurement);
    }
  }

  onKey(event: KeyboardEvent): boolean {
    switch (event.key) {
      case 'ArrowUp':
      case 'ArrowLeft':
        this.scrollBy(-1);
        return true;
      case 'ArrowDown':
      case 'ArrowRight':
        this.scrollBy(1);
        return true;
      case 'PageUp':
        this.scrollBy(-10);
        return true;
      case 'PageDown':
        this.scrollBy(10);
        return true;
      case 'Home':
        this.setFrame(0);
        return true;
      case 'End':
        this.setFrame(Infinity);
        return true;
      default:
        return false;
    }
  }

  // ---- measurements ---------------------------------------------------------------------------------

  private newMeasurement(kind: MeasurementKind, point: Vec3): Measurement {
    const view = this.series!.view;
    return {
      id: `m${nextMeasurementId++}`,
      kind,
      seriesInstanceUid: view.seriesInstanceUid,
      frame: this.onScreenFrame,
      image: view.frameImages[this.onScreenFrame]!,
      points: POINTS_NEEDED[kind] === 1 ? [point] : [point, point],
      label: '',
      values: {},
      units: view.units,
      ...calibrationNoteOf(this.plane(), view),
    };
  }

  /** Samples only for a greyscale frame that has loaded: an unloaded or failed frame's samples are 0. */
  private indexer(frame: number, p: FramePlane): PlaneIndexer {
    const { view, data, loaded } = this.series!;
    return {
      toIndex: (q) => {
        const v = sub(q, p.origin);
        return [dot(v, p.row) / p.columnSpacing, dot(v, p.column) / p.rowSpacing];
      },
      samples: view.samplesPerPixel === 1 && loaded[frame] ? { values: data, columns: view.columns, rows: view.rows, offset: frame * view.rows * view.columns } : null,
      pixelArea: p.columnSpacing * p.rowSpacing,
    };
  }

  private finish(m: Measurement): void {
    // Statistics from the measurement's own frame (the user may scroll while dragging a handle).
    const { view } = this.series!;
    const plane = this.plane(m.frame);
    // An ultrasound measurement inside a calibrated region is computed in that region's mm.
    const on = measurementPlane(plane, view, m.points);
    m.values = measure(m.kind, pointsOnPlane(plane, on, m.points), this.indexer(m.frame, on));
    delete m.calibrationNote;
    Object.assign(m, calibrationNoteOf(on, view));
    m.label ||= summarize(m);
    this.ctx.upsertMeasurement({ ...m, points: [...m.points], label: summarize(m) });
  }

  private handleAt(x: number, y: number): { measurement: Measurement; index: number } | null {
    const f = this.screen();
    if (!f || !this.series) return null;
    for (const m of this.ctx.measurements(this.series.view.seriesInstanceUid)) {
      if (m.frame !== this.onScreenFrame) continue;
      const index = m.points.findIndex((p) => {
        const [px, py] = patientToScreen(f, p);
        return Math.hypot(px - x, py - y) < 6;
      });
      if (index >= 0) return { measurement: { ...m, points: [...m.points] }, index };
    }
    return null;
  }

  describe(): Record<string, unknown> {
    const view = this.series?.view;
    return {
      kind: 'stack',
      seriesInstanceUid: view?.seriesInstanceUid ?? null,
      frame: this.frame,
      shownFrame: this.shownFrame,
      frames: view?.frames ?? 0,
      loaded: this.series?.loadedCount ?? 0,
      failed: [...(this.series?.failed.keys() ?? [])].sort((a, b) => a - b),
      window: { ...this.window },
      invert: this.invert,
      zoom: this.display?.zoom ?? 1,
      markers: this.screen() ? this.markers(this.screen()!) : null,
      size: [this.width, this.height],
    };
  }

  /** Screen position (viewport CSS pixels) of voxel (column i, row j) on the current frame. */
  screenOfIndex(i: number, j: number): [number, number] | null {
    const f = this.screen();
    if (!f) return null;
    const p = this.plane();
    const point: Vec3 = [
      p.origin[0] + p.row[0] * i * p.columnSpacing + p.column[0] * j * p.rowSpacing,
      p.origin[1] + p.row[1] * i * p.columnSpacing + p.column[1] * j * p.rowSpacing,
      p.origin[2] + p.row[2] * i * p.columnSpacing + p.column[2] * j * p.rowSpacing,
    ];
    return patientToScreen(f, point);
  }

  dispose(): void {
    this.disposed = true;
    this.stopCine();
    this.unsubscribe?.();
    this.releaseImage();
    this.ctx.renderWindow.removeRenderer(this.renderer);
    this.ctx.tracker.release(this.renderer);
    this.overlay.dispose();
  }
}

/** Frame of `to` showing what frame k of `from` showed: nearest along the slice normal, else the same number. */
function sameImage(from: SeriesView, k: number, to: SeriesView): number {
  const a = from.geometry;
  const b = to.geometry;
  if (!a || !b) return Math.min(k, to.frames - 1);
  const normal = b.direction[2];
  const at = dot(a.slicePositions[k] ?? a.origin, normal);
  let best = 0;
  b.slicePositions.forEach((p, i) => {
    if (Math.abs(dot(p, normal) - at) < Math.abs(dot(b.slicePositions[best]!, normal) - at)) best = i;
  });
  return best;
}
