import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { flipOneByte } from '../install/testSupport';

const run = promisify(execFile);

/** A port nobody listens on right now, so the SCP-port check does not depend on other tests. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npx lumen doctor --json` as IT runs it, on a temp data dir, no policy, and a temp copy of the models. */
async function doctor(modelsDir: string, dataDir: string): Promise<{ code: number; report: { ok: boolean; checks: { id: string; status: string; detail: string }[] } }> {
  const args = ['bin/lumen.mjs', 'doctor', '--json', '--data-dir', dataDir, '--models-dir', modelsDir, '--policy-file', path.join(dataDir, 'no-policy.json')];
  try {
    const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, report: JSON.parse(failed.stdout) };
  }
}

describe('lumen doctor', () => {
  it('passes on this checkout, and fails naming the file after one byte of a model changes', async () => {
    // Copies of the shipped models (folders with a manifest): the real files are never modified.
    const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-doctor-models-'));
    const shipped = (await readdir('models')).filter((id) => existsSync(path.join('models', id, 'manifest.json')));
    expect(shipped.length).toBeGreaterThan(0);
    for (const id of shipped) await cp(path.join('models', id), path.join(modelsDir, id), { recursive: true });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-doctor-data-'));
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ importMode: 'reference', localAeTitle: 'LUMEN', localPort: await freePort(), forceCpuInference: false, pacsNodes: [] }));

    const healthy = await doctor(modelsDir, dataDir);
    expect(healthy.report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(healthy.code).toBe(0);
    expect(healthy.report.checks.map((c) => c.id)).toEqual(['version', 'policy', 'integrity', 'models', 'execution-providers', 'data-directory', 'library', 'pacs', 'scp-port']);

    const victim = path.join(modelsDir, shipped[0]!, 'model.onnx');
    await flipOneByte(victim, 100);

    const broken = await doctor(modelsDir, dataDir);
    expect(broken.code).toBe(1);
    const models = broken.report.checks.find((c) => c.id === 'models')!;
    expect(models.status).toBe('fail');
    expect(models.detail).toContain(`${victim} does not match the sha256 in its manifest`);
  });

  it('reports an invalid policy file as a failure', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-doctor-data-'));
    const policy = path.join(dataDir, 'policy.json');
    await writeFile(policy, JSON.stringify({ schemaVersion: 1, localPort: 'eleven' }));
    const { stdout } = await run(process.execPath, ['bin/lumen.mjs', 'doctor', '--data-dir', dataDir, '--models-dir', dataDir, '--policy-file', policy]).catch((e: { stdout: string }) => e);
    expect(stdout).toMatch(/FAIL\s+Machine policy\s+The policy file .*policy\.json is not a valid Lumen policy: localPort/);
  });
});
