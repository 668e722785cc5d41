import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_RESULT_PRODUCER, type AiAnalysis } from '../../../shared/domain/aiResult';
import { AuditLog } from '../audit/index';
import { savedAiAnalysis } from '../derivedImages/testing/activationGrid';
import { parseDicomFile } from '../dicom/parse/index';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { EventBus } from '../eventBus';
import { LibraryDatabase, LibraryService } from '../library/index';
import type { SettingsStore } from '../settings/settingsStore';
import { sourceImageOf } from '../sr/index';
import { ExportService } from './exportService';
import { standardExportPlugins } from './standardPlugins';

const cxr = path.join(dataRoot, 'cxr/dicom/966_fixed.dcm');
let dataDir: string;
let db: LibraryDatabase;
let audit: AuditLog;
let library: LibraryService;
let exporter: ExportService;
let study: string;

function run(tool: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ status: error ? 1 : 0, output: stdout + stderr }));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-export-derived-'));
  db = LibraryDatabase.open(path.join(dataDir, 'library.db'));
  audit = AuditLog.open(dataDir);
  const events = new EventBus();
  library = new LibraryService({ db, audit, events, dataDir, importMode: () => 'reference' });
  // Folder exports never look at PACS settings.
  const settings = { get: () => ({ pacsNodes: [], localAeTitle: 'LUMEN' }) } as unknown as SettingsStore;
  exporter = new ExportService({ library, settings, audit, events, plugins: standardExportPlugins(library, db) });
  const imported = await library.importPaths([cxr]);
  study = imported.studies[0]!;
  const source = sourceImageOf((await parseDicomFile(cxr, { headerOnly: true })).dataset);
  // What an AI run saves with the study (as aiService does): probabilities, threshold, the activation map.
  const analysis: AiAnalysis = savedAiAnalysis(cxr, { rows: source.rows, columns: source.columns });
  db.addDerivedResult(study, { kind: 'ai-result', producer: AI_RESULT_PRODUCER, seriesInstanceUid: null, payload: analysis });
}, 60_000);

afterAll(async () => {
  db?.close();
  audit?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('AI results in an export', () => {
  it('adds the AI SR, the Parametric Map and the Secondary Capture to the File-set, each with the right DICOMDIR record', async () => {
    const target = path.join(dataDir, 'with-ai');
    const summary = await exporter.start({ studyInstanceUids: [study], destination: { kind: 'folder', path: target }, includeAi: true, includeSecondaryCapture: true });
    expect(summary).toMatchObject({ total: 4, stored: 4, failed: 0, error: null });
    const derived = summary.results.filter((r) => r.origin === 'derived');
    expect(derived.map((r) => r.sopClassUid).sort()).toEqual(
      [
        '1.2.840.10008.5.1.4.1.1.30', // Parametric Map Storage
        '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture Image Storage
        '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR Storage
      ].sort(),
    );
    const records = pythonJson<{ type: string; sopClass: string }[]>(
      `import sys, json
from pydicom import dcmread
d = dcmread(sys.argv[1])
print(json.dumps([{'type': r.DirectoryRecordType, 'sopClass': str(r.ReferencedSOPClassUIDInFile)} for r in d.DirectoryRecordSequence if 'ReferencedSOPClassUIDInFile' in r]))`,
      [path.join(target, 'DICOMDIR')],
    );
    expect(records.map((r) => `${r.type} ${r.sopClass}`).sort()).toEqual(
      [
        `IMAGE ${summary.results.find((r) => r.origin === 'library')!.sopClassUid}`,
        'IMAGE 1.2.840.10008.5.1.4.1.1.30',
        'IMAGE 1.2.840.10008.5.1.4.1.1.7',
        'SR DOCUMENT 1.2.840.10008.5.1.4.1.1.88.33',
      ].sort(),
    );
    // The radiograph's Accession Number is 56 characters (SH allows 16): the record gets it cut to fit.
    const verdict = await run('dciodvfy', [path.join(target, 'DICOMDIR')]);
    expect(verdict.output.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
  }, 120_000);

  it('without the secondary capture option, only the SR and the Parametric Map are added', async () => {
    const summary = await exporter.start({ studyInstanceUids: [study], destination: { kind: 'zip', path: path.join(dataDir, 'ai.zip') }, includeAi: true });
    expect(summary).toMatchObject({ total: 3, stored: 3, failed: 0 });
  }, 120_000);
});
