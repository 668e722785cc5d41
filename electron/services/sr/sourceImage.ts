import { numberOf, numbersOf, stringOf } from '../dicom/parse/index';
import type { NaturalDataset } from '../dicom/types';

/**
 * What a derived object needs of the image it was made from: its identity (to reference it), its
 * geometry (to register coordinates and pixels to it) and the patient and study it belongs to (copied,
 * so the derived object files with the source in every PACS).
 */
export interface SourceImage {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  frameOfReferenceUid: string | null;
  modality: string;
  rows: number;
  columns: number;
  numberOfFrames: number;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  /** Pixel Spacing (0028,0030), [between rows, between columns], mm. */
  pixelSpacing: number[] | null;
  /** Patient and General Study module attributes (PS3.3 C.7.1.1, C.7.2.1), as the source has them. */
  patientStudy: NaturalDataset;
}

/** Patient Module and General Study Module attributes a derived object copies from its source. */
export const PATIENT_STUDY_KEYWORDS = [
  'PatientName',
  'PatientID',
  'IssuerOfPatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientAge',
  'PatientWeight',
  'PatientSize',
  'PatientIdentityRemoved',
  'DeidentificationMethod',
  'StudyInstanceUID',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
  'StudyDescription',
] as const;

/** The type 2 ones: present in every object, empty when unknown (PS3.3 C.7.1.1, C.7.2.1). */
export const REQUIRED_EMPTY_KEYWORDS = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'ReferringPhysicianName', 'StudyID', 'AccessionNumber'] as const;

export function patientStudyOf(ds: NaturalDataset): NaturalDataset {
  const out: NaturalDataset = {};
  for (const keyword of PATIENT_STUDY_KEYWORDS) if (ds[keyword] !== undefined) out[keyword] = ds[keyword];
  return out;
}

/** The source record of a parsed image (header-only parsing is enough). */
export function sourceImageOf(ds: NaturalDataset): SourceImage {
  const shared = (Array.isArray(ds.SharedFunctionalGroupsSequence) ? ds.SharedFunctionalGroupsSequence[0] : undefined) as NaturalDataset | undefined;
  const perFrame = (Array.isArray(ds.PerFrameFunctionalGroupsSequence) ? ds.PerFrameFunctionalGroupsSequence[0] : undefined) as NaturalDataset | undefined;
  // Enhanced multi-frame objects keep geometry in functional groups (PS3.3 C.7.6.16); first frame's.
  const group = (macro: string): NaturalDataset => {
    const seq = (perFrame?.[macro] ?? shared?.[macro]) as NaturalDataset[] | undefined;
    return seq?.[0] ?? ds;
  };
  return {
    sopClassUid: stringOf(ds, 'SOPClassUID') ?? '',
    sopInstanceUid: stringOf(ds, 'SOPInstanceUID') ?? '',
    seriesInstanceUid: stringOf(ds, 'SeriesInstanceUID') ?? '',
    studyInstanceUid: stringOf(ds, 'StudyInstanceUID') ?? '',
    frameOfReferenceUid: stringOf(ds, 'FrameOfReferenceUID') ?? null,
    modality: stringOf(ds, 'Modality') ?? '',
    rows: numberOf(ds, 'Rows') ?? 0,
    columns: numberOf(ds, 'Columns') ?? 0,
    numberOfFrames: Math.max(1, numberOf(ds, 'NumberOfFrames') ?? 1),
    imagePositionPatient: numbersOf(group('PlanePositionSequence'), 'ImagePositionPatient', 3) ?? null,
    imageOrientationPatient: numbersOf(group('PlaneOrientationSequence'), 'ImageOrientationPatient', 6) ?? null,
    pixelSpacing: numbersOf(group('PixelMeasuresSequence'), 'PixelSpacing', 2) ?? null,
    patientStudy: patientStudyOf(ds),
  };
}
