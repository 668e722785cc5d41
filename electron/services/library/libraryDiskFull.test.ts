import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../audit/index';
import { createServices } from '../createServices';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { LibraryDatabase } from './libraryDatabase';

// A real full disk: the data directory on a small tmpfs, so the kernel answers ENOSPC exactly as a full
// drive does. Mounting needs root with CAP_SYS_ADMIN (the CI container has it); elsewhere it is skipped.
const ct = path.join(dataRoot, 'ct/chest-275');
const work = mkdtempSync(path.join(os.tmpdir(), 'lumen-diskfull-'));
const disk = path.join(work, 'disk');
mkdirSync(disk);
const canMount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk], { stdio: 'ignore' }).status === 0;

afterAll(async () => {
  if (canMount) spawnSync('umount', [disk]);
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(!canMount)('import onto a full disk', () => {
  it('stops with LIBRARY_DISK_FULL, keeps every committed instance with its file, and completes once space is freed', async () => {
    const dataDir = path.join(disk, 'data');
    const sources = readdirSync(ct).filter((n) => n.endsWith('.dcm')).map((n) => path.join(ct, n));
    let services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
    const error = await services.library.importPaths(sources, { mode: 'copy' }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIBRARY_DISK_FULL' });
    await services.dispose();
    // The audit trail on the same full disk stays verifiable (an entry it could not take is cut off whole).
    expect(verifyAuditFile(path.join(dataDir, 'audit', 'audit.jsonl')).ok).toBe(true);

    // What the library says it has is there, byte for byte; the database is consistent.
    const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    expect(db.integrityCheck()).toEqual(['ok']);
    const stored = db.files();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(sources.length);
    const sourceOf = pythonJson<Record<string, string>>(
      `import sys, os, json, pydicom
print(json.dumps({str(pydicom.dcmread(os.path.join(sys.argv[1], n), stop_before_pixels=True).SOPInstanceUID): os.path.join(sys.argv[1], n) for n in os.listdir(sys.argv[1]) if n.endswith('.dcm')}))`,
      [ct],
    );
    for (const file of stored) expect(readFileSync(file.path).equals(readFileSync(sourceOf[file.sopInstanceUid]!)), file.sopInstanceUid).toBe(true);
    db.close();

    // Free space (grow the filesystem) and import again: it completes, nothing twice.
    execFileSync('mount', ['-o', 'remount,size=400m', disk]);
    services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
    try {
      const summary = await services.library.importPaths(sources, { mode: 'copy' });
      expect(summary.failed).toEqual([]);
      expect(summary.instancesAdded).toBe(sources.length - stored.length);
      expect(services.library.listStudies()[0]?.series[0]).toMatchObject({ instanceCount: sources.length });
    } finally {
      await services.dispose();
    }
  }, 300_000);
});
