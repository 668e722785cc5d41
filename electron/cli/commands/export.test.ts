import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services/createServices';
import { dataRoot } from '../../services/dicom/testSupport';
import { exportCommand } from './export';
import { loadMapping } from '../../services/deidentify/index';

const mr = path.join(dataRoot, 'mr/decubitus/HFS');
const lumen = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/lumen.mjs');
let work: string;
let dataDir: string;
let study: string;
let instances: number;

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await exportCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

/** Whether this machine lets a test mount a small tmpfs in its own user and mount namespace. */
const canMountTmpfs = spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { encoding: 'utf8' }).status === 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'lumen-cli-export-'));
  dataDir = path.join(work, 'data');
  const services = await createServices({ dataDir, policyFile: path.join(work, 'no-policy.json') });
  try {
    const imported = await services.library.importPaths([mr], { mode: 'reference' });
    study = imported.studies[0]!;
    instances = imported.instancesAdded;
    await services.settings.update({ pacsNodes: [{ id: 'pacs.zip', name: 'Node named like a zip', aeTitle: 'NOWHERE', host: '127.0.0.1', port: 9, tls: false }] });
  } finally {
    await services.dispose();
  }
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lumen export <study-uid> --to <target>', () => {
  it('prints one JSON line per object and a summary line; a path ending in .zip means a ZIP; exit 0', async () => {
    const zip = path.join(work, 'cli.zip');
    const { code, lines } = await cli([study, '--to', zip, '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(instances + 1);
    expect(lines.slice(0, -1).every((l) => l.status === 'stored' && typeof l.fileId === 'string' && l.studyInstanceUid === study)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ summary: true, total: instances, stored: instances, failed: 0, error: null, output: zip, destination: { kind: 'zip' } });
    expect(spawnSync('unzip', ['-t', zip]).status).toBe(0);
  }, 60_000);

  it('a configured node id wins over the .zip suffix: the export goes to the node (here unreachable, exit 1)', async () => {
    const { code, lines } = await cli([study, '--to', 'pacs.zip', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatchObject({ summary: true, destination: { kind: 'pacs', nodeId: 'pacs.zip', method: 'c-store' }, error: { code: 'PACS_UNREACHABLE' } });
  }, 60_000);

  it('--deidentify with --mapping and --passphrase-env: new UIDs in the File-set, the mapping saved encrypted and readable with the passphrase', async () => {
    const target = path.join(work, 'deid-out');
    const mapping = path.join(work, 'mapping.bin');
    process.env.LUMEN_TEST_EXPORT_PASSPHRASE = 'a long test passphrase';
    try {
      const { code, lines } = await cli([study, '--to', target, '--deidentify', '--options', 'retain-patient-characteristics,clean-descriptors', '--mapping', mapping, '--passphrase-env', 'LUMEN_TEST_EXPORT_PASSPHRASE', '--data-dir', dataDir]);
      expect(code).toBe(0);
      expect(lines.at(-1)).toMatchObject({ summary: true, stored: instances, failed: 0, output: target });
      const saved = await loadMapping(mapping, 'a long test passphrase');
      expect(saved.options).toMatchObject({ retainPatientCharacteristics: true, cleanDescriptors: true, retainUids: false });
      // Each result names the library's instance; the File-set holds its replacement.
      for (const line of lines.slice(0, -1)) {
        const newUid = saved.uids[line.sopInstanceUid as string];
        expect(newUid).toBeDefined();
        const dumped = spawnSync('dcmdump', ['-q', '+P', '0008,0018', path.join(target, line.fileId as string)], { encoding: 'utf8' }).stdout;
        expect(dumped).toContain(`[${newUid}]`);
      }
      await expect(loadMapping(mapping, 'wrong passphrase')).rejects.toThrow();
    } finally {
      delete process.env.LUMEN_TEST_EXPORT_PASSPHRASE;
    }
  }, 60_000);

  it('answers usage errors with exit 2 and an unknown study with exit 1 and a JSON error', async () => {
    expect((await cli([study])).code).toBe(2);
    expect((await cli([study, '--to', path.join(work, 'x'), '--options', 'retain-uids'])).code).toBe(2);
    expect((await cli([study, '--to', path.join(work, 'x'), '--deidentify', '--options', 'keep-everything'])).code).toBe(2);
    expect((await cli([study, '--to', path.join(work, 'x'), '--deidentify', '--mapping', path.join(work, 'm.bin')])).code).toBe(2);
    expect((await cli([study, '--to', path.join(work, 'x'), '--method', 'stow-rs', '--data-dir', dataDir])).code).toBe(2);
    const unknown = await cli(['1.2.3', '--to', path.join(work, 'never'), '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.lines.at(-1)).toMatchObject({ summary: true, error: { code: 'LIBRARY_STUDY_NOT_FOUND' } });
  });

  it.skipIf(!canMountTmpfs)('a full disk stops with EXPORT_DISK_FULL, exit 1, and leaves nothing on that disk', async () => {
    const mount = path.join(work, 'small-disk');
    await mkdir(mount);
    // A 1 MiB tmpfs in a private mount namespace: the 9 MB series cannot fit.
    const script = 'mount -t tmpfs -o size=1m tmpfs "$1" && node "$2" export "$3" --to "$1/out" --data-dir "$4"; echo "rc=$?"; echo "left:$(ls -A "$1")"';
    const result = spawnSync('unshare', ['-Urm', 'sh', '-c', script, 'sh', mount, lumen, study, dataDir], { encoding: 'utf8', timeout: 120_000 });
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1), result.stderr).toMatchObject({ summary: true, error: { code: 'EXPORT_DISK_FULL' }, output: null });
    expect(lines.slice(0, -1).every((l) => l.status === 'failed')).toBe(true);
    expect(result.stdout).toContain('rc=1');
    expect(result.stdout).toMatch(/^left:$/m);
  }, 120_000);
});
