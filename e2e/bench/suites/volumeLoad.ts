import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, pythonJson } from '../../../electron/services/dicom/testSupport';
import type { BenchSuite } from '../suite';

const ctDir = path.join(dataRoot, 'ct/chest-275');
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), '../volumeLoadChild.ts');

/** pydicom + GDCM decode, sort by IPP along the normal, stack with numpy and rescale to int16 HU. */
const PYDICOM_VOLUME = `
import json, sys, glob, os, time, resource, numpy as np, pydicom
t = time.perf_counter()
ds = [pydicom.dcmread(f) for f in glob.glob(os.path.join(sys.argv[1], '*.dcm'))]
iop = np.array(ds[0].ImageOrientationPatient, dtype=float)
n = np.cross(iop[:3], iop[3:])
ds.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), n)))
vol = np.stack([d.pixel_array for d in ds]).astype(np.int16) * np.int16(ds[0].RescaleSlope) + np.int16(ds[0].RescaleIntercept)
ms = (time.perf_counter() - t) * 1000
print(json.dumps({'ms': ms, 'shape': list(vol.shape), 'peakRssKiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

function readAllBytes(): number {
  const started = performance.now();
  let total = 0;
  for (const f of readdirSync(ctDir).filter((x) => x.endsWith('.dcm'))) total += readFileSync(path.join(ctDir, f)).length;
  return total > 0 ? performance.now() - started : 0;
}

export const suite: BenchSuite = {
  name: 'volumeLoad',
  async run() {
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, ctDir], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`volume load child failed: ${run.stderr}`);
    const lumen = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ms: number; baselineRssKiB: number; peakRssKiB: number; voxelBytes: number; workers: number };
    let peer: { ms: number; peakRssKiB: number };
    try {
      peer = pythonJson(PYDICOM_VOLUME, [ctDir]);
    } catch (error) {
      return { skipped: `pydicom + GDCM unavailable: ${(error as Error).message}` };
    }
    const bytesMs = readAllBytes();
    const growthBytes = (lumen.peakRssKiB - lumen.baselineRssKiB) * 1024;
    const r = (v: number) => Number(v.toFixed(2));
    return {
      figures: [
        {
          name: 'full volume load, 275-slice JPEG-LS CT (index + parse + decode + assemble)',
          lumen: { value: r(lumen.ms), unit: 'ms' },
          peer: { name: 'pydicom 2.3 + GDCM + numpy stack', value: r(peer.ms), unit: 'ms' },
          ratio: r(peer.ms / lumen.ms),
          ratioMeaning: 'pydicom time / Lumen time (higher is better)',
          goal: '>= 3',
          notes: `${lumen.workers} decode worker(s) on ${process.env.BENCH_CORES ?? 'this machine'}`,
        },
        {
          name: 'full volume load vs reading the files\' bytes',
          lumen: { value: r(lumen.ms), unit: 'ms' },
          peer: { name: 'readFileSync of the 275 files (page cache warm)', value: r(bytesMs), unit: 'ms' },
          ratio: r(lumen.ms / bytesMs),
          ratioMeaning: 'Lumen time / plain read time (lower is better)',
          goal: '<= 2',
        },
        {
          name: 'peak RSS of the volume load vs voxel bytes',
          lumen: { value: r(growthBytes / lumen.voxelBytes), unit: 'x voxel bytes (peak RSS growth during the load)' },
          notes: `voxels ${(lumen.voxelBytes / 2 ** 20).toFixed(1)} MiB; baseline (process + workers before the load) ${(lumen.baselineRssKiB / 1024).toFixed(0)} MiB; peak ${(lumen.peakRssKiB / 1024).toFixed(0)} MiB; pydicom peak ${(peer.peakRssKiB / 1024).toFixed(0)} MiB. Worker threads share the process RSS.`,
          goal: '< 1.5 plus a fixed baseline',
        },
      ],
    };
  },
};
