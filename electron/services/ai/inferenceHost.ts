/**
 * The inference host: the only process that loads onnxruntime sessions. It runs apart from the
 * workstation (a forked Node process in the CLI and tests, an Electron utilityProcess in the app) so that
 * a native crash in a GPU driver or a model takes down this process only; the supervisor restarts it.
 * It speaks hostProtocol.ts and nothing else.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { LumenError, toErrorValue } from '../../../shared/domain/errors';
import { ToHostSchema, type Fallback, type FromHost, type HostTensor, type ToHost } from './hostProtocol';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

// Electron's utilityProcess exposes process.parentPort; a forked Node child has process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const post = (message: FromHost): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};
const onMessage = (listener: (message: unknown) => void): void => {
  if (parentPort) parentPort.on('message', (event) => listener(event.data));
  else process.on('message', listener);
};

// A provider that cannot load is expected on most machines (CUDA without its libraries): the reason is
// reported to the supervisor as a fallback, so the runtime's own error log would only be noise.
ort.env.logLevel = 'fatal';

const sessions = new Map<string, ort.InferenceSession>();

async function load(message: Extract<ToHost, { type: 'load' }>): Promise<FromHost> {
  const fallbacks: Fallback[] = [];
  const t0 = performance.now();
  let bytes: Buffer;
  try {
    bytes = await readFile(message.file.path);
  } catch (cause) {
    return { type: 'loadFailed', key: message.key, fallbacks, error: new LumenError('MODEL_NOT_FOUND', `The model file ${message.file.path} cannot be read.`, { cause }).toValue() };
  }
  // Verified here, on the very bytes handed to the runtime, so nothing can swap the file in between.
  if (createHash('sha256').update(bytes).digest('hex') !== message.file.sha256) {
    return { type: 'loadFailed', key: message.key, fallbacks, error: { code: 'MODEL_CHECKSUM_MISMATCH', message: `${message.file.path} does not match the sha256 in its manifest; reinstall the model.` } };
  }
  const verify = performance.now() - t0;
  for (const provider of message.providers) {
    const t1 = performance.now();
    let session: ort.InferenceSession | undefined;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [provider],
        ...(message.intraOpThreads ? { intraOpNumThreads: message.intraOpThreads } : {}),
      });
      const create = performance.now() - t1;
      const t2 = performance.now();
      const size = message.warmUp.dims.reduce((a, b) => a * b, 1);
      await session.run({ [message.warmUp.input]: new ort.Tensor('float32', new Float32Array(size), message.warmUp.dims) });
      const warmUp = performance.now() - t2;
      sessions.get(message.key)?.release().catch(() => undefined);
      sessions.set(message.key, session);
      return { type: 'loaded', key: message.key, provider, fallbacks, ms: { verify, create, warmUp } };
    } catch (error) {
      await session?.release().catch(() => undefined);
      fallbacks.push({ provider, reason: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error) });
    }
  }
  return { type: 'loadFailed', key: message.key, fallbacks, error: { code: 'MODEL_LOAD_FAILED', message: `No execution provider could run ${message.key}.` } };
}

async function run(message: Extract<ToHost, { type: 'run' }>): Promise<FromHost> {
  const session = sessions.get(message.key);
  if (!session) return { type: 'runFailed', runId: message.runId, error: { code: 'AI_MODEL_NOT_LOADED', message: `${message.key} is not loaded in the inference host.` } };
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor('float32', t.data, t.dims);
    const t0 = performance.now();
    const result = await session.run(feeds);
    const ms = performance.now() - t0;
    const outputs: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(result)) outputs[name] = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
    return { type: 'result', runId: message.runId, outputs, ms };
  } catch (error) {
    return { type: 'runFailed', runId: message.runId, error: error instanceof LumenError ? error.toValue() : { code: 'AI_RUN_FAILED', message: `The model could not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` } };
  }
}

async function releaseAll(): Promise<void> {
  for (const session of sessions.values()) await session.release().catch(() => undefined);
  sessions.clear();
}

// Messages are handled one at a time: the supervisor queues runs, and onnxruntime sessions use the
// cores themselves, so running two at once would only slow both.
let chain = Promise.resolve();
onMessage((raw) => {
  chain = chain.then(async () => {
    const parsed = ToHostSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'crashForTest') {
      if (process.env['LUMEN_AI_HOST_TEST'] === '1') process.abort();
      return;
    }
    if (message.type === 'load') post(await load(message));
    else if (message.type === 'run') post(await run(message));
    else {
      await releaseAll();
      post({ type: 'released' });
    }
  }).catch((error: unknown) => {
    process.stderr.write(`inference host: ${JSON.stringify(toErrorValue(error))}\n`);
  });
});

post({ type: 'ready', pid: process.pid });
