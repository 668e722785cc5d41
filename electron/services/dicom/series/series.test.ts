import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDecodePool } from '../decode/index';
import { indexSeries } from '../import/index';
import { parseDicomFile } from '../parse/index';
import { dataRoot, pythonJson } from '../testSupport';
import { dicomError } from '../dicomError';
import { buildVolume, poolPlaneDecoder, sliceHeaders, groupSeries, assembleSeries, type PlaneDecoder } from './index';
import { correctGantryTilt } from '../../../../shared/domain/geometry/tiltCorrection';
import { phantomHu, writeCtPhantom } from '../../demo/ctPhantom';

const ctDir = path.join(dataRoot, 'ct/chest-275');
const mrDir = path.join(dataRoot, 'mr/decubitus');
const pool = createDecodePool({ size: 2 });
afterAll(() => pool.dispose());

interface Probe {
  i: number;
  j: number;
  k: number;
  hu: number;
}
const probes = JSON.parse(readFileSync(path.join(ctDir, 'probes.json'), 'utf8')) as {
  dims_ijk: number[];
  spacing_ijk_mm: number[];
  origin_mm: number[];
  probes: Probe[];
};

/** Recomputes probe HU with pydicom + GDCM now, sorting the files by IPP along the normal itself. */
const PYDICOM_PROBES = `
import json, sys, glob, os, numpy as np, pydicom
d, probes = sys.argv[1], json.loads(sys.argv[2])
heads = [pydicom.dcmread(f, stop_before_pixels=True) for f in glob.glob(os.path.join(d, '*.dcm'))]
iop = np.array(heads[0].ImageOrientationPatient, dtype=float)
n = np.cross(iop[:3], iop[3:])
heads.sort(key=lambda h: float(np.dot(np.array(h.ImagePositionPatient, dtype=float), n)))
out = []
for p in probes:
    ds = pydicom.dcmread(heads[p['k']].filename)
    out.append(float(ds.pixel_array[p['j'], p['i']]) * float(ds.RescaleSlope) + float(ds.RescaleIntercept))
print(json.dumps(out))
`;

describe('the 275-slice chest CT', () => {
  it('assembles one uniform 512x512x275 series with the geometry pydicom gives', async () => {
    const { series } = await indexSeries([ctDir]);
    expect(series).toHaveLength(1);
    const s = series[0]!;
    expect([s.columns, s.rows, s.slices.length]).toEqual(probes.dims_ijk);
    expect([s.pixelSpacing![1], s.pixelSpacing![0]]).toEqual(probes.spacing_ijk_mm.slice(0, 2));
    expect(s.sliceSpacing).toBeCloseTo(probes.spacing_ijk_mm[2]!, 9);
    expect(s.uniformSpacing).toBe(true);
    expect(s.missingSlicePositions).toEqual([]);
    expect(s.gantryTiltDegrees).toBe(0);
    expect(s.origin).toEqual(probes.origin_mm);
    // File names do not follow slice order and Instance Number runs the other way (README traps).
    expect(path.basename(s.slices[0]!.path)).toBe('000197.dcm');
    expect(s.slices[0]!.instanceNumber).toBe(275);
  });

  it('builds one Int16 volume whose probe voxels hold the HU pydicom computes', async () => {
    const { series } = await indexSeries([ctDir]);
    const volume = await buildVolume(series[0]!, { decode: poolPlaneDecoder(pool), concurrency: 4 });
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    expect(volume.voxels.length).toBe(512 * 512 * 275);
    expect(volume.dimensions).toEqual([512, 512, 275]);
    expect(volume.spacing[0]).toBe(0.78125);
    expect(volume.spacing[2]).toBeCloseTo(1, 9);
    expect(volume.direction).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(volume.units).toBe('HU');
    const at = (p: Probe) => volume.voxels[p.k * 512 * 512 + p.j * 512 + p.i];
    for (const p of probes.probes) expect({ ...p, ours: at(p) }).toMatchObject({ ours: p.hu });
    const live = probes.probes.slice(2, 4);
    const reference = pythonJson<number[]>(PYDICOM_PROBES, [ctDir, JSON.stringify(live)]);
    expect(live.map(at)).toEqual(reference);
  });

  it('is all or nothing by default, and with onPlaneFailed loads every other plane past a damaged one', async () => {
    const { series } = await indexSeries([ctDir]);
    const s = series[0]!;
    const bad = new Set([s.slices[137]!.path, s.slices[3]!.path]);
    // A stand-in decoder: fails the two damaged planes, marks every other plane with its index + 1.
    const decode: PlaneDecoder = async (slice, target) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (bad.has(slice.path)) throw dicomError('DICOM_DECODE_FAILED', 'damaged');
      target.voxels.fill(target.offset / (s.rows * s.columns) + 1, target.offset, target.offset + s.rows * s.columns);
    };
    await expect(buildVolume(s, { decode })).rejects.toMatchObject({ code: 'DICOM_DECODE_FAILED' });

    const failed: number[] = [];
    const planes: number[] = [];
    let progress = 0;
    const volume = await buildVolume(s, { decode, onPlaneFailed: (k) => failed.push(k), onPlane: (k) => planes.push(k), onProgress: (done) => (progress = done) });
    expect(failed.sort((a, b) => a - b)).toEqual([3, 137]);
    expect(planes).toHaveLength(273);
    expect(progress).toBe(275);
    const plane = s.rows * s.columns;
    for (let k = 0; k < 275; k++) expect(volume.voxels[k * plane + 1000], `plane ${k}`).toBe(failed.includes(k) ? 0 : k + 1);
  });
});

/** The README's table: folder -> row, column and normal directions as words. */
function decubitusTable(): Map<string, { row: string; column: string; normal: string }> {
  const readme = readFileSync(path.join(mrDir, 'README.md'), 'utf8');
  const table = new Map<string, { row: string; column: string; normal: string }>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = cells[1]?.split('/')[0];
    if (!folder || !/^HF/.test(folder) || cells.length < 8) continue;
    const word = (cell: string) => cell.split('=')[1]!.trim().split(' ')[0]!;
    table.set(folder, { row: word(cells[5]!), column: word(cells[6]!), normal: word(cells[7]!) });
  }
  return table;
}

const LETTER: Record<string, string> = { Left: 'L', Right: 'R', Anterior: 'A', Posterior: 'P', Head: 'H', Feet: 'F' };
const OPPOSITE: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };

const PYDICOM_IOP = `
import json, sys, glob, os, pydicom
print(json.dumps({d: sorted({tuple(float(v) for v in pydicom.dcmread(f, stop_before_pixels=True).ImageOrientationPatient) for f in glob.glob(os.path.join(sys.argv[1], d, '*', '*.dcm'))}) for d in ['HFS', 'HFP', 'HFDR', 'HFDL']}))
`;

describe('decubitus MR in four patient positions', () => {
  it('gives every series the directions and edge labels the README states, with pydicom\'s IOP', async () => {
    const table = decubitusTable();
    expect([...table.keys()].sort()).toEqual(['HFDL', 'HFDR', 'HFP', 'HFS']);
    const iops = pythonJson<Record<string, number[][]>>(PYDICOM_IOP, [mrDir]);
    for (const [folder, expected] of table) {
      const { series } = await indexSeries([path.join(mrDir, folder)]);
      expect(series).toHaveLength(1);
      const s = series[0]!;
      const o = s.orientation!;
      expect(iops[folder]).toEqual([o.imageOrientationPatient]);
      const row = LETTER[expected.row.replace(/\W/g, '')] ?? expected.row;
      const column = LETTER[expected.column.replace(/\W/g, '')] ?? expected.column;
      const normal = LETTER[expected.normal.replace(/\W/g, '')] ?? expected.normal;
      expect({ folder, row: o.rowLetters, column: o.columnLetters, normal: o.normalLetters }).toEqual({ folder, row, column, normal });
      // No flips: the left edge shows where the row direction comes from, the top where the column does.
      expect({ folder, edges: o.edges }).toEqual({ folder, edges: { left: OPPOSITE[row], right: row, top: OPPOSITE[column], bottom: column } });
      expect(s.slices).toHaveLength(35);
      expect(s.sliceSpacing).toBeCloseTo(4.8, 4);
      expect(s.uniformSpacing).toBe(true);
    }
  });
});

const PYDICOM_PER_FRAME = `
import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[1], stop_before_pixels=True)
shared = ds.SharedFunctionalGroupsSequence[0]
def pick(item, seq, kw):
    for src in (item, shared):
        if seq in src: return [float(v) for v in getattr(src[seq][0], kw)] if kw != 'RescaleIntercept' else float(src[seq][0].RescaleIntercept)
    return None
print(json.dumps([{'ipp': pick(f, 'PlanePositionSequence', 'ImagePositionPatient'), 'iop': pick(f, 'PlaneOrientationSequence', 'ImageOrientationPatient'), 'spacing': pick(f, 'PixelMeasuresSequence', 'PixelSpacing')} for f in ds.PerFrameFunctionalGroupsSequence]))
`;

describe('enhanced multi-frame', () => {
  it('reads per-frame position, orientation and spacing from the functional groups as pydicom does', async () => {
    {
      const full = path.join(dataRoot, 'conformance/pydicom-data/eCT_Supplemental.dcm');
      const expected = pythonJson<{ ipp: number[]; iop: number[]; spacing: number[] }[]>(PYDICOM_PER_FRAME, [full]);
      const planes = sliceHeaders(full, await parseDicomFile(full, { headerOnly: true }));
      expect(planes.map((p) => ({ ipp: p.position, iop: p.imageOrientationPatient, spacing: p.pixelSpacing }))).toEqual(expected);
      const series = groupSeries(planes).map(assembleSeries);
      expect(series.reduce((n, s) => n + s.slices.length, 0)).toBe(expected.length);
    }
  });

  it('builds a volume from the frames of one enhanced CT file, with the per-frame rescale', async () => {
    const full = path.join(dataRoot, 'conformance/pydicom-data/eCT_Supplemental.dcm');
    const [series] = groupSeries(sliceHeaders(full, await parseDicomFile(full, { headerOnly: true }))).map(assembleSeries);
    const volume = await buildVolume(series!, { decode: poolPlaneDecoder(pool) });
    expect(volume.dimensions).toEqual([series!.columns, series!.rows, 2]);
    expect(volume.voxels.length).toBe(series!.columns * series!.rows * 2);
  });

  it('shows a classic multi-frame object (no functional groups) as one image per frame, in frame order', async () => {
    const full = path.join(dataRoot, 'conformance/pylibjpeg-data/emri_small.dcm');
    const frames = pythonJson<number>('import sys, pydicom; print(int(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).NumberOfFrames))', [full]);
    for (const parsed of [await parseDicomFile(full, { headerOnly: true }), await parseDicomFile(full)]) {
      const [series] = groupSeries(sliceHeaders(full, parsed)).map(assembleSeries);
      expect([series!.slices.length, series!.frames]).toEqual([frames, frames]);
      expect(series!.slices.map((s) => s.frameIndex)).toEqual([...Array(frames).keys()]);
      expect(series!.slices.every((s) => s.position === null)).toBe(true);
      expect(series!.warnings).toContain('Multi-frame image without a position per frame: frames shown in order, no volume geometry.');
    }
  });

  it('makes planes only for frames the Pixel Data holds, whatever Number of Frames claims', async () => {
    const full = path.join(dataRoot, 'conformance/malformed/12_number_of_frames_1e6.dcm');
    expect(sliceHeaders(full, await parseDicomFile(full, { headerOnly: true })).length).toBeLessThanOrEqual(2);
  });
});

/** pydicom's modality values of the given frames, stacked in the given order, as little-endian int16. */
const PYDICOM_VOLUME = `
import sys, json, numpy as np, pydicom
planes, out = json.loads(sys.argv[1]), sys.argv[2]
stack = []
for p in planes:
    ds = pydicom.dcmread(p['path'])
    a = ds.pixel_array
    if int(getattr(ds, 'NumberOfFrames', 1) or 1) > 1: a = a[p['frame']]
    stack.append(np.round(a.astype(np.float64) * float(getattr(ds, 'RescaleSlope', 1)) + float(getattr(ds, 'RescaleIntercept', 0))))
np.stack(stack).astype('<i2').tofile(out)
print(json.dumps(len(stack)))
`;

describe('uncompressed volumes (frames read straight into the volume)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'lumen-volume-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** 12 chest CT slices decompressed by dcmtk's dcmdjpls. */
  function decompressedCt(name = 'ct'): string {
    const dir = path.join(work, name);
    mkdirSync(dir);
    for (const name of readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).sort().slice(100, 112)) {
      execFileSync('dcmdjpls', [path.join(ctDir, name), path.join(dir, name)]);
    }
    return dir;
  }

  /** The same 12 slices as acquired (JPEG-LS lossless): decoded planes go through the same stored-value kernel. */
  function jpegLsCt(): string {
    const dir = path.join(work, 'ct-jpegls');
    mkdirSync(dir);
    for (const name of readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).sort().slice(100, 112)) copyFileSync(path.join(ctDir, name), path.join(dir, name));
    return dir;
  }

  /** CT_small (signed 16 bits) with its Rescale Intercept set to 0 by dcmtk's dcmodify, so HU fit Int16. */
  function signedCt(): string {
    const file = path.join(work, 'signed.dcm');
    copyFileSync(path.join(dataRoot, 'conformance/pydicom/CT_small.dcm'), file);
    execFileSync('dcmodify', ['-nb', '-m', '(0028,1052)=0', file]);
    return file;
  }

  it.each([
    ['the decubitus MR, 12 of 16 bits unsigned', () => path.join(mrDir, 'HFS')],
    ['chest CT slices decompressed by dcmdjpls, 12 of 16 bits unsigned with an intercept', decompressedCt],
    ['a signed CT slice', signedCt],
    ['chest CT slices as acquired (JPEG-LS), decoded in the workers', jpegLsCt],
  ])('%s: every voxel equals pydicom', async (_name, inputOf) => {
    const input = inputOf();
    const { series } = await indexSeries([input]);
    const volume = await buildVolume(series[0]!, { decode: poolPlaneDecoder(pool) });
    expect(volume.voxels).toBeInstanceOf(Int16Array);
    const out = path.join(work, 'reference.raw');
    const planes = volume.slices.map((s) => ({ path: s.path, frame: s.frameIndex }));
    expect(pythonJson<number>(PYDICOM_VOLUME, [JSON.stringify(planes), out])).toBe(planes.length);
    const ours = Buffer.from(volume.voxels.buffer, volume.voxels.byteOffset, volume.voxels.byteLength);
    expect(ours.equals(readFileSync(out))).toBe(true);
  });

  it('reads a plane where its Pixel Data is now when the file changed after indexing', async () => {
    const input = decompressedCt('ct-changed');
    const { series } = await indexSeries([input]);
    const slices = series[0]!.slices;
    expect(slices.every((s) => s.native16 !== undefined)).toBe(true);
    // A longer header moves the Pixel Data: the location the index kept no longer holds it.
    const changed = slices[5]!.path;
    execFileSync('dcmodify', ['-nb', '-i', `(0020,4000)=${'moved '.repeat(40)}`, changed]);
    const volume = await buildVolume(series[0]!, { decode: poolPlaneDecoder(pool) });
    const out = path.join(work, 'reference-changed.raw');
    const planes = volume.slices.map((s) => ({ path: s.path, frame: s.frameIndex }));
    expect(pythonJson<number>(PYDICOM_VOLUME, [JSON.stringify(planes), out])).toBe(planes.length);
    const ours = Buffer.from(volume.voxels.buffer, volume.voxels.byteOffset, volume.voxels.byteLength);
    expect(ours.equals(readFileSync(out))).toBe(true);
  });
});

describe('a gantry-tilted CT (the demo phantom acquired at a 15 degree tilt)', () => {
  it('is reported with its tilt, and the corrected volume holds the phantom\'s HU where the orthogonal geometry puts each voxel', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'lumen-tilt-'));
    try {
      const options = { size: 96, slices: 24, pixelSpacing: 3, sliceSpacing: 4, gantryTiltDegrees: 15 };
      await writeCtPhantom(folder, options);
      const { series } = await indexSeries([folder]);
      expect(series).toHaveLength(1);
      const s = series[0]!;
      expect(s.gantryTiltDegrees).toBeCloseTo(15, 3);
      expect(s.warnings.join(' ')).toMatch(/[Gg]antry tilt/);
      const volume = await buildVolume(s, { decode: poolPlaneDecoder(pool) });
      const [nx, ny, nz] = volume.dimensions;
      const stack = { dimensions: volume.dimensions, pixelSpacing: [volume.spacing[0], volume.spacing[1]] as const, row: volume.direction[0], column: volume.direction[1], positions: volume.slices.map((x) => x.position) };
      const corrected = correctGantryTilt(volume.voxels, stack, -1024);
      const halfLength = ((options.slices - 1) * options.sliceSpacing) / 2;
      const normal = volume.direction[2];
      const p0 = volume.origin;
      let errorCorrected = 0;
      let errorAsAcquired = 0;
      let n = 0;
      for (let k = 0; k < nz; k++) {
        const along = (volume.slices[k]!.position[0] - p0[0]) * normal[0] + (volume.slices[k]!.position[1] - p0[1]) * normal[1] + (volume.slices[k]!.position[2] - p0[2]) * normal[2];
        for (let j = 0; j < ny; j += 3)
          for (let i = 0; i < nx; i += 3) {
            const v = corrected[(k * ny + j) * nx + i]!;
            if (v === -1024) continue;
            const p = [0, 1, 2].map((a) => p0[a]! + i * volume.spacing[0] * volume.direction[0][a]! + j * volume.spacing[1] * volume.direction[1][a]! + along * normal[a]!);
            const truth = phantomHu(p[0]!, p[1]!, p[2]!, halfLength);
            errorCorrected += Math.abs(v - truth);
            errorAsAcquired += Math.abs(volume.voxels[(k * ny + j) * nx + i]! - truth);
            n++;
          }
      }
      expect(n).toBeGreaterThan(0.5 * nz * (nx / 3) * (ny / 3));
      // Linear interpolation across the phantom's sharp edges leaves some error; the shear leaves far more.
      expect(errorCorrected / n).toBeLessThan(errorAsAcquired / n / 4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('series splitting', () => {
  it('splits a series whose acquisitions revisit the same positions, and reports gaps', async () => {
    const files = readdirSync(ctDir).filter((f) => f.endsWith('.dcm')).map((f) => path.join(ctDir, f));
    const all = [];
    for (const f of files) all.push(...sliceHeaders(f, await parseDicomFile(f, { headerOnly: true })));
    // Instance Numbers 1..40 are 40 neighbouring slices (the file names are not).
    const planes = all.filter((p) => (p.instanceNumber ?? 0) <= 40);
    // A second "acquisition" at the same positions, and a hole in the first one.
    const repeated = planes.map((p) => ({ ...p, sopInstanceUid: p.sopInstanceUid + '.2', acquisitionNumber: 2 }));
    const first = planes.map((p) => ({ ...p, acquisitionNumber: 1 })).filter((p) => p.instanceNumber !== 10);
    const groups = groupSeries([...first, ...repeated]).map(assembleSeries);
    expect(groups.map((g) => [g.part, g.slices.length])).toEqual([[1, 39], [2, 40]]);
    expect(groups[0]!.missingSlicePositions).toHaveLength(1);
    expect(groups[0]!.uniformSpacing).toBe(false);
    expect(groups[0]!.warnings.join(' ')).toMatch(/missing/);
  });
});
