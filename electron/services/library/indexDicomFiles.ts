import { numberOf, stringOf } from '../dicom/parse/index';
import { scanDicom } from '../dicom/import/index';
import type { NaturalDataset } from '../dicom/types';
import type { InstanceIndexer } from './libraryService';
import type { IndexedInstance } from './studyIndex';

function personName(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: string }).Alphabetic);
  return '';
}

function toInstance(file: string, ds: NaturalDataset): IndexedInstance | null {
  const sop = stringOf(ds, 'SOPInstanceUID');
  const study = stringOf(ds, 'StudyInstanceUID');
  const series = stringOf(ds, 'SeriesInstanceUID');
  if (!sop || !study || !series) return null;
  return {
    path: file,
    sopInstanceUid: sop,
    studyInstanceUid: study,
    seriesInstanceUid: series,
    patientName: personName(ds.PatientName),
    patientId: stringOf(ds, 'PatientID') ?? '',
    studyDate: stringOf(ds, 'StudyDate') ?? '',
    accessionNumber: stringOf(ds, 'AccessionNumber') ?? '',
    studyDescription: stringOf(ds, 'StudyDescription') ?? '',
    seriesDescription: stringOf(ds, 'SeriesDescription') ?? '',
    seriesNumber: numberOf(ds, 'SeriesNumber') ?? null,
    modality: stringOf(ds, 'Modality') ?? 'OT',
  };
}

/** The library's indexer: the DICOM engine's header-only scan, keeping the facts the library lists. */
export const indexDicomFiles: InstanceIndexer = async (paths, { signal, onProgress }) => {
  const instances: IndexedInstance[] = [];
  const failed: { path: string; code: string; reason: string }[] = [];
  const result = await scanDicom(paths, {
    ...(signal ? { signal } : {}),
    onProgress,
    onInstance: (file, parsed) => {
      const instance = toInstance(file, parsed.dataset);
      if (instance) instances.push(instance);
      else failed.push({ path: file, code: 'LIBRARY_NOT_AN_INSTANCE', reason: 'No SOP, study or series UID: not a storable DICOM instance.' });
    },
  });
  failed.push(...result.failures);
  return { seen: result.seen, instances, failed };
};
