import type { requests } from 'dcmjs-dimse';
import { LumenError } from '../../../../shared/domain/errors';
import { pacsError } from '../networkErrors';
import { isTlsVerificationError, tlsConnectionOptions } from '../tlsOptions';
import type { PacsNode } from '../pacsNode';
import dimse, { type Dataset } from './dcmjsDimse';

/** PS3.8 9.3.4 A-ASSOCIATE-RJ reasons (source 1, service user) as words a PACS administrator knows. */
const REJECT_REASONS: Record<number, string> = {
  1: 'no reason given',
  2: 'application context not supported',
  3: 'calling AE title not recognised',
  7: 'called AE title not recognised',
};

export interface AssociationOptions {
  node: PacsNode;
  callingAeTitle: string;
  requests: requests.Request[];
  /** C-STORE sub-operations arriving on this association (C-GET): return true when stored. */
  onStore?: (dataset: Dataset) => Promise<boolean>;
  timeoutMs?: number;
}

/**
 * Runs requests on one association and settles when it is closed: resolves after a normal release,
 * rejects with a typed PACS_* error when the peer cannot be reached, rejects or aborts the association,
 * or stops answering.
 */
export function runAssociation(options: AssociationOptions): Promise<void> {
  const { node } = options;
  const timeout = options.timeoutMs ?? 15_000;
  const client = new dimse.Client();
  for (const request of options.requests) client.addRequest(request);
  return new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    client.on('associationRejected', (result: { reason: number }) => {
      failure ??= pacsError.rejected(node.name, REJECT_REASONS[result.reason] ?? `reason ${result.reason}`);
    });
    client.on('abort', () => {
      failure ??= pacsError.aborted(node.name);
    });
    client.on('networkError', (error: NodeJS.ErrnoException) => {
      if (node.tls && isTlsVerificationError(error)) failure ??= pacsError.tlsFailed(node.name, error);
      else if (/time(d)?\s?out/i.test(error.message ?? '')) failure ??= pacsError.timeout(node.name);
      else failure ??= pacsError.unreachable(node.name, error);
    });
    if (options.onStore) {
      const store = options.onStore;
      client.on('cStoreRequest', (request: { getDataset(): Dataset | undefined }, callback: (response: unknown) => void) => {
        const response = dimse.responses.CStoreResponse.fromRequest(request as never);
        const dataset = request.getDataset();
        const done = (ok: boolean) => {
          // PS3.4 B.2.3: 0xA700 out of resources, used for "could not store"; success 0x0000.
          response.setStatus(ok ? dimse.constants.Status.Success : 0xa700);
          callback(response);
        };
        if (!dataset) done(false);
        else store(dataset).then(done, () => done(false));
      });
    }
    client.on('closed', () => (failure ? reject(failure) : resolve()));
    try {
      client.send(node.host, node.port, options.callingAeTitle, node.aeTitle, {
        connectTimeout: timeout,
        associationTimeout: timeout,
        pduTimeout: timeout,
        ...(node.tls ? { securityOptions: tlsConnectionOptions(node) } : {}),
      });
    } catch (error) {
      reject(error instanceof LumenError ? error : pacsError.unreachable(node.name, error));
    }
  });
}

/** A DIMSE status as the hex PS3.7 Annex C uses. */
export const statusHex = (status: number): string => `0x${status.toString(16).padStart(4, '0').toUpperCase()}`;
