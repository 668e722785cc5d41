import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkImageResliceMapper from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper';
import { SlabTypes } from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper/Constants';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import { add, cross, dot, normalize, scale, sub, type Vec3 } from '../../../../shared/domain/geometry/vector3';
import { cameraFor, distanceToLine, edgeMarkers, planeCutOnScreen, screenFrame, screenToPatient, type ScreenFrame } from '../displayGeometry';
import { ViewportOverlay } from '../overlay';
import { placeRenderer } from './placeRenderer';
import type { LoadedSeries } from '../seriesCache';
import type { SharedVolume } from '../sharedVolume';
import type { LinkedPlane, Viewport, ViewportContext, VolumeAccess } from './viewport';
import { PLANE_COLORS } from './planeColors';
import { VolumeClaim } from './volumeClaim';

export type MprPlane = 'axial' | 'coronal' | 'sagittal';

/** Picking a crosshair line to turn: within this many pixels of it, and outside the centre circle. */
const GRAB_DISTANCE_PX = 6;
const CENTER_RADIUS_PX = 24;
/** Turning handles sit this fraction of the smaller viewport side from the centre. */
const HANDLE_DISTANCE = 0.3;
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
  private readonly claim: VolumeClaim;
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
  /** Dragging another reformat's crosshair line turns that plane about this view's normal. */
  private turning: { plane: LinkedPlane; turned: number; from: number } | null = null;
  /** The other views' planes as drawn at the last update, for picking a line to drag. */
  private lines: { plane: LinkedPlane; through: [number, number]; direction: [number, number] }[] = [];
  private width = 1;
  private height = 1;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    private readonly ctx: ViewportContext & VolumeAccess,
    readonly orientation: MprPlane,
  ) {
    this.overlay = new ViewportOverlay(element);
    this.claim = new VolumeClaim(ctx, this.overlay, 'Reformat');
    this.renderer = ctx.tracker.track(vtkRenderer.newInstance({ background: [0, 0, 0] }));
    this.renderer.getActiveCamera().setParallelProjection(true);
    ctx.renderWindow.addRenderer(this.renderer);
    this.right = MPR_AXES[orientation].right;
    this.down = MPR_AXES[orientation].down;
  }

  /** The series read again after images were added to it: the reformat keeps the window on screen. */
  replaceSeries(series: LoadedSeries): void {
    const window = this.window;
    this.setSeries(series);
    this.window = window;
  }

  setSeries(series: LoadedSeries | null): void {
    this.release();
    this.series = series;
    this.right = MPR_AXES[this.orientation].right;
    this.down = MPR_AXES[this.orientation].down;
    this.zoom = 1;
    this.panMm = [0, 0];
    if (!series) return;
    this.defaultWindow();
    if (!series.view.geometry) {
      this.overlay.setStatus('Reformats need a series with patient geometry.');
      return;
    }
    this.claim.request(series, false, (volume) => this.build(volume));
  }

  private build(volume: SharedVolume): void {
    const t = this.ctx.tracker;
    this.plane = t.track(vtkPlane.newInstance());
    this.mapper = t.track(vtkImageResliceMapper.newInstance());
    this.mapper.setInputData(volume.imageData);
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
    this.claim.release();
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


  linkedPlane(): Omit<LinkedPlane, 'viewportId'> | null {
    if (!this.series?.view.geometry) return null;
    return { normal: normalize(cross(this.right, this.down)), color: PLANE_COLORS[this.orientation], rotate: (axis, radians) => this.turnPlane(axis, radians) };
  }

  private turnPlane(axis: Vec3, radians: number): void {
    this.right = normalize(rotate(this.right, axis, radians));
    this.down = normalize(rotate(this.down, axis, radians));
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
    this.claim.showProgress();
    this.drawCrosshairLines(f, center, view.seriesInstanceUid);
  }

  /** Each other view's plane through the crosshair, as a line; reformats' lines carry turning handles. */
  private drawCrosshairLines(f: ScreenFrame, center: Vec3, seriesInstanceUid: string): void {
    this.overlay.svg.replaceChildren();
    this.lines = [];
    const svg = (tag: string, attributes: Record<string, string | number>) => {
      const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
      Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, String(v)));
      this.overlay.svg.appendChild(node);
    };
    const reach = this.width + this.height;
    const handleAt = Math.min(this.width, this.height) * HANDLE_DISTANCE;
    for (const plane of this.ctx.linkedPlanes(seriesInstanceUid)) {
      if (plane.viewportId === this.id) continue;
      const cut = planeCutOnScreen(f, center, plane.normal);
      if (!cut) continue;
      this.lines.push({ plane, ...cut });
      const [px, py] = cut.through;
      const [dx, dy] = cut.direction;
      svg('line', { x1: px - dx * reach, y1: py - dy * reach, x2: px + dx * reach, y2: py + dy * reach, stroke: plane.color, 'stroke-width': 1, 'stroke-opacity': 0.75 });
      if (plane.rotate) for (const side of [-1, 1]) svg('circle', { cx: px + side * dx * handleAt, cy: py + side * dy * handleAt, r: 4, fill: 'none', stroke: plane.color, 'stroke-width': 1.5 });
    }
  }

  setWindow(center: number, width: number): void {
    this.window = { center, width: Math.max(1, width) };
    this.ctx.requestRender();
  }

  /** The series' window from the file; without one, the window stays as it is. */
  defaultWindow(): void {
    const w = this.series?.view.windows[0];
    if (w) this.window = { center: w.center, width: w.width };
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
      const grabbed = this.lineAt(x, y);
      if (grabbed) {
        this.turning = { plane: grabbed.plane, turned: 0, from: Math.atan2(y - grabbed.through[1], x - grabbed.through[0]) };
        return;
      }
      const f = this.screen();
      if (f && this.series) this.ctx.setCrosshair(this.series.view.seriesInstanceUid, screenToPatient(f, x, y));
      return;
    }
    this.drag = { kind: tool, x, y, window: { ...this.window }, pan: [...this.panMm], zoom: this.zoom, right: this.right, down: this.down };
  }

  /** A rotatable line under the pointer, away from the crosshair centre (where a click moves the centre). */
  private lineAt(x: number, y: number): (typeof this.lines)[number] | null {
    for (const line of this.lines) {
      if (!line.plane.rotate) continue;
      if (Math.hypot(x - line.through[0], y - line.through[1]) < CENTER_RADIUS_PX) continue;
      if (distanceToLine(x, y, line) <= GRAB_DISTANCE_PX) return line;
    }
    return null;
  }

  onPointerMove(event: PointerEvent): void {
    const t = this.turning;
    if (t && this.series) {
      const [x, y] = this.local(event);
      const center = this.lines.find((l) => l.plane.viewportId === t.plane.viewportId)?.through;
      if (!center) return;
      // Turning about this view's normal by the angle the pointer swept round the centre: screen angles
      // grow clockwise (y down), as rotations from right towards down about right x down do.
      const angle = Math.atan2(y - center[1], x - center[0]) - t.from;
      t.plane.rotate!(normalize(cross(this.right, this.down)), angle - t.turned);
      t.turned = angle;
      this.ctx.planesChanged(this.series.view.seriesInstanceUid);
      return;
    }
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
    this.turning = null;
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
      normal: normalize(cross(this.right, this.down)),
      lines: this.lines.map((l) => ({ viewportId: l.plane.viewportId, through: l.through, direction: l.direction, rotatable: l.plane.rotate !== null })),
    };
  }

  dispose(): void {
    // A volume still on its way is given back by the claim instead of being built into a dead renderer.
    this.series = null;
    this.release();
    this.ctx.renderWindow.removeRenderer(this.renderer);
    this.ctx.tracker.release(this.renderer);
    this.overlay.dispose();
  }
}
