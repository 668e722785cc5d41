/** Series assembly: planes from headers, grouped into stacks, sorted in patient space, built into volumes. */
export { sliceHeaders, type FrameWindow, type SliceHeader } from './sliceHeader';
export { groupSeries, type SliceGroup } from './groupSeries';
export { assembleSeries, type AssembledSeries } from './seriesGeometry';
export { buildVolume, voxelTypeFor, writePlane, type BuildVolumeOptions, type PlaneDecoder, type PlaneTarget, type Volume, type VoxelArray } from './buildVolume';
export { poolPlaneDecoder } from './planeDecoder';
