import type { DeidentifyOption } from '../../../shared/domain/export';
import type { ExportRequest } from '../state/exportStore';

/** The export dialog's fields, before they become a request. */
export interface ExportForm {
  kind: 'folder' | 'zip' | 'pacs';
  path: string;
  nodeId: string;
  method: 'c-store' | 'stow-rs';
  deidentify: boolean;
  options: DeidentifyOption[];
  burnedInAnnotation: 'refuse' | 'warn';
  includeMeasurements: boolean;
  includeAi: boolean;
  includeSecondaryCapture: boolean;
}

export const emptyExportForm: ExportForm = {
  kind: 'folder',
  path: '',
  nodeId: '',
  method: 'c-store',
  deidentify: false,
  options: [],
  burnedInAnnotation: 'refuse',
  includeMeasurements: false,
  includeAi: false,
  includeSecondaryCapture: false,
};

/** PS3.15 E.3 option names as a clinician reads them; Retain UIDs is listed last, off by default. */
export const DEIDENTIFY_OPTION_LABELS: Record<DeidentifyOption, string> = {
  'retain-longitudinal-modified-dates': 'Keep intervals between dates (dates shifted)',
  'retain-patient-characteristics': 'Keep patient characteristics (age, sex, size, weight)',
  'clean-descriptors': 'Clean descriptions (remove free text that may identify)',
  'retain-device-identity': 'Keep device identity (scanner, station)',
  'retain-uids': 'Keep original UIDs (not recommended)',
};
/** In the order the dialog lists them (the labels' order; a type import keeps zod out of the renderer). */
export const DEIDENTIFY_OPTIONS = Object.keys(DEIDENTIFY_OPTION_LABELS) as DeidentifyOption[];

/** The request for `studyInstanceUid`, or why the form cannot be sent yet. */
export function exportRequestOf(studyInstanceUid: string, form: ExportForm): Omit<ExportRequest, 'jobId'> | { problem: string } {
  const path = form.path.trim();
  if (form.kind !== 'pacs' && path === '') return { problem: form.kind === 'zip' ? 'Choose a ZIP file name.' : 'Choose a destination folder.' };
  if (form.kind === 'zip' && !/\.zip$/i.test(path)) return { problem: 'A ZIP file name ends in .zip.' };
  if (form.kind === 'pacs' && form.nodeId === '') return { problem: 'Choose a PACS node (add one in Settings).' };
  return {
    studyInstanceUids: [studyInstanceUid],
    destination: form.kind === 'pacs' ? { kind: 'pacs', nodeId: form.nodeId, method: form.method } : { kind: form.kind, path },
    deidentify: form.deidentify ? { options: form.options, burnedInAnnotation: form.burnedInAnnotation } : null,
    includeMeasurements: form.includeMeasurements,
    includeAi: form.includeAi,
    includeSecondaryCapture: form.includeAi && form.includeSecondaryCapture,
  };
}
