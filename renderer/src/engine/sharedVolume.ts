import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import { correctGantryTilt } from '../../../shared/domain/geometry/tiltCorrection';
import type { LoadedSeries } from './seriesCache';
import type { VtkTracker } from './vtkTracker';

/**
 * A series as one vtk image over its own array (no copy, except for a gantry-tilted stack, which is
 * resampled onto the slice normal): what the reformats and the 3D view share.
 * Reference-counted by the engine; the last viewport to let go deletes it.
 */
export interface SharedVolume {
  key: string;
  imageData: ReturnType<typeof vtkImageData.newInstance>;
  scalars: ReturnType<typeof vtkDataArray.newInstance>;
  users: number;
}

/**
 * The 3D view's texture is decimated in-plane when the series is large: software WebGL (and modest
 * GPUs) render a 256x256xN volume interactively, not a 512x512xN one. Reformats keep full resolution.
 */
const MAX_3D_VOXELS = 12_000_000;

/** The series assembly reports tilts from 0.01 degrees; below that they are rounding in the positions. */
const TILT_DEGREES_CORRECTED = 0.01;

export function createSharedVolume(series: LoadedSeries, tracker: VtkTracker, for3d: boolean): SharedVolume {
  const g = series.view.geometry!;
  let [nx, ny] = g.dimensions;
  const nz = g.dimensions[2];
  let spacing: [number, number, number] = [...g.spacing];
  let values = series.data;
  // A tilted stack is resampled onto the slice normal (a copy; untilted series are used as they are).
  if ((g.gantryTiltDegrees ?? 0) >= TILT_DEGREES_CORRECTED) {
    const stack = { dimensions: g.dimensions, pixelSpacing: [g.spacing[0], g.spacing[1]] as const, row: g.direction[0], column: g.direction[1], positions: g.slicePositions };
    values = correctGantryTilt(values, stack, series.view.valueRange?.[0] ?? 0);
  }
  if (for3d && nx * ny * nz > MAX_3D_VOXELS) {
    const step = Math.ceil(Math.sqrt((nx * ny * nz) / MAX_3D_VOXELS));
    const mx = Math.ceil(nx / step);
    const my = Math.ceil(ny / step);
    const out = new (values.constructor as new (n: number) => typeof values)(mx * my * nz);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < my; j++) for (let i = 0; i < mx; i++) out[(k * my + j) * mx + i] = values[(k * ny + j * step) * nx + i * step]!;
    values = out;
    nx = mx;
    ny = my;
    spacing = [spacing[0] * step, spacing[1] * step, spacing[2]];
  }
  const imageData = tracker.track(vtkImageData.newInstance());
  imageData.setDimensions(nx, ny, nz);
  imageData.setSpacing(spacing);
  imageData.setOrigin([...g.origin]);
  imageData.setDirection([...g.direction[0], ...g.direction[1], ...g.direction[2]]);
  const scalars = tracker.track(vtkDataArray.newInstance({ numberOfComponents: 1, values, name: 'voxels' }));
  imageData.getPointData().setScalars(scalars);
  return { key: volumeKey(series, for3d), imageData, scalars, users: 0 };
}

const loads = new WeakMap<LoadedSeries, number>();
let nextLoad = 1;

/**
 * A volume belongs to one load of a series: read again after images were added, the series is another
 * array of another size, and the reformats of the old one must not be handed out for it.
 */
export function volumeKey(series: LoadedSeries, for3d: boolean): string {
  let load = loads.get(series);
  if (load === undefined) loads.set(series, (load = nextLoad++));
  return `${series.view.seriesInstanceUid}|${load}|${for3d ? '3d' : 'mpr'}`;
}
