import dcmjs from 'dcmjs';
import { LUMEN_VERSION } from '../version';
import { newUid } from '../dicom/uid';
import type { NaturalDataset } from '../dicom/types';
import { writePart10 } from './part10';
import { REQUIRED_EMPTY_KEYWORDS } from './sourceImage';

export interface WrittenObject {
  bytes: Uint8Array;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
}

/** DA and TM of a moment, in local time as DICOM dates are (PS3.5 6.2). */
export function dicomDateTime(now: Date): { date: string; time: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}`,
    time: `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`,
  };
}

const VALUE_RULES: Record<string, RegExp> = {
  DA: /^\d{8}$/,
  TM: /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/,
  AS: /^\d{3}[DWMY]$/,
  DS: /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/,
};

/** Longest value of the string VRs a source may overfill (PS3.5 6.2). */
const MAX_LENGTH: Record<string, number> = { SH: 16, LO: 64, CS: 16, AS: 4 };

function validFor(keyword: string, value: unknown): boolean {
  const vr = dcmjs.data.DicomMetaDictionary.nameMap[keyword]?.vr as string;
  const rule = VALUE_RULES[vr];
  const max = MAX_LENGTH[vr];
  return (Array.isArray(value) ? value : [value]).every(
    (v) => v === '' || v === null || typeof v === 'object' || ((!rule || rule.test(String(v))) && (!max || String(v).length <= max)),
  );
}

/** The Patient and General Study modules: copied values, type 2 attributes present even when empty. */
export function patientStudyModules(patientStudy: NaturalDataset): NaturalDataset {
  const out: NaturalDataset = {};
  // A value the source holds against its VR's rules (a hashed birth date, seen in the wild) is left empty
  // rather than copied into an object that would then be invalid.
  for (const [keyword, value] of Object.entries(patientStudy)) if (validFor(keyword, value)) out[keyword] = value;
  for (const keyword of REQUIRED_EMPTY_KEYWORDS) out[keyword] ??= '';
  out.StudyInstanceUID ??= newUid();
  return out;
}

/** Lumen as the General Equipment (PS3.3 C.7.5.1) of everything it writes. */
export function equipmentModule(): NaturalDataset {
  return { Manufacturer: 'Lumen', ManufacturerModelName: 'Lumen workstation', SoftwareVersions: LUMEN_VERSION, DeviceSerialNumber: 'none' };
}

export interface NewInstanceSpec {
  sopClassUid: string;
  /** Patient and study attributes to copy (from the source images); a new study when none. */
  patientStudy: NaturalDataset;
  modality: string;
  seriesNumber: number;
  seriesDescription: string;
  now?: Date;
}

/**
 * What every object Lumen creates shares: SOP Common (UTF-8, new SOP Instance UID, creation time), the
 * copied Patient and General Study modules, a new series of its own, Lumen as the General Equipment, and
 * the instance's number and content date and time. `write` adds the object's own modules and gives the
 * Part 10 bytes with the identities an export needs.
 */
export function newInstance(spec: NewInstanceSpec): { write: (rest: NaturalDataset, vrs?: Record<string, string>) => WrittenObject } {
  const { date, time } = dicomDateTime(spec.now ?? new Date());
  const study = patientStudyModules(spec.patientStudy);
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const modules: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: spec.sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    ...study,
    Modality: spec.modality,
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: String(spec.seriesNumber),
    SeriesDescription: spec.seriesDescription.slice(0, 64),
    SeriesDate: date,
    SeriesTime: time,
    ...equipmentModule(),
    InstanceNumber: '1',
    ContentDate: date,
    ContentTime: time,
  };
  return {
    write: (rest, vrs) => ({
      bytes: writePart10({ ...modules, ...rest }, vrs),
      sopClassUid: spec.sopClassUid,
      sopInstanceUid,
      seriesInstanceUid,
      studyInstanceUid: String(study.StudyInstanceUID),
    }),
  };
}
