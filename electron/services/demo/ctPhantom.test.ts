import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { phantomHu, writeCtPhantom } from './ctPhantom';

/**
 * The demo phantom is real DICOM: pydicom (an independent reader) reads every file, and the HU it
 * computes at probe voxels, at the patient positions it derives from the headers, equal the phantom's
 * definition there.
 */
const PYDICOM_PROBE = `
import json, sys, glob, pydicom
files = sorted(glob.glob(sys.argv[1] + '/*.dcm'))
out = []
for f in files:
    ds = pydicom.dcmread(f)
    hu = ds.pixel_array.astype(float) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    ipp = [float(v) for v in ds.ImagePositionPatient]
    iop = [float(v) for v in ds.ImageOrientationPatient]
    ps = [float(v) for v in ds.PixelSpacing]
    probes = []
    for (r, c) in [(0, 0), (int(ds.Rows) // 2, int(ds.Columns) // 2), (20, 16), (30, 10), (45, 18), (int(ds.Rows) - 1, int(ds.Columns) - 1)]:
        # PS3.3 C.7.6.2.1.1: position = IPP + row direction * col * dx + column direction * row * dy
        x = ipp[0] + iop[0] * c * ps[1] + iop[3] * r * ps[0]
        y = ipp[1] + iop[1] * c * ps[1] + iop[4] * r * ps[0]
        z = ipp[2] + iop[2] * c * ps[1] + iop[5] * r * ps[0]
        probes.append({'pos': [x, y, z], 'hu': hu[r, c]})
    out.append({'modality': ds.Modality, 'sop': ds.SOPClassUID, 'rows': int(ds.Rows), 'probes': probes})
print(json.dumps(out))
`;

describe('demo CT phantom', () => {
  it('writes CT Image Storage files whose HU (read by pydicom) follow the phantom definition', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'lumen-phantom-'));
    const options = { size: 48, slices: 6, pixelSpacing: 7, sliceSpacing: 10 };
    const files = await writeCtPhantom(folder, options);
    expect(files).toHaveLength(6);
    const result = spawnSync('/usr/bin/python3', ['-c', PYDICOM_PROBE, folder], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const slices = JSON.parse(result.stdout) as { modality: string; sop: string; rows: number; probes: { pos: number[]; hu: number }[] }[];
    const halfLength = ((options.slices - 1) * options.sliceSpacing) / 2;
    const seen = new Set<number>();
    for (const slice of slices) {
      expect(slice.modality).toBe('CT');
      expect(slice.sop).toBe('1.2.840.10008.5.1.4.1.1.2');
      expect(slice.rows).toBe(48);
      for (const { pos, hu } of slice.probes) {
        expect(hu).toBe(phantomHu(pos[0]!, pos[1]!, pos[2]!, halfLength));
        seen.add(hu);
      }
    }
    // the probes hit air, soft tissue and lung at least: the phantom is not a flat image
    expect(seen.has(-1000)).toBe(true);
    expect([...seen].some((v) => v <= -800 && v > -1000)).toBe(true);
    expect([...seen].some((v) => v >= 0)).toBe(true);
  });
});
