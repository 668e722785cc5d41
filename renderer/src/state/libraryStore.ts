import { create } from 'zustand';
import { call, onEvent } from '../api/client';
import type { EventPayload, RequestOf, StudySummary } from '../../../shared/ipc/contract';

type Progress = EventPayload<'library.importProgress'>;
type StudyQuery = RequestOf<'library', 'listStudies'>;
export type StudySortKey = NonNullable<StudyQuery['sortBy']>;
export type SortDirection = NonNullable<StudyQuery['sortDirection']>;

/** The structured filters beside the free-text box; empty strings mean "any". */
export interface StudyFilters {
  modality: string;
  dateFrom: string;
  dateTo: string;
  patientId: string;
  accessionNumber: string;
}
export const noFilters: StudyFilters = { modality: '', dateFrom: '', dateTo: '', patientId: '', accessionNumber: '' };

/** The library.listStudies request for what the user typed; blank fields are left out, not sent empty. */
export function studyQuery(text: string, filters: StudyFilters, sort: { by: StudySortKey; direction: SortDirection }): StudyQuery {
  const query: StudyQuery = { sortBy: sort.by, sortDirection: sort.direction };
  if (text.trim()) query.text = text.trim();
  for (const key of Object.keys(filters) as (keyof StudyFilters)[]) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  return query;
}

export type ImportState =
  | { status: 'idle' }
  | { status: 'running'; progress: Progress | null }
  | { status: 'done'; added: number; seen: number; alreadyInLibrary: number; failed: { path: string; reason: string }[] }
  | { status: 'error'; message: string };

interface LibraryState {
  studies: StudySummary[];
  query: string;
  filters: StudyFilters;
  sort: { by: StudySortKey; direction: SortDirection };
  selectedStudyUid: string | null;
  importState: ImportState;
  listError: string | null;
  setQuery(query: string): void;
  setFilter(key: keyof StudyFilters, value: string): void;
  clearFilters(): void;
  /** A header click: a new column sorts ascending, the same column flips direction. */
  sortBy(key: StudySortKey): void;
  refresh(): Promise<void>;
  /** Keeps the list current as instances arrive (a retrieve, images sent to this workstation); returns the stop. */
  followChanges(): () => void;
  isFiltered(): boolean;
  select(studyUid: string | null): void;
  importPaths(paths: string[]): Promise<void>;
  createDemo(): Promise<void>;
  pickAndImport(): Promise<void>;
}

export const useLibraryStore = create<LibraryState>((set, get) => {
  let listTicket = 0;
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
      const { instancesAdded, filesSeen, alreadyInLibrary, failed, studies } = result.value;
      set({ importState: { status: 'done', added: instancesAdded, seen: filesSeen, alreadyInLibrary, failed } });
      await get().refresh();
      if (studies[0]) set({ selectedStudyUid: studies[0] });
    } finally {
      stop();
    }
  };

  return {
    studies: [],
    query: '',
    filters: noFilters,
    // Newest first: the study a clinician is most likely to open is today's.
    sort: { by: 'studyDate', direction: 'desc' },
    selectedStudyUid: null,
    importState: { status: 'idle' },
    listError: null,
    setQuery: (query) => {
      set({ query });
      void get().refresh();
    },
    setFilter: (key, value) => {
      set({ filters: { ...get().filters, [key]: value } });
      void get().refresh();
    },
    clearFilters: () => {
      set({ filters: noFilters });
      void get().refresh();
    },
    sortBy: (key) => {
      const { by, direction } = get().sort;
      set({ sort: { by: key, direction: by === key && direction === 'asc' ? 'desc' : 'asc' } });
      void get().refresh();
    },
    followChanges: () => onEvent('library.changed', () => void get().refresh()),
    refresh: async () => {
      const { query, filters, sort } = get();
      const ticket = ++listTicket;
      const result = await call('library', 'listStudies', studyQuery(query, filters, sort));
      // Typing fires one request per key: an older answer that arrives late must not replace a newer one.
      if (ticket !== listTicket) return;
      set(result.ok ? { studies: result.value, listError: null } : { listError: result.error.message });
    },
    /** True when any search or filter narrows the list (an empty list then means "no match", not "empty library"). */
    isFiltered: () => get().query.trim() !== '' || Object.values(get().filters).some((v) => v.trim() !== ''),
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
