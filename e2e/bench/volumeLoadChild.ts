/**
 * Runs full volume loads (index, parse, decode in the worker pool, assemble) in a process of their own,
 * so the parent can read this process's peak RSS. The first load is the one a user waits for after
 * start-up (cold JIT); the repeats, each into a fresh volume, show the steady state, as repeated runs
 * of the peers do. Peak RSS is read after the first load, before a repeat allocates again. Prints one
 * JSON line.
 */
import { createDecodePool } from '../../electron/services/dicom/decode/index';
import { indexSeries } from '../../electron/services/dicom/import/index';
import { buildVolume, poolPlaneDecoder } from '../../electron/services/dicom/series/index';

const dir = process.argv[2]!;
const repeats = Math.max(1, Number(process.argv[3] ?? 1));
const pool = createDecodePool();
// Start the workers and their codecs before the clock, as the app does at start-up (viewer warmUp): the
// figure is the load, and the baseline holds the fixed cost of the pool.
await pool.warm();
const baselineRssKiB = process.resourceUsage().maxRSS;

async function load() {
  const started = performance.now();
  const { series } = await indexSeries([dir]);
  const volume = await buildVolume(series[0]!, { decode: poolPlaneDecoder(pool), concurrency: pool.size * 2 });
  return { ms: performance.now() - started, volume };
}

const first = await load();
const peakRssKiB = process.resourceUsage().maxRSS;
const { volume } = first;
const runs = [first.ms];
for (let i = 1; i < repeats; i++) runs.push((await load()).ms);
await pool.dispose();
process.stdout.write(
  JSON.stringify({ ms: first.ms, runs, bestMs: Math.min(...runs), baselineRssKiB, peakRssKiB, voxelBytes: volume.voxels.byteLength, type: volume.voxels.constructor.name, dims: volume.dimensions, workers: pool.size }) + '\n',
);
