import type { NaturalDataset, ParsedDicom } from '../dicom/types';
import { stringOf } from '../dicom/parse/index';
import type { PersonName } from '../dicom/parse/index';

/** What a DICOMDIR record and an export result need from an object's header (PS3.3 F.5). */
export interface DirectoryAttributes {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  specificCharacterSet: string;
  patientName: string;
  patientId: string;
  studyInstanceUid: string;
  /** Study Date, else the first of Series, Acquisition, Content Date the object has. */
  studyDate: string;
  /** Study Time, with the same fallbacks. */
  studyTime: string;
  studyDescription: string;
  studyId: string;
  accessionNumber: string;
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: string;
  instanceNumber: string;
  contentDate: string;
  contentTime: string;
  completionFlag: string;
  verificationFlag: string;
  verificationDateTime: string;
  conceptName: { codeValue: string; codingSchemeDesignator: string; codeMeaning: string } | null;
  documentTitle: string;
  mimeType: string;
}

function text(dataset: NaturalDataset, keyword: string): string {
  const value = Array.isArray(dataset[keyword]) ? (dataset[keyword] as unknown[])[0] : dataset[keyword];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'Alphabetic' in (value as object)) {
    const name = value as PersonName;
    // PS3.5 6.2.1: component groups joined by '=', trailing empty groups dropped.
    return [name.Alphabetic, name.Ideographic ?? '', name.Phonetic ?? ''].join('=').replace(/=+$/, '');
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads the directory attributes of a parsed object (header only is enough). */
export function directoryAttributes(parsed: ParsedDicom): DirectoryAttributes {
  const d = parsed.dataset;
  const concept = Array.isArray(d.ConceptNameCodeSequence) ? (d.ConceptNameCodeSequence[0] as NaturalDataset | undefined) : undefined;
  const charset = d.SpecificCharacterSet;
  return {
    sopClassUid: text(d, 'SOPClassUID') || (stringOf(parsed.meta, 'MediaStorageSOPClassUID') ?? ''),
    sopInstanceUid: text(d, 'SOPInstanceUID') || (stringOf(parsed.meta, 'MediaStorageSOPInstanceUID') ?? ''),
    transferSyntaxUid: parsed.transferSyntaxUid,
    specificCharacterSet: Array.isArray(charset) ? charset.join('\\') : typeof charset === 'string' ? charset : '',
    patientName: text(d, 'PatientName'),
    patientId: text(d, 'PatientID'),
    studyInstanceUid: text(d, 'StudyInstanceUID'),
    studyDate: text(d, 'StudyDate') || text(d, 'SeriesDate') || text(d, 'AcquisitionDate') || text(d, 'ContentDate'),
    studyTime: text(d, 'StudyTime') || text(d, 'SeriesTime') || text(d, 'AcquisitionTime') || text(d, 'ContentTime'),
    studyDescription: text(d, 'StudyDescription'),
    studyId: text(d, 'StudyID'),
    accessionNumber: text(d, 'AccessionNumber'),
    seriesInstanceUid: text(d, 'SeriesInstanceUID'),
    modality: text(d, 'Modality'),
    seriesNumber: text(d, 'SeriesNumber'),
    instanceNumber: text(d, 'InstanceNumber'),
    contentDate: text(d, 'ContentDate'),
    contentTime: text(d, 'ContentTime'),
    completionFlag: text(d, 'CompletionFlag'),
    verificationFlag: text(d, 'VerificationFlag'),
    verificationDateTime: Array.isArray(d.VerifyingObserverSequence)
      ? text((d.VerifyingObserverSequence[0] as NaturalDataset | undefined) ?? {}, 'VerificationDateTime')
      : '',
    conceptName: concept
      ? { codeValue: text(concept, 'CodeValue'), codingSchemeDesignator: text(concept, 'CodingSchemeDesignator'), codeMeaning: text(concept, 'CodeMeaning') }
      : null,
    documentTitle: text(d, 'DocumentTitle'),
    mimeType: text(d, 'MIMETypeOfEncapsulatedDocument'),
  };
}
