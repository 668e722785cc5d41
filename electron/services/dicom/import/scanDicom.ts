import path from 'node:path';
import { LumenError } from '../../../../shared/domain/errors';
import { parseDicomFile } from '../parse/index';
import type { ParsedDicom } from '../types';
import { dicomDirReferencedFiles, isDicomDir } from './dicomDir';
import { walkFiles } from './walkFiles';

export interface ScanProgress {
  /** Files found so far (DICOMDIR references included). */
  seen: number;
  /** Files parsed as DICOM instances. */
  parsed: number;
  /** Files that could not be read as DICOM. */
  failed: number;
}

export interface ScanFailure {
  path: string;
  code: string;
  /** One line, no patient data. */
  reason: string;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Header reads in flight at once (default 8): hides disk latency, bounds memory. */
  concurrency?: number;
  /** Called for each instance as soon as its header is parsed; keep what you need, not `parsed`. */
  onInstance: (path: string, parsed: ParsedDicom) => void;
  onProgress?: (progress: ScanProgress) => void;
  /** Least time between two progress calls (default 100 ms); the last call always comes. */
  progressIntervalMs?: number;
}

export interface ScanResult extends ScanProgress {
  failures: ScanFailure[];
  /** DICOMDIR files that were read as directories (their referenced files are in `seen`). */
  directories: string[];
}

/**
 * Indexes files, folders (recursively) and DICOMDIRs with header-only parses: each file is read once,
 * a file that fails is reported with a one-line reason and the scan goes on. Aborting stops it between
 * files and rejects with IMPORT_CANCELLED.
 */
export async function scanDicom(inputs: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const { signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const interval = options.progressIntervalMs ?? 100;
  const result: ScanResult = { seen: 0, parsed: 0, failed: 0, failures: [], directories: [] };
  const visited = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let lastEmit = -Infinity;
  const emit = (force = false) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastEmit < interval)) return;
    lastEmit = now;
    options.onProgress({ seen: result.seen, parsed: result.parsed, failed: result.failed });
  };
  const fail = (file: string, code: string, reason: string) => {
    result.failed++;
    result.failures.push({ path: file, code, reason });
  };
  const cancelled = () => new LumenError('IMPORT_CANCELLED', 'The import was cancelled.');

  const indexOne = async (file: string, fromDirectory: boolean): Promise<void> => {
    try {
      const parsed = await parseDicomFile(file, { headerOnly: true });
      if (isDicomDir(parsed)) {
        if (fromDirectory) return;
        // A DICOMDIR is an index, not an instance: its referenced files join the scan.
        result.seen--;
        result.directories.push(file);
        const referenced = dicomDirReferencedFiles(file, parsed);
        for (const ref of referenced) await enqueue(ref, true);
        return;
      }
      result.parsed++;
      options.onInstance(file, parsed);
    } catch (error) {
      if (error instanceof LumenError) fail(file, error.code, error.message);
      else fail(file, 'DICOM_FILE_UNREADABLE', 'The file could not be read.');
    } finally {
      emit();
    }
  };

  async function enqueue(file: string, fromDirectory: boolean): Promise<void> {
    const key = path.resolve(file);
    if (visited.has(key)) return;
    visited.add(key);
    if (signal?.aborted) throw cancelled();
    result.seen++;
    const job: Promise<void> = indexOne(key, fromDirectory).finally(() => inFlight.delete(job));
    inFlight.add(job);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }

  for (const input of inputs) {
    try {
      for await (const file of walkFiles(path.resolve(input), signal)) await enqueue(file, false);
    } catch (error) {
      if (error instanceof LumenError && error.code === 'IMPORT_CANCELLED') throw error;
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      fail(input, missing ? 'IMPORT_PATH_NOT_FOUND' : 'IMPORT_PATH_UNREADABLE', missing ? 'The path does not exist.' : 'The path could not be read.');
    }
    if (signal?.aborted) break;
  }
  // Directory references enqueue more work while earlier jobs finish: drain until nothing is left.
  while (inFlight.size > 0) await Promise.all(inFlight);
  if (signal?.aborted) throw cancelled();
  emit(true);
  return result;
}
