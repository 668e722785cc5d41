import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { parseDicomFile } from '../dicom/parse/index';
import { numberOf, stringOf } from '../dicom/parse/index';
import type { NaturalDataset } from '../dicom/types';
import type { InstanceIndexer } from './libraryService';
import type { IndexedInstance } from './studyIndex';

/** Header-only reads in flight at once: enough to hide disk latency, few enough to bound memory. */
const CONCURRENCY = 8;
/** Progress is emitted at most this often, so a 10,000-file import does not flood the renderer. */
const PROGRESS_INTERVAL_MS = 100;

/** Every file under the given paths (folders recursively, hidden entries skipped). */
async function* walk(target: string, signal?: AbortSignal): AsyncGenerator<string> {
  const info = await stat(target);
  if (info.isFile()) {
    yield target;
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(target, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (signal?.aborted) return;
    if (entry.name.startsWith('.')) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) yield* walk(full, signal);
    else if (entry.isFile()) yield full;
  }
}

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

/** The library's indexer: header-only parse of every file; a bad file is reported and skipped. */
export const indexDicomFiles: InstanceIndexer = async (paths, { signal, onProgress }) => {
  const instances: IndexedInstance[] = [];
  const failed: { path: string; code: string; reason: string }[] = [];
  let seen = 0;
  let lastEmit = 0;
  const emit = (force = false) => {
    const now = Date.now();
    if (force || now - lastEmit >= PROGRESS_INTERVAL_MS) {
      lastEmit = now;
      onProgress({ seen, parsed: instances.length, failed: failed.length });
    }
  };

  const inFlight = new Set<Promise<void>>();
  const indexOne = async (file: string) => {
    try {
      const parsed = await parseDicomFile(file, { headerOnly: true });
      const instance = toInstance(file, parsed.dataset);
      if (instance) instances.push(instance);
      else failed.push({ path: file, code: 'LIBRARY_NOT_AN_INSTANCE', reason: 'No SOP, study or series UID: not a storable DICOM instance.' });
    } catch (error) {
      if (error instanceof LumenError) failed.push({ path: file, code: error.code, reason: error.message });
      else failed.push({ path: file, code: 'DICOM_FILE_UNREADABLE', reason: 'The file could not be read.' });
    }
    emit();
  };

  for (const target of paths) {
    try {
      for await (const file of walk(path.resolve(target), signal)) {
        if (signal?.aborted) break;
        seen++;
        const job = indexOne(file).finally(() => inFlight.delete(job));
        inFlight.add(job);
        if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'LIBRARY_PATH_NOT_FOUND' : 'LIBRARY_PATH_UNREADABLE';
      failed.push({ path: target, code, reason: code === 'LIBRARY_PATH_NOT_FOUND' ? 'The path does not exist.' : 'The path could not be read.' });
    }
  }
  await Promise.all(inFlight);
  emit(true);
  return { seen, instances, failed };
};
