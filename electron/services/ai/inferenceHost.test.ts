import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AiEngine } from './aiEngine';
import { forkHostLauncher } from './forkHostTransport';
import { listModels } from './modelRegistry';
import { makeTinyModel, type TinyModel } from './testing/tinyModel';
import { dataRoot } from '../dicom/testSupport';

const jpeg = path.join(dataRoot, 'cxr/kermany_pneumonia_224/images/NORMAL/IM-0115-0001.jpg');
const ctSlice = path.join(dataRoot, 'ct/chest-275', readdirSync(path.join(dataRoot, 'ct/chest-275')).sort()[0]!);
const cr = path.join(dataRoot, 'cxr/dicom/CR-MONO1-10-chest.dcm');

let tiny: TinyModel;
let engine: AiEngine;

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

beforeAll(() => {
  tiny = makeTinyModel();
  engine = new AiEngine({ modelsDir: tiny.modelsDir, forceCpu: () => false, launcher: forkHostLauncher({ testMode: true }) });
});
afterAll(async () => {
  await engine.shutdown();
});

describe('the inference host', () => {
  it('analyses DICOM and JPEG in the isolated host and records model, version, provider and time', async () => {
    const model = await engine.openClassifier(tiny.id);
    for (const file of [cr, jpeg]) {
      const result = await engine.analyzeFile(model, file);
      // the operating threshold comes from the manifest, never from code
      const manifestThreshold = (JSON.parse(readFileSync(path.join(tiny.dir, 'manifest.json'), 'utf8')) as { threshold: number }).threshold;
      expect(result).toMatchObject({ model: 'tiny-cxr', version: '1.0.0', provider: 'cpu', threshold: manifestThreshold });
      expect(result.probabilities['normal']! + result.probabilities['pneumonia']!).toBeCloseTo(1, 5);
      expect(result.ms).toBeGreaterThan(0);
      expect(result.ood?.score).toBeGreaterThanOrEqual(0);
      expect(result.heatmap).toMatchObject({ rows: 4, columns: 4 });
    }
    // Linux tries CUDA first; without its libraries the CPU runs it, and the reason is recorded.
    const session = engine.supervisor.loadedSessions()[0]!;
    expect(session.provider).toBe('cpu');
    if (process.platform === 'linux') expect(session.fallbacks[0]).toMatchObject({ provider: 'cuda' });
  });

  it('refuses a CT slice for a CR/DX model with a sentence that says why', async () => {
    const model = await engine.openClassifier(tiny.id);
    const error = await engine.analyzeFile(model, ctSlice).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_NOT_APPLICABLE', message: expect.stringContaining('it is a CT image, and the model is for CR or DX images only') });
  });

  it('restarts after a native crash (process.abort) and fails only the run in flight', async () => {
    const model = await engine.openClassifier(tiny.id);
    await engine.analyzeFile(model, jpeg);
    const before = engine.supervisor.restarts;
    // Outcomes are taken at once: a run may fail before the test awaits it.
    const inFlight = codeOf(engine.analyzeFile(model, jpeg));
    engine.supervisor.crashHostForTest();
    const queued = codeOf(engine.analyzeFile(model, jpeg));
    // The host dies while it holds one of the two runs (or between them): only that run fails, and
    // runs are sent one at a time, so at most one of them fails.
    const outcomes = [await inFlight, await queued];
    for (const outcome of outcomes) expect(['AI_HOST_CRASHED', 'resolved']).toContain(outcome);
    expect(outcomes.filter((o) => o === 'AI_HOST_CRASHED').length).toBeLessThanOrEqual(1);
    await engine.analyzeFile(model, jpeg);
    expect(engine.supervisor.restarts).toBeGreaterThan(before);
  });

  it('restarts after SIGKILL of the host, failing the run in flight with AI_HOST_CRASHED', async () => {
    const model = await engine.openClassifier(tiny.id);
    await engine.analyzeFile(model, jpeg);
    const pid = await engine.supervisor.hostPid();
    const feeds = { image: { data: new Float32Array(256), dims: [1, 1, 16, 16] } };
    const spec = (await import('./aiEngine')).sessionSpecs(model).classifier;
    const inFlight = engine.supervisor.run(spec, feeds);
    process.kill(pid, 'SIGKILL');
    expect(['AI_HOST_CRASHED', 'resolved']).toContain(await codeOf(inFlight));
    const after = await engine.analyzeFile(model, jpeg);
    expect(after.provider).toBe('cpu');
    expect(await engine.supervisor.hostPid()).not.toBe(pid);
  });

  it('cancels a queued run (AI_RUN_CANCELLED) and keeps serving', async () => {
    const model = await engine.openClassifier(tiny.id);
    const controller = new AbortController();
    const first = engine.analyzeFile(model, jpeg);
    const second = engine.analyzeFile(model, jpeg, { signal: controller.signal });
    controller.abort();
    expect(await codeOf(second)).toBe('AI_RUN_CANCELLED');
    expect(await codeOf(first)).toBe('resolved');
  });

  it('bounds a run in time (AI_RUN_TIMEOUT) and restarts the host', async () => {
    const slow = new AiEngine({ modelsDir: tiny.modelsDir, forceCpu: () => true, runTimeoutMs: 300 });
    try {
      const model = await slow.openClassifier(tiny.id);
      await slow.supervisor.load((await import('./aiEngine')).sessionSpecs(model).classifier);
      const pid = await slow.supervisor.hostPid();
      // A hung host (a stuck driver): stopped, it cannot answer, so the run must time out. (A 1 ms
      // timeout on a live host raced the tiny model's answer and once lost, in CI.)
      process.kill(pid, 'SIGSTOP');
      expect(await codeOf(slow.analyzeFile(model, jpeg))).toBe('AI_RUN_TIMEOUT');
      await expect.poll(() => slow.supervisor.restarts).toBe(1);
      expect(await slow.supervisor.hostPid()).not.toBe(pid);
    } finally {
      await slow.shutdown();
    }
  });

  it('forces the CPU when the setting says so', async () => {
    const cpu = new AiEngine({ modelsDir: tiny.modelsDir, forceCpu: () => true });
    try {
      const model = await cpu.openClassifier(tiny.id);
      const result = await cpu.analyzeFile(model, jpeg);
      expect(result.provider).toBe('cpu');
      expect(result.fallbacks).toEqual([]);
      expect((await cpu.status()).order).toEqual(['cpu']);
    } finally {
      await cpu.shutdown();
    }
  });
});

describe('the model registry', () => {
  it('verifies sha256 before loading and reports a changed file by name', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'lumen-broken-'));
    cpSync(tiny.dir, path.join(broken, tiny.id), { recursive: true });
    appendFileSync(path.join(broken, tiny.id, 'ood.onnx'), 'x');
    const [listing] = await listModels(broken);
    expect(listing!.problems).toEqual([expect.stringContaining('ood.onnx does not match the sha256 in its manifest')]);
    const e = new AiEngine({ modelsDir: broken, forceCpu: () => true });
    try {
      const model = await e.openClassifier(tiny.id);
      copyFileSync(path.join(tiny.dir, 'ood.onnx'), path.join(broken, tiny.id, 'model.onnx'));
      expect(await codeOf(e.analyzeFile(model, jpeg))).toBe('MODEL_CHECKSUM_MISMATCH');
    } finally {
      await e.shutdown();
    }
  });

  it('lists the installed models of the checkout with matching checksums', async () => {
    const listings = await listModels(path.resolve(dataRoot, '../../main/models'));
    for (const l of listings) expect(l.problems).toEqual([]);
  });
});
