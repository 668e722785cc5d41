import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { EventBus } from '../eventBus';
import { LibraryDatabase, LibraryService } from '../library/index';
import { firstShownFrame } from '../../../shared/domain/loadOrder';
import { calibrationNoteOf, framePlane, indexToPatient, measurementPlane, pointsOnPlane } from '../../../shared/domain/geometry/framePlane';
import { norm, sub, type Vec3 } from '../../../shared/domain/geometry/vector3';
import type { StoredPlane } from '../library/instanceRecord';
import { layoutSeries, layoutStoredSeries } from './seriesLayout';

const ct = path.join(dataRoot, 'ct/chest-275');
const enhanced = path.join(dataRoot, 'conformance/pydicom-data/eCT_Supplemental.dcm');
let tmp: string;
let db: LibraryDatabase;
let audit: AuditLog;
let library: LibraryService;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lumen-layout-'));
  db = LibraryDatabase.open(path.join(tmp, 'library.db'));
  audit = AuditLog.open(tmp);
  library = new LibraryService({ db, audit, events: new EventBus(), dataDir: tmp, importMode: () => 'reference' });
  await library.importPaths([...readdirSync(ct).filter((n) => n.endsWith('.dcm')).map((n) => path.join(ct, n)), enhanced]);
});
afterAll(() => {
  db.close();
  audit.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('opening a series from the planes stored at import', () => {
  it('lays out the CT and an enhanced multi-frame CT exactly as reading every header does', async () => {
    const studies = library.listStudies();
    const seriesUids = studies.flatMap((s) => s.series.map((x) => x.seriesInstanceUid));
    expect(seriesUids.length).toBe(2);
    for (const uid of seriesUids) {
      const stored = library.seriesPlanes(uid);
      expect(stored.every((f) => f.planes !== null)).toBe(true);
      const files = stored.map((f) => f.path);
      const fromStore = await layoutSeries(files, stored.map((f) => f.planes));
      const fromFiles = await layoutSeries(files);
      expect(fromStore.view).toEqual(fromFiles.view);
      expect(fromStore.series.slices).toEqual(fromFiles.series.slices);
    }
  });

  it('measures an enhanced CT in mm: Pixel Spacing from its Pixel Measures functional group, as pydicom reads it', async () => {
    const uid = library.listStudies().flatMap((s) => s.series).find((x) => x.instanceCount === 1)!.seriesInstanceUid;
    const stored = library.seriesPlanes(uid);
    const { view } = await layoutSeries(stored.map((f) => f.path), stored.map((f) => f.planes));
    const reference = pythonJson<number[]>(
      `import sys, json, pydicom
d = pydicom.dcmread(sys.argv[1], stop_before_pixels=True)
g = d.SharedFunctionalGroupsSequence[0] if 'PixelMeasuresSequence' in d.SharedFunctionalGroupsSequence[0] else d.PerFrameFunctionalGroupsSequence[0]
print(json.dumps([float(v) for v in g.PixelMeasuresSequence[0].PixelSpacing]))`,
      [enhanced],
    );
    const spacing = view.geometry ? [view.geometry.spacing[1], view.geometry.spacing[0]] : [view.pixelSpacing?.row, view.pixelSpacing?.column];
    expect(spacing).toEqual(reference);
  });

  it('still reads the headers of files imported before planes were stored', async () => {
    const uid = library.listStudies().find((s) => s.modalities.includes('CT') && s.series[0]!.instanceCount === 275)!.series[0]!.seriesInstanceUid;
    const stored = library.seriesPlanes(uid);
    const files = stored.map((f) => f.path);
    const half = stored.map((f, i) => (i % 2 === 0 ? null : f.planes));
    expect((await layoutSeries(files, half)).view).toEqual((await layoutSeries(files)).view);
  });

  it('says why when none of the files is there any more (imported in place from a disk now unplugged)', async () => {
    const uid = library.listStudies().find((s) => s.modalities.includes('CT') && s.series[0]!.instanceCount === 275)!.series[0]!.seriesInstanceUid;
    const gone = library.seriesPlanes(uid).map((f) => ({ ...f, path: path.join(os.tmpdir(), 'lumen-unplugged', path.basename(f.path)) }));
    await expect(layoutStoredSeries(gone)).rejects.toMatchObject({
      code: 'VIEWER_SERIES_UNREADABLE',
      message: 'None of the images of this series could be read: The file is no longer where it was (moved or deleted, or on a disk that is not connected).',
    });
  });

  it('opens when some files are gone, the one listed first and the middle one among them: only their images are missing', async () => {
    const uid = library.listStudies().find((s) => s.modalities.includes('CT') && s.series[0]!.instanceCount === 275)!.series[0]!.seriesInstanceUid;
    const stored = library.seriesPlanes(uid);
    const intact = await layoutStoredSeries(stored);
    const middle = intact.series.slices[firstShownFrame(275)]!.path;
    const gone = stored.map((f, i) => (i === 0 || f.path === middle ? { ...f, path: path.join(os.tmpdir(), 'lumen-unplugged', path.basename(f.path)) } : f));
    const { view } = await layoutStoredSeries(gone);
    expect(view.frames).toBe(275);
    // the window and patient come from the nearest slice that reads
    expect(view.patient).toEqual(intact.view.patient);
    expect(view.windows).toEqual(intact.view.windows);
  });
});

describe('the window a series opens with', () => {
  it('is the one the image shown first carries (the middle slice), whichever file comes first: per-slice windows of a Siemens MR', async () => {
    const folder = path.join(dataRoot, 'mr/decubitus/HFS');
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.dcm')).map((n) => path.join(folder, n));
    // pydicom: the slices in order along the normal, the middle one's Window Center/Width, and how many
    // different windows the series carries.
    const reference = pythonJson<{ center: number; width: number; distinct: number; each: { center: number; width: number }[] }>(
      `import sys, json, numpy as np, pydicom
ds = [pydicom.dcmread(f, stop_before_pixels=True) for f in sys.argv[1:]]
o = np.array(ds[0].ImageOrientationPatient, float)
n = np.cross(o[:3], o[3:])
ds.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), n)))
m = ds[len(ds) // 2]
print(json.dumps({'center': float(m.WindowCenter), 'width': float(m.WindowWidth), 'distinct': len({(str(d.WindowCenter), str(d.WindowWidth)) for d in ds}),
  'each': [{'center': float(d.WindowCenter), 'width': float(d.WindowWidth)} for d in ds]}))`,
      files,
    );
    expect(reference.distinct).toBeGreaterThan(1);
    for (const order of [files, [...files].reverse()]) {
      const { view } = await layoutSeries(order);
      expect(view.windows[0]).toMatchObject({ center: reference.center, width: reference.width });
      // each image's own window, in the order the viewer shows them
      expect(view.frameWindows).toEqual(reference.each);
    }
  });

  it('gives no per-frame windows where every slice has the same (the CT), nor for planes stored before frames had windows', async () => {
    const uid = library.listStudies().find((s) => s.modalities.includes('CT') && s.series[0]!.instanceCount === 275)!.series[0]!.seriesInstanceUid;
    const stored = library.seriesPlanes(uid);
    const distinct = pythonJson<number>(
      `import sys, json, pydicom
print(len({(str(d.WindowCenter), str(d.WindowWidth)) for d in (pydicom.dcmread(f, stop_before_pixels=True) for f in sys.argv[1:])}))`,
      stored.map((f) => f.path),
    );
    expect(distinct).toBe(1);
    expect((await layoutStoredSeries(stored)).view.frameWindows).toBeNull();

    const folder = path.join(dataRoot, 'mr/decubitus/HFS');
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.dcm')).map((n) => path.join(folder, n));
    const current = await layoutSeries(files);
    expect(current.view.frameWindows).not.toBeNull();
    // An older library's stored planes lack the field: the series window serves, as before.
    const older = current.series.slices.map(({ path: file, window: _, ...plane }) => ({ path: file, planes: [plane as StoredPlane] }));
    const fromOlder = await layoutStoredSeries(older);
    expect(fromOlder.view.frameWindows).toBeNull();
    expect(fromOlder.view.windows).toEqual(current.view.windows);
  });
});

describe('ultrasound calibration', () => {
  const us = (name: string) => path.join(dataRoot, 'conformance', name);
  const files = ['pydicom-data/gdcm-US-ALOKA-16.dcm', 'pylibjpeg-data/JPEGExtended_3s_1f_u_08_08.dcm', 'pydicom/examples_palette.dcm'].map(us);

  it('takes the regions in cm that lie inside the image, in mm per pixel, as pydicom reads them; lengths inside one are in mm', async () => {
    // pydicom: each file's regions in cm on both axes, and whether they fit the pixel matrix
    const reference = pythonJson<{ x0: number; y0: number; x1: number; y1: number; dx: number; dy: number; inside: boolean }[][]>(
      `import sys, json, pydicom
out = []
for f in sys.argv[1:]:
    d = pydicom.dcmread(f, stop_before_pixels=True)
    out.append([{'x0': r.RegionLocationMinX0, 'y0': r.RegionLocationMinY0, 'x1': r.RegionLocationMaxX1, 'y1': r.RegionLocationMaxY1,
                 'dx': float(r.PhysicalDeltaX), 'dy': float(r.PhysicalDeltaY), 'inside': r.RegionLocationMaxX1 < d.Columns and r.RegionLocationMaxY1 < d.Rows}
                for r in d.SequenceOfUltrasoundRegions if r.PhysicalUnitsXDirection == 3 and r.PhysicalUnitsYDirection == 3])
print(json.dumps(out))`,
      files,
    );
    const views = await Promise.all(files.map(async (f) => (await layoutSeries([f])).view));
    views.forEach((view, n) => {
      expect(view.pixelSpacing).toBeNull();
      expect(view.ultrasoundRegions).toEqual(
        reference[n]!.filter((r) => r.inside).map((r) => ({ x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1, columnSpacing: r.dx * 10, rowSpacing: r.dy * 10 })),
      );
    });
    // examples_palette's regions reach past its 800 x 350 pixels (the image was resized after): none is used
    expect(reference[2]!.length).toBeGreaterThan(0);
    expect(views[2]!.ultrasoundRegions).toEqual([]);

    // ALOKA: two B-mode regions side by side, 0.0383 cm per pixel. A length of 100 columns in the first
    // is 100 x delta x 10 mm; one from the first region into the second stays in pixels.
    const aloka = views[0]!;
    const left = reference[0]![0]!;
    const plane = framePlane(aloka, 0);
    const at = (i: number, j: number) => indexToPatient(plane, i, j);
    const length = (points: Vec3[]) => norm(sub(points[1]!, points[0]!));
    const inside = [at(100, 200), at(200, 200)];
    const on = measurementPlane(plane, aloka, inside);
    expect(on.calibration).toBe('ultrasound-region');
    expect(length(pointsOnPlane(plane, on, inside))).toBeCloseTo(100 * left.dx * 10, 9);
    expect(calibrationNoteOf(on, aloka).calibrationNote).toMatch(/ultrasound region/);
    const across = [at(300, 200), at(400, 200)];
    const offRegion = measurementPlane(plane, aloka, across);
    expect(offRegion.calibration).toBe('pixels');
    expect(length(pointsOnPlane(plane, offRegion, across))).toBeCloseTo(100, 9);
    expect(calibrationNoteOf(offRegion, aloka).calibrationNote).toBe('pixels');
  });
});
