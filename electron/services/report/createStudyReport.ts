import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import type { AuditLog } from '../audit/index';
import { writeFileAtomic } from '../atomicWrite';
import type { Services } from '../createServices';
import { collectReportInput, type CollectOptions, type ReportSources } from './collectReportInput';
import { renderStudyReportPages } from './renderStudyReport';

export type ReportServices = ReportSources & { audit: Pick<AuditLog, 'append'> };

/** What a report reads, from a host's services (the models folder is the AI engine's). */
export function reportServices(services: Pick<Services, 'library' | 'ai' | 'audit'>): ReportServices {
  return { library: services.library, ai: services.ai, modelsDir: services.ai.engine.modelsDir, audit: services.audit };
}

export interface CreateReportRequest extends CollectOptions {
  studyInstanceUid: string;
  /** Where the PDF goes; an absolute path the user chose. */
  path: string;
}

/**
 * Makes the report of a library study and writes it to the user's path (whole or not at all), recorded
 * in the audit trail as report.create with the page count; the path is not logged (it may name the patient).
 */
export async function createStudyReport(sources: ReportServices, request: CreateReportRequest): Promise<{ path: string; pages: number }> {
  const { studyInstanceUid } = request;
  try {
    if (!path.isAbsolute(request.path)) throw new LumenError('REPORT_PATH_INVALID', 'Give the full path of the PDF file to write.');
    if (path.extname(request.path).toLowerCase() !== '.pdf') throw new LumenError('REPORT_PATH_INVALID', 'The report file name must end in .pdf.');
    const input = await collectReportInput(sources, studyInstanceUid, request);
    const { bytes, pages } = await renderStudyReportPages(input);
    try {
      await writeFileAtomic(request.path, bytes);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new LumenError(
        code === 'ENOSPC' ? 'REPORT_DISK_FULL' : 'REPORT_WRITE_FAILED',
        code === 'ENOSPC' ? 'The disk is full: the report could not be saved.' : 'The report could not be saved to that location (check the folder exists and can be written).',
        { cause },
      );
    }
    sources.audit.append({
      action: 'report.create',
      studyInstanceUid,
      outcome: 'success',
      detail: `pages: ${pages}, key images: ${input.keyImages.length}, measurements: ${input.measurements.length}, ai findings: ${input.findings.length}${input.header.deidentified ? ', de-identified' : ''}`,
    });
    return { path: request.path, pages };
  } catch (error) {
    sources.audit.append({ action: 'report.create', studyInstanceUid, outcome: 'failure', detail: error instanceof LumenError ? error.code : 'INTERNAL_ERROR' });
    throw error;
  }
}
