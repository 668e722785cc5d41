import { mkdir } from 'node:fs/promises';
import { EventBus } from './eventBus';
import { SettingsStore } from './settings/settingsStore';
import path from 'node:path';
import { LibraryDatabase, LibraryService } from './library/index';
import { AuditLog } from './audit/index';
import { ViewerService } from './viewer/viewerService';

/** Everything the back end is, built once per host. Hosts add transport, never logic. */
export interface Services {
  dataDir: string;
  events: EventBus;
  settings: SettingsStore;
  library: LibraryService;
  audit: AuditLog;
  viewer: ViewerService;
  /** Closes what the services own (the library database, the audit file, listening sockets). */
  dispose(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
}

export async function createServices(options: ServiceOptions): Promise<Services> {
  await mkdir(options.dataDir, { recursive: true });
  const events = new EventBus();
  const settings = await SettingsStore.open(options.dataDir);
  const audit = AuditLog.open(options.dataDir);
  const db = LibraryDatabase.open(path.join(options.dataDir, 'library.db'));
  const library = new LibraryService({ db, audit, events, dataDir: options.dataDir, importMode: () => settings.get().importMode });
  const viewer = new ViewerService(library, events);
  const dispose = async () => {
    await viewer.dispose();
    db.close();
    audit.close();
  };
  return { dataDir: options.dataDir, events, settings, library, audit, viewer, dispose };
}
