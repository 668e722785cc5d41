import type { Vec3 } from '../../../../shared/domain/geometry/vector3';
import { LumenError } from '../../../../shared/domain/errors';
import { dicomError } from '../dicomError';
import { voxelArray, type PlanePlacement, type VoxelArray, type VoxelType } from '../decode/modalityPlane';
import type { AssembledSeries } from './seriesGeometry';
import type { SliceHeader } from './sliceHeader';

export { writePlane, type VoxelArray } from '../decode/modalityPlane';

/**
 * A series as one block of voxels in modality units (HU for CT), with its patient-space geometry:
 * voxel (i, j, k) lies at origin + i*spacing[0]*direction[0] + j*spacing[1]*direction[1] + k*spacing[2]*direction[2],
 * i = column, j = row, k = slice in volume order (PS3.3 C.7.6.2.1.1).
 */
export interface Volume {
  seriesInstanceUid: string;
  /** [columns, rows, slices]. */
  dimensions: [number, number, number];
  /** [between columns, between rows, between slices], mm. */
  spacing: [number, number, number];
  origin: Vec3;
  /** Row direction, column direction, slice normal (LPS unit vectors). */
  direction: [Vec3, Vec3, Vec3];
  voxels: VoxelArray;
  /** What the values are: the Rescale Type, or HU for CT (PS3.3 C.11.1.1.2), or US (unspecified). */
  units: string;
  slices: { path: string; frameIndex: number; sopInstanceUid: string; position: Vec3; rescale: { slope: number; intercept: number } }[];
}

/** A plane's place in the volume's voxels. */
export type PlaneTarget = PlanePlacement & { voxels: VoxelArray };

/** Decodes one plane and writes its modality values into the target; the host passes its worker pool. */
export type PlaneDecoder = (slice: SliceHeader, target: PlaneTarget, signal?: AbortSignal) => Promise<void>;

export interface BuildVolumeOptions {
  decode: PlaneDecoder;
  /** Planes decoding at once; the pool bounds CPU, this bounds memory held by decoded planes. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Plane indices in the order to decode them (default 0..n-1); a viewer starts where the user looks. */
  order?: readonly number[];
  /** Called when plane k (volume order) is in `voxels`, so a viewer can show it before the rest. */
  onPlane?: (k: number) => void;
  /** Receives the volume before any plane is decoded, so planes can be served while the rest load. */
  onAllocated?: (volume: Volume) => void;
  /**
   * Called when plane k cannot be decoded (a damaged file in the series): the other planes still load
   * and k's voxels stay 0, which is not a value of the image, so the caller must not show or measure
   * them. Without this option the volume is all or nothing: the first failure rejects buildVolume.
   */
  onPlaneFailed?: (k: number, error: LumenError) => void;
}

/**
 * The narrowest array that holds every modality value exactly, from header facts before any decoding:
 * stored range from Bits Stored and Pixel Representation (PS3.3 C.7.6.3.1), mapped through each plane's
 * Rescale Slope/Intercept. Int16 covers CT in HU; fractional slopes need Float32.
 */
export function voxelTypeFor(slices: readonly SliceHeader[]): VoxelType {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  let eightBit = true;
  for (const s of slices) {
    const lo = s.pixelRepresentation === 1 ? -(2 ** (s.bitsStored - 1)) : 0;
    const hi = s.pixelRepresentation === 1 ? 2 ** (s.bitsStored - 1) - 1 : 2 ** s.bitsStored - 1;
    const a = lo * s.rescale.slope + s.rescale.intercept;
    const b = hi * s.rescale.slope + s.rescale.intercept;
    min = Math.min(min, a, b);
    max = Math.max(max, a, b);
    integral &&= Number.isInteger(s.rescale.slope) && Number.isInteger(s.rescale.intercept);
    eightBit &&= s.bitsAllocated === 8;
  }
  if (!integral) return 'float32';
  if (eightBit && min >= 0 && max <= 255) return 'uint8';
  if (min >= -32768 && max <= 32767) return 'int16';
  if (min >= 0 && max <= 65535) return 'uint16';
  return 'float32';
}

const BYTES: Record<VoxelType, number> = { uint8: 1, int16: 2, uint16: 2, float32: 4 };

/**
 * Decodes every plane of an assembled series into one preallocated array, plane by plane in place: the
 * only pixel memory beyond the volume is the planes in flight (no per-slice arrays kept). The array
 * lives in a SharedArrayBuffer, so decode workers write planes into it directly.
 */
export async function buildVolume(series: AssembledSeries, options: BuildVolumeOptions): Promise<Volume> {
  const o = series.orientation;
  const origin = series.origin;
  if (!o || !origin || !series.pixelSpacing) {
    throw dicomError('DICOM_SERIES_INCONSISTENT', 'This series has no patient geometry (orientation, position, pixel spacing), so it cannot be shown as a volume.');
  }
  const first = series.slices[0]!;
  if (first.samplesPerPixel !== 1) throw dicomError('DICOM_SERIES_INCONSISTENT', 'Colour series are shown as images, not volumes.');
  const { rows, columns } = series;
  const planeSize = rows * columns;
  const sampleType = voxelTypeFor(series.slices);
  const voxels = voxelArray(sampleType, new SharedArrayBuffer(planeSize * series.slices.length * BYTES[sampleType]));
  const units = first.rescale.type ?? (series.modality === 'CT' ? 'HU' : 'US');
  const order = options.order ?? series.slices.map((_, k) => k);
  const volume: Volume = {
    seriesInstanceUid: series.seriesInstanceUid,
    dimensions: [columns, rows, series.slices.length],
    // Pixel Spacing is [row spacing, column spacing]: the x step (along a row) is the column spacing.
    spacing: [series.pixelSpacing[1], series.pixelSpacing[0], series.sliceSpacing ?? 1],
    origin,
    direction: [o.row, o.column, o.normal],
    voxels,
    units,
    slices: series.slices.map((s) => ({ path: s.path, frameIndex: s.frameIndex, sopInstanceUid: s.sopInstanceUid, position: s.position!, rescale: s.rescale })),
  };
  options.onAllocated?.(volume);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      options.signal?.throwIfAborted();
      const k = order[next++]!;
      const slice = series.slices[k]!;
      let decoded = true;
      try {
        await options.decode(slice, { voxels, sampleType, offset: k * planeSize, rows, columns, slope: slice.rescale.slope, intercept: slice.rescale.intercept }, options.signal);
      } catch (error) {
        if (!options.onPlaneFailed || options.signal?.aborted) throw error;
        options.onPlaneFailed(k, error instanceof LumenError ? error : dicomError('DICOM_DECODE_FAILED', `Image ${k + 1} of the series could not be decoded.`, { cause: error }));
        decoded = false;
      }
      if (decoded) options.onPlane?.(k);
      options.onProgress?.(++done, series.slices.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return volume;
}
