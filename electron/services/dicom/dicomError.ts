import { LumenError } from '../../../shared/domain/errors';

/**
 * Stable codes for everything that can be wrong with a DICOM file. Parsing, decoding and assembly all
 * use these, so an import report or a CLI line names the same defect the same way.
 */
export type DicomErrorCode =
  | 'DICOM_EMPTY'
  | 'DICOM_NOT_DICOM'
  | 'DICOM_TRUNCATED'
  | 'DICOM_BAD_LENGTH'
  | 'DICOM_BAD_VR'
  | 'DICOM_BAD_SEQUENCE'
  | 'DICOM_DEFLATE_FAILED'
  | 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX'
  | 'DICOM_PIXEL_DATA_MISSING'
  | 'DICOM_PIXEL_DATA_TOO_SHORT'
  | 'DICOM_BAD_IMAGE_ATTRIBUTES'
  | 'DICOM_FILE_UNREADABLE'
  | 'DICOM_SERIES_INCONSISTENT'
  | 'DICOM_DECODE_FAILED'
  | 'DICOM_FRAME_OUT_OF_RANGE'
  | 'DICOM_DECODE_CANCELLED';

export function dicomError(code: DicomErrorCode, message: string, options?: { cause?: unknown }): LumenError {
  return new LumenError(code, message, options);
}

export function isDicomError(error: unknown): error is LumenError {
  return error instanceof LumenError && error.code.startsWith('DICOM_');
}
