import type { LumenBridge } from '../../../shared/ipc/bridge';
import type { DomainName, EventName, EventPayload, MethodName, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';

/**
 * The renderer's only door to the back end: the one module that reads `window.lumen` (and, later, the
 * data channel). Components and stores import `api` from here.
 */
declare global {
  interface Window {
    lumen?: LumenBridge;
  }
}

function bridge(): LumenBridge {
  const lumen = window.lumen;
  if (!lumen) throw new Error('Lumen back end not connected (window.lumen missing).');
  return lumen;
}

export function call<D extends DomainName, M extends MethodName<D>>(
  domain: D,
  method: M,
  request: RequestOf<D, M>,
): Promise<Envelope<ResponseOf<D, M>>> {
  const group = bridge()[domain] as unknown as Record<string, (r: unknown) => Promise<Envelope<ResponseOf<D, M>>>>;
  const fn = group[method];
  if (!fn) return Promise.resolve({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL', message: `${domain}.${method} is not available.` } });
  return fn(request);
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}

export const isConnected = (): boolean => window.lumen !== undefined;
