import { LumenError } from '../../../shared/domain/errors';

/**
 * PACS errors: stable codes, a sentence for the clinician naming the node (never patient data), the
 * low-level cause kept for the log.
 */
export const pacsError = {
  unreachable: (node: string, cause?: unknown) =>
    new LumenError('PACS_UNREACHABLE', `The PACS "${node}" could not be reached: check that it is running and that its host and port are right.`, { cause }),
  tlsFailed: (node: string, cause?: unknown) =>
    new LumenError('PACS_TLS_FAILED', `The secure (TLS) connection to the PACS "${node}" failed: its certificate could not be verified, or it does not speak TLS. Check the CA file and the TLS setting.`, { cause }),
  timeout: (node: string) => new LumenError('PACS_TIMEOUT', `The PACS "${node}" did not answer in time.`),
  rejected: (node: string, reason: string) =>
    new LumenError('PACS_ASSOCIATION_REJECTED', `The PACS "${node}" refused the connection (${reason}): check the AE titles configured on both sides.`),
  aborted: (node: string) => new LumenError('PACS_ASSOCIATION_ABORTED', `The PACS "${node}" broke off the connection.`),
  failed: (node: string, operation: string, status: string) =>
    new LumenError('PACS_OPERATION_FAILED', `The PACS "${node}" could not complete the ${operation} (status ${status}).`),
  noDicomWeb: (node: string) => new LumenError('PACS_NO_DICOMWEB', `The PACS "${node}" has no DICOMweb address configured.`),
  httpError: (node: string, status: number) =>
    new LumenError('PACS_DICOMWEB_ERROR', `The DICOMweb server of "${node}" answered with an error (HTTP ${status}).`),
  garbage: (node: string, cause?: unknown) =>
    new LumenError('PACS_DICOMWEB_INVALID_RESPONSE', `The DICOMweb server of "${node}" sent an answer that is not valid DICOMweb.`, { cause }),
  nodeNotFound: () => new LumenError('PACS_NODE_NOT_FOUND', 'This PACS node is not configured; add it in Settings.'),
};
