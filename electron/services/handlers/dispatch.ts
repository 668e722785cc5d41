import type { z } from 'zod';
import { lookupMethod, type DomainName, type MethodName, type Contract, type ResponseOf } from '../../../shared/ipc/contract';
import { fail, ok, type Envelope } from '../../../shared/ipc/envelope';
import { LumenError, toErrorValue } from '../../../shared/domain/errors';

type RequestOut<D extends DomainName, M extends MethodName<D>> = Contract[D][M] extends { request: infer R extends z.ZodType }
  ? z.output<R>
  : never;

/** What each domain implements: parsed request in, response out; failures are thrown LumenErrors. */
export type Handlers = {
  [D in DomainName]: { [M in MethodName<D>]: (request: RequestOut<D, M>) => Promise<ResponseOf<D, M>> };
};

export type Dispatch = (channel: string, payload: unknown) => Promise<Envelope<unknown>>;

/**
 * The one entry point every host uses: look the channel up in the contract, parse the payload with its
 * schema, run the handler, check the response against its schema, and answer with an envelope. A
 * handler never sees an unvalidated payload, and nothing thrown crosses the boundary.
 */
export function createDispatch(handlers: Handlers, log: (line: string) => void = () => {}): Dispatch {
  return async (channel, payload) => {
    const spec = lookupMethod(channel);
    if (!spec) return fail('IPC_UNKNOWN_CHANNEL', `Unknown request "${String(channel).slice(0, 80)}".`);
    const request = spec.request.safeParse(payload);
    if (!request.success) {
      const first = request.error.issues[0];
      const where = first?.path.length ? ` at "${first.path.join('.')}"` : '';
      return fail('IPC_INVALID_REQUEST', `Invalid request for ${channel}${where}: ${first?.message ?? 'malformed'}.`);
    }
    const [domain, name] = channel.split('.') as [DomainName, string];
    const handler = (handlers[domain] as Record<string, (r: unknown) => Promise<unknown>>)[name];
    if (!handler) return fail('IPC_NOT_IMPLEMENTED', `${channel} is not available in this host.`);
    try {
      const value = await handler(request.data);
      const response = spec.response.safeParse(value);
      if (!response.success) {
        log(`ipc: ${channel} produced an invalid response: ${response.error.issues[0]?.message ?? ''}`);
        return fail('IPC_INVALID_RESPONSE', `${channel} produced an invalid response.`);
      }
      return ok(response.data);
    } catch (error) {
      if (!(error instanceof LumenError)) log(`ipc: ${channel} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { ok: false, error: toErrorValue(error) };
    }
  };
}
