/** User settings, and the machine policy that can fix them. */
export { SettingsStore, DEFAULT_SETTINGS } from './settingsStore';
export { ManagedSettings } from './managedSettings';
export { loadPolicy, type LoadedPolicy } from './loadPolicy';
export { PolicySchema, type Policy, type UpdateSourcePolicy } from './policySchema';
export { machinePolicyFile, policyFileLocation } from './policyLocation';
