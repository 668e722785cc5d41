import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { scanDicom, type ScanFailure } from '../dicom/import/index';
import type { ParsedDicom } from '../dicom/types';
import { instanceRecordOf, type InstanceRecord } from './instanceRecord';
import type { LibraryDatabase } from './libraryDatabase';
import { copyIntoStore, managedPathFor } from './managedStore';

export type ImportMode = 'reference' | 'copy';

export interface LibraryImportProgress {
  seen: number;
  parsed: number;
  failed: number;
  /** New instances committed so far. */
  stored: number;
}

export interface LibraryImportOptions {
  mode: ImportMode;
  /** The managed store (copy mode). */
  storeDir: string;
  signal?: AbortSignal;
  onProgress?: (progress: LibraryImportProgress) => void;
  /**
   * After each committed batch: the series it added instances to (with their studies). Also for an
   * import that stops later (a full disk): what it committed is in the library.
   */
  onAdded?: (series: { studyInstanceUid: string; seriesInstanceUid: string }[]) => void;
  /** Instances per transaction (default 500, 50 in copy mode): fewer commits, fewer fsyncs. */
  batchSize?: number;
  /** Longest time parsed instances wait before being committed (default 250 ms), so a crash loses little. */
  batchIntervalMs?: number;
}

export interface LibraryImportResult extends LibraryImportProgress {
  failures: ScanFailure[];
  /** SOP Instance UIDs added by this import (not those already in the library). */
  added: string[];
  /** Instances read but not added because the library (or an earlier file of this import) holds their SOP Instance UID. */
  alreadyInLibrary: number;
  /** Every study seen, with how many of its instances this import added. */
  studies: string[];
  addedPerStudy: Map<string, number>;
  /** Structured Reports among the imported files (added or already known): results to restore from. */
  structuredReports: string[];
}

/** SR Storage SOP classes share this root (PS3.4 B.5: 1.2.840.10008.5.1.4.1.1.88.x). */
const SR_SOP_CLASS_ROOT = '1.2.840.10008.5.1.4.1.1.88.';

/** Instances per transaction (at most; a batch also closes after batchIntervalMs). */
const REFERENCE_BATCH = 500;
const COPY_BATCH = 50;

/** Copies in flight at once in copy mode: hides disk latency without flooding the file system. */
const COPY_CONCURRENCY = 8;

/**
 * Imports files, folders and DICOMDIRs into the library: header-only scan (the DICOM engine's
 * scanDicom), then batched transactions. De-duplicates by SOP Instance UID; never writes to sources.
 * Crash safety: a batch is one transaction, and in copy mode its files are complete in the store before
 * the batch commits, so every committed instance has its file. Re-running an import completes it.
 */
export async function importIntoLibrary(db: LibraryDatabase, inputs: readonly string[], options: LibraryImportOptions): Promise<LibraryImportResult> {
  // Copy mode copies every file of a batch before committing it: smaller batches keep the stored count
  // moving and lose less copying when the disk fills (header parsing alone would fill 500 in ~70 ms).
  const batchSize = options.batchSize ?? (options.mode === 'copy' ? COPY_BATCH : REFERENCE_BATCH);
  const interval = options.batchIntervalMs ?? 250;
  const storeRoot = path.resolve(options.storeDir) + path.sep;
  const abort = new AbortController();
  const stopScan = () => abort.abort();
  options.signal?.addEventListener('abort', stopScan, { once: true });

  const progress: LibraryImportProgress = { seen: 0, parsed: 0, failed: 0, stored: 0 };
  const writeFailures: ScanFailure[] = [];
  const added: string[] = [];
  let alreadyInLibrary = 0;
  const studies = new Set<string>();
  const addedPerStudy = new Map<string, number>();
  const structuredReports: string[] = [];
  let pending: { file: string; parsed: ParsedDicom }[] = [];
  let lastCommit = performance.now();
  let writes: Promise<void> = Promise.resolve();
  let fatal: unknown;
  const report = () => options.onProgress?.({ ...progress, failed: progress.failed + writeFailures.length });

  const writeBatch = async (batch: { file: string; parsed: ParsedDicom }[]) => {
    if (fatal !== undefined) return;
    try {
      const records = await recordsOf(batch, writeFailures);
      // addInstances skips UIDs the library holds; copy mode asks first only so as not to copy their files.
      const known = options.mode === 'copy' ? db.knownInstances(records.map((r) => r.sopInstanceUid)) : new Set<string>();
      const fresh = records.filter((r) => !known.has(r.sopInstanceUid));
      const stored = options.mode === 'copy' ? await copyAll(fresh, options.storeDir, writeFailures) : fresh;
      // A file inside the library's own store is the library's copy whatever the mode: re-indexing the
      // store (repairLibrary) gives it back to the library, which may delete it with its study.
      const inStore = (r: InstanceRecord) => options.mode === 'copy' || path.resolve(r.path).startsWith(storeRoot);
      const uids = [...db.addInstances(stored.filter(inStore), true), ...db.addInstances(stored.filter((r) => !inStore(r)), false)];
      added.push(...uids);
      alreadyInLibrary += records.length - fresh.length + (stored.length - uids.length);
      const recordOf = new Map(stored.map((r) => [r.sopInstanceUid, r]));
      const series = new Map<string, { studyInstanceUid: string; seriesInstanceUid: string }>();
      for (const uid of uids) {
        const { studyInstanceUid, seriesInstanceUid } = recordOf.get(uid)!;
        addedPerStudy.set(studyInstanceUid, (addedPerStudy.get(studyInstanceUid) ?? 0) + 1);
        series.set(seriesInstanceUid, { studyInstanceUid, seriesInstanceUid });
      }
      if (series.size > 0) options.onAdded?.([...series.values()]);
      progress.stored += uids.length;
      report();
    } catch (error) {
      fatal = error;
      abort.abort();
    }
  };
  /** Batches handed to the writer and not yet written, oldest first. */
  const unwritten: Promise<void>[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    lastCommit = performance.now();
    const written = writes.then(() => writeBatch(batch));
    writes = written;
    unwritten.push(written);
    void written.finally(() => unwritten.splice(unwritten.indexOf(written), 1)).catch(() => undefined);
  };

  let scanError: unknown;
  const scan = await scanDicom(inputs, {
    signal: abort.signal,
    onInstance: (file, parsed) => {
      pending.push({ file, parsed: { ...parsed, pixelData: undefined } });
      if (pending.length >= batchSize || performance.now() - lastCommit >= interval) flush();
      // Parsing outruns copying and committing: while a batch waits behind the one being written, the
      // scan waits for the one being written, so parsed headers do not pile up on a large import and
      // the writer always has the next batch ready.
      return unwritten.length > 1 ? unwritten[0] : undefined;
    },
    onProgress: (p) => {
      Object.assign(progress, p);
      report();
    },
  }).catch((error: unknown) => {
    scanError = error;
    return undefined;
  });
  if (pending.length > 0) flush();
  await writes;
  options.signal?.removeEventListener('abort', stopScan);

  if (fatal !== undefined) {
    if (fatal instanceof LumenError) throw fatal;
    throw new LumenError('LIBRARY_WRITE_FAILED', 'The library could not save the imported studies (is the disk full?); everything saved before is kept.', { cause: fatal });
  }
  if (scanError !== undefined || !scan) throw scanError instanceof LumenError ? scanError : new LumenError('IMPORT_FAILED', 'The import stopped unexpectedly; studies saved before are kept.', { cause: scanError });
  Object.assign(progress, { seen: scan.seen, parsed: scan.parsed, failed: scan.failed });
  const failures = [...scan.failures, ...writeFailures];
  report();
  return { ...progress, failed: failures.length, failures, added, alreadyInLibrary, studies: [...studies], addedPerStudy, structuredReports };

  async function recordsOf(batch: { file: string; parsed: ParsedDicom }[], failures: ScanFailure[]): Promise<InstanceRecord[]> {
    const records: InstanceRecord[] = [];
    const sizes = await Promise.all(batch.map(({ file }) => stat(file).then((s) => s.size, () => -1)));
    batch.forEach(({ file, parsed }, i) => {
      const record = instanceRecordOf(file, parsed, sizes[i] ?? -1);
      if (!record) failures.push({ path: file, code: 'LIBRARY_NOT_AN_INSTANCE', reason: 'No SOP, study or series UID: not a storable DICOM instance.' });
      else {
        records.push(record);
        studies.add(record.studyInstanceUid);
        if (record.sopClassUid.startsWith(SR_SOP_CLASS_ROOT)) structuredReports.push(file);
      }
    });
    return records;
  }
}

async function copyAll(records: InstanceRecord[], storeDir: string, failures: ScanFailure[]): Promise<InstanceRecord[]> {
  const copied: InstanceRecord[] = [];
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++]!;
      const destination = managedPathFor(storeDir, record);
      try {
        await copyIntoStore(record.path, destination);
        copied.push({ ...record, path: destination });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC') throw new LumenError('LIBRARY_DISK_FULL', 'The disk holding the library is full; studies saved before are kept. Free space and import again.', { cause: error });
        failures.push({ path: record.path, code: 'LIBRARY_COPY_FAILED', reason: 'The file could not be copied into the library store.' });
      }
    }
  };
  await Promise.all(Array.from({ length: COPY_CONCURRENCY }, worker));
  return copied;
}
