import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { StudySummary } from '../../../shared/ipc/contract';
import { writeFileAtomic } from '../atomicWrite';

/**
 * The header facts the library keeps per instance. The import indexes each file once (header only)
 * and the library never re-reads it to list or search.
 */
export const IndexedInstanceSchema = z.object({
  path: z.string(),
  sopInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  accessionNumber: z.string(),
  studyDescription: z.string(),
  seriesDescription: z.string(),
  seriesNumber: z.number().nullable(),
  modality: z.string(),
});
export type IndexedInstance = z.infer<typeof IndexedInstanceSchema>;

const SnapshotSchema = z.object({ version: z.literal(1), instances: z.array(IndexedInstanceSchema) });

/**
 * The study library's index. Foundation version: instances keyed by SOP Instance UID (so an import run
 * twice adds nothing), saved atomically as one JSON snapshot after each import. The SQLite library
 * (issue 4) replaces the storage behind the same methods.
 */
export class StudyIndex {
  private readonly instances = new Map<string, IndexedInstance>();

  private constructor(private readonly file: string) {}

  static async open(dataDir: string): Promise<StudyIndex> {
    const index = new StudyIndex(path.join(dataDir, 'library.json'));
    let text: string | undefined;
    try {
      text = await readFile(index.file, 'utf8');
    } catch {
      return index;
    }
    const snapshot = SnapshotSchema.parse(JSON.parse(text));
    for (const instance of snapshot.instances) index.instances.set(instance.sopInstanceUid, instance);
    return index;
  }

  /** Adds instances not yet known; returns how many were new. */
  add(instances: readonly IndexedInstance[]): number {
    let added = 0;
    for (const instance of instances) {
      if (this.instances.has(instance.sopInstanceUid)) continue;
      this.instances.set(instance.sopInstanceUid, instance);
      added++;
    }
    return added;
  }

  async save(): Promise<void> {
    const snapshot = { version: 1 as const, instances: [...this.instances.values()] };
    await writeFileAtomic(this.file, JSON.stringify(snapshot));
  }

  studies(query: { text?: string | undefined; modality?: string | undefined } = {}): StudySummary[] {
    const byStudy = new Map<string, StudySummary>();
    for (const i of this.instances.values()) {
      let study = byStudy.get(i.studyInstanceUid);
      if (!study) {
        study = {
          studyInstanceUid: i.studyInstanceUid,
          patientName: i.patientName,
          patientId: i.patientId,
          studyDate: i.studyDate,
          accessionNumber: i.accessionNumber,
          description: i.studyDescription,
          modalities: [],
          series: [],
        };
        byStudy.set(i.studyInstanceUid, study);
      }
      let series = study.series.find((s) => s.seriesInstanceUid === i.seriesInstanceUid);
      if (!series) {
        series = {
          seriesInstanceUid: i.seriesInstanceUid,
          modality: i.modality,
          seriesNumber: i.seriesNumber,
          description: i.seriesDescription,
          instanceCount: 0,
        };
        study.series.push(series);
        if (!study.modalities.includes(i.modality)) study.modalities.push(i.modality);
      }
      series.instanceCount++;
    }
    const needle = foldForSearch(query.text ?? '');
    return [...byStudy.values()]
      .filter((s) => !query.modality || s.modalities.includes(query.modality))
      .filter(
        (s) =>
          needle === '' ||
          [s.patientName, s.patientId, s.accessionNumber, s.description].some((field) => foldForSearch(field).includes(needle)),
      )
      .map((s) => ({ ...s, series: s.series.sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0)) }))
      .sort((a, b) => b.studyDate.localeCompare(a.studyDate));
  }
}

/** Case- and accent-insensitive search key; PN component separators (^) read as spaces. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replaceAll('^', ' ')
    .toLowerCase()
    .trim();
}
