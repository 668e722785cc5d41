import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dataRoot } from '../dicom/testSupport';
import { ProgressionRunner, runProgression, type ProgressionPrediction } from '../progression/runProgression';
import { readPart10 } from './part10';
import { readProgressionReport, writeProgressionReport } from './progressionReport';
import { dciodvfy, dsrdump, writeTemp } from './testing/referenceTools';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models');
const oasisCsv = path.join(dataRoot, 'oasis/oasis_longitudinal_train.csv');

describe('progression results as SR', () => {
  it.skipIf(!existsSync(oasisCsv))('writes a subject’s risks and attention weights (the real model on OASIS) as an SR that dciodvfy and dsrdump accept, and reads them back', async () => {
    const runner = await ProgressionRunner.open(modelsDir, 'oasis-progression');
    const bySubject = new Map<string, ProgressionPrediction[]>();
    try {
      for await (const line of runProgression(runner, readFileSync(oasisCsv, 'utf8'))) {
        if ('risk' in line) bySubject.set(line.subject, [...(bySubject.get(line.subject) ?? []), line]);
      }
    } finally {
      await runner.release();
    }
    // The subject with the most visits: attention over several earlier visits.
    const predictions = [...bySubject.values()].reduce((a, b) => (b.length > a.length ? b : a));
    expect(predictions.length).toBeGreaterThan(2);
    const written = writeProgressionReport(predictions, { PatientID: predictions[0]!.subject });
    const file = writeTemp(written.bytes);
    const verdict = dciodvfy(file);
    console.log(`progression SR: dciodvfy ${verdict.errors.length} errors, ${verdict.warnings.length} warnings`);
    expect(verdict.errors, verdict.output).toEqual([]);
    const dump = dsrdump(file, '+Pl');
    expect(dump.status, dump.output).toBe(0);
    for (const text of ['Progression risk report', 'Risk of progression', 'Attention weight', predictions[0]!.subject, 'oasis-progression', 'Research use only']) {
      expect(dump.output).toContain(text);
    }
    expect(readProgressionReport(readPart10(readFileSync(file)).dataset)).toEqual(predictions);
  }, 120_000);
});
