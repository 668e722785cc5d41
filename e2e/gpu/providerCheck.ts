/**
 * The GPU execution-provider check, for a machine with an NVIDIA GPU (CI has none):
 *
 *   node --import tsx e2e/gpu/providerCheck.ts [provider ...]     default: the app's order on this platform
 *
 * Loads cxr-pneumonia through the isolated inference host exactly as the app does, with the given
 * provider order, and prints one JSON object: the provider the session got, the fallbacks with their
 * reasons, the largest difference from a CPU session on the same batch, and latency / batch throughput.
 * With CUDA's provider libraries installed (README, "Offline installation and GPU execution providers")
 * `provider` must read `cuda`; without them the CPU takes over and `fallbacks` says why.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionSpecs } from '../../electron/services/ai/aiEngine';
import { providerOrder } from '../../electron/services/ai/executionProviders';
import { forkHostLauncher } from '../../electron/services/ai/forkHostTransport';
import { ProviderNameSchema, type HostTensor } from '../../electron/services/ai/hostProtocol';
import { InferenceSupervisor } from '../../electron/services/ai/inferenceSupervisor';
import { openModel } from '../../electron/services/ai/modelRegistry';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = process.env.LUMEN_MODELS_DIR ?? path.join(root, 'models');
const RUNS = 100;
const BATCH = 16;
const BATCH_RUNS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Deterministic inputs in [-1, 1) (a linear congruential generator), the same on every machine. */
function inputs(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

const order = process.argv.length > 2 ? process.argv.slice(2).map((p) => ProviderNameSchema.parse(p)) : providerOrder(process.platform, false);
const spec = sessionSpecs(await openModel(modelsDir, 'cxr-pneumonia')).classifier;
const size = spec.warmUp.dims.slice(1);
const perImage = size.reduce((a, b) => a * b, 1);
const one: Record<string, HostTensor> = { [spec.warmUp.input]: { data: inputs(perImage, 1), dims: [1, ...size] } };
const batch: Record<string, HostTensor> = { [spec.warmUp.input]: { data: inputs(BATCH * perImage, 2), dims: [BATCH, ...size] } };

const cpu = new InferenceSupervisor(forkHostLauncher(), { providers: () => ['cpu'] });
const tried = new InferenceSupervisor(forkHostLauncher(), { providers: () => order });
try {
  const reference = (await cpu.load(spec), await cpu.run(spec, batch)).outputs;
  const t0 = performance.now();
  const loaded = await tried.load(spec);
  const coldMs = performance.now() - t0;
  const first = (await tried.run(spec, batch)).outputs;
  const maxAbsDiffVsCpu = Object.fromEntries(
    Object.entries(reference).map(([name, ref]) => [name, ref.data.reduce((m, v, i) => Math.max(m, Math.abs(v - first[name]!.data[i]!)), 0)]),
  );
  const latency: number[] = [];
  for (let i = 0; i < RUNS; i++) latency.push((await tried.run(spec, one)).ms);
  const batchMs: number[] = [];
  for (let i = 0; i < BATCH_RUNS; i++) batchMs.push((await tried.run(spec, batch)).ms);
  console.log(
    JSON.stringify({
      order,
      provider: loaded.provider,
      fallbacks: loaded.fallbacks,
      coldMs,
      maxAbsDiffVsCpu,
      latencyMedianMs: median(latency),
      batchImagesPerSecond: BATCH / (median(batchMs) / 1000),
      note: 'times are the runtime in the host (RunResult.ms), without the IPC',
    }),
  );
} finally {
  await Promise.all([cpu.shutdown(), tried.shutdown()]);
}
