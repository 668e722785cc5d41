/** Images derived from AI results: the activation map as a Parametric Map, and a Secondary Capture with it burned in. */
export { writeParametricMap, PARAMETRIC_MAP_STORAGE } from './parametricMap';
export { writeHeatmapSecondaryCapture, burnInHeatmap, captureLabel, SECONDARY_CAPTURE_STORAGE, type DisplayedImage } from './secondaryCapture';
export { upsampleHeatmap } from './upsampleHeatmap';
