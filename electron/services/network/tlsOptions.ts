import { readFileSync } from 'node:fs';
import https from 'node:https';
import { LumenError } from '../../../shared/domain/errors';
import type { PacsNode } from './pacsNode';

/**
 * TLS towards a PACS node (PS3.15 B.1, the Basic TLS Secure Transport Connection Profile): TLS 1.2 or
 * newer, the server's certificate always verified, against the hospital's CA file when the node names
 * one (hospitals run private CAs) or the system's trust store otherwise; a client certificate and key
 * when the PACS asks for mutual authentication. Files are read at each connection, so a renewed
 * certificate applies without a restart.
 */
export interface PacsTlsOptions {
  rejectUnauthorized: true;
  minVersion: 'TLSv1.2';
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export function tlsConnectionOptions(node: PacsNode): PacsTlsOptions {
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (cause) {
      throw new LumenError('PACS_TLS_CONFIG', `The ${what} file configured for the PACS "${node.name}" cannot be read: check the path in Settings.`, { cause });
    }
  };
  const ca = read(node.tlsCaFile, 'CA certificate');
  const cert = read(node.tlsCertFile, 'client certificate');
  const key = read(node.tlsKeyFile, 'client key');
  return { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** An agent for DICOMweb over https with the node's TLS settings. */
export const httpsAgentFor = (node: PacsNode): https.Agent => new https.Agent(tlsConnectionOptions(node));

/** Node's TLS verification errors (tls.TLSSocket authorizationError codes), which deserve their own message. */
export const isTlsVerificationError = (error: NodeJS.ErrnoException): boolean =>
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO/.test(error.code ?? '') || /certificate|handshake|ssl|tls/i.test(error.message ?? '');
