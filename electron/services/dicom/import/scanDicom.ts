import path from 'node:path';
import { LumenError } from '../../../../shared/domain/errors';
import type { ParsedDicom } from '../types';
import { dicomDirReferencedFiles, isDicomDir } from './dicomDir';
import { readHeadersAhead } from './readHeadersAhead';
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
  /**
   * Called for each instance as soon as its header is parsed; keep what you need, not `parsed`. A returned
   * promise holds the scan until it settles: backpressure for a consumer slower than parsing.
   */
  onInstance: (path: string, parsed: ParsedDicom) => void | Promise<void>;
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
  const interval = options.progressIntervalMs ?? 100;
  const result: ScanResult = { seen: 0, parsed: 0, failed: 0, failures: [], directories: [] };
  const visited = new Set<string>();
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

  /** Each file once (a DICOMDIR may name a file the folder walk also finds), counted as it is taken up. */
  async function* admit(files: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
    for await (const file of files) {
      const key = path.resolve(file);
      if (visited.has(key)) continue;
      visited.add(key);
      if (signal?.aborted) throw cancelled();
      result.seen++;
      yield key;
    }
  }

  /**
   * Indexes files with their headers read ahead (the event loop stays free while the disk works); the
   * files a DICOMDIR references join the scan where the DICOMDIR stood.
   */
  async function scanFiles(files: AsyncIterable<string> | Iterable<string>, fromDirectory: boolean): Promise<void> {
    for await (const read of readHeadersAhead(admit(files))) {
      if (signal?.aborted) throw cancelled();
      const { file } = read;
      let referenced: string[] = [];
      let wait: void | Promise<void> = undefined;
      try {
        if (!read.ok) throw read.error;
        const { parsed } = read;
        if (isDicomDir(parsed)) {
          if (fromDirectory) continue;
          // A DICOMDIR is an index, not an instance: its referenced files join the scan.
          result.seen--;
          result.directories.push(file);
          referenced = dicomDirReferencedFiles(file, parsed);
        } else {
          result.parsed++;
          wait = options.onInstance(file, parsed);
        }
      } catch (error) {
        if (error instanceof LumenError) fail(file, error.code, error.message);
        else fail(file, 'DICOM_FILE_UNREADABLE', 'The file could not be read.');
      } finally {
        emit();
      }
      if (wait) await wait;
      if (referenced.length > 0) await scanFiles(referenced, true);
    }
  }

  for (const input of inputs) {
    try {
      await scanFiles(walkFiles(path.resolve(input), signal), false);
    } catch (error) {
      if (error instanceof LumenError && error.code === 'IMPORT_CANCELLED') throw error;
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      fail(input, missing ? 'IMPORT_PATH_NOT_FOUND' : 'IMPORT_PATH_UNREADABLE', missing ? 'The path does not exist.' : 'The path could not be read.');
    }
    if (signal?.aborted) break;
  }
  if (signal?.aborted) throw cancelled();
  emit(true);
  return result;
}
