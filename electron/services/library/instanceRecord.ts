import { numberOf, stringOf } from '../dicom/parse/index';
import type { ParsedDicom } from '../dicom/types';
import { sliceHeaders, type SliceHeader } from '../dicom/series/index';

/**
 * The header facts the library keeps per instance: read once at import (header only), never re-read
 * to list or search. Names follow PS3.3 (Patient, General Study, General Series, SOP Common modules).
 */
export interface InstanceRecord {
  /** Where the file is: the source (reference mode) or its copy in the managed store. */
  path: string;
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  instanceNumber: number | null;
  transferSyntaxUid: string;
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
  studyDescription: string;
  seriesDescription: string;
  seriesNumber: number | null;
  modality: string;
  fileSize: number;
  /** The image planes of the instance as series assembly reads them, for the viewer; null when none. */
  planes: StoredPlane[] | null;
}

/** A SliceHeader as the library keeps it: the path is the file's, wherever the file is now. */
export type StoredPlane = Omit<SliceHeader, 'path'>;

/** PN values arrive as a string or as dcmjs's {Alphabetic, Ideographic, Phonetic} object. */
export function personNameText(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const pn = first as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    const groups = [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? ''];
    while (groups.length > 1 && groups.at(-1) === '') groups.pop();
    return groups.join('=');
  }
  return '';
}

/** The record of one parsed header; null when the object lacks the UIDs every stored instance has. */
export function instanceRecordOf(file: string, parsed: ParsedDicom, fileSize: number): InstanceRecord | null {
  const { dataset, meta, transferSyntaxUid } = parsed;
  const sopInstanceUid = stringOf(dataset, 'SOPInstanceUID') ?? stringOf(meta, 'MediaStorageSOPInstanceUID');
  const studyInstanceUid = stringOf(dataset, 'StudyInstanceUID');
  const seriesInstanceUid = stringOf(dataset, 'SeriesInstanceUID');
  if (!sopInstanceUid || !studyInstanceUid || !seriesInstanceUid) return null;
  const text = (keyword: string) => stringOf(dataset, keyword) ?? '';
  return {
    path: file,
    sopInstanceUid,
    sopClassUid: stringOf(dataset, 'SOPClassUID') ?? stringOf(meta, 'MediaStorageSOPClassUID') ?? '',
    studyInstanceUid,
    seriesInstanceUid,
    instanceNumber: numberOf(dataset, 'InstanceNumber') ?? null,
    transferSyntaxUid,
    patientName: personNameText(dataset.PatientName),
    patientId: text('PatientID'),
    patientBirthDate: text('PatientBirthDate'),
    patientSex: text('PatientSex'),
    studyDate: text('StudyDate'),
    studyTime: text('StudyTime'),
    accessionNumber: text('AccessionNumber'),
    studyDescription: text('StudyDescription'),
    seriesDescription: text('SeriesDescription'),
    seriesNumber: numberOf(dataset, 'SeriesNumber') ?? null,
    modality: text('Modality') || 'OT',
    fileSize,
    planes: storedPlanes(file, parsed),
  };
}

/** The planes series assembly would read from this header; null for objects without image planes (SR, PR). */
function storedPlanes(file: string, parsed: ParsedDicom): StoredPlane[] | null {
  if (parsed.dataset.Rows === undefined || parsed.dataset.Columns === undefined) return null;
  try {
    return sliceHeaders(file, parsed).map(({ path: _path, ...plane }) => plane);
  } catch {
    // The viewer reads the file itself then, and reports what is wrong with it.
    return null;
  }
}
