import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../audit/index';
import { createServices } from '../createServices';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { LibraryDatabase } from './libraryDatabase';
import { openLibraryDatabase } from './database/openLibraryDatabase';
import { MIGRATIONS } from './database/migrations';

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
    const changes: string[][] = [];
    services.events.on('library.changed', (change) => changes.push(change.seriesInstanceUids));
    const error = await services.library.importPaths(sources, { mode: 'copy' }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIBRARY_DISK_FULL' });
    // what it did commit is announced, so a viewer showing the series reads it again
    expect(changes).toEqual([[services.library.listStudies()[0]!.series[0]!.seriesInstanceUid]]);
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

  it('an update of the schema that finds the disk full says so and changes nothing, rather than calling the library damaged', async () => {
    const dataDir = path.join(disk, 'update');
    const file = path.join(dataDir, 'library.db');
    let services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
    await services.library.importPaths(readdirSync(ct).filter((n) => n.endsWith('.dcm')).slice(0, 40).map((n) => path.join(ct, n)));
    await services.dispose();
    // A library from before the last migration, on a disk then filled to the last byte.
    const old = openLibraryDatabase(file);
    old.db.exec('ALTER TABLE series DROP COLUMN image_count');
    old.db.exec(`PRAGMA user_version = ${MIGRATIONS.at(-1)!.version - 1}`);
    old.close();
    const before = readFileSync(file);
    const reserve = path.join(disk, 'reserve');
    writeFileSync(reserve, Buffer.alloc(4096));
    const filler = path.join(disk, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });

    // Not a byte free: the lock file cannot be written.
    expect(() => LibraryDatabase.open(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_DISK_FULL' }));
    expect(existsSync(`${file}.owner`)).toBe(false);
    // One page free: the lock is taken, the update of the schema finds no room for its journal.
    await rm(reserve);
    expect(() => LibraryDatabase.open(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_DISK_FULL', cause: expect.objectContaining({ message: expect.stringMatching(/disk I\/O error|database or disk is full/) }) }));
    expect(readFileSync(file).equals(before)).toBe(true);

    await rm(filler);
    services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
    try {
      expect(services.library.listStudies()[0]?.series[0]).toMatchObject({ instanceCount: 40, imageCount: 40 });
    } finally {
      await services.dispose();
    }
  }, 300_000);
});
