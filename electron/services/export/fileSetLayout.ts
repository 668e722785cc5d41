import type { DirectoryAttributes } from './directoryAttributes';
import { patientKeyOf, writeDicomDir, type FileSetEntry } from './dicomDirWriter';

/**
 * File IDs for a File-set (PS3.10 8.2, 8.5): at most 8 components of 1-8 characters from A-Z 0-9 _,
 * which is what removable-media profiles (PS3.11) and old ISO 9660 readers accept. The hierarchy
 * mirrors the DICOMDIR's, DICOM/P0000001/S0000001/SE000001/I0000001: patient, study, series, instance.
 */
export class FileSetLayout {
  private readonly patients = new Map<string, string>();
  private readonly studies = new Map<string, { id: string; patient: string }>();
  private readonly series = new Map<string, { id: string; study: string; instances: number }>();
  private readonly studiesPerPatient = new Map<string, number>();
  private readonly seriesPerStudy = new Map<string, number>();

  fileIdFor(a: DirectoryAttributes): string[] {
    const patientKey = patientKeyOf(a);
    let patient = this.patients.get(patientKey);
    if (!patient) {
      patient = `P${pad(this.patients.size + 1, 7)}`;
      this.patients.set(patientKey, patient);
    }
    let study = this.studies.get(a.studyInstanceUid);
    if (!study) {
      const n = (this.studiesPerPatient.get(patient) ?? 0) + 1;
      this.studiesPerPatient.set(patient, n);
      study = { id: `S${pad(n, 7)}`, patient };
      this.studies.set(a.studyInstanceUid, study);
    }
    let series = this.series.get(a.seriesInstanceUid);
    if (!series) {
      const n = (this.seriesPerStudy.get(a.studyInstanceUid) ?? 0) + 1;
      this.seriesPerStudy.set(a.studyInstanceUid, n);
      series = { id: `SE${pad(n, 6)}`, study: study.id, instances: 0 };
      this.series.set(a.seriesInstanceUid, series);
    }
    series.instances += 1;
    return ['DICOM', study.patient, study.id, series.id, `I${pad(series.instances, 7)}`];
  }
}

function pad(n: number, width: number): string {
  const s = String(n);
  if (s.length > width) throw new RangeError('too many entries for an 8-character File ID component');
  return s.padStart(width, '0');
}

/** The File IDs handed out so far and the DICOMDIR that lists them. */
export class FileSetIndex {
  private readonly layout = new FileSetLayout();
  private readonly entries: FileSetEntry[] = [];

  /** A new File ID; the object is listed in the DICOMDIR only once record() says it was written. */
  allocate(attributes: DirectoryAttributes): string[] {
    return this.layout.fileIdFor(attributes);
  }

  record(fileId: readonly string[], attributes: DirectoryAttributes): void {
    this.entries.push({ fileId, attributes });
  }

  get size(): number {
    return this.entries.length;
  }

  dicomDir(): Buffer {
    return writeDicomDir(this.entries, { fileSetId: 'LUMEN_EXPORT' });
  }
}
