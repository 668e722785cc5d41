import type { LoadedSeries } from '../seriesCache';
import type { ViewportOverlay } from '../overlay';
import type { VtkTracker } from '../vtkTracker';
import type { Measurement } from '../measurements';
import type { Vec3 } from '../../../../shared/domain/geometry/vector3';
import type { SharedVolume } from '../sharedVolume';

export type ToolId = 'windowLevel' | 'pan' | 'zoom' | 'scroll' | 'length' | 'angle' | 'rectangle' | 'ellipse' | 'probe' | 'crosshair';

/**
 * A plane a viewport shows through its series' crosshair, as the other views draw it (a crosshair
 * line); a reformat's can be rotated about another view's normal by dragging that line.
 */
export interface LinkedPlane {
  viewportId: string;
  normal: Vec3;
  color: string;
  rotate: ((axis: Vec3, radians: number) => void) | null;
}

/** What every viewport gets from the engine: shared resources and the way back to it. */
export interface ViewportContext {
  tracker: VtkTracker;
  /** Marks this viewport for redraw on the next animation frame (others keep their pixels). */
  requestRender(): void;
  tool(): ToolId;
  /** Linked cursor of a series (MPR crosshairs); viewports of that series follow it. */
  crosshair(seriesInstanceUid: string): Vec3 | null;
  setCrosshair(seriesInstanceUid: string, point: Vec3): void;
  /** The planes the viewports showing this series display (this one's included). */
  linkedPlanes(seriesInstanceUid: string): readonly LinkedPlane[];
  /** A plane of this series turned: every view of it redraws its crosshair lines. */
  planesChanged(seriesInstanceUid: string): void;
  measurements(seriesInstanceUid: string): readonly Measurement[];
  upsertMeasurement(m: Measurement): void;
  /** The engine's single WebGL-backed vtk render window. */
  renderWindow: { addRenderer(r: unknown): void; removeRenderer(r: unknown): void };
}

export interface Viewport {
  readonly id: string;
  readonly element: HTMLElement;
  /** Its vtk renderer in the engine's shared render window; drawn only when the viewport is dirty. */
  readonly renderer: { setDraw(draw: boolean): boolean };
  readonly overlay: ViewportOverlay;
  series: LoadedSeries | null;
  setSeries(series: LoadedSeries | null): void;
  /** Places the viewport's renderer over its element (normalised render-window coordinates). */
  layout(containerRect: DOMRect): void;
  /** Called before each render: bring vtk state and overlays up to date. */
  update(): void;
  /**
   * After update(): whether the viewport has anything for WebGL to draw. One that has nothing yet (no
   * image, a reformat waiting for its volume) costs no GL render and no read-back, which on a click
   * competes with the first image.
   */
  readonly drawsImage: boolean;
  /** The plane shown, for the crosshair lines of the other views; null when it has none. */
  linkedPlane(): Omit<LinkedPlane, 'viewportId'> | null;
  onWheel(event: WheelEvent): void;
  onPointerDown(event: PointerEvent): void;
  onPointerMove(event: PointerEvent): void;
  onPointerUp(event: PointerEvent): void;
  onKey(event: KeyboardEvent): boolean;
  /** State for tests and overlays. */
  describe(): Record<string, unknown>;
  dispose(): void;
}

/** The shared series volume that reformats and 3D draw from, reference-counted by the engine. */
export interface VolumeAccess {
  /**
   * Resolves once the series is loaded; null when, by then, the viewport no longer shows that series
   * (the volume is then released again, so a quick series switch leaks nothing). Rejects, with a
   * sentence for the user, when frames of the series could not be read: a volume with missing slices
   * would show (and measure) zeros as tissue.
   */
  acquireVolume(series: LoadedSeries, for3d: boolean, stillWanted: () => boolean): Promise<SharedVolume | null>;
  releaseVolume(volume: SharedVolume): void;
}
