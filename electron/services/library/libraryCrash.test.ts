import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRoot } from '../dicom/testSupport';
import { verifyAuditFile } from '../audit/index';
import { LibraryDatabase } from './libraryDatabase';
import { cloneWithNewUids } from './testing/cloneWithNewUids';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ct = path.join(dataRoot, 'ct/chest-275');
let work: string;
let source: string;
let total: number;

/** `lumen import` in its own process (not through bin/lumen.mjs, whose child a SIGKILL would orphan). */
function startImport(dataDir: string) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts'), 'import', source, '--copy', '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'lumen-crash-'));
  source = path.join(work, 'source');
  const files = readdirSync(ct).filter((n) => n.endsWith('.dcm')).map((n) => path.join(ct, n));
  // Four copies of the CT as new studies: 1,100 distinct instances, so that batches of 500 are still
  // being written when the first commit is seen and the process killed.
  total = (await cloneWithNewUids(files, source, { copies: 4 })).length;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('import crash safety', () => {
  it('survives SIGKILL mid-import: consistent database, every committed instance with its file, re-import completes', async () => {
    const dataDir = path.join(work, 'data');
    const child = startImport(dataDir);
    let stderr = '';
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const stored = [...stderr.matchAll(/(\d+) stored/g)].map((m) => Number(m[1]));
        if (stored.some((n) => n > 0)) {
          child.kill('SIGKILL');
          resolve(Math.max(...stored));
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`import ended before it could be killed (code ${code}): ${stderr}`));
      });
    });
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
    expect(killedAt).toBeGreaterThan(0);

    // Restart: the lock the killed process held is recovered, the WAL replayed.
    const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    let committed: number;
    try {
      expect(db.integrityCheck()).toEqual(['ok']);
      committed = db.instanceCount();
      expect(committed).toBeGreaterThanOrEqual(killedAt);
      expect(committed).toBeLessThan(total);
      for (const file of db.files()) {
        expect(file.managed).toBe(true);
        expect(existsSync(file.path)).toBe(true);
        expect(statSync(file.path).size).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }

    const rerun = startImport(dataDir);
    let out = '';
    rerun.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => rerun.on('exit', resolve));
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { instancesAdded: number; filesSeen: number };
    expect(summary.filesSeen).toBe(total);
    expect(summary.instancesAdded).toBe(total - committed);

    const after = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    try {
      expect(after.integrityCheck()).toEqual(['ok']);
      expect(after.instanceCount()).toBe(total);
      expect(after.files().every((f) => existsSync(f.path))).toBe(true);
    } finally {
      after.close();
    }
    expect(verifyAuditFile(path.join(dataDir, 'audit', 'audit.jsonl')).ok).toBe(true);
  });
});
