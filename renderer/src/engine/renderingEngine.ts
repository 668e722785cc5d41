import '@kitware/vtk.js/Rendering/Profiles/Geometry';
import '@kitware/vtk.js/Rendering/Profiles/Volume';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';
import type { Vec3 } from '../../../shared/domain/geometry/vector3';
import type { Measurement } from './measurements';
import { measurementFrame } from '../../../shared/domain/measurement';
import type { SeriesView } from '../../../shared/ipc/contract';
import type { ViewportSpec } from './presets';
import { seriesCache } from './seriesCache';
import { createSharedVolume, volumeKey, type SharedVolume } from './sharedVolume';
import { isConnected, onEvent } from '../api/client';
import { VtkTracker } from './vtkTracker';
import { MprViewport, type SlabMode } from './viewports/mprViewport';
import { StackViewport } from './viewports/stackViewport';
import type { ToolId, Viewport, ViewportContext, VolumeAccess } from './viewports/viewport';
import { Volume3dViewport, type ClipBox } from './viewports/volume3dViewport';

export interface ViewportDefinition {
  id: string;
  element: HTMLElement;
  spec: ViewportSpec;
  seriesInstanceUid: string | null;
}

export interface EngineEvents {
  measurementsChanged(all: Measurement[]): void;
  activeViewportChanged(id: string): void;
}

interface ViewportEntry {
  viewport: Viewport;
  spec: ViewportSpec;
  seriesUid: string | null;
  detach: () => void;
  canvas: HTMLCanvasElement;
}

/**
 * The viewport engine, outside React. One vtk.js render window with one offscreen WebGL context
 * (browsers allow about 16 per page) draws every viewport, as Cornerstone3D does: each viewport is a vtk
 * renderer in that window, and after a render its pixels are copied to the viewport's own 2D canvas.
 * Only viewports that changed are redrawn, so scrolling a stack does not re-run the 3D ray cast.
 * Input goes straight from the DOM to the viewports; React only says which viewports exist.
 */
export class RenderingEngine {
  readonly tracker = new VtkTracker();
  readonly cache = seriesCache;
  private readonly canvasHost: HTMLDivElement;
  private readonly renderWindow;
  private readonly glWindow;
  private readonly interactor;
  private readonly viewports = new Map<string, ViewportEntry>();
  private readonly dirty = new Set<Viewport>();
  private readonly volumes = new Map<string, SharedVolume>();
  private readonly crosshairs = new Map<string, Vec3>();
  private readonly measurementList: Measurement[] = [];
  private readonly resizeObserver: ResizeObserver;
  private tool: ToolId = 'windowLevel';
  private frameRequested = false;
  private disposed = false;
  private readonly stopLibraryEvents: () => void;
  activeViewportId: string | null = null;
  renders = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: EngineEvents,
  ) {
    this.canvasHost = document.createElement('div');
    this.canvasHost.className = 'engine-canvas';
    container.prepend(this.canvasHost);
    this.renderWindow = this.tracker.track(vtkRenderWindow.newInstance());
    this.glWindow = this.tracker.track(vtkOpenGLRenderWindow.newInstance());
    this.renderWindow.addView(this.glWindow);
    this.glWindow.setContainer(this.canvasHost);
    // vtk.js's volume mapper asks the interactor whether the user is animating; ours is never bound to
    // DOM events (the engine routes input itself), it only answers that question.
    this.interactor = this.tracker.track(vtkRenderWindowInteractor.newInstance());
    this.interactor.setView(this.glWindow);
    this.renderWindow.setInteractor(this.interactor);
    this.interactor.initialize();
    this.resizeObserver = new ResizeObserver(() => this.requestRender());
    this.resizeObserver.observe(container);
    this.stopLibraryEvents = isConnected() ? onEvent('library.changed', ({ seriesInstanceUids }) => this.seriesGrew(seriesInstanceUids)) : () => undefined;
  }

  /**
   * Images were added to series (a retrieve still arriving, more files of the same series imported): a
   * viewport showing one reads it again, so no image the library holds is missing from the screen.
   */
  private seriesGrew(seriesInstanceUids: readonly string[]): void {
    this.cache.invalidate(seriesInstanceUids);
    for (const [id, entry] of this.viewports) {
      if (entry.seriesUid && seriesInstanceUids.includes(entry.seriesUid)) this.load(id, entry, entry.seriesUid, true);
    }
  }

  /**
   * Puts a series' measurements on the frames that show their images in this layout (it changes when
   * images are added). One saved before images were kept takes the image its frame shows, as it was
   * drawn on; one whose image is gone keeps its frame. Returns whether any moved (the caller tells the
   * store, which saves it like any edit).
   */
  private placeMeasurements(view: SeriesView): boolean {
    let changed = false;
    this.measurementList.forEach((m, i) => {
      if (m.seriesInstanceUid !== view.seriesInstanceUid) return;
      const frame = measurementFrame(m, view.frameImages);
      const image = m.image ?? (frame !== null ? view.frameImages[frame] : undefined);
      if (frame === null || (frame === m.frame && image === m.image)) return;
      this.measurementList[i] = { ...m, frame, ...(image ? { image } : {}) };
      changed = true;
    });
    return changed;
  }

  /** Loads a series into a viewport; `again`: the series it shows, read afresh, keeping the reader's view. */
  private load(id: string, entry: ViewportEntry, uid: string, again: boolean): void {
    const stillWanted = () => !this.disposed && entry.seriesUid === uid && this.viewports.get(id) === entry;
    if (!again) entry.viewport.overlay.setStatus('Opening the series…');
    void this.cache.get(uid).then(
      (series) => {
        if (!stillWanted()) return;
        if (this.placeMeasurements(series.view)) this.events.measurementsChanged([...this.measurementList]);
        if (again && (entry.viewport instanceof StackViewport || entry.viewport instanceof MprViewport)) entry.viewport.replaceSeries(series);
        else entry.viewport.setSeries(series);
      },
      (error: unknown) => {
        if (stillWanted()) entry.viewport.overlay.setStatus(`Could not open the series: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  private context(self: () => Viewport | undefined): ViewportContext & VolumeAccess {
    return {
      tracker: this.tracker,
      requestRender: () => this.requestRender(self()),
      tool: () => this.tool,
      crosshair: (uid) => this.crosshairs.get(uid) ?? null,
      setCrosshair: (uid, point) => {
        this.crosshairs.set(uid, point);
        this.renderReformats(uid);
      },
      linkedPlanes: (uid) =>
        [...this.viewports.values()].flatMap(({ viewport }) => {
          const plane = viewport.series?.view.seriesInstanceUid === uid ? viewport.linkedPlane() : null;
          return plane ? [{ ...plane, viewportId: viewport.id }] : [];
        }),
      planesChanged: (uid) => this.renderReformats(uid),
      measurements: (uid) => this.measurementList.filter((m) => m.seriesInstanceUid === uid),
      upsertMeasurement: (m) => {
        const i = this.measurementList.findIndex((x) => x.id === m.id);
        if (i >= 0) this.measurementList[i] = m;
        else this.measurementList.push(m);
        this.events.measurementsChanged([...this.measurementList]);
        this.requestRender();
      },
      renderWindow: { addRenderer: (r) => this.renderWindow.addRenderer(r as never), removeRenderer: (r) => this.renderWindow.removeRenderer(r as never) },
      acquireVolume: async (series, for3d, stillWanted) => {
        await series.complete;
        if (!stillWanted()) return null;
        if (series.failed.size > 0) {
          throw new Error(`${series.failed.size} of ${series.view.frames} images of the series could not be read, and it needs every slice`);
        }
        const key = volumeKey(series, for3d);
        let volume = this.volumes.get(key);
        if (!volume) {
          volume = createSharedVolume(series, this.tracker, for3d);
          this.volumes.set(key, volume);
        }
        volume.users++;
        return volume;
      },
      releaseVolume: (volume) => {
        if (--volume.users > 0) return;
        this.volumes.delete(volume.key);
        this.tracker.release(volume.scalars, volume.imageData);
      },
    };
  }

  /** Makes the engine's viewports match the layout React rendered. */
  setViewports(definitions: readonly ViewportDefinition[]): void {
    const wanted = new Set(definitions.map((d) => d.id));
    for (const [id, entry] of this.viewports) {
      const def = definitions.find((d) => d.id === id);
      if (!wanted.has(id) || !def || def.element !== entry.viewport.element || JSON.stringify(def.spec) !== JSON.stringify(entry.spec)) {
        entry.detach();
        entry.viewport.dispose();
        entry.canvas.remove();
        this.dirty.delete(entry.viewport);
        this.viewports.delete(id);
      }
    }
    for (const def of definitions) {
      let entry = this.viewports.get(def.id);
      if (!entry) {
        // the context's requestRender needs the viewport it is being built for
        const self: { viewport?: Viewport } = {};
        const ctx = this.context(() => self.viewport);
        const viewport: Viewport =
          def.spec.kind === 'stack'
            ? new StackViewport(def.id, def.element, ctx)
            : def.spec.kind === 'mpr'
              ? new MprViewport(def.id, def.element, ctx, def.spec.plane)
              : new Volume3dViewport(def.id, def.element, ctx);
        self.viewport = viewport;
        const canvas = document.createElement('canvas');
        canvas.className = 'vp-canvas';
        def.element.prepend(canvas);
        entry = { viewport, spec: def.spec, seriesUid: null, detach: this.attachInput(viewport), canvas };
        this.viewports.set(def.id, entry);
      }
      if (entry.seriesUid !== def.seriesInstanceUid) {
        entry.seriesUid = def.seriesInstanceUid;
        // What was shown goes at once: while the new series opens, or when it cannot be opened, no image
        // of another series (another patient's, perhaps) stays on screen under the new selection.
        entry.viewport.setSeries(null);
        if (def.seriesInstanceUid) this.load(def.id, entry, def.seriesInstanceUid, false);
      }
    }
    this.activeViewportId ??= definitions[0]?.id ?? null;
    this.requestRender();
  }

  private attachInput(viewport: Viewport): () => void {
    const el = viewport.element;
    const activate = () => {
      if (this.activeViewportId !== viewport.id) {
        this.activeViewportId = viewport.id;
        this.events.activeViewportChanged(viewport.id);
      }
    };
    const down = (e: PointerEvent) => {
      activate();
      el.setPointerCapture(e.pointerId);
      viewport.onPointerDown(e);
    };
    const move = (e: PointerEvent) => viewport.onPointerMove(e);
    const up = (e: PointerEvent) => {
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
      viewport.onPointerUp(e);
    };
    const wheel = (e: WheelEvent) => viewport.onWheel(e);
    const menu = (e: Event) => e.preventDefault();
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('contextmenu', menu);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('contextmenu', menu);
    };
  }

  /** Only reformats show the crosshair and the linked planes: the stack and the 3D ray cast need no redraw. */
  private renderReformats(uid: string): void {
    for (const { viewport } of this.viewports.values()) if (viewport instanceof MprViewport && viewport.series?.view.seriesInstanceUid === uid) this.requestRender(viewport);
  }

  /** Redraws the given viewport (all of them when none is given) on the next animation frame. */
  requestRender(viewport?: Viewport): void {
    if (viewport) this.dirty.add(viewport);
    else for (const entry of this.viewports.values()) this.dirty.add(entry.viewport);
    if (this.frameRequested || this.disposed) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.disposed) this.render();
    });
  }

  private render(): void {
    const rect = this.container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(rect.width * dpr));
    const height = Math.max(1, Math.round(rect.height * dpr));
    const [w, h] = this.glWindow.getSize();
    if (w !== width || h !== height) {
      this.glWindow.setSize(width, height);
      for (const entry of this.viewports.values()) this.dirty.add(entry.viewport);
    }
    const toDraw = [...this.viewports.values()].filter((e) => this.dirty.has(e.viewport));
    this.dirty.clear();
    if (toDraw.length === 0) return;
    const started = performance.now();
    for (const { viewport } of this.viewports.values()) {
      viewport.layout(rect);
      viewport.renderer.setDraw(false);
    }
    for (const { viewport } of toDraw) viewport.update();
    const drawn = toDraw.filter((e) => e.viewport.drawsImage);
    for (const { viewport } of drawn) viewport.renderer.setDraw(true);
    if (drawn.length > 0) this.renderWindow.render();
    // Copy each redrawn region to its viewport's canvas while the WebGL drawing buffer is still valid.
    const source = this.glWindow.getCanvas() as HTMLCanvasElement;
    for (const { viewport, canvas } of toDraw) {
      const r = viewport.element.getBoundingClientRect();
      const sx = Math.round((r.left - rect.left) * dpr);
      const sy = Math.round((r.top - rect.top) * dpr);
      const sw = Math.max(1, Math.round(r.width * dpr));
      const sh = Math.max(1, Math.round(r.height * dpr));
      if (canvas.width !== sw || canvas.height !== sh) {
        canvas.width = sw;
        canvas.height = sh;
      }
      const ctx2d = canvas.getContext('2d');
      ctx2d?.clearRect(0, 0, sw, sh);
      if (viewport.drawsImage) ctx2d?.drawImage(source, sx, sy, sw, sh, 0, 0, sw, sh);
    }
    this.renders++;
    performance.measure('lumen:render', { start: started, detail: toDraw.length });
    // user-timing entries are never dropped by the browser: keep the buffer bounded over a long day
    if (this.renders % 1000 === 0) performance.clearMeasures('lumen:render');
  }

  // ---- commands from the UI and the keyboard ------------------------------------------------------------

  setTool(tool: ToolId): void {
    this.tool = tool;
  }

  getTool(): ToolId {
    return this.tool;
  }

  viewport(id: string | null = this.activeViewportId): Viewport | undefined {
    return id ? this.viewports.get(id)?.viewport : undefined;
  }

  /** Applies a window to the active viewport and the reformats of its series. */
  setWindow(center: number, width: number): void {
    for (const viewport of this.windowedWithActive()) viewport.setWindow(center, width);
  }

  /** Gives the active viewport and the reformats of its series the window from the file back. */
  defaultWindow(): void {
    for (const viewport of this.windowedWithActive()) viewport.defaultWindow();
  }

  /** The active viewport and the others showing its series, where a window applies (not 3D). */
  private windowedWithActive(): (StackViewport | MprViewport)[] {
    const active = this.viewport();
    const uid = active?.series?.view.seriesInstanceUid;
    return [...this.viewports.values()]
      .map((entry) => entry.viewport)
      .filter((viewport) => viewport === active || (uid && viewport.series?.view.seriesInstanceUid === uid))
      .filter((viewport): viewport is StackViewport | MprViewport => viewport instanceof StackViewport || viewport instanceof MprViewport);
  }

  setSlab(thicknessMm: number, mode: SlabMode): void {
    for (const { viewport } of this.viewports.values()) if (viewport instanceof MprViewport) viewport.setSlab(thicknessMm, mode);
  }

  setVolumePreset(id: string): void {
    for (const { viewport } of this.viewports.values()) if (viewport instanceof Volume3dViewport) viewport.setPreset(id);
  }

  setClipBox(box: ClipBox): void {
    for (const { viewport } of this.viewports.values()) if (viewport instanceof Volume3dViewport) viewport.setClipBox(box);
  }

  measurements(): Measurement[] {
    return [...this.measurementList];
  }

  setMeasurements(list: Measurement[]): void {
    this.measurementList.splice(0, this.measurementList.length, ...list);
    for (const { viewport } of this.viewports.values()) if (viewport.series) this.placeMeasurements(viewport.series.view);
    this.events.measurementsChanged([...this.measurementList]);
    this.requestRender();
  }

  removeMeasurement(id: string): void {
    const i = this.measurementList.findIndex((m) => m.id === id);
    if (i < 0) return;
    this.measurementList.splice(i, 1);
    this.events.measurementsChanged([...this.measurementList]);
    this.requestRender();
  }

  relabelMeasurement(id: string, label: string): void {
    const m = this.measurementList.find((x) => x.id === id);
    if (!m) return;
    m.label = label;
    this.events.measurementsChanged([...this.measurementList]);
    this.requestRender();
  }

  /** For tests and the help overlay: what the engine holds. */
  stats() {
    return {
      viewports: this.viewports.size,
      liveVtkObjects: this.tracker.count,
      sharedVolumes: this.volumes.size,
      webglCanvases: this.canvasHost.querySelectorAll('canvas').length,
      renders: this.renders,
    };
  }

  describe(): Record<string, Record<string, unknown>> {
    return Object.fromEntries([...this.viewports].map(([id, { viewport }]) => [id, viewport.describe()]));
  }

  dispose(): void {
    this.disposed = true;
    this.stopLibraryEvents();
    this.resizeObserver.disconnect();
    for (const { viewport, detach, canvas } of this.viewports.values()) {
      detach();
      viewport.dispose();
      canvas.remove();
    }
    this.viewports.clear();
    for (const volume of this.volumes.values()) this.tracker.release(volume.scalars, volume.imageData);
    this.volumes.clear();
    this.tracker.release(this.interactor, this.glWindow, this.renderWindow);
    this.canvasHost.remove();
  }
}
