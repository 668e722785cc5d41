import { mkdir } from 'node:fs/promises';
import { EventBus } from './eventBus';
import { SettingsStore } from './settings/settingsStore';
import { StudyIndex } from './library/studyIndex';
import { LibraryService, type InstanceIndexer } from './library/libraryService';
import { indexDicomFiles } from './library/indexDicomFiles';

/** Everything the back end is, built once per host. Hosts add transport, never logic. */
export interface Services {
  dataDir: string;
  events: EventBus;
  settings: SettingsStore;
  library: LibraryService;
}

export interface ServiceOptions {
  dataDir: string;
  /** Tests may swap the file indexer; the hosts use the DICOM engine's. */
  indexer?: InstanceIndexer;
}

export async function createServices(options: ServiceOptions): Promise<Services> {
  await mkdir(options.dataDir, { recursive: true });
  const events = new EventBus();
  const settings = await SettingsStore.open(options.dataDir);
  const index = await StudyIndex.open(options.dataDir);
  const library = new LibraryService(index, options.indexer ?? indexDicomFiles, events, options.dataDir);
  return { dataDir: options.dataDir, events, settings, library };
}
