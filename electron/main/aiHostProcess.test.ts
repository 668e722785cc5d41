import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AiEngine } from '../services/ai/aiEngine';
import { makeTinyModel, type TinyModel } from '../services/ai/testing/tinyModel';
import { dataRoot } from '../services/dicom/testSupport';
import { utilityProcessLauncher } from './aiHostProcess';

// The Electron binary cannot be installed here, so Electron's utilityProcess is stood in for by a Node
// child process behind the same API surface the launcher uses (fork, postMessage, 'message', 'exit' with
// a code, kill). What this checks is the adapter: the real inference host, the real supervisor and the
// protocol across it, including a restart after the process dies.
const children: ChildProcess[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (script: string, args: string[], options: { env: NodeJS.ProcessEnv }) => {
      const child = fork(script, args, { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: options.env });
      children.push(child);
      return {
        postMessage: (message: unknown) => child.send(message as object),
        on: (event: 'message', listener: (message: unknown) => void) => child.on(event, listener),
        once: (event: 'exit', listener: (code: number) => void) => child.once(event, (code) => listener(code ?? -1)),
        kill: () => child.kill('SIGKILL'),
      };
    },
  },
}));

const hostScript = path.resolve('electron/services/ai/inferenceHost.ts');
const jpeg = path.join(dataRoot, 'cxr/kermany_pneumonia_224/images/NORMAL/IM-0115-0001.jpg');
let tiny: TinyModel;
let engine: AiEngine;

beforeAll(() => {
  tiny = makeTinyModel();
  engine = new AiEngine({ modelsDir: tiny.modelsDir, forceCpu: () => true, launcher: utilityProcessLauncher(hostScript) });
});
afterAll(async () => {
  await engine.shutdown();
});

describe('the inference host as a utilityProcess', () => {
  it('analyses an image through the utilityProcess transport', async () => {
    const model = await engine.openClassifier(tiny.id);
    const result = await engine.analyzeFile(model, jpeg);
    expect(result).toMatchObject({ model: 'tiny-cxr', provider: 'cpu' });
    expect(result.probabilities['normal']! + result.probabilities['pneumonia']!).toBeCloseTo(1, 5);
  }, 120_000);

  it('is restarted after the process is killed, and the next analysis runs in the new one', async () => {
    const model = await engine.openClassifier(tiny.id);
    const before = engine.supervisor.restarts;
    const first = children.at(-1)!;
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    const result = await engine.analyzeFile(model, jpeg);
    expect(result.provider).toBe('cpu');
    expect(engine.supervisor.restarts).toBe(before + 1);
    expect(children.length).toBe(2);
  }, 120_000);
});
