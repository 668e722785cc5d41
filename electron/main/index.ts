import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { LumenError } from '../../shared/domain/errors';
import { createServices } from '../services/createServices';
import { createDispatch, createHandlers } from '../services/handlers/index';
import { utilityProcessLauncher } from './aiHostProcess';
import { createAppProtocolHandler } from './appProtocol';
import { EVENT_CHANNEL, registerContract } from './ipc';
import { hardenSession, hardenWebContents } from './security/hardenSession';
import { APP_ENTRY, APP_ORIGIN, APP_SCHEME } from './security/origins';
import { secureWebPreferences } from './security/webPreferences';

/**
 * The app host: windows, the lumen:// protocol, IPC wiring. All behaviour lives in the services; this
 * file only connects Electron to them. No crashReporter is started and no update check runs unless the
 * machine policy names a hospital-internal update source: the workstation makes no network connection
 * of its own.
 */
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main in the bundle
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  const services = await createServices({
    dataDir: path.join(app.getPath('userData'), 'data'),
    warmUp: true,
    // out/main/inferenceHost.mjs, bundled beside this file (build/bundle.mjs).
    aiHostLauncher: utilityProcessLauncher(path.join(here, 'inferenceHost.mjs')),
  });
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, services.viewer));
  app.on('will-quit', () => void services.dispose());
  // Updates only when the machine policy names a hospital-internal source: otherwise the updater module
  // is never even loaded (security.test.ts).
  const updatePolicy = services.settings.policy.updates;
  if (updatePolicy) {
    void import('./updates/hospitalUpdates')
      .then(({ startHospitalUpdates }) => startHospitalUpdates(updatePolicy, (line) => console.error(line)))
      .catch((error: unknown) => console.error('updates:', error instanceof Error ? error.message : error));
  }
  let window: BrowserWindow | null = null;
  const dispatch = createDispatch(
    createHandlers(services, {
      host: 'electron',
      pickFolder: async () => {
        const options = { properties: ['openDirectory' as const] };
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      dataChannel: () => ({ baseUrl: `${APP_ORIGIN}/data`, token: null }),
    }),
    (line) => console.error(line),
  );
  registerContract(ipcMain, dispatch);

  window = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#0b0d10',
    title: 'Lumen',
    webPreferences: secureWebPreferences(preloadPath),
  });
  const unsubscribe = services.events.onAny((event, payload) => window?.webContents.send(EVENT_CHANNEL, { event, payload }));
  window.on('closed', () => {
    unsubscribe();
    window = null;
  });
  await window.loadURL(APP_ENTRY);
}

app.on('window-all-closed', () => app.quit());
// A second launch (a double click on the icon) brings the open window forward: two processes cannot
// share the library, and the second would otherwise stop on LIBRARY_IN_USE.
if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  app.on('second-instance', () => {
    const [open] = BrowserWindow.getAllWindows();
    if (open?.isMinimized()) open.restore();
    open?.focus();
  });
  start().catch((error: unknown) => {
    console.error('Lumen failed to start:', error);
    // The user sees why (a damaged library names its repair), not a window that never opens.
    dialog.showErrorBox('Lumen cannot start', error instanceof LumenError ? error.message : 'An unexpected error stopped Lumen while starting; see the log for details.');
    app.exit(1);
  });
}
