import { create } from 'zustand';
import { call } from '../api/client';
import type { Settings } from '../../../shared/ipc/contract';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  saved: boolean;
  load(): Promise<void>;
  save(change: Partial<Settings>): Promise<void>;
}

export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  saved: false,
  load: async () => {
    const result = await call('settings', 'get', {});
    set(result.ok ? { settings: result.value, error: null } : { error: result.error.message });
  },
  save: async (change) => {
    const result = await call('settings', 'update', change);
    set(result.ok ? { settings: result.value, error: null, saved: true } : { error: result.error.message, saved: false });
  },
}));
