import { createPublicKey, verify } from 'node:crypto';
import net from 'node:net';
import { LumenError } from '../../../shared/domain/errors';
import type { UpdateSourcePolicy } from '../settings/policySchema';

/**
 * Updates come only from a hospital-internal server named by the machine policy, never from a public one.
 * "Internal" is decided from the URL alone (no DNS lookup, which an attacker on the network could
 * answer): a private, loopback or link-local address, a single-label host, a reserved internal name
 * (.internal, .intranet, .lan, .local, .corp, .home.arpa) or a domain the policy declares internal.
 */
export interface UpdateSource {
  url: string;
  publicKeyPem: string;
  publisherName: string | null;
}

const INTERNAL_SUFFIXES = ['.internal', '.intranet', '.lan', '.local', '.corp', '.home.arpa'];

function isPrivateIPv4(ip: string): boolean {
  const [a = -1, b = -1] = ip.split('.').map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

function isPrivateIPv6(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::1') return true;
  if (lower.startsWith('::ffff:')) return isPrivateIPv4(lower.slice(7));
  // fc00::/7 unique local, fe80::/10 link-local
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

export function isInternalHost(hostname: string, internalDomains: readonly string[] = []): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (net.isIPv4(host)) return isPrivateIPv4(host);
  if (net.isIPv6(host)) return isPrivateIPv6(host);
  if (!host.includes('.')) return true;
  if (INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true;
  return internalDomains.some((domain) => {
    const d = domain.toLowerCase().replace(/^\./, '');
    return host === d || host.endsWith(`.${d}`);
  });
}

/**
 * The update source the policy sets, or null (the default: Lumen never looks for updates). A source
 * that is not https, not internal, or without a usable Ed25519 key is refused with UPDATE_SOURCE_REJECTED.
 */
export function updateSourceFromPolicy(policy: UpdateSourcePolicy | null | undefined): UpdateSource | null {
  if (!policy) return null;
  const url = new URL(policy.url);
  if (url.protocol !== 'https:') throw new LumenError('UPDATE_SOURCE_REJECTED', `The update source ${policy.url} must use https.`);
  if (!isInternalHost(url.hostname, policy.internalDomains)) {
    throw new LumenError('UPDATE_SOURCE_REJECTED', `The update source ${url.hostname} is not a hospital-internal host; Lumen never updates from a public server.`);
  }
  let key;
  try {
    key = createPublicKey(policy.publicKey);
  } catch (error) {
    throw new LumenError('UPDATE_SOURCE_REJECTED', 'The update public key in the policy cannot be read (expected an Ed25519 PEM public key).', { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new LumenError('UPDATE_SOURCE_REJECTED', 'The update public key in the policy must be an Ed25519 key.');
  // The generic provider resolves file names against the URL: keep it a folder.
  const folder = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return { url: folder, publicKeyPem: policy.publicKey, publisherName: policy.publisherName ?? null };
}

/**
 * Checks an installer against its detached Ed25519 signature (`<installer>.sig`, 64 raw bytes or their
 * base64), made by the hospital's or vendor's release key: the update server alone cannot make Lumen
 * install something, since the yml checksums the updater checks come from that same server.
 */
export function verifyInstallerSignature(installer: Uint8Array, signature: Uint8Array, publicKeyPem: string): boolean {
  const text = Buffer.from(signature).toString('latin1').trim();
  const raw = signature.length === 64 ? Buffer.from(signature) : /^[A-Za-z0-9+/=\s]+$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (raw.length !== 64) return false;
  return verify(null, installer, createPublicKey(publicKeyPem), raw);
}
