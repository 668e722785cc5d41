import { randomUUID } from 'node:crypto';
import { LumenError } from '../../../shared/domain/errors';
import { ExportRequestSchema, type ExportDeidentify, type ExportRequest, type ExportSummary, type ParsedExportRequest } from '../../../shared/domain/export';
import type { AuditLog } from '../audit/index';
import type { EventBus } from '../eventBus';
import type { LibraryService } from '../library/index';
import { pacsError } from '../network/networkErrors';
import type { SettingsStore } from '../settings/settingsStore';
import type { DerivedObjectSource, ExportObject, ExportSink, ExportTransform } from './exportObject';
import { exportError } from './exportErrors';
import { openFolderSink } from './folderSink';
import { libraryObjects, unavailableDerivedObject } from './libraryObjects';
import { openCStoreSink, openStowSink } from './pacsSink';
import { runExport } from './runExport';
import { openZipSink } from './zipSink';

/**
 * What plugs into exports: derived-object writers (SR, parametric map, secondary capture) and the
 * de-identification session. Each is optional; a request that needs a missing one says so per object
 * (derived) or before anything is written (de-identification).
 */
export interface ExportPlugins {
  derived?: DerivedObjectSource;
  /** A new de-identification session for one export (PS3.15 Annex E), so UIDs map consistently. */
  deidentify?: (options: ExportDeidentify) => ExportTransform | Promise<ExportTransform>;
}

export interface ExportServiceOptions {
  library: LibraryService;
  settings: SettingsStore;
  audit: AuditLog;
  events: EventBus;
  plugins?: ExportPlugins;
}

/**
 * Exports studies from the library to a folder (File-set with DICOMDIR), a ZIP, or a PACS node, with
 * progress events (export.progress), cancel by job id, a result per object, and an audit entry per
 * study. The library and the source files are only read.
 */
export class ExportService {
  private readonly running = new Map<string, AbortController>();
  private readonly plugins: ExportPlugins;

  constructor(private readonly options: ExportServiceOptions) {
    this.plugins = { ...options.plugins };
  }

  /** Adds or replaces plug-ins (derived writers, de-identification) once their services exist. */
  plug(plugins: ExportPlugins): void {
    Object.assign(this.plugins, plugins);
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.abort();
    return job !== undefined;
  }

  private async sinkFor(request: ParsedExportRequest): Promise<ExportSink> {
    const { destination } = request;
    if (destination.kind === 'folder') return openFolderSink(destination.path);
    if (destination.kind === 'zip') return openZipSink(destination.path);
    const settings = this.options.settings.get();
    const node = settings.pacsNodes.find((n) => n.id === destination.nodeId);
    if (!node) throw pacsError.nodeNotFound();
    return destination.method === 'stow-rs' ? openStowSink(node) : openCStoreSink(node, settings.localAeTitle);
  }

  private async objectsOf(request: ParsedExportRequest): Promise<ExportObject[]> {
    const objects: ExportObject[] = [];
    for (const study of request.studyInstanceUids) {
      objects.push(...libraryObjects(this.options.library, study));
      const wanted = { measurements: request.includeMeasurements, aiResults: request.includeAi, secondaryCapture: request.includeAi && request.includeSecondaryCapture };
      if (!wanted.measurements && !wanted.aiResults) continue;
      const what = [wanted.measurements ? 'measurements' : '', wanted.aiResults ? 'AI results' : ''].filter(Boolean).join(' and ');
      if (!this.plugins.derived) objects.push(unavailableDerivedObject(study, what));
      else {
        try {
          objects.push(...(await this.plugins.derived.objects(study, wanted)));
        } catch (error) {
          // A result that cannot be written (its images are gone) fails as one object; the images still go.
          objects.push({ ...unavailableDerivedObject(study, what), bytes: () => Promise.reject(error) });
        }
      }
    }
    return objects;
  }

  private describe(request: ParsedExportRequest): string {
    const d = request.destination;
    // Paths are left out: a folder name can hold a patient's name.
    const where = d.kind === 'pacs' ? `${d.method} to node ${d.nodeId}` : d.kind;
    return `${where}${request.deidentify ? ', de-identified' : ''}`;
  }

  /** Runs an export to the end (or its stop) and answers the summary; progress goes out as events. */
  async start(input: ExportRequest): Promise<ExportSummary> {
    const request = ExportRequestSchema.parse(input);
    const jobId = request.jobId ?? randomUUID();
    if (this.running.has(jobId)) throw new LumenError('EXPORT_JOB_EXISTS', 'An export with this job id is already running.');
    const abort = new AbortController();
    this.running.set(jobId, abort);
    const audit = (outcome: 'success' | 'failure', detail: string) => {
      for (const study of request.studyInstanceUids) {
        this.options.audit.append({ action: 'export', studyInstanceUid: study, outcome, detail: `${this.describe(request)}: ${detail}`.slice(0, 512) });
      }
    };
    try {
      if (request.deidentify && !this.plugins.deidentify) throw exportError.deidentifyUnavailable();
      const objects = await this.objectsOf(request);
      if (objects.length === 0) throw exportError.nothingToExport();
      const transform = request.deidentify && this.plugins.deidentify ? await this.plugins.deidentify(request.deidentify) : null;
      const sink = await this.sinkFor(request);
      const summary = await runExport({
        jobId,
        destination: request.destination,
        objects,
        sink,
        transform,
        signal: abort.signal,
        onProgress: (progress) => this.options.events.emit('export.progress', progress),
      });
      audit(summary.failed === 0 && !summary.error ? 'success' : 'failure', `${summary.stored} stored, ${summary.failed} failed${summary.error ? `, ${summary.error.code}` : ''}`);
      return summary;
    } catch (error) {
      audit('failure', error instanceof LumenError ? error.code : 'INTERNAL_ERROR');
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }
}
