import { create } from 'zustand';
import { call } from '../api/client';
import type { ResponseOf } from '../../../shared/ipc/contract';

export type Page = 'library' | 'pacs' | 'settings' | 'progression';

interface AppState {
  page: Page;
  info: ResponseOf<'app', 'getInfo'> | null;
  connectionError: string | null;
  setPage(page: Page): void;
  /** The patient the progression page opens with (from a study's "Patient timeline"). */
  timelinePatientId: string | null;
  openTimeline(patientId: string): void;
  loadInfo(): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  page: 'library',
  info: null,
  connectionError: null,
  setPage: (page) => set({ page }),
  timelinePatientId: null,
  openTimeline: (patientId) => set({ page: 'progression', timelinePatientId: patientId }),
  loadInfo: async () => {
    try {
      const result = await call('app', 'getInfo', {});
      set(result.ok ? { info: result.value, connectionError: null } : { connectionError: result.error.message });
    } catch (error) {
      set({ connectionError: error instanceof Error ? error.message : String(error) });
    }
  },
}));
