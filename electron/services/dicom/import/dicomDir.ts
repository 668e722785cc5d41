import path from 'node:path';
import type { NaturalDataset, ParsedDicom } from '../types';

/** Media Storage Directory Storage (PS3.4 Annex F, PS3.10 8.6): the DICOMDIR's SOP Class. */
export const MEDIA_STORAGE_DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';

export function isDicomDir(parsed: ParsedDicom): boolean {
  return parsed.meta.MediaStorageSOPClassUID === MEDIA_STORAGE_DIRECTORY_SOP_CLASS || 'DirectoryRecordSequence' in parsed.dataset;
}

/**
 * The files a DICOMDIR references: each directory record's Referenced File ID (0004,1500), path
 * components relative to the DICOMDIR's folder (PS3.3 F.3.2.2, PS3.10 8.5). Components that would leave
 * that folder are ignored: a directory on removable media cannot point elsewhere.
 */
export function dicomDirReferencedFiles(dicomDirPath: string, parsed: ParsedDicom): string[] {
  const root = path.dirname(path.resolve(dicomDirPath));
  const records = parsed.dataset.DirectoryRecordSequence;
  if (!Array.isArray(records)) return [];
  const out: string[] = [];
  for (const record of records as NaturalDataset[]) {
    const id = record.ReferencedFileID;
    const parts = (Array.isArray(id) ? id : [id]).filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length === 0) continue;
    const full = path.resolve(root, ...parts);
    if (full.startsWith(root + path.sep)) out.push(full);
  }
  return out;
}
