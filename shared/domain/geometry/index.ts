/** Patient-space geometry shared by the back end (series assembly) and the renderer (labels, MPR). */
export * from './vector3';
export * from './orientation';
export * from './sliceStack';
export * from './tiltCorrection';
