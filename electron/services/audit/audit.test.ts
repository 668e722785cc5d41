import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditFile } from './index';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function logWithEntries(n: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lumen-audit-'));
  dirs.push(dir);
  const log = AuditLog.open(dir);
  for (let i = 0; i < n; i++) log.append({ action: i % 2 ? 'library.open' : 'library.import', studyInstanceUid: `1.2.3.${i}`, outcome: 'success', detail: `instances: ${i}` });
  log.close();
  return { dir, log, lines: () => readFileSync(log.file, 'utf8').trim().split('\n') };
}

describe('audit trail', () => {
  it('chains entries across restarts and records the OS account', async () => {
    const { dir, log, lines } = await logWithEntries(3);
    const reopened = AuditLog.open(dir);
    reopened.append({ action: 'library.delete', studyInstanceUid: '1.2.3.0', outcome: 'success' });
    reopened.close();
    expect(verifyAuditFile(log.file)).toMatchObject({ ok: true, entries: 4 });
    const last = JSON.parse(lines().at(-1)!) as { seq: number; user: string; prevHash: string };
    expect(last.seq).toBe(3);
    expect(last.user).toBe(os.userInfo().username);
    expect(last.prevHash).toBe((JSON.parse(lines()[2]!) as { hash: string }).hash);
  });

  it.each([
    ['an edited outcome', (l: string[]) => l.map((x, i) => (i === 1 ? x.replace('"success"', '"failure"') : x))],
    ['an edited study UID with its hash recomputed by hand', (l: string[]) => l.map((x, i) => (i === 1 ? x.replace('1.2.3.1', '1.2.3.9') : x))],
    ['a removed entry', (l: string[]) => l.filter((_, i) => i !== 2)],
    ['swapped entries', (l: string[]) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)]],
    ['a truncated tail line', (l: string[]) => [...l.slice(0, -1), l.at(-1)!.slice(0, 40)]],
  ])('detects %s, names the line, and refuses to append to it', async (_, tamper) => {
    const { dir, log, lines } = await logWithEntries(5);
    writeFileSync(log.file, tamper(lines()).join('\n') + '\n');
    const verdict = verifyAuditFile(log.file);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.line).toBeGreaterThanOrEqual(2);
    expect(() => AuditLog.open(dir)).toThrow(expect.objectContaining({ code: 'AUDIT_TAMPERED' }));
  });

  it('exports a verified copy that verifies on its own', async () => {
    const { dir } = await logWithEntries(4);
    const log = AuditLog.open(dir);
    const out = path.join(dir, 'export', 'audit-export.jsonl');
    expect(log.export(out)).toMatchObject({ ok: true, entries: 4 });
    log.close();
    expect(verifyAuditFile(out)).toMatchObject({ ok: true, entries: 4 });
  });
});
