import { create } from 'zustand';
import { call, onEvent } from '../api/client';
import type { RequestOf, ResponseOf } from '../../../shared/ipc/contract';

export type ExportRequest = RequestOf<'export', 'start'>;
export type ExportSummary = ResponseOf<'export', 'start'>;

export type ExportState =
  | { status: 'idle' }
  | { status: 'running'; jobId: string; done: number; total: number; failed: number; cancelling: boolean }
  | { status: 'done'; summary: ExportSummary }
  | { status: 'error'; message: string };

interface ExportStoreState {
  /** The study whose export dialog is open, or null. */
  dialogStudyUid: string | null;
  job: ExportState;
  open(studyInstanceUid: string): void;
  close(): void;
  start(request: Omit<ExportRequest, 'jobId'>): Promise<void>;
  cancel(): Promise<void>;
}

/** The export dialog's state: one export at a time from the UI, its progress from export.progress. */
export const useExportStore = create<ExportStoreState>((set, get) => ({
  dialogStudyUid: null,
  job: { status: 'idle' },
  open: (studyInstanceUid) => {
    if (get().job.status === 'running') return set({ dialogStudyUid: studyInstanceUid });
    set({ dialogStudyUid: studyInstanceUid, job: { status: 'idle' } });
  },
  close: () => set({ dialogStudyUid: null }),
  start: async (request) => {
    // The job id is ours, so Cancel works while start() has not answered yet.
    const jobId = crypto.randomUUID();
    set({ job: { status: 'running', jobId, done: 0, total: 0, failed: 0, cancelling: false } });
    const stop = onEvent('export.progress', (p) => {
      const job = get().job;
      if (p.jobId === jobId && job.status === 'running') set({ job: { ...job, done: p.done, total: p.total, failed: p.failed } });
    });
    try {
      const result = await call('export', 'start', { ...request, jobId });
      set({ job: result.ok ? { status: 'done', summary: result.value } : { status: 'error', message: result.error.message } });
    } finally {
      stop();
    }
  },
  cancel: async () => {
    const job = get().job;
    if (job.status !== 'running') return;
    set({ job: { ...job, cancelling: true } });
    await call('export', 'cancel', { jobId: job.jobId });
  },
}));
