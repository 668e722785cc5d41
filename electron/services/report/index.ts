/**
 * The printable study report (PDF): collect what a study has (header, measurements, AI findings, key
 * images) as pure data, render it with pdf-lib, write it. The export pipeline can render the same input.
 */
export { collectReportInput, MAX_KEY_IMAGES, type CollectOptions, type KeyImageRequest, type ReportSources } from './collectReportInput';
export { createStudyReport, reportServices, type CreateReportRequest, type ReportServices } from './createStudyReport';
export { displayFrame, MAX_KEY_IMAGE_SIDE, type DisplayFrame } from './keyFramePixels';
export { renderStudyReport, renderStudyReportPages } from './renderStudyReport';
export { REPORT_DISCLAIMER, type KeyImage, type KeyImageOverlay, type KeyImageWindow, type ModelCardSummary, type ReportAiFinding, type ReportHeader, type ReportInput, type ReportMeasurement } from './reportInput';
export { dicomDateText, measurementValueText, personNameText } from './reportText';
