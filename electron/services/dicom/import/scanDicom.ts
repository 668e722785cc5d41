import path from 'node:path';
import { LumenError } from '../../../../shared/domain/errors';
import { parseDicomFileHeader } from '../parse/index';
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

/** Longest stretch of synchronous header parsing before the scan lets the event loop turn (IPC, progress). */
const SLICE_MS = 16;

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
  let sliceStart = performance.now();
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

  /** Parses one file's header; returns the files a DICOMDIR references (empty for anything else). */
  const indexOne = (file: string, fromDirectory: boolean): { referenced: string[]; wait?: Promise<void> } => {
    try {
      const parsed = parseDicomFileHeader(file);
      if (isDicomDir(parsed)) {
        if (fromDirectory) return { referenced: [] };
        // A DICOMDIR is an index, not an instance: its referenced files join the scan.
        result.seen--;
        result.directories.push(file);
        return { referenced: dicomDirReferencedFiles(file, parsed) };
      }
      result.parsed++;
      const wait = options.onInstance(file, parsed);
      if (wait) return { referenced: [], wait };
    } catch (error) {
      if (error instanceof LumenError) fail(file, error.code, error.message);
      else fail(file, 'DICOM_FILE_UNREADABLE', 'The file could not be read.');
    } finally {
      emit();
    }
    return { referenced: [] };
  };

  async function visit(file: string, fromDirectory: boolean): Promise<void> {
    const key = path.resolve(file);
    if (visited.has(key)) return;
    visited.add(key);
    if (signal?.aborted) throw cancelled();
    result.seen++;
    const { referenced, wait } = indexOne(key, fromDirectory);
    if (wait) await wait;
    for (const file of referenced) await visit(file, true);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }

  for (const input of inputs) {
    try {
      for await (const file of walkFiles(path.resolve(input), signal)) await visit(file, false);
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
