import { create } from 'zustand';
import { call, onEvent } from '../api/client';
import type { RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import { useLibraryStore } from './libraryStore';

type ConnectionTest = ResponseOf<'network', 'testConnection'>;
type ScpStatus = ResponseOf<'network', 'scpStatus'>;
export type RemoteStudy = ResponseOf<'network', 'queryStudies'>[number];
export type RemoteQuery = Omit<RequestOf<'network', 'queryStudies'>, 'nodeId' | 'via'>;
export type RetrieveMethod = RequestOf<'network', 'retrieveStudy'>['method'];

export type TestState = { status: 'running' } | { status: 'done'; result: ConnectionTest } | { status: 'error'; message: string };

export type RetrieveState =
  | { status: 'running'; completed: number; remaining: number | null; failed: number }
  | { status: 'done'; received: number; added: number; failed: number }
  | { status: 'error'; message: string };

interface NetworkState {
  /** Connection tests by node id: the last result stays next to its node until the next test. */
  tests: Record<string, TestState>;
  scp: ScpStatus | null;
  scpError: string | null;
  query: { status: 'idle' } | { status: 'running' } | { status: 'done'; studies: RemoteStudy[] } | { status: 'error'; message: string };
  /** Retrieves by Study Instance UID, for the per-study progress in the query results. */
  retrieves: Record<string, RetrieveState>;
  testConnection(nodeId: string): Promise<void>;
  loadScpStatus(): Promise<void>;
  setScpEnabled(enabled: boolean): Promise<void>;
  queryStudies(nodeId: string, query: RemoteQuery): Promise<void>;
  retrieve(nodeId: string, studyInstanceUid: string, method: RetrieveMethod): Promise<void>;
}

/** Leaves out blank fields: an empty string would be sent to the PACS as a (universal) matching key. */
function compact(query: RemoteQuery): RemoteQuery {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
}

export const useNetworkStore = create<NetworkState>((set, get) => {
  const setRetrieve = (uid: string, state: RetrieveState) => set({ retrieves: { ...get().retrieves, [uid]: state } });

  return {
    tests: {},
    scp: null,
    scpError: null,
    query: { status: 'idle' },
    retrieves: {},
    testConnection: async (nodeId) => {
      set({ tests: { ...get().tests, [nodeId]: { status: 'running' } } });
      const result = await call('network', 'testConnection', { nodeId });
      set({ tests: { ...get().tests, [nodeId]: result.ok ? { status: 'done', result: result.value } : { status: 'error', message: result.error.message } } });
    },
    loadScpStatus: async () => {
      const result = await call('network', 'scpStatus', {});
      set(result.ok ? { scp: result.value, scpError: null } : { scpError: result.error.message });
    },
    setScpEnabled: async (enabled) => {
      const result = await call('network', 'setScpEnabled', { enabled });
      set(result.ok ? { scp: result.value, scpError: null } : { scpError: result.error.message });
    },
    queryStudies: async (nodeId, query) => {
      set({ query: { status: 'running' } });
      const result = await call('network', 'queryStudies', { nodeId, ...compact(query) });
      set({ query: result.ok ? { status: 'done', studies: result.value } : { status: 'error', message: result.error.message } });
    },
    retrieve: async (nodeId, studyInstanceUid, method) => {
      setRetrieve(studyInstanceUid, { status: 'running', completed: 0, remaining: null, failed: 0 });
      // Progress events carry the study UID; the job id is only known when the call returns.
      const stop = onEvent('network.retrieveProgress', (p) => {
        if (p.studyInstanceUid === studyInstanceUid && !p.done && get().retrieves[studyInstanceUid]?.status === 'running') {
          setRetrieve(studyInstanceUid, { status: 'running', completed: p.completed, remaining: p.remaining, failed: p.failed });
        }
      });
      try {
        const result = await call('network', 'retrieveStudy', { nodeId, studyInstanceUid, method });
        setRetrieve(
          studyInstanceUid,
          result.ok ? { status: 'done', received: result.value.received, added: result.value.instancesAdded, failed: result.value.failed } : { status: 'error', message: result.error.message },
        );
        if (result.ok) {
          const current = get().query;
          if (current.status === 'done') set({ query: { status: 'done', studies: current.studies.map((s) => (s.studyInstanceUid === studyInstanceUid ? { ...s, local: true } : s)) } });
          await useLibraryStore.getState().refresh();
        }
      } finally {
        stop();
      }
    },
  };
});
