import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { secureWebPreferences } from './webPreferences';
import { hardenSession, hardenWebContents } from './hardenSession';
import { isAllowedRendererRequest, isAppUrl, APP_ENTRY } from './origins';
import { isTrustedSender, registerContract } from '../ipc';
import { CONTENT_SECURITY_POLICY, RENDERER_SECURITY_HEADERS } from '../../../shared/security/contentSecurityPolicy';
import { channelNames } from '../../../shared/ipc/contract';
import { createAppProtocolHandler } from '../appProtocol';
import { generateKeyPairSync } from 'node:crypto';
import { ManagedSettings } from '../../services/settings/managedSettings';
import { updateSourceFromPolicy } from '../../services/updates/updateSource';

/**
 * The Electron security baseline, checked against the code that applies it (Electron itself cannot run
 * here): each hardening function is driven with a stand-in for the Electron object it configures.
 */
describe('BrowserWindow webPreferences', () => {
  const prefs = secureWebPreferences('/app/preload.cjs');
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values];
  }));
  it('defaults to nothing and allows scripts only from the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
  it('never allows inline or eval scripts or remote origins', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
  it('is sent with every renderer file', async () => {
    const handler = createAppProtocolHandler(path.resolve('renderer'));
    const response = await handler(new Request('lumen://app/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(RENDERER_SECURITY_HEADERS['Content-Security-Policy']);
    const escape = await handler(new Request('lumen://app/..%2F..%2Fpackage.json'));
    expect(escape.status).toBe(404);
  });
});

describe('navigation, windows and permissions', () => {
  it('blocks navigation away from lumen:// and every window.open', () => {
    const contents = Object.assign(new EventEmitter(), { openHandler: undefined as undefined | (() => unknown) });
    hardenWebContents({
      on: contents.on.bind(contents) as never,
      setWindowOpenHandler: ((h: () => unknown) => (contents.openHandler = h)) as never,
    });
    const navigate = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('will-navigate', 'https://example.com/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(navigate('will-navigate', APP_ENTRY)).toBe(false);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });

  it('denies every permission request and check, and cancels every remote request', () => {
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let deviceHandler: (() => boolean) | undefined;
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    hardenSession({
      setPermissionRequestHandler: ((h: typeof requestHandler) => (requestHandler = h)) as never,
      setPermissionCheckHandler: ((h: typeof checkHandler) => (checkHandler = h)) as never,
      setDevicePermissionHandler: ((h: typeof deviceHandler) => (deviceHandler = h)) as never,
      webRequest: { onBeforeRequest: ((h: typeof beforeRequest) => (beforeRequest = h)) as never } as never,
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'openExternal']) {
      let granted: boolean | undefined;
      requestHandler?.(null, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(checkHandler?.()).toBe(false);
    expect(deviceHandler?.()).toBe(false);
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      beforeRequest?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('https://telemetry.example.com/collect')).toBe(true);
    expect(cancelled('http://127.0.0.1:4242/dicom-web/studies')).toBe(true);
    expect(cancelled('wss://example.com/socket')).toBe(true);
    expect(cancelled('lumen://app/assets/index.js')).toBe(false);
  });
});

describe('IPC sender check', () => {
  it('accepts only the top frame of the app page', () => {
    expect(isTrustedSender({ senderFrame: { url: APP_ENTRY, parent: null } as never })).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: APP_ENTRY, parent: {} } as never })).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'https://evil.example/', parent: null } as never })).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as never)).toBe(false);
    expect(isAppUrl('lumen://other/index.html')).toBe(false);
    expect(isAllowedRendererRequest('file:///etc/hosts')).toBe(false);
  });

  it('registers one handler per contract method and refuses untrusted senders before dispatch', async () => {
    const registered = new Map<string, (event: unknown, payload: unknown) => unknown>();
    let dispatched = 0;
    registerContract({ handle: ((channel: string, h: never) => registered.set(channel, h)) as never }, async () => {
      dispatched++;
      return { ok: true, value: null };
    });
    expect([...registered.keys()].sort()).toEqual(channelNames().map((c) => `lumen:${c}`).sort());
    const handler = registered.get('lumen:library.listStudies')!;
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNTRUSTED_SENDER' },
    });
    expect(dispatched).toBe(0);
    await handler({ senderFrame: { url: APP_ENTRY, parent: null } }, {});
    expect(dispatched).toBe(1);
  });
});

describe('no telemetry, no crash upload, no update checks by default', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? sources(full) : /\.(ts|tsx|mjs)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
    });
  const allSources = () => ['electron', 'renderer/src', 'shared'].flatMap(sources);
  it('never starts the crash reporter or an analytics client', () => {
    const offenders = allSources().filter((file) => /crashReporter\.start|@sentry|google-analytics|mixpanel|segment\.io/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
  it('keeps the updater in one module that main loads only when the machine policy names an update source', () => {
    const updaterModules = allSources().filter((file) => /autoUpdater|electron-updater/.test(readFileSync(file, 'utf8')));
    expect(updaterModules).toEqual([path.join('electron', 'main', 'updates', 'hospitalUpdates.ts')]);
    const importers = allSources().filter((file) => readFileSync(file, 'utf8').includes('updates/hospitalUpdates'));
    expect(importers).toEqual([path.join('electron', 'main', 'index.ts')]);
    const main = readFileSync(path.join('electron', 'main', 'index.ts'), 'utf8');
    // No static import: the module (and electron-updater) is loaded only inside the policy check.
    expect(main).not.toMatch(/^import .*updates\/hospitalUpdates/m);
    expect(main).toMatch(/const updatePolicy = services\.settings\.policy\.updates;\s+if \(updatePolicy\) \{\s+void import\('\.\/updates\/hospitalUpdates'\)/);
  });
  it('has no update source without a policy, and refuses a public one', () => {
    expect(new ManagedSettings({ state: 'none', file: '/etc/lumen/policy.json' }).updates).toBeNull();
    expect(new ManagedSettings({ state: 'invalid', file: '/etc/lumen/policy.json', problem: 'bad' }).updates).toBeNull();
    expect(updateSourceFromPolicy(null)).toBeNull();
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const url of ['https://github.com/lumen/releases/', 'https://updates.example.com/lumen/', 'https://8.8.8.8/lumen/', 'http://updates.internal/lumen/']) {
      expect(() => updateSourceFromPolicy({ url, publicKey, internalDomains: [] }), url).toThrow(/public server|https/);
    }
    expect(updateSourceFromPolicy({ url: 'https://10.2.3.4/lumen', publicKey, internalDomains: [] })?.url).toBe('https://10.2.3.4/lumen/');
  });
  it('ships no telemetry or crash-reporting package', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => /sentry|analytics|telemetry|crash|bugsnag|posthog|mixpanel/i.test(d))).toEqual([]);
  });
});
