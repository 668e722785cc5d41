import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import type { ImportSummarySchema, StudySummary } from '../../../shared/ipc/contract';
import type { EventBus } from '../eventBus';
import { writeCtPhantom } from '../demo/ctPhantom';
import type { IndexedInstance, StudyIndex } from './studyIndex';

export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export interface ImportProgress {
  seen: number;
  parsed: number;
  failed: number;
}

/** Indexes files (header only) under the given paths; failures are reported per file, never thrown. */
export type InstanceIndexer = (
  paths: readonly string[],
  options: { signal?: AbortSignal; onProgress: (progress: ImportProgress) => void },
) => Promise<{ seen: number; instances: IndexedInstance[]; failed: { path: string; code: string; reason: string }[] }>;

export class LibraryService {
  constructor(
    private readonly index: StudyIndex,
    private readonly indexFiles: InstanceIndexer,
    private readonly events: EventBus,
    private readonly dataDir: string,
  ) {}

  listStudies(query: { text?: string | undefined; modality?: string | undefined }): StudySummary[] {
    return this.index.studies(query);
  }

  /** Imports files in place (source files are only read). Progress goes out as library.importProgress. */
  async importPaths(paths: readonly string[], signal?: AbortSignal): Promise<ImportSummary> {
    const jobId = randomUUID();
    const emit = (progress: ImportProgress, done: boolean) =>
      this.events.emit('library.importProgress', { jobId, ...progress, done });
    const result = await this.indexFiles(paths, { signal, onProgress: (p) => emit(p, false) });
    const instancesAdded = this.index.add(result.instances);
    if (instancesAdded > 0) await this.index.save();
    emit({ seen: result.seen, parsed: result.instances.length, failed: result.failed.length }, true);
    return {
      jobId,
      filesSeen: result.seen,
      instancesAdded,
      failed: result.failed,
      studies: [...new Set(result.instances.map((i) => i.studyInstanceUid))],
    };
  }

  /** Writes a new synthetic CT phantom study into the data directory and imports it. */
  async createDemoStudy(): Promise<ImportSummary> {
    const folder = path.join(this.dataDir, 'demo', randomUUID());
    await writeCtPhantom(folder);
    return this.importPaths([folder]);
  }
}
