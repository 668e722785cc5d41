import { channelNames, type Contract, type DomainName, type EventName, type EventPayload, type MethodName, type RequestOf, type ResponseOf } from './contract';
import type { Envelope } from './envelope';

/**
 * The shape of `window.lumen`: one async function per contract method, grouped by domain, plus one
 * event subscription function. The Electron preload and the harness bridge both build it with
 * `buildBridge`, so the two shapes cannot drift apart.
 */
export type LumenBridge = {
  [D in DomainName]: {
    [M in MethodName<D>]: (request: RequestOf<D, M>) => Promise<Envelope<ResponseOf<D, M>>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function buildBridge(transport: BridgeTransport): LumenBridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of channelNames()) {
    const [domain, name] = channel.split('.') as [string, string];
    const group = (bridge[domain] ??= {}) as Record<string, unknown>;
    group[name] = (request: unknown) => transport.invoke(channel, request ?? {});
  }
  bridge.on = (event: string, listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  for (const group of Object.values(bridge)) if (typeof group === 'object' && group) Object.freeze(group);
  return Object.freeze(bridge) as LumenBridge;
}

export type { Contract };
