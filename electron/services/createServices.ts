import { mkdir } from 'node:fs/promises';
import { EventBus } from './eventBus';
import { SettingsStore } from './settings/settingsStore';
import { ManagedSettings, loadPolicy, policyFileLocation } from './settings/index';
import { resolveInstallLayout } from './install/index';
import path from 'node:path';
import { LibraryDatabase, LibraryService } from './library/index';
import { AuditLog } from './audit/index';
import { ViewerService } from './viewer/viewerService';
import { NetworkService } from './network/index';
import { AiEngine } from './ai/aiEngine';
import { AiService } from './ai/aiService';
import type { HostLauncher } from './ai/hostProtocol';
import { ExportService, standardExportPlugins } from './export/index';
import { ProgressionService } from './progression/index';

/** Everything the back end is, built once per host. Hosts add transport, never logic. */
export interface Services {
  dataDir: string;
  events: EventBus;
  settings: SettingsStore;
  library: LibraryService;
  audit: AuditLog;
  viewer: ViewerService;
  network: NetworkService;
  ai: AiService;
  export: ExportService;
  progression: ProgressionService;
  /** Closes what the services own (the library database, the audit file, listening sockets). */
  dispose(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  /** Start worker pools now (the app and the harness); tests and CLI commands leave them lazy. */
  warmUp?: boolean;
  /** The machine policy file; default: the platform's (policyLocation.ts). */
  policyFile?: string;
  /** How the AI host process is started: the app passes a utilityProcess launcher; default a Node fork. */
  aiHostLauncher?: HostLauncher;
  /** Models folder; default: the installation's (resources/models, or models/ in a checkout). */
  modelsDir?: string;
}

export async function createServices(requested: ServiceOptions): Promise<Services> {
  // The policy can fix the data directory, so it is read before anything else opens a file.
  const policy = new ManagedSettings(await loadPolicy(requested.policyFile ?? policyFileLocation({ packaged: resolveInstallLayout().kind === 'packaged' })));
  const options = { ...requested, dataDir: policy.status.dataDirectory ?? requested.dataDir };
  await mkdir(options.dataDir, { recursive: true });
  const events = new EventBus();
  const settings = await SettingsStore.open(options.dataDir, policy);
  const audit = AuditLog.open(options.dataDir);
  const db = LibraryDatabase.open(path.join(options.dataDir, 'library.db'));
  const library = new LibraryService({ db, audit, events, dataDir: options.dataDir, importMode: () => settings.get().importMode });
  const viewer = new ViewerService(library, events);
  if (options.warmUp) viewer.warmUp();
  const network = new NetworkService(settings, library, audit, events, options.dataDir);
  // Listening is opt-in (offline by default); a busy port is reported in the SCP status, not fatal.
  if (settings.get().scpEnabled) await network.startScp().catch(() => undefined);
  const modelsDir = options.modelsDir ?? resolveInstallLayout().modelsDir;
  const ai = new AiService(
    new AiEngine({
      modelsDir,
      forceCpu: () => settings.get().forceCpuInference,
      ...(options.aiHostLauncher ? { launcher: options.aiHostLauncher } : {}),
    }),
    { library, db, audit, events },
  );
  // Progression sequences are a handful of tokens: they run in-process, not in the AI host (runProgression.ts).
  const progression = new ProgressionService({ db, library, audit, modelsDir });
  const exportService = new ExportService({ library, settings, audit, events, plugins: standardExportPlugins(library, db) });
  const dispose = async () => {
    await ai.dispose();
    await progression.dispose();
    await network.dispose();
    await viewer.dispose();
    db.close();
    audit.close();
  };
  return { dataDir: options.dataDir, events, settings, library, audit, viewer, network, ai, progression, export: exportService, dispose };
}
