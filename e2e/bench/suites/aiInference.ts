import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkHostLauncher } from '../../../electron/services/ai/forkHostTransport';
import { InferenceSupervisor } from '../../../electron/services/ai/inferenceSupervisor';
import { openModel } from '../../../electron/services/ai/modelRegistry';
import { sessionSpecs } from '../../../electron/services/ai/aiEngine';
import type { BenchFigure, BenchSuite } from '../suite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODEL = 'cxr-pneumonia';
const THREADS = 2;
const RUNS = 60;
const BATCH = 16;
const BATCH_RUNS = 30;

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

/**
 * cxr-pneumonia with onnxruntime-node on the CPU (through the isolated inference host, as the app runs
 * it) against the same network in PyTorch eager mode, same machine, same thread count, one run:
 * latency per image (median, p95), batch throughput and cold start (create + verify + warm up).
 */
export const suite: BenchSuite = {
  name: 'aiInference',
  async run() {
    const modelDir = path.join(root, 'models', MODEL);
    const checkpoint = path.join(root, 'models/training/cxr/checkpoints/best.pt');
    if (!existsSync(path.join(modelDir, 'manifest.json')) || !existsSync(path.join(modelDir, 'model.onnx'))) return { skipped: `models/${MODEL} is not there yet` };
    if (!existsSync(checkpoint)) return { skipped: 'the PyTorch peer needs models/training/cxr/checkpoints/best.pt' };

    const model = await openModel(path.join(root, 'models'), MODEL);
    const spec = sessionSpecs(model).classifier;
    const size = spec.warmUp.dims.slice(1);
    const supervisor = new InferenceSupervisor(forkHostLauncher(), { providers: () => ['cpu'], intraOpThreads: THREADS });
    let lumen: { cold: number; host: { verify: number; create: number; warmUp: number }; median: number; p95: number; hostMedian: number; ips: number; hostIps: number };
    try {
      const t0 = performance.now();
      const loaded = await supervisor.load(spec);
      const cold = performance.now() - t0;
      const one = { [spec.warmUp.input]: { data: Float32Array.from({ length: size.reduce((a, b) => a * b, 1) }, () => Math.random()), dims: [1, ...size] } };
      const wall: number[] = [];
      const host: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await supervisor.run(spec, one);
        wall.push(performance.now() - t);
        host.push(r.ms);
      }
      wall.sort((a, b) => a - b);
      host.sort((a, b) => a - b);
      const n = BATCH * size.reduce((a, b) => a * b, 1);
      const batch = { [spec.warmUp.input]: { data: Float32Array.from({ length: n }, () => Math.random()), dims: [BATCH, ...size] } };
      await supervisor.run(spec, batch);
      const batchMs: number[] = [];
      const batchHostMs: number[] = [];
      for (let i = 0; i < BATCH_RUNS; i++) {
        const tb = performance.now();
        batchHostMs.push((await supervisor.run(spec, batch)).ms);
        batchMs.push(performance.now() - tb);
      }
      // The median batch, like the peer's: a burst of load from elsewhere on a shared machine should not
      // decide the ratio either way.
      const ips = BATCH / (quantile(batchMs.sort((a, b) => a - b), 0.5) / 1000);
      const hostIps = BATCH / (quantile(batchHostMs.sort((a, b) => a - b), 0.5) / 1000);
      lumen = { cold, host: loaded.ms, median: quantile(wall, 0.5), p95: quantile(wall, 0.95), hostMedian: quantile(host, 0.5), ips, hostIps };
    } finally {
      await supervisor.shutdown();
    }

    const peer = spawnSync('/usr/bin/python3', [path.join(root, 'e2e/bench/peers/torch_cxr_inference.py'), String(THREADS), String(RUNS), String(BATCH), String(BATCH_RUNS)], { encoding: 'utf8' });
    if (peer.status !== 0) return { skipped: `the PyTorch peer failed: ${peer.stderr.slice(-300)}` };
    const torch = JSON.parse(peer.stdout) as { torch: string; coldStartMs: number; importSeconds: number; medianMs: number; p95Ms: number; imagesPerSecond: number };
    const note = `CPU, ${THREADS} threads each (onnxruntime intraOpNumThreads, torch.set_num_threads), ${size.join('x')} input; a shared machine, so absolute times vary with load; torch ${torch.torch}`;
    const figures: BenchFigure[] = [
      { name: 'latency per image, median (Lumen: through the inference host, IPC included)', lumen: { value: lumen.median, unit: 'ms' }, peer: { name: 'PyTorch eager', value: torch.medianMs, unit: 'ms' }, ratio: torch.medianMs / lumen.median, ratioMeaning: 'PyTorch time / Lumen time', goal: '>= 2x', notes: `${note}; runtime alone in the host: ${lumen.hostMedian.toFixed(2)} ms` },
      { name: 'latency per image, p95', lumen: { value: lumen.p95, unit: 'ms' }, peer: { name: 'PyTorch eager', value: torch.p95Ms, unit: 'ms' }, ratio: torch.p95Ms / lumen.p95, ratioMeaning: 'PyTorch time / Lumen time' },
      { name: `batch throughput (batch ${BATCH})`, lumen: { value: lumen.ips, unit: 'images/s' }, peer: { name: 'PyTorch eager', value: torch.imagesPerSecond, unit: 'images/s' }, ratio: lumen.ips / torch.imagesPerSecond, ratioMeaning: 'Lumen throughput / PyTorch throughput', goal: '>= 2x', notes: `batch size / median time of ${BATCH_RUNS} batches on each side (Lumen through the host, IPC included); runtime alone in the host: ${lumen.hostIps.toFixed(0)} images/s` },
      { name: 'cold start: host process + sha256 verify + session create + warm-up', lumen: { value: lumen.cold, unit: 'ms' }, peer: { name: 'PyTorch: build net + load checkpoint + warm-up (import torch excluded)', value: torch.coldStartMs, unit: 'ms' }, notes: `in the host: verify ${lumen.host.verify.toFixed(1)} ms, create ${lumen.host.create.toFixed(1)} ms, warm-up ${lumen.host.warmUp.toFixed(1)} ms; import torch took ${(torch.importSeconds * 1000).toFixed(0)} ms` },
    ];
    return { figures };
  },
};
