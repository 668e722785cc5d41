/** Import: files, folders and DICOMDIRs indexed header-only, with progress, per-file failures and cancel. */
export { scanDicom, type ScanFailure, type ScanOptions, type ScanProgress, type ScanResult } from './scanDicom';
export { indexSeries, type IndexedSeries } from './indexSeries';
export { dicomDirReferencedFiles, isDicomDir } from './dicomDir';
export { walkFiles } from './walkFiles';
export { readHeadersAhead, type HeaderRead } from './readHeadersAhead';
