/**
 * Export: studies from the library (and objects derived from them) to a folder with a DICOMDIR, a ZIP,
 * or a PACS node by C-STORE or STOW-RS; progress, cancel, a result per object, never touching sources.
 */
export { ExportService, type ExportPlugins, type ExportServiceOptions } from './exportService';
export type { DerivedObjectSource, DerivedWanted, ExportObject, ExportSink, ExportTransform, OutgoingObject, StoredOutcome } from './exportObject';
export { runExport, type RunExportOptions } from './runExport';
export { resolveExportTarget } from './exportTarget';
export { writeDicomDir, leafRecordType, type FileSetEntry } from './dicomDirWriter';
export { exportError } from './exportErrors';
export { standardExportPlugins, deidentifyTransform } from './standardPlugins';
