import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientTimeline } from '../../../shared/domain/progressionTimeline';
import { AuditLog } from '../audit/index';
import { pythonJson } from '../dicom/testSupport';
import { newUid } from '../dicom/uid';
import { EventBus } from '../eventBus';
import { LibraryDatabase, LibraryService } from '../library/index';
import { writePart10 } from '../sr/part10';
import { dciodvfy, dsrdump } from '../sr/testing/referenceTools';
import { readParityFixture } from '../../../models/oasis-progression/parityFixture';
import { ProgressionService } from './progressionService';
import { ProgressionRunner, runProgression, type ProgressionPrediction } from './runProgression';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const modelsDir = path.join(repo, 'models');
const MODEL = 'oasis-progression';
const oasisCsv = path.resolve(repo, '../shared/data/oasis/oasis_longitudinal_train.csv');
const haveData = existsSync(oasisCsv);
// A subject of the parity fixture: its PyTorch risk at visit 3 is the independent reference.
const SUBJECT = 'OAS2_0017';

const fixture = readParityFixture();
// The operating threshold is the model's (derived in training from cross-validation), not the app's.
const manifestThreshold = (JSON.parse(readFileSync(path.join(modelsDir, MODEL, 'manifest.json'), 'utf8')) as { threshold: number }).threshold;

let tmp: string;
let db: LibraryDatabase;
let audit: AuditLog;
let service: ProgressionService;
let library: LibraryService;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lumen-progression-service-'));
  db = LibraryDatabase.open(path.join(tmp, 'library.db'));
  audit = AuditLog.open(tmp);
  library = new LibraryService({ db, audit, events: new EventBus(), dataDir: tmp, importMode: () => 'reference' });
  service = new ProgressionService({ db, library, audit, modelsDir, user: () => 'test-reader' });
});
afterAll(async () => {
  await service.dispose();
  db.close();
  audit.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Python's csv module as the independent reader: each row of the subject with its line number. */
function pythonRows(subject: string): { line: number; values: Record<string, string> }[] {
  return pythonJson(
    `import csv, json, sys
rows = []
with open(sys.argv[1], newline='') as f:
    r = csv.DictReader(f)
    for row in r:
        if row['Subject ID'] == sys.argv[2]:
            rows.append({'line': r.line_num, 'values': row})
print(json.dumps(rows))`,
    [oasisCsv, subject],
  );
}

const measure = (timeline: PatientTimeline, visitNumber: number, feature: string) =>
  timeline.visits.find((v) => v.visitNumber === visitNumber)?.measures.find((m) => m.feature === feature);

describe.skipIf(!haveData)('ProgressionService on the OASIS training CSV', () => {
  it('imports every row with its provenance (file and line) and matches subjects to Patient IDs', async () => {
    const summary = await service.importCsv(oasisCsv, MODEL);
    const reference = pythonJson<{ rows: number; subjects: number; cells: number }>(
      `import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
cols = ['M/F','Age','EDUC','SES','MMSE','CDR','eTIV','nWBV','ASF']
print(json.dumps({'rows': len(rows), 'subjects': len({r['Subject ID'] for r in rows}), 'cells': sum(1 for r in rows for c in cols if r[c].strip() != '')}))`,
      [oasisCsv],
    );
    expect(summary.rows).toBe(reference.rows);
    expect(summary.patients).toHaveLength(reference.subjects);
    expect(summary.valuesStored).toBe(reference.cells);
    expect(summary.problems).toEqual([]);
    expect(summary.patients.find((p) => p.patientId === SUBJECT)).toEqual({ patientId: SUBJECT, visits: 4, inLibrary: false });

    const timeline = await service.timeline(SUBJECT, MODEL);
    const rows = pythonRows(SUBJECT);
    expect(timeline.visits.map((v) => v.day)).toEqual(rows.map((r) => Number(r.values['MR Delay'])));
    for (const row of rows) {
      const visit = Number(row.values.Visit);
      expect(measure(timeline, visit, 'mmse')).toEqual({ feature: 'mmse', value: Number(row.values.MMSE), provenance: { source: 'csv', file: 'oasis_longitudinal_train.csv', line: row.line } });
      expect(measure(timeline, visit, 'male')?.value).toBe(row.values['M/F'] === 'M' ? 1 : 0);
      expect(measure(timeline, visit, 'nwbv')?.value).toBe(Number(row.values.nWBV));
    }
    expect(timeline.visits.every((v) => v.missingRequired.length === 0 && v.missingOptional.length === 0)).toBe(true);
  });

  it('predicts exactly what the CLI runner computes for the subject, and what PyTorch computed', async () => {
    const run = await service.predict(SUBJECT, MODEL, null);
    const runner = await ProgressionRunner.open(modelsDir, MODEL);
    const subjectCsv = readFileSync(oasisCsv, 'utf8').split('\n').filter((l, i) => i === 0 || l.startsWith(`${SUBJECT},`)).join('\n');
    const cli: ProgressionPrediction[] = [];
    for await (const line of runProgression(runner, subjectCsv)) if (!('error' in line)) cli.push(line);
    await runner.release();
    expect(cli).toHaveLength(3);
    expect(run.points.map((p) => [p.horizonDays, p.risk, p.attention])).toEqual(cli.map((c) => [c.horizonDays, c.risk, c.attention]));
    const torch = fixture.cases.find((c) => c.subject === SUBJECT)!;
    const atK = run.points[torch.visits - 1]!;
    expect(Math.abs(atK.risk - torch.risk[0]!)).toBeLessThan(fixture.tolerance);
    atK.attention.forEach((a, i) => expect(Math.abs(a - torch.attention[0]![i]!)).toBeLessThan(fixture.tolerance));
    expect(atK.attentionVisitIds).toHaveLength(torch.visits);
    expect(run).toMatchObject({ model: MODEL, threshold: manifestThreshold, horizonDays: null, excluded: [], note: null, disclaimer: 'Research use only. Not a medical device.' });
  });

  it('predicts for a chosen horizon at every visit, the last one included', async () => {
    const run = await service.predict(SUBJECT, MODEL, 365);
    expect(run.points).toHaveLength(4);
    expect(run.points.every((p) => p.horizonDays === 365)).toBe(true);
    const cliAt1 = (await service.predict(SUBJECT, MODEL, null)).points[0]!;
    // Same visit, different horizon: a different risk (the horizon is a model input, not a label).
    expect(run.points[0]!.risk).not.toBe(cliAt1.risk);
  });

  it('records a form correction with its provenance, replacing the CSV value', async () => {
    const before = await service.timeline(SUBJECT, MODEL);
    const visit = before.visits.find((v) => v.visitNumber === 3)!;
    const { visitId } = await service.saveVisitMeasures({ patientId: SUBJECT, modelId: MODEL, visit: { visitId: visit.visitId! }, values: { mmse: 26 } });
    expect(visitId).toBe(visit.visitId);
    const after = await service.timeline(SUBJECT, MODEL);
    const mmse = measure(after, 3, 'mmse')!;
    expect(mmse.value).toBe(26);
    expect(mmse.provenance).toMatchObject({ source: 'form', user: 'test-reader' });
    expect(measure(after, 3, 'cdr')?.provenance.source).toBe('csv');
    await expect(service.saveVisitMeasures({ patientId: SUBJECT, modelId: MODEL, visit: { visitId: visit.visitId! }, values: { male: 0.5 } })).rejects.toMatchObject({ code: 'PROGRESSION_BAD_VALUE' });
    await expect(service.saveVisitMeasures({ patientId: SUBJECT, modelId: MODEL, visit: { visitId: visit.visitId! }, values: { mmse: 260 } })).rejects.toMatchObject({
      code: 'PROGRESSION_BAD_VALUE',
      message: expect.stringContaining('MMSE 260 is outside 0-30'),
    });
    expect(measure(await service.timeline(SUBJECT, MODEL), 3, 'mmse')?.value).toBe(26);
    await expect(service.saveVisitMeasures({ patientId: 'someone-else', modelId: MODEL, visit: { visitId: visit.visitId! }, values: { mmse: 20 } })).rejects.toMatchObject({ code: 'PROGRESSION_VISIT_NOT_FOUND' });
  });

  it('saves the prediction as a DICOM SR in the library: dciodvfy finds no error, dsrdump and pydicom read the risks and attention', async () => {
    const run = await service.predict(SUBJECT, MODEL, null);
    const saved = await service.saveReport(SUBJECT, MODEL, null);
    expect(saved.visits).toBe(run.points.length);
    const files = db.files(saved.studyInstanceUid);
    expect(files.map((f) => f.sopInstanceUid)).toEqual([saved.sopInstanceUid]);
    const file = files[0]!.path;
    expect(dciodvfy(file).errors).toEqual([]);
    expect(dsrdump(file).status).toBe(0);
    // pydicom reads the NUM items: per visit container, its risk and its attention weights, in order.
    const read = pythonJson<{ patient: string; visits: { risk: number; attention: number[] }[] }>(
      `import sys, json, pydicom
ds = pydicom.dcmread(sys.argv[1])
visits = []
for item in ds.ContentSequence:
    if item.ValueType != 'CONTAINER': continue
    nums = [(c.ConceptNameCodeSequence[0].CodeMeaning, float(c.MeasuredValueSequence[0].NumericValue)) for c in item.ContentSequence if c.ValueType == 'NUM']
    visits.append({'risk': [v for n, v in nums if 'risk' in n.lower()][0], 'attention': [v for n, v in nums if 'attention' in n.lower()]})
print(json.dumps({'patient': str(ds.PatientID), 'visits': visits}))`,
      [file],
    );
    expect(read.patient).toBe(SUBJECT);
    expect(read.visits).toHaveLength(run.points.length);
    read.visits.forEach((v, i) => {
      expect(v.risk).toBeCloseTo(run.points[i]!.risk, 6);
      expect(v.attention.length).toBe(run.points[i]!.attention.length);
      v.attention.forEach((a, j) => expect(a).toBeCloseTo(run.points[i]!.attention[j]!, 6));
    });
  });
});

describe('the library schema', () => {
  it('adds the progression tables to a library written before them (migration 2), keeping its studies', async () => {
    const { openLibraryDatabase } = await import('../library/database/openLibraryDatabase');
    const { MIGRATIONS } = await import('../library/database/migrations');
    const file = path.join(tmp, 'old', 'library.db');
    const v1 = openLibraryDatabase(file, MIGRATIONS.slice(0, 1));
    v1.db.run("INSERT INTO patients (patient_id, patient_name, name_key) VALUES ('P1', 'OLD^LIBRARY', 'old library')");
    v1.close();
    const upgraded = openLibraryDatabase(file);
    const tables = (upgraded.db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'progression_%' ORDER BY name") as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['progression_measures', 'progression_sr_read', 'progression_visits']);
    expect((upgraded.db.get('SELECT count(*) AS n FROM patients') as { n: number }).n).toBe(1);
    upgraded.close();
  });
});

describe('missing measures', () => {
  it('names missing required and optional measures and leaves incomplete visits out of the prediction', async () => {
    const csv = path.join(tmp, 'visits.csv');
    // Made-up visits in the OASIS layout: visit 2 lacks CDR (required) and MMSE (optional).
    writeFileSync(
      csv,
      [
        'Subject ID,MRI ID,Group,Visit,MR Delay,M/F,Hand,Age,EDUC,SES,MMSE,CDR,eTIV,nWBV,ASF',
        'LUMEN-T1,a,Nondemented,1,0,F,R,70,12,2,28,0,1500,0.75,1.17',
        'LUMEN-T1,b,Nondemented,2,300,F,R,71,12,2,,,1500,0.74,1.17',
        'LUMEN-T1,c,Nondemented,3,800,F,R,72,12,2,27,0.5,1500,0.73,1.17',
        'LUMEN-T1,d,Nondemented,4,1200,F,R,73,12,2,26,abc,1500,0.72,1.17',
      ].join('\n'),
    );
    const summary = await service.importCsv(csv, MODEL);
    expect(summary.problems).toEqual([{ line: 5, message: 'Unusable value in "CDR": left missing.' }]);
    const timeline = await service.timeline('LUMEN-T1', MODEL);
    expect(timeline.visits.map((v) => [v.visitNumber, v.missingRequired, v.missingOptional])).toEqual([
      [1, [], []],
      [2, ['cdr'], ['mmse']],
      [3, [], []],
      [4, ['cdr'], []],
    ]);
    const run = await service.predict('LUMEN-T1', MODEL, null);
    const [v1, v2, v3, v4] = timeline.visits.map((v) => v.visitId!);
    expect(run.excluded).toEqual([
      { visitId: v2, day: 300, missing: ['cdr'] },
      { visitId: v4, day: 1200, missing: ['cdr'] },
    ]);
    // Visits 1 and 3 only: one prediction, at visit 1, for the 800 days to visit 3.
    expect(run.points.map((p) => [p.visitId, p.horizonDays, p.attentionVisitIds])).toEqual([[v1, 800, [v1]]]);
    expect(run.points[0]!.attentionVisitIds).not.toContain(v3);
  });
});

describe('a user mapping of CSV columns', () => {
  it('reads other column names and places visits by a date column', async () => {
    const csv = path.join(tmp, 'mapped.csv');
    // Made-up visits with a hospital's own headers; eTIV has no column at all.
    writeFileSync(
      csv,
      [
        'PatientID,ExamDate,Sex,AgeYears,Schooling,MMSE total,CDR global,Brain volume,Atlas factor',
        'LUMEN-T2,2020-01-10,M,75,16,29,0,0.74,1.2',
        'LUMEN-T2,2021-01-12,M,76,16,26,0.5,0.73,1.2',
        'LUMEN-T3,2020-02-01,F,70,12,29,0,73,1.2', // brain volume as a percentage: outside the manifest's range
        'LUMEN-T3,2020-02-01,F,70,12,28,0,0.73,1.2', // the same visit again, corrected: it wins, and is reported
      ].join('\n'),
    );
    const mapping = {
      subjectColumn: 'PatientID',
      dateColumn: 'ExamDate',
      features: { male: 'Sex', age: 'AgeYears', educ: 'Schooling', mmse: 'MMSE total', cdr: 'CDR global', nwbv: 'Brain volume', asf: 'Atlas factor' },
    };
    const summary = await service.importCsv(csv, MODEL, mapping);
    expect(summary.valuesStored).toBe(14 + 6 + 7);
    expect(summary.problems.map((p) => p.message)).toEqual([
      'No column "SES" for ses; its values stay missing.',
      'No column "eTIV" for etiv; its values stay missing.',
      'Brain volume 73 is outside 0-1 (fraction): left missing.',
      "Same visit as line 4 (ExamDate 2020-02-01): its values replace that row's.",
    ]);
    expect(summary.problems.slice(2).map((p) => p.line)).toEqual([4, 5]);
    const corrected = (await service.timeline('LUMEN-T3', MODEL)).visits;
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.measures.find((m) => m.feature === 'mmse')).toEqual({ feature: 'mmse', value: 28, provenance: { source: 'csv', file: 'mapped.csv', line: 5 } });
    const timeline = await service.timeline('LUMEN-T2', MODEL);
    expect(timeline.visits.map((v) => [v.date, v.day, v.missingRequired, v.missingOptional])).toEqual([
      ['20200110', 0, ['etiv'], ['ses']],
      ['20210112', 368, ['etiv'], ['ses']],
    ]);
    expect(timeline.visits[1]!.measures.find((m) => m.feature === 'mmse')).toEqual({ feature: 'mmse', value: 26, provenance: { source: 'csv', file: 'mapped.csv', line: 3 } });
    // eTIV is required: named, and no prediction until the clinician enters it.
    const run = await service.predict('LUMEN-T2', MODEL, null);
    expect(run.points).toEqual([]);
    expect(run.excluded.map((e) => e.missing)).toEqual([['etiv'], ['etiv']]);
    for (const v of timeline.visits) await service.saveVisitMeasures({ patientId: 'LUMEN-T2', modelId: MODEL, visit: { date: v.date! }, values: { etiv: 1600 } });
    const completed = await service.predict('LUMEN-T2', MODEL, null);
    expect(completed.points.map((p) => p.horizonDays)).toEqual([368]);
    expect(completed.excluded).toEqual([]);
  });
});

describe.skipIf(!haveData)('measures from DICOM SR', () => {
  it('reads NUM items whose concept names a model feature, with the SR as provenance', async () => {
    const folder = path.join(tmp, 'sr');
    const sopInstanceUid = newUid();
    const studyInstanceUid = newUid();
    const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string) => [{ CodeValue, CodingSchemeDesignator, CodeMeaning }];
    const bytes = writePart10({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22',
      SOPInstanceUID: sopInstanceUid,
      StudyInstanceUID: studyInstanceUid,
      SeriesInstanceUID: newUid(),
      Modality: 'SR',
      PatientID: SUBJECT,
      PatientName: 'Test^Measures',
      StudyDate: '20210315',
      StudyTime: '101010',
      SeriesNumber: 1,
      InstanceNumber: 1,
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: code('126000', 'DCM', 'Imaging Measurement Report'),
      ContinuityOfContent: 'SEPARATE',
      CompletionFlag: 'COMPLETE',
      VerificationFlag: 'UNVERIFIED',
      ContentSequence: [
        {
          RelationshipType: 'CONTAINS',
          ValueType: 'NUM',
          ConceptNameCodeSequence: code('72107-6', 'LN', 'MMSE'),
          MeasuredValueSequence: [{ NumericValue: '24', MeasurementUnitsCodeSequence: code('{score}', 'UCUM', 'score') }],
        },
        { RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: code('121106', 'DCM', 'Comment'), TextValue: 'not a measure' },
        // A CDR of 7 does not exist (the scale ends at 3): skipped, so the visit shows CDR as missing.
        {
          RelationshipType: 'CONTAINS',
          ValueType: 'NUM',
          ConceptNameCodeSequence: code('CDR', '99LUMEN', 'CDR'),
          MeasuredValueSequence: [{ NumericValue: '7', MeasurementUnitsCodeSequence: code('{score}', 'UCUM', 'score') }],
        },
      ],
    });
    const file = path.join(folder, 'sr.dcm');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, bytes);
    // dcmtk's dsrdump is the independent reader: it must see the same NUM item.
    const dump = spawnSync('dsrdump', [file], { encoding: 'utf8' });
    expect(dump.stdout).toMatch(/NUM:\([^)]*"MMSE"\)="24" \(\{score\},UCUM,"score"\)/);
    const imported = await library.importPaths([folder]);
    expect(imported.instancesAdded).toBe(1);

    const timeline = await service.timeline(SUBJECT, MODEL);
    const srVisit = timeline.visits.find((v) => v.date === '20210315')!;
    expect(srVisit.studies.map((s) => s.studyInstanceUid)).toEqual([studyInstanceUid]);
    expect(srVisit.measures).toEqual([{ feature: 'mmse', value: 24, provenance: { source: 'sr', sopInstanceUid } }]);
    expect(srVisit.missingRequired).toEqual(['age', 'male', 'educ', 'cdr', 'etiv', 'nwbv', 'asf']);
    expect(timeline.axisNote).toContain('day offset');
    // The SR visit lacks required measures: named, not used, and the CSV visits' predictions stand.
    const run = await service.predict(SUBJECT, MODEL, null);
    expect(run.excluded).toEqual([{ visitId: srVisit.visitId, day: srVisit.day, missing: srVisit.missingRequired }]);
    expect(run.points).toHaveLength(3);
  });
});
