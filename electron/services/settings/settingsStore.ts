import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SettingsSchema, type Settings } from '../../../shared/ipc/contract';
import { LumenError } from '../../../shared/domain/errors';
import { writeFileAtomic } from '../atomicWrite';
import { ManagedSettings } from './managedSettings';

export const DEFAULT_SETTINGS: Settings = {
  importMode: 'reference',
  localAeTitle: 'LUMEN',
  localPort: 11112,
  forceCpuInference: false,
  pacsNodes: [],
};

/**
 * User settings in `<dataDir>/settings.json`, validated on read and on every change. `get` returns them
 * with the machine policy laid over (ManagedSettings); only the user's own values are stored, so a
 * policy withdrawn later gives users their settings back.
 */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  private readonly file: string;

  private constructor(
    dataDir: string,
    readonly policy: ManagedSettings,
  ) {
    this.file = path.join(dataDir, 'settings.json');
  }

  static async open(dataDir: string, policy = new ManagedSettings({ state: 'none', file: '' })): Promise<SettingsStore> {
    const store = new SettingsStore(dataDir, policy);
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return; // first start: defaults
    }
    const parsed = SettingsSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new LumenError('SETTINGS_INVALID', `The settings file ${this.file} is not valid; fix or remove it.`);
    }
    this.current = parsed.data;
  }

  get(): Settings {
    return this.policy.apply(this.current);
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...this.policy.userChange(change, this.get()) });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    this.current = next;
    return this.get();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
