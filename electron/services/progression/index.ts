/** Progression: visit sequences from a manifest, the ONNX runner, visit measures with provenance, the timeline. */
export { ProgressionService, type ProgressionServiceOptions, type VisitForm } from './progressionService';
export { ProgressionRunner, runProgression, type ProgressionLine, type ProgressionPrediction } from './runProgression';
