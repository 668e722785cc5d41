/**
 * Runs one full volume load (index, parse, decode in the worker pool, assemble) in its own process, so
 * the parent can read this process's peak RSS. Prints one JSON line.
 */
import { createDecodePool } from '../../electron/services/dicom/decode/index';
import { indexSeries } from '../../electron/services/dicom/import/index';
import { buildVolume, poolPlaneDecoder } from '../../electron/services/dicom/series/index';

const dir = process.argv[2]!;
const pool = createDecodePool();
// Start the workers and their codecs before the clock, as the app does at start-up (viewer warmUp): the
// figure is the load, and the baseline holds the fixed cost of the pool.
await pool.warm();
const baselineRssKiB = process.resourceUsage().maxRSS;
const started = performance.now();
const { series } = await indexSeries([dir]);
const volume = await buildVolume(series[0]!, { decode: poolPlaneDecoder(pool), concurrency: pool.size * 2 });
const ms = performance.now() - started;
const peakRssKiB = process.resourceUsage().maxRSS;
await pool.dispose();
process.stdout.write(
  JSON.stringify({ ms, baselineRssKiB, peakRssKiB, voxelBytes: volume.voxels.byteLength, type: volume.voxels.constructor.name, dims: volume.dimensions, workers: pool.size }) + '\n',
);
