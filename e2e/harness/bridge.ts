import { buildBridge } from '../../shared/ipc/bridge';
import { HARNESS_GLOBAL, type ServerMessage } from './protocol';

/**
 * Browser-side half of the harness: gives the page a `window.lumen` built by the same `buildBridge`
 * as the Electron preload, over the loopback WebSocket instead of ipcRenderer.
 */
declare global {
  interface Window {
    [HARNESS_GLOBAL]?: { token: string };
  }
}

const token = window[HARNESS_GLOBAL]?.token ?? new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const socket = new WebSocket(`ws://${location.host}/ipc?token=${encodeURIComponent(token)}`);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve(), { once: true });
  socket.addEventListener('error', () => reject(new Error('harness connection refused')), { once: true });
});
const pending = new Map<number, (envelope: unknown) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let nextId = 0;

socket.addEventListener('message', (message) => {
  const data = JSON.parse(String(message.data)) as ServerMessage;
  if (data.type === 'result') {
    pending.get(data.id)?.(data.envelope);
    pending.delete(data.id);
  } else {
    listeners.get(data.event)?.forEach((listener) => listener(data.payload));
  }
});

const bridge = buildBridge({
  invoke: async (channel, payload) => {
    try {
      await opened;
    } catch {
      return { ok: false, error: { code: 'IPC_DISCONNECTED', message: 'The back end is not reachable.' } };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
    });
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
});

Object.defineProperty(window, 'lumen', { value: Object.freeze(bridge), writable: false, configurable: false });
