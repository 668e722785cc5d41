import type { RemoteQuery, RetrieveMethod } from '../state/networkStore';

export interface RemoteQueryForm {
  patientName: string;
  patientId: string;
  accessionNumber: string;
  dateFrom: string;
  dateTo: string;
  modality: string;
}
export const emptyRemoteQuery: RemoteQueryForm = { patientName: '', patientId: '', accessionNumber: '', dateFrom: '', dateTo: '', modality: '' };

/** Date inputs (YYYY-MM-DD) as a DA range matching key, open at either end (PS3.4 C.2.2.2.5). */
export function studyDateRange(from: string, to: string): string {
  const da = (d: string) => d.replaceAll('-', '');
  if (!from && !to) return '';
  if (from && from === to) return da(from);
  return `${da(from)}-${da(to)}`;
}

export function remoteQueryOf(form: RemoteQueryForm): RemoteQuery {
  return {
    patientName: form.patientName,
    patientId: form.patientId,
    accessionNumber: form.accessionNumber,
    studyDate: studyDateRange(form.dateFrom, form.dateTo),
    modality: form.modality,
  };
}

/**
 * C-GET by default: it needs nothing from the PACS's configuration, where C-MOVE needs the PACS to know
 * this workstation's AE title and address and the listener to be on.
 */
export function retrieveMethods(node: { port: number; dicomWebUrl?: string | undefined }): { method: RetrieveMethod; label: string }[] {
  return [
    ...(node.port ? [{ method: 'c-get' as const, label: 'C-GET' }, { method: 'c-move' as const, label: 'C-MOVE (needs the listener)' }] : []),
    ...(node.dicomWebUrl ? [{ method: 'wado-rs' as const, label: 'WADO-RS (DICOMweb)' }] : []),
  ];
}
