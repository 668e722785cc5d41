import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AI_RESULT_PRODUCER, AiAnalysisSchema } from '../../../shared/domain/aiResult';
import { MeasurementSchema, type Measurement } from '../../../shared/domain/measurement';
import type { ImportSummarySchema, StudySummary } from '../../../shared/ipc/contract';
import { LumenError } from '../../../shared/domain/errors';
import type { AuditLog } from '../audit/index';
import type { EventBus } from '../eventBus';
import { writeCtPhantom } from '../demo/ctPhantom';
import { readPart10 } from '../sr/part10';
import { restoreFromSr, type SrRestoreTarget } from '../sr/restoreFromSr';
import { importIntoLibrary, type ImportMode, type LibraryImportProgress } from './importIntoLibrary';
import type { LibraryDatabase, StoredFile } from './libraryDatabase';
import type { StudyQuery } from './studySearch';

export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export interface LibraryServiceOptions {
  db: LibraryDatabase;
  audit: AuditLog;
  events: EventBus;
  dataDir: string;
  /** Read at each import, so a settings change applies to the next one. */
  importMode: () => ImportMode;
}

/**
 * The study library: import (files, folders, DICOMDIRs, received and retrieved objects), search, open
 * and delete, each recorded in the audit trail.
 */
export class LibraryService {
  private readonly db: LibraryDatabase;
  readonly storeDir: string;

  constructor(private readonly options: LibraryServiceOptions) {
    this.db = options.db;
    this.storeDir = path.join(options.dataDir, 'store');
  }

  listStudies(query: StudyQuery = {}): StudySummary[] {
    return this.db.studies(query);
  }

  /**
   * Imports paths (reference in place or copy into the store, per settings or `mode`). Source files
   * are only read. Progress goes out as library.importProgress; failures are per file, never thrown,
   * except a library that cannot be written (disk full), which stops the import and keeps what was saved.
   */
  async importPaths(paths: readonly string[], options: { signal?: AbortSignal; mode?: ImportMode; onProgress?: (p: LibraryImportProgress) => void } = {}): Promise<ImportSummary> {
    const jobId = randomUUID();
    const emit = (progress: LibraryImportProgress, done: boolean) => {
      this.options.events.emit('library.importProgress', { jobId, ...progress, done });
      options.onProgress?.(progress);
    };
    const changedStudies = new Set<string>();
    const changedSeries = new Set<string>();
    try {
      const result = await importIntoLibrary(this.db, paths, {
        mode: options.mode ?? this.options.importMode(),
        storeDir: this.storeDir,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (p) => emit(p, false),
        onAdded: (series) => {
          for (const s of series) {
            changedStudies.add(s.studyInstanceUid);
            changedSeries.add(s.seriesInstanceUid);
          }
        },
      });
      await this.restoreFromReports(result.structuredReports);
      emit(result, true);
      for (const study of result.studies) {
        this.options.audit.append({ action: 'library.import', studyInstanceUid: study, outcome: 'success', detail: `instances added: ${result.addedPerStudy.get(study) ?? 0}` });
      }
      if (result.studies.length === 0) {
        this.options.audit.append({ action: 'library.import', outcome: result.failed > 0 ? 'failure' : 'success', detail: `files: ${result.seen}, failed: ${result.failed}` });
      }
      return {
        jobId,
        filesSeen: result.seen,
        instancesAdded: result.added.length,
        alreadyInLibrary: result.alreadyInLibrary,
        failed: result.failures,
        studies: result.studies,
      };
    } catch (error) {
      const code = error instanceof LumenError ? error.code : 'INTERNAL_ERROR';
      try {
        this.options.audit.append({ action: 'library.import', outcome: 'failure', detail: code });
      } catch {
        // The full disk that stopped the import may refuse the audit entry too (the trail stays
        // verifiable): the import's own error is what the user has to act on.
      }
      throw error;
    } finally {
      // Once, at the end, also when the import stopped: what it committed is in the library.
      if (changedSeries.size > 0) this.options.events.emit('library.changed', { studyInstanceUids: [...changedStudies], seriesInstanceUids: [...changedSeries] });
    }
  }

  /**
   * Measurements and AI results held in imported Structured Reports (Lumen's exports, another viewer's
   * TID 1500) come back as the study's saved results; the SR files stay instances of the study. An SR
   * Lumen cannot read restores nothing and fails nothing.
   */
  private async restoreFromReports(files: readonly string[]): Promise<void> {
    const db = this.db;
    const target: SrRestoreTarget = {
      studyFiles: (study) => db.files(study),
      seriesPlanes: (series) => db.seriesPlanes(series),
      measurements: (study) => this.measurements(study),
      saveMeasurements: (study, list) => this.saveMeasurements(study, list),
      aiResults: (study) =>
        db.derivedResults(study).flatMap((r) => {
          const parsed = r.kind === 'ai-result' && r.producer === AI_RESULT_PRODUCER ? AiAnalysisSchema.safeParse(r.payload) : undefined;
          return parsed?.success ? [parsed.data] : [];
        }),
      saveAiResult: (study, seriesInstanceUid, analysis) => db.addDerivedResult(study, { kind: 'ai-result', producer: AI_RESULT_PRODUCER, seriesInstanceUid, payload: analysis }),
    };
    for (const file of files) {
      try {
        await restoreFromSr(readPart10(await readFile(file)).dataset, target);
      } catch {
        // not a report Lumen reads: it stays an instance of its study
      }
    }
  }

  /** The files of a study, for the viewer and for export; recorded as an open in the audit trail. */
  openStudy(studyInstanceUid: string): StoredFile[] {
    const files = this.db.files(studyInstanceUid);
    if (files.length === 0) {
      this.options.audit.append({ action: 'library.open', studyInstanceUid, outcome: 'failure', detail: 'LIBRARY_STUDY_NOT_FOUND' });
      throw new LumenError('LIBRARY_STUDY_NOT_FOUND', 'This study is not in the library.');
    }
    this.options.audit.append({ action: 'library.open', studyInstanceUid, outcome: 'success', detail: `instances: ${files.length}` });
    return files;
  }

  /** Paths of a series' files, for the viewer; empty when the series is not in the library. */
  seriesFiles(seriesInstanceUid: string): string[] {
    return this.db.seriesFiles(seriesInstanceUid);
  }

  /** A series' files with the image planes stored at import, so the viewer need not re-read headers. */
  seriesPlanes(seriesInstanceUid: string): ReturnType<LibraryDatabase['seriesPlanes']> {
    return this.db.seriesPlanes(seriesInstanceUid);
  }

  /** Replaces the viewer's measurements saved with a study (the latest save is what the study has). */
  saveMeasurements(studyInstanceUid: string, measurements: readonly Measurement[]): number {
    if (!this.db.addDerivedResult(studyInstanceUid, { kind: 'measurement', producer: 'lumen-viewer', payload: measurements })) {
      throw new LumenError('LIBRARY_STUDY_NOT_FOUND', 'This study is not in the library.');
    }
    return measurements.length;
  }

  measurements(studyInstanceUid: string): Measurement[] {
    const saved = this.db.derivedResults(studyInstanceUid).filter((r) => r.kind === 'measurement' && r.producer === 'lumen-viewer');
    const latest = saved.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
    const parsed = z.array(MeasurementSchema).safeParse(latest?.payload ?? []);
    return parsed.success ? parsed.data : [];
  }

  /** SOP Instance UIDs of a study (what arrived), without an audit entry. */
  instanceUids(studyInstanceUid: string): string[] {
    return this.db.files(studyInstanceUid).map((f) => f.sopInstanceUid);
  }

  /**
   * Removes a study from the library. Copies in the managed store are deleted; referenced files belong
   * to the user and are never touched.
   */
  async deleteStudy(studyInstanceUid: string): Promise<{ removedInstances: number }> {
    const files = this.db.deleteStudy(studyInstanceUid);
    if (!files) {
      this.options.audit.append({ action: 'library.delete', studyInstanceUid, outcome: 'failure', detail: 'LIBRARY_STUDY_NOT_FOUND' });
      throw new LumenError('LIBRARY_STUDY_NOT_FOUND', 'This study is not in the library.');
    }
    await Promise.all(files.filter((f) => f.managed && f.path.startsWith(this.storeDir + path.sep)).map((f) => rm(f.path, { force: true })));
    this.options.audit.append({ action: 'library.delete', studyInstanceUid, outcome: 'success', detail: `instances: ${files.length}` });
    return { removedInstances: files.length };
  }

  /** Writes a new synthetic CT phantom study into the data directory and imports it in place. */
  async createDemoStudy(): Promise<ImportSummary> {
    const folder = path.join(this.options.dataDir, 'demo', randomUUID());
    await writeCtPhantom(folder);
    return this.importPaths([folder], { mode: 'reference' });
  }
}
