import { LumenError } from '../../../shared/domain/errors';

/**
 * Export errors: stable codes and a sentence for the clinician (never patient data; UIDs at most). An
 * object-level error fails that object and the export goes on; a stop error ends the whole export.
 */
export const exportError = {
  diskFull: (cause?: unknown) =>
    new LumenError('EXPORT_DISK_FULL', 'The export destination is full: free some space or choose another destination. Nothing incomplete was left there.', { cause }),
  sourceMissing: (cause?: unknown) =>
    new LumenError('EXPORT_SOURCE_MISSING', 'An image of this study is no longer where it was imported from (moved or deleted); it was left out of the export.', { cause }),
  sourceUnreadable: (cause?: unknown) => new LumenError('EXPORT_SOURCE_UNREADABLE', 'An image of this study could not be read; it was left out of the export.', { cause }),
  destinationExists: () =>
    new LumenError('EXPORT_DESTINATION_EXISTS', 'The export destination already exists and is not empty: choose a new folder or file name.'),
  destinationUnwritable: (cause?: unknown) =>
    new LumenError('EXPORT_DESTINATION_UNWRITABLE', 'The export destination cannot be written: check that the folder exists and that you may write there.', { cause }),
  cancelled: () => new LumenError('EXPORT_CANCELLED', 'The export was cancelled; nothing incomplete was left at the destination.'),
  /** The PACS's Error Comment is left out: free text from another system may hold patient data. */
  rejectedByPacs: (node: string, status: string) => new LumenError('EXPORT_REJECTED_BY_PACS', `The PACS "${node}" refused this object (${status}).`),
  notDicom: () => new LumenError('EXPORT_NOT_DICOM', 'An object to export is not a DICOM Part 10 file; it was left out.'),
  nothingToExport: () => new LumenError('EXPORT_NOTHING_TO_EXPORT', 'There is nothing to export: the study has no images in the library.'),
  deidentifyUnavailable: () =>
    new LumenError('EXPORT_DEIDENTIFY_UNAVAILABLE', 'De-identification is not available in this version; the export was not started.'),
  derivedUnavailable: (what: string) => new LumenError('EXPORT_DERIVED_UNAVAILABLE', `Writing ${what} as DICOM is not available in this version; left out of the export.`),
};

/** Errors after which nothing else can go to this destination: the export stops there. */
const STOP_CODES = new Set(['EXPORT_DISK_FULL', 'EXPORT_CANCELLED', 'EXPORT_DESTINATION_UNWRITABLE', 'PACS_UNREACHABLE', 'PACS_TIMEOUT', 'PACS_ASSOCIATION_REJECTED', 'PACS_NODE_NOT_FOUND', 'PACS_NO_DICOMWEB']);

export const stopsExport = (error: unknown): boolean => error instanceof LumenError && STOP_CODES.has(error.code);

/** A file-system error as an export error: a full disk stops the export, other write failures too. */
export function writeError(error: unknown): LumenError {
  if (error instanceof LumenError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return exportError.diskFull(error);
  return exportError.destinationUnwritable(error);
}
