import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AI_RESULT_PRODUCER, AiAnalysisSchema, type AiAnalysis } from '../../../shared/domain/aiResult';
import { indexToPatient } from '../../../shared/domain/geometry/framePlane';
import type { Measurement } from '../../../shared/domain/measurement';
import { AuditLog } from '../audit/index';
import { parseDicomFile } from '../dicom/parse/index';
import { dataRoot } from '../dicom/testSupport';
import { savedAiAnalysis } from '../derivedImages/testing/activationGrid';
import { EventBus } from '../eventBus';
import { LibraryDatabase } from '../library/libraryDatabase';
import { LibraryService } from '../library/libraryService';
import { layoutSeries } from '../viewer/seriesLayout';
import { frameImages } from './frameImages';
import { sourceImageOf } from './sourceImage';
import { studyResultObjects } from './studyResultObjects';
import { dciodvfy } from './testing/referenceTools';

const ct = path.join(dataRoot, 'ct/chest-275');
const cxr = path.join(dataRoot, 'cxr/dicom/966_fixed.dcm');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('export and re-import of measurements and AI results', () => {
  it('comes back identical after the studies are deleted and the sources and the export are imported again', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-sr-library-'));
    const db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
    const audit = AuditLog.open(dataDir);
    const library = new LibraryService({ db, audit, events: new EventBus(), dataDir, importMode: () => 'reference' });
    cleanups.push(async () => {
      db.close();
      audit.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    await library.importPaths([ct, cxr]);
    const [ctStudy, cxrStudy] = [library.listStudies({ modality: 'CT' })[0]!, library.listStudies({ modality: 'DX' })[0]!];
    const ctSeries = ctStudy.series[0]!.seriesInstanceUid;
    const cxrSeries = cxrStudy.series[0]!.seriesInstanceUid;

    // What the viewer saved: a length and an ROI on CT frame 200, a probe on frame 10.
    const layout = await layoutSeries(library.seriesFiles(ctSeries));
    const frames = frameImages(layout);
    const at = (k: number, i: number, j: number) => indexToPatient(frames[k]!.plane, i, j);
    const base = { seriesInstanceUid: ctSeries, units: 'HU', label: '' };
    const image = (k: number) => ({ frame: k, image: { sopInstanceUid: frames[k]!.sopInstanceUid, frameNumber: frames[k]!.frameNumber ?? 1 } });
    const measurements: Measurement[] = [
      { ...base, id: 'm7', kind: 'length', ...image(200), points: [at(200, 210.4, 250.2), at(200, 300.9, 260.1)], label: '63.2 mm', values: { lengthMm: 63.21870986 } },
      { ...base, id: 'm8', kind: 'ellipse', ...image(200), points: [at(200, 100, 100), at(200, 140, 130)], label: 'mean -820.5 HU', values: { mean: -820.4523, sd: 33.1, min: -990, max: -611, pixels: 935, areaMm2: 612.4 } },
      { ...base, id: 'm9', kind: 'probe', ...image(10), points: [at(10, 256, 256)], label: '31 HU @ (256, 256)', values: { value: 31, column: 256, row: 256 } },
    ];
    library.saveMeasurements(ctStudy.studyInstanceUid, measurements);
    const source = sourceImageOf((await parseDicomFile(cxr, { headerOnly: true })).dataset);
    const analysis: AiAnalysis = savedAiAnalysis(cxr, { rows: source.rows, columns: source.columns });
    db.addDerivedResult(cxrStudy.studyInstanceUid, { kind: 'ai-result', producer: AI_RESULT_PRODUCER, seriesInstanceUid: cxrSeries, payload: analysis });

    // Export: what the study's results become in DICOM, each object valid for dciodvfy.
    const exportDir = path.join(dataDir, 'export');
    mkdirSync(exportDir);
    const objects = [
      ...(await studyResultObjects(library, db, ctStudy.studyInstanceUid)),
      ...(await studyResultObjects(library, db, cxrStudy.studyInstanceUid, { secondaryCapture: true, positiveLabel: () => 'pneumonia' })),
    ];
    expect(objects.map((o) => o.kind)).toEqual(['measurement-report', 'ai-result-report', 'parametric-map', 'secondary-capture']);
    for (const o of objects) {
      const file = path.join(exportDir, `${o.kind}.dcm`);
      writeFileSync(file, o.bytes);
      expect(dciodvfy(file).errors, o.kind).toEqual([]);
    }

    // Delete locally: the studies go, with their saved results.
    await library.deleteStudy(ctStudy.studyInstanceUid);
    await library.deleteStudy(cxrStudy.studyInstanceUid);
    expect(library.measurements(ctStudy.studyInstanceUid)).toEqual([]);

    await library.importPaths([ct, cxr, exportDir]);
    const back = library.measurements(ctStudy.studyInstanceUid);
    // identical, points included: the SCOORD's float32 coordinates agree with the exact points Lumen also wrote
    expect(back).toEqual(measurements);
    const ai = db.derivedResults(cxrStudy.studyInstanceUid).filter((r) => r.kind === 'ai-result');
    expect(ai.map((r) => [r.producer, r.seriesInstanceUid])).toEqual([[AI_RESULT_PRODUCER, cxrSeries]]);
    expect(AiAnalysisSchema.parse(ai[0]!.payload)).toEqual(analysis);
    // The SR files are instances of their studies too.
    expect(library.instanceUids(ctStudy.studyInstanceUid)).toHaveLength(276);
    expect(library.instanceUids(cxrStudy.studyInstanceUid)).toHaveLength(4);

    // Importing the export again restores nothing twice.
    await library.importPaths([exportDir]);
    expect(library.measurements(ctStudy.studyInstanceUid)).toHaveLength(3);
    expect(db.derivedResults(cxrStudy.studyInstanceUid).filter((r) => r.kind === 'ai-result')).toHaveLength(1);
  }, 180_000);
});
