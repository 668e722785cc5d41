import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkImageResliceMapper from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper';
import { SlabTypes } from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper/Constants';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../../../../shared/domain/geometry/vector3';
import { cameraFor, edgeMarkers, patientToScreen, screenFrame, screenToPatient, type ScreenFrame } from '../displayGeometry';
import { ViewportOverlay } from '../overlay';
import { placeRenderer } from './placeRenderer';
import type { LoadedSeries } from '../seriesCache';
import type { SharedVolume } from '../sharedVolume';
import type { Viewport, ViewportContext, VolumeAccess } from './viewport';

export type MprPlane = 'axial' | 'coronal' | 'sagittal';
export type SlabMode = 'mip' | 'minip' | 'average';

/** Radiological conventions in patient (LPS) space: screen right and down for each reformat. */
export const MPR_AXES: Record<MprPlane, { right: Vec3; down: Vec3 }> = {
  axial: { right: [1, 0, 0], down: [0, 1, 0] }, // seen from the feet: patient left on screen right
  coronal: { right: [1, 0, 0], down: [0, 0, -1] }, // seen from the front
  sagittal: { right: [0, 1, 0], down: [0, 0, -1] }, // seen from the patient's left: anterior on screen left
};

/** Rotates v about a unit axis by `radians` (Rodrigues). */
function rotate(v: Vec3, axis: Vec3, radians: number): Vec3 {
  const c = Math.cos(radians);
  const s = Math.sin(radians);
  return add(add(scale(v, c), scale(cross(axis, v), s)), scale(axis, dot(axis, v) * (1 - c)));
}

/**
 * A multiplanar reformat: vtk.js reslices the series volume (shared with the other views, no copy)
 * on the GPU along a plane through the linked crosshair, with an optional slab (MIP, MinIP, average).
 */
export class MprViewport implements Viewport {
  readonly overlay: ViewportOverlay;
  series: LoadedSeries | null = null;
  readonly renderer;
  private volume: SharedVolume | null = null;
  private mapper: ReturnType<typeof vtkImageResliceMapper.newInstance> | null = null;
  private actor: ReturnType<typeof vtkImageSlice.newInstance> | null = null;
  private plane: ReturnType<typeof vtkPlane.newInstance> | null = null;
  private right: Vec3;
  private down: Vec3;
  private zoom = 1;
  private panMm: [number, number] = [0, 0];
  private window = { center: 40, width: 400 };
  private slab: { thicknessMm: number; mode: SlabMode } = { thicknessMm: 0, mode: 'mip' };
  private drag: { kind: 'windowLevel' | 'pan' | 'zoom' | 'tilt'; x: number; y: number; window: { center: number; width: number }; pan: [number, number]; zoom: number; right: Vec3; down: Vec3 } | null = null;
  private width = 1;
  private height = 1;
  private waiting = false;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    private readonly ctx: ViewportContext & VolumeAccess,
    readonly orientation: MprPlane,
  ) {
    this.overlay = new ViewportOverlay(element);
    this.renderer = ctx.tracker.track(vtkRenderer.newInstance({ background: [0, 0, 0] }));
    this.renderer.getActiveCamera().setParallelProjection(true);
    ctx.renderWindow.addRenderer(this.renderer);
    this.right = MPR_AXES[orientation].right;
    this.down = MPR_AXES[orientation].down;
  }

  setSeries(series: LoadedSeries | null): void {
    this.release();
    this.series = series;
    this.right = MPR_AXES[this.orientation].right;
    this.down = MPR_AXES[this.orientation].down;
    this.zoom = 1;
    this.panMm = [0, 0];
    if (!series) return;
    const w = series.view.windows[0];
    if (w) this.window = { center: w.center, width: w.width };
    if (!series.view.geometry) {
      this.overlay.setStatus('Reformats need a series with patient geometry.');
      return;
    }
    this.overlay.setStatus('Reformat appears when the series is loaded…');
    this.waiting = true;
    void this.ctx.acquireVolume(series, false, () => this.series === series).then((volume) => {
      if (!volume) return;
      this.volume = volume;
      this.waiting = false;
      this.build();
    });
  }

  private build(): void {
    const t = this.ctx.tracker;
    this.plane = t.track(vtkPlane.newInstance());
    this.mapper = t.track(vtkImageResliceMapper.newInstance());
    this.mapper.setInputData(this.volume!.imageData);
    this.mapper.setSlicePlane(this.plane);
    this.actor = t.track(vtkImageSlice.newInstance());
    this.actor.setMapper(this.mapper);
    this.actor.getProperty().setInterpolationTypeToLinear();
    this.renderer.addViewProp(this.actor);
    this.overlay.setStatus('');
    this.ctx.requestRender();
  }

  private release(): void {
    if (this.actor) this.renderer.removeViewProp(this.actor);
    this.ctx.tracker.release(this.actor, this.mapper, this.plane);
    this.actor = this.mapper = this.plane = null;
    if (this.volume) this.ctx.releaseVolume(this.volume);
    this.volume = null;
  }

  private crosshair(): Vec3 | null {
    if (!this.series?.view.geometry) return null;
    return this.ctx.crosshair(this.series.view.seriesInstanceUid) ?? this.volumeCenter();
  }

  private volumeCenter(): Vec3 {
    const g = this.series!.view.geometry!;
    const [nx, ny, nz] = g.dimensions;
    return add(add(add(g.origin, scale(g.direction[0], ((nx - 1) / 2) * g.spacing[0])), scale(g.direction[1], ((ny - 1) / 2) * g.spacing[1])), scale(g.direction[2], ((nz - 1) / 2) * g.spacing[2]));
  }

  private extentMm(): number {
    const g = this.series!.view.geometry!;
    return Math.max(g.dimensions[0] * g.spacing[0], g.dimensions[1] * g.spacing[1], g.dimensions[2] * g.spacing[2]);
  }

  private screen(): ScreenFrame | null {
    const center = this.crosshair();
    if (!center || !this.series) return null;
    const aspect = this.width / this.height;
    const fit = (Math.max(this.extentMm(), this.extentMm() / aspect) / 2) * 1.02;
    // the view centre stays on the volume centre's projection; the crosshair moves the plane, not the view
    const vc = this.volumeCenter();
    const normal = cross(this.right, this.down);
    const onPlane = sub(vc, scale(normal, dot(sub(vc, center), normal)));
    return screenFrame(
      { center: onPlane, right: this.right, down: this.down, fitHalfHeightMm: fit / 1, zoom: this.zoom, panMm: this.panMm, rotationDeg: 0, flipHorizontal: false, flipVertical: false },
      this.width,
      this.height,
    );
  }

  layout(container: DOMRect): void {
    ({ width: this.width, height: this.height } = placeRenderer(this.renderer, this.element, container));
  }


  get drawsImage(): boolean {
    return this.actor !== null;
  }

  update(): void {
    const f = this.screen();
    const view = this.series?.view;
    if (!view || !f) {
      this.overlay.setMarkers(null);
      return;
    }
    const center = this.crosshair()!;
    const normal = normalize(cross(this.right, this.down));
    if (this.plane && this.mapper && this.actor) {
      this.plane.setOrigin(...center);
      this.plane.setNormal(...normal);
      this.mapper.setSlabThickness(this.slab.thicknessMm);
      this.mapper.setSlabType(this.slab.mode === 'mip' ? SlabTypes.MAX : this.slab.mode === 'minip' ? SlabTypes.MIN : SlabTypes.MEAN);
      this.actor.getProperty().setColorWindow(view.invert ? -this.window.width : this.window.width);
      this.actor.getProperty().setColorLevel(this.window.center);
      const c = cameraFor(f);
      const camera = this.renderer.getActiveCamera();
      camera.setFocalPoint(...c.focalPoint);
      camera.setPosition(...c.position);
      camera.setViewUp(...c.viewUp);
      camera.setParallelScale(c.parallelScale);
      camera.setClippingRange(1, 2000);
    }
    const title = this.orientation[0]!.toUpperCase() + this.orientation.slice(1);
    this.overlay.setCorner('tl', [title, view.patient.name.replaceAll('^', ' ').trim()]);
    this.overlay.setCorner('bl', [`Pos: ${dot(center, normal).toFixed(1)} mm`, ...(this.slab.thicknessMm > 0 ? [`Slab ${this.slab.thicknessMm} mm ${this.slab.mode.toUpperCase()}`] : [])]);
    this.overlay.setCorner('br', [`W: ${Math.round(this.window.width)} L: ${Math.round(this.window.center)}`, `Zoom: ${this.zoom.toFixed(2)}x`]);
    this.overlay.setMarkers(edgeMarkers(f));
    this.overlay.setScale(f.mmPerPixel, this.width);
    if (this.waiting) this.overlay.setStatus(`Reformat appears when the series is loaded (${this.series!.loadedCount}/${view.frames})`);
    const [cx, cy] = patientToScreen(f, center);
    this.overlay.svg.replaceChildren();
    for (const [x1, y1, x2, y2] of [
      [0, cy, this.width, cy],
      [cx, 0, cx, this.height],
    ] as const) {
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      Object.entries({ x1, y1, x2, y2, stroke: '#3fa7ff', 'stroke-width': 1, 'stroke-opacity': 0.7 }).forEach(([k, v]) => line.setAttribute(k, String(v)));
      this.overlay.svg.appendChild(line);
    }
  }

  setWindow(center: number, width: number): void {
    this.window = { center, width: Math.max(1, width) };
    this.ctx.requestRender();
  }

  setSlab(thicknessMm: number, mode: SlabMode): void {
    this.slab = { thicknessMm: Math.max(0, thicknessMm), mode };
    this.ctx.requestRender();
  }

  private local(event: MouseEvent): [number, number] {
    const r = this.element.getBoundingClientRect();
    return [event.clientX - r.left, event.clientY - r.top];
  }

  onWheel(event: WheelEvent): void {
    event.preventDefault();
    const center = this.crosshair();
    if (!center || !this.series) return;
    const g = this.series.view.geometry!;
    const step = Math.min(...g.spacing) * Math.sign(event.deltaY);
    this.ctx.setCrosshair(this.series.view.seriesInstanceUid, add(center, scale(normalize(cross(this.right, this.down)), step)));
  }

  onPointerDown(event: PointerEvent): void {
    const [x, y] = this.local(event);
    const tool = event.button === 2 ? 'zoom' : event.button === 1 ? 'pan' : event.shiftKey ? 'tilt' : this.ctx.tool();
    if (tool === 'crosshair' || (tool !== 'pan' && tool !== 'zoom' && tool !== 'tilt' && tool !== 'windowLevel')) {
      const f = this.screen();
      if (f && this.series) this.ctx.setCrosshair(this.series.view.seriesInstanceUid, screenToPatient(f, x, y));
      return;
    }
    this.drag = { kind: tool, x, y, window: { ...this.window }, pan: [...this.panMm], zoom: this.zoom, right: this.right, down: this.down };
  }

  onPointerMove(event: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const [x, y] = this.local(event);
    const dx = x - d.x;
    const dy = y - d.y;
    if (d.kind === 'windowLevel') {
      const s = Math.max(1, d.window.width) / 300;
      this.window = { width: Math.max(1, d.window.width + dx * s), center: d.window.center + dy * s };
    } else if (d.kind === 'pan') {
      const mm = this.screen()!.mmPerPixel;
      this.panMm = [d.pan[0] + dx * mm, d.pan[1] + dy * mm];
    } else if (d.kind === 'zoom') {
      this.zoom = Math.min(40, Math.max(0.1, d.zoom * Math.exp(-dy / 150)));
    } else {
      // oblique: tilt the plane about the screen axes through the crosshair
      const up = scale(d.down, -1);
      let right = rotate(d.right, up, (dx * Math.PI) / 360);
      let down = rotate(d.down, up, (dx * Math.PI) / 360);
      right = rotate(right, d.right, (dy * Math.PI) / 360);
      down = rotate(down, d.right, (dy * Math.PI) / 360);
      this.right = normalize(right);
      this.down = normalize(down);
    }
    this.ctx.requestRender();
  }

  onPointerUp(): void {
    this.drag = null;
  }

  onKey(): boolean {
    return false;
  }

  describe(): Record<string, unknown> {
    const f = this.screen();
    return {
      kind: 'mpr',
      orientation: this.orientation,
      ready: this.actor !== null,
      markers: f ? edgeMarkers(f) : null,
      window: { ...this.window },
      slab: { ...this.slab },
      crosshair: this.crosshair(),
    };
  }

  dispose(): void {
    // A volume still on its way is released by acquireVolume instead of being built into a dead renderer.
    this.series = null;
    this.release();
    this.ctx.renderWindow.removeRenderer(this.renderer);
    this.ctx.tracker.release(this.renderer);
    this.overlay.dispose();
  }
}
