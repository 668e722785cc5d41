import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, pythonJson } from '../../../electron/services/dicom/testSupport';
import type { BenchSuite } from '../suite';

const ctDir = path.join(dataRoot, 'ct/chest-275');
/** Loads (and reads) of each kind in one run; the figures compare the best of each side. */
const RUNS = 5;
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), '../volumeLoadChild.ts');

/** pydicom + GDCM decode, sort by IPP along the normal, stack with numpy and rescale to int16 HU; argv: folder, runs. */
const PYDICOM_VOLUME = `
import json, sys, glob, os, time, resource, numpy as np, pydicom
def load():
    ds = [pydicom.dcmread(f) for f in glob.glob(os.path.join(sys.argv[1], '*.dcm'))]
    iop = np.array(ds[0].ImageOrientationPatient, dtype=float)
    n = np.cross(iop[:3], iop[3:])
    ds.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), n)))
    return np.stack([d.pixel_array for d in ds]).astype(np.int16) * np.int16(ds[0].RescaleSlope) + np.int16(ds[0].RescaleIntercept)
runs = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    vol = load()
    runs.append((time.perf_counter() - t) * 1000)
    if len(runs) == 1: rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del vol
print(json.dumps({'ms': runs[0], 'bestMs': min(runs), 'peakRssKiB': rss}))
`;
/** Best of `runs` plain reads of the folder's files (the page cache is warm after the first). */
function readAllBytes(dir: string, runs = RUNS): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    let total = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.dcm'))) total += readFileSync(path.join(dir, f)).length;
    if (total > 0) best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * The same CT decompressed by dcmtk's dcmdjpls (Explicit VR Little Endian), in a temp folder: what a
 * scanner that sends uncompressed data gives, where the load is I/O and assembly rather than JPEG-LS.
 */
function nativeCopy(): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-bench-native-'));
  for (const f of readdirSync(ctDir).filter((x) => x.endsWith('.dcm'))) {
    if (spawnSync('dcmdjpls', [path.join(ctDir, f), path.join(dir, f)]).status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
  }
  return dir;
}

interface ChildFigures {
  /** The first load in the process (cold JIT). */
  ms: number;
  bestMs: number;
  baselineRssKiB: number;
  peakRssKiB: number;
  voxelBytes: number;
  workers: number;
}

function loadInChild(dir: string): ChildFigures {
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, dir, String(RUNS)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`volume load child failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildFigures;
}

export const suite: BenchSuite = {
  name: 'volumeLoad',
  async run() {
    const lumen = loadInChild(ctDir);
    let peer: { ms: number; bestMs: number; peakRssKiB: number };
    try {
      peer = pythonJson(PYDICOM_VOLUME, [ctDir, '2']);
    } catch (error) {
      return { skipped: `pydicom + GDCM unavailable: ${(error as Error).message}` };
    }
    const bytesMs = readAllBytes(ctDir);
    const native = nativeCopy();
    let nativeFigure: { load: ChildFigures; bytesMs: number } | null = null;
    if (native) {
      try {
        nativeFigure = { load: loadInChild(native), bytesMs: readAllBytes(native) };
      } finally {
        rmSync(native, { recursive: true, force: true });
      }
    }
    const growthBytes = (lumen.peakRssKiB - lumen.baselineRssKiB) * 1024;
    const r = (v: number) => Number(v.toFixed(2));
    return {
      figures: [
        {
          name: 'full volume load, 275-slice JPEG-LS CT (index + parse + decode + assemble)',
          lumen: { value: r(lumen.bestMs), unit: 'ms' },
          peer: { name: 'pydicom 2.3 + GDCM + numpy stack', value: r(peer.bestMs), unit: 'ms' },
          ratio: r(peer.bestMs / lumen.bestMs),
          ratioMeaning: 'pydicom time / Lumen time (higher is better)',
          goal: '>= 3',
          notes: `best of ${RUNS} loads vs best of 2 pydicom runs; first load in the process ${r(lumen.ms)} ms, pydicom's first ${r(peer.ms)} ms (ratio ${r(peer.ms / lumen.ms)}); ${lumen.workers} decode worker(s) on ${process.env.BENCH_CORES ?? 'this machine'}`,
        },
        {
          name: 'full volume load vs reading the files\' bytes',
          lumen: { value: r(lumen.bestMs), unit: 'ms' },
          peer: { name: `readFileSync of the 275 files (page cache warm, best of ${RUNS})`, value: r(bytesMs), unit: 'ms' },
          ratio: r(lumen.bestMs / bytesMs),
          ratioMeaning: 'Lumen time / plain read time (lower is better)',
          goal: '<= 2',
        },
        ...(nativeFigure
          ? [
              {
                name: 'full volume load of the same CT uncompressed (dcmdjpls copy) vs reading its bytes',
                lumen: { value: r(nativeFigure.load.bestMs), unit: 'ms' },
                peer: { name: `readFileSync of the 275 uncompressed files (page cache warm, best of ${RUNS})`, value: r(nativeFigure.bytesMs), unit: 'ms' },
                ratio: r(nativeFigure.load.bestMs / nativeFigure.bytesMs),
                ratioMeaning: 'Lumen time / plain read time (lower is better)',
                goal: '<= 2',
                notes: `best of ${RUNS} loads; the first load in the process (cold JIT) took ${r(nativeFigure.load.ms)} ms (ratio ${r(nativeFigure.load.ms / nativeFigure.bytesMs)}). JPEG-LS decoding is most of the compressed load; uncompressed, what remains is reading, parsing and assembling`,
              },
            ]
          : []),
        {
          name: 'peak RSS of the volume load vs voxel bytes',
          lumen: { value: r(growthBytes / lumen.voxelBytes), unit: 'x voxel bytes (peak RSS growth during the load)' },
          notes: `first load of the JPEG-LS CT; voxels ${(lumen.voxelBytes / 2 ** 20).toFixed(1)} MiB; baseline (process + workers before the load) ${(lumen.baselineRssKiB / 1024).toFixed(0)} MiB; peak ${(lumen.peakRssKiB / 1024).toFixed(0)} MiB; pydicom peak ${(peer.peakRssKiB / 1024).toFixed(0)} MiB. Worker threads share the process RSS.`,
          goal: '< 1.5 plus a fixed baseline',
        },
      ],
    };
  },
};
