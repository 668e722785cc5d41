import { create } from 'zustand';
import { call } from '../api/client';
import type { PolicyStatus, SettingKey } from '../../../shared/ipc/contract';

interface PolicyState {
  status: PolicyStatus | null;
  load(): Promise<void>;
  /** True when hospital IT fixes this setting (or the policy is invalid and it is held at a safe default). */
  isManaged(key: SettingKey): boolean;
}

export const usePolicyStore = create<PolicyState>((set, get) => ({
  status: null,
  load: async () => {
    const result = await call('settings', 'getPolicy', {});
    if (result.ok) set({ status: result.value });
  },
  isManaged: (key) => get().status?.managedSettings.includes(key) ?? false,
}));
