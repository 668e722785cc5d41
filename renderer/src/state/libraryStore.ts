import { create } from 'zustand';
import { call, onEvent } from '../api/client';
import type { EventPayload, StudySummary } from '../../../shared/ipc/contract';

type Progress = EventPayload<'library.importProgress'>;

export type ImportState =
  | { status: 'idle' }
  | { status: 'running'; progress: Progress | null }
  | { status: 'done'; added: number; seen: number; failed: { path: string; reason: string }[] }
  | { status: 'error'; message: string };

interface LibraryState {
  studies: StudySummary[];
  query: string;
  selectedStudyUid: string | null;
  importState: ImportState;
  listError: string | null;
  setQuery(query: string): void;
  refresh(): Promise<void>;
  select(studyUid: string | null): void;
  importPaths(paths: string[]): Promise<void>;
  createDemo(): Promise<void>;
  pickAndImport(): Promise<void>;
}

export const useLibraryStore = create<LibraryState>((set, get) => {
  const runImport = async (start: () => ReturnType<typeof call<'library', 'importPaths'>>) => {
    set({ importState: { status: 'running', progress: null } });
    const stop = onEvent('library.importProgress', (progress) => {
      if (get().importState.status === 'running') set({ importState: { status: 'running', progress } });
    });
    try {
      const result = await start();
      if (!result.ok) {
        set({ importState: { status: 'error', message: result.error.message } });
        return;
      }
      const { instancesAdded, filesSeen, failed, studies } = result.value;
      set({ importState: { status: 'done', added: instancesAdded, seen: filesSeen, failed } });
      await get().refresh();
      if (studies[0]) set({ selectedStudyUid: studies[0] });
    } finally {
      stop();
    }
  };

  return {
    studies: [],
    query: '',
    selectedStudyUid: null,
    importState: { status: 'idle' },
    listError: null,
    setQuery: (query) => {
      set({ query });
      void get().refresh();
    },
    refresh: async () => {
      const query = get().query.trim();
      const result = await call('library', 'listStudies', query ? { text: query } : {});
      set(result.ok ? { studies: result.value, listError: null } : { listError: result.error.message });
    },
    select: (selectedStudyUid) => set({ selectedStudyUid }),
    importPaths: (paths) => runImport(() => call('library', 'importPaths', { paths })),
    createDemo: () => runImport(() => call('library', 'createDemoStudy', {})),
    pickAndImport: async () => {
      const picked = await call('app', 'pickFolder', {});
      if (!picked.ok) {
        set({ importState: { status: 'error', message: picked.error.message } });
        return;
      }
      if (picked.value.path) await get().importPaths([picked.value.path]);
    },
  };
});
