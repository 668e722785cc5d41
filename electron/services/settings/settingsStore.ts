import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SettingsSchema, type Settings } from '../../../shared/ipc/contract';
import { LumenError } from '../../../shared/domain/errors';
import { writeFileAtomic } from '../atomicWrite';

export const DEFAULT_SETTINGS: Settings = {
  importMode: 'reference',
  localAeTitle: 'LUMEN',
  localPort: 11112,
  forceCpuInference: false,
  pacsNodes: [],
};

/** User settings in `<dataDir>/settings.json`, validated on read and on every change. */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  private readonly file: string;

  private constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  static async open(dataDir: string): Promise<SettingsStore> {
    const store = new SettingsStore(dataDir);
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
    return this.current;
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...change });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    this.current = next;
    return next;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
