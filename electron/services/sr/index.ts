/**
 * DICOM Structured Reports Lumen writes and reads: measurement reports (TID 1500, OHIF's too), AI
 * results, progression results, and any SR as JSON. Image objects derived from AI results (Parametric
 * Map, Secondary Capture) live in ../derivedImages.
 */
export { writeMeasurementReport, CORNERSTONE_3D_TAG } from './measurementReport';
export { readMeasurementReport, toViewerMeasurement, isTid1500, type ReportedMeasurement, type MeasurementReportContent } from './readMeasurementReport';
export { writeAiResultReport, readAiResultReport, isAiResultReport, RESEARCH_USE_ONLY } from './aiResultReport';
export { writeProgressionReport, readProgressionReport, isProgressionReport } from './progressionReport';
export { srToJson, srDatasetToJson, type SrJson, type SrContentItemJson } from './srToJson';
export { frameImages, frameKey, type FrameImage } from './frameImages';
export { sourceImageOf, patientStudyOf, type SourceImage } from './sourceImage';
export { COMPREHENSIVE_SR, type WrittenObject } from './srDocument';
export { readPart10, writePart10 } from './part10';
export { restoreFromSr, type SrRestoreTarget, type SrRestoreResult } from './restoreFromSr';
export { studyResultObjects, type StudyResultObject, type StudyResultObjectsOptions } from './studyResultObjects';
