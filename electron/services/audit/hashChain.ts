import { createHash } from 'node:crypto';
import { AuditEntrySchema, type AuditEntry, type AuditEntryBody } from '../../../shared/domain/audit';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys in sorted order, so the hash does not depend on how an entry was built. */
function canonicalJson(body: AuditEntryBody): string {
  const sorted = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify(sorted);
}

/** SHA-256 over the previous entry's hash and this entry's body: changing any entry breaks every later link. */
export function entryHash(body: AuditEntryBody, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(body)).digest('hex');
}

export function chainEntry(body: AuditEntryBody, prevHash: string): AuditEntry {
  return { ...body, prevHash, hash: entryHash(body, prevHash) };
}

export type ChainVerdict = { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; line: number; reason: string };

/** Checks every line of a log: well-formed, numbered in order, each linked to the one before and hashed right. */
export function verifyChain(lines: readonly string[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, entries: count, line, reason: 'not a JSON entry' };
    }
    const parsed = AuditEntrySchema.safeParse(json);
    if (!parsed.success) return { ok: false, entries: count, line, reason: 'not an audit entry' };
    const { prevHash: linked, hash, ...body } = parsed.data;
    if (body.seq !== count) return { ok: false, entries: count, line, reason: `entry ${body.seq} where ${count} was expected (removed or reordered)` };
    if (linked !== prevHash) return { ok: false, entries: count, line, reason: 'does not link to the entry before it' };
    if (entryHash(body, linked) !== hash) return { ok: false, entries: count, line, reason: 'its content does not match its hash (modified)' };
    prevHash = hash;
    count++;
  }
  return { ok: true, entries: count, lastHash: prevHash };
}
