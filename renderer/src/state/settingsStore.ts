import { create } from 'zustand';
import { call } from '../api/client';
import type { Settings } from '../../../shared/ipc/contract';
import { useNetworkStore } from './networkStore';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  saved: boolean;
  /** Why the last PACS node change was refused (shown by the node editor, not the page's Save). */
  pacsNodesError: string | null;
  load(): Promise<void>;
  save(change: Partial<Settings>): Promise<void>;
  /** Saves the node list at once, so "Test connection" can reach a node as soon as it is added. */
  savePacsNodes(nodes: Settings['pacsNodes']): Promise<boolean>;
}

export const useSettingsStore = create<SettingsState>((set, get) => ({
  settings: null,
  error: null,
  saved: false,
  pacsNodesError: null,
  load: async () => {
    const result = await call('settings', 'get', {});
    set(result.ok ? { settings: result.value, error: null } : { error: result.error.message });
  },
  save: async (change) => {
    const before = get().settings;
    const result = await call('settings', 'update', change);
    set(result.ok ? { settings: result.value, error: null, saved: true } : { error: result.error.message, saved: false });
    // The SCP binds its AE title and port when it starts: restart a running one so the new address is live.
    const network = useNetworkStore.getState();
    if (result.ok && network.scp?.listening && (before?.localAeTitle !== result.value.localAeTitle || before.localPort !== result.value.localPort)) {
      await network.setScpEnabled(true);
    }
  },
  savePacsNodes: async (pacsNodes) => {
    const result = await call('settings', 'update', { pacsNodes });
    set(result.ok ? { settings: result.value, pacsNodesError: null } : { pacsNodesError: result.error.message });
    return result.ok;
  },
}));
