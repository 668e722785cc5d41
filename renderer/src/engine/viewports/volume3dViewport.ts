import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import vtkVolumeMapper from '@kitware/vtk.js/Rendering/Core/VolumeMapper';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import { VOLUME_PRESETS, type VolumePreset } from '../presets';
import { ViewportOverlay } from '../overlay';
import { placeRenderer } from './placeRenderer';
import type { LoadedSeries } from '../seriesCache';
import type { SharedVolume } from '../sharedVolume';
import type { Viewport, ViewportContext, VolumeAccess } from './viewport';
import { VolumeClaim } from './volumeClaim';

/** Clipping box as fractions of the volume along its three axes: [min, max] each. */
export type ClipBox = [[number, number], [number, number], [number, number]];

/**
 * 3D volume rendering (vtk.js ray casting) with presets, rotate/zoom/pan, a clipping box, and a
 * coarser sampling while the user drags (quality when still, speed when moving).
 */
export class Volume3dViewport implements Viewport {
  readonly overlay: ViewportOverlay;
  series: LoadedSeries | null = null;
  readonly renderer;
  private readonly claim: VolumeClaim;
  private actor: ReturnType<typeof vtkVolume.newInstance> | null = null;
  private mapper: ReturnType<typeof vtkVolumeMapper.newInstance> | null = null;
  private ctf: ReturnType<typeof vtkColorTransferFunction.newInstance> | null = null;
  private otf: ReturnType<typeof vtkPiecewiseFunction.newInstance> | null = null;
  private clipPlanes: ReturnType<typeof vtkPlane.newInstance>[] = [];
  private preset: VolumePreset = VOLUME_PRESETS[0]!;
  private clip: ClipBox = [[0, 1], [0, 1], [0, 1]];
  private drag: { x: number; y: number; button: number } | null = null;
  private interacting = false;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    private readonly ctx: ViewportContext & VolumeAccess,
  ) {
    this.overlay = new ViewportOverlay(element);
    this.claim = new VolumeClaim(ctx, this.overlay, '3D');
    this.renderer = ctx.tracker.track(vtkRenderer.newInstance({ background: [0.04, 0.05, 0.07] }));
    ctx.renderWindow.addRenderer(this.renderer);
  }

  setSeries(series: LoadedSeries | null): void {
    this.release();
    this.series = series;
    if (!series) return;
    if (!series.view.geometry || series.view.frames < 2) {
      this.overlay.setStatus('3D needs a series of several slices with patient geometry.');
      return;
    }
    this.claim.request(series, true, (volume) => this.build(volume));
  }

  private build(volume: SharedVolume): void {
    const t = this.ctx.tracker;
    this.mapper = t.track(vtkVolumeMapper.newInstance());
    this.mapper.setInputData(volume.imageData);
    this.actor = t.track(vtkVolume.newInstance());
    this.actor.setMapper(this.mapper);
    this.ctf = t.track(vtkColorTransferFunction.newInstance());
    this.otf = t.track(vtkPiecewiseFunction.newInstance());
    const property = this.actor.getProperty();
    property.setRGBTransferFunction(0, this.ctf);
    property.setScalarOpacity(0, this.otf);
    property.setInterpolationTypeToLinear();
    this.clipPlanes = Array.from({ length: 6 }, () => t.track(vtkPlane.newInstance()));
    this.clipPlanes.forEach((p) => this.mapper!.addClippingPlane(p));
    this.applyPreset();
    this.renderer.addVolume(this.actor);
    // Anterior view, head up: how a radiologist first looks at a chest or abdomen.
    const camera = this.renderer.getActiveCamera();
    const [cx, cy, cz] = volume.imageData.getCenter();
    camera.setFocalPoint(cx, cy, cz);
    camera.setPosition(cx, cy - 1000, cz);
    camera.setViewUp(0, 0, 1);
    this.renderer.resetCamera();
    this.overlay.setStatus('');
    this.ctx.requestRender();
  }

  private applyPreset(): void {
    if (!this.ctf || !this.otf || !this.mapper || !this.actor) return;
    this.ctf.removeAllPoints();
    this.otf.removeAllPoints();
    for (const [v, r, g, b] of this.preset.colors) this.ctf.addRGBPoint(v, r, g, b);
    for (const [v, o] of this.preset.opacity) this.otf.addPoint(v, o);
    if (this.preset.mip) this.mapper.setBlendModeToMaximumIntensity();
    else this.mapper.setBlendModeToComposite();
    this.actor.getProperty().setShade(!this.preset.mip);
    this.actor.getProperty().setAmbient(0.3);
    this.actor.getProperty().setDiffuse(0.7);
  }

  private release(): void {
    if (this.actor) this.renderer.removeVolume(this.actor);
    this.ctx.tracker.release(this.actor, this.mapper, this.ctf, this.otf, ...this.clipPlanes);
    this.actor = this.mapper = this.ctf = this.otf = null;
    this.clipPlanes = [];
    this.claim.release();
  }

  setPreset(id: string): void {
    this.preset = VOLUME_PRESETS.find((p) => p.id === id) ?? this.preset;
    this.applyPreset();
    this.ctx.requestRender();
  }

  setClipBox(box: ClipBox): void {
    this.clip = box;
    this.ctx.requestRender();
  }

  layout(container: DOMRect): void {
    placeRenderer(this.renderer, this.element, container);
  }


  linkedPlane(): null {
    return null;
  }

  get drawsImage(): boolean {
    return this.actor !== null;
  }

  update(): void {
    this.claim.showProgress();
    const volume = this.claim.volume;
    if (!volume || !this.mapper) return;
    // Sampling: coarse while dragging, fine at rest.
    const spacing = volume.imageData.getSpacing();
    this.mapper.setSampleDistance(Math.min(...spacing) * (this.interacting ? 2 : 0.7));
    const dims = volume.imageData.getDimensions();
    const index = (f: number, axis: number) => f * (dims[axis]! - 1);
    // planes in index space mapped to world along the volume axes
    const d = volume.imageData.getDirection();
    const axes = [0, 1, 2].map((a) => [d[a * 3]!, d[a * 3 + 1]!, d[a * 3 + 2]!] as [number, number, number]);
    const o = volume.imageData.getOrigin();
    for (let a = 0; a < 3; a++) {
      const [lo, hi] = this.clip[a]!;
      const n = axes[a]!;
      const at = (i: number) => [o[0] + n[0] * i * spacing[a]!, o[1] + n[1] * i * spacing[a]!, o[2] + n[2] * i * spacing[a]!] as [number, number, number];
      this.clipPlanes[2 * a]!.setOrigin(...at(index(lo, a)));
      this.clipPlanes[2 * a]!.setNormal(n[0], n[1], n[2]);
      this.clipPlanes[2 * a + 1]!.setOrigin(...at(index(hi, a)));
      this.clipPlanes[2 * a + 1]!.setNormal(-n[0], -n[1], -n[2]);
    }
    this.overlay.setCorner('tl', [`3D ${this.preset.label}`]);
    this.overlay.setCorner('br', [this.interacting ? 'Interactive quality' : 'Full quality']);
  }

  onWheel(event: WheelEvent): void {
    event.preventDefault();
    this.renderer.getActiveCamera().zoom(Math.exp(-event.deltaY / 500));
    this.ctx.requestRender();
  }

  onPointerDown(event: PointerEvent): void {
    this.drag = { x: event.clientX, y: event.clientY, button: event.button };
    this.interacting = true;
  }

  onPointerMove(event: PointerEvent): void {
    if (!this.drag) return;
    const dx = event.clientX - this.drag.x;
    const dy = event.clientY - this.drag.y;
    this.drag = { ...this.drag, x: event.clientX, y: event.clientY };
    const camera = this.renderer.getActiveCamera();
    if (this.drag.button === 0) {
      camera.azimuth(-dx * 0.5);
      camera.elevation(dy * 0.5);
      camera.orthogonalizeViewUp();
    } else if (this.drag.button === 2) {
      camera.zoom(Math.exp(-dy / 150));
    }
    this.renderer.resetCameraClippingRange();
    this.ctx.requestRender();
  }

  onPointerUp(): void {
    this.drag = null;
    this.interacting = false;
    this.ctx.requestRender();
  }

  onKey(): boolean {
    return false;
  }

  describe(): Record<string, unknown> {
    return { kind: '3d', ready: this.actor !== null, preset: this.preset.id, clip: this.clip };
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
