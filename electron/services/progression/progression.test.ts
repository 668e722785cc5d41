import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LumenError } from '../../../shared/domain/errors';
import { ModelManifestSchema } from '../../../shared/domain/modelManifest';
import { buildVisitSequences, prefix, sequenceSpecFromManifest, type VisitSequence } from './buildVisitSequence';
import { loadProgressionModel } from './loadProgressionModel';
import { readParityFixture } from '../../../models/oasis-progression/parityFixture';
import { readOasisCsv } from './readOasisCsv';
import { ProgressionRunner, runProgression, type ProgressionLine } from './runProgression';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const modelsDir = path.join(repo, 'models');
const modelDir = path.join(modelsDir, 'oasis-progression');
// The shared OASIS data lives beside the checkout and is never copied into it.
const oasisCsv = path.resolve(repo, '../shared/data/oasis/oasis_longitudinal_train.csv');
const haveData = existsSync(oasisCsv);

const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')));
const spec = sequenceSpecFromManifest(manifest);

const fixture = readParityFixture();

const HEADER = 'Subject ID,MRI ID,Group,Visit,MR Delay,M/F,Hand,Age,EDUC,SES,MMSE,CDR,eTIV,nWBV,ASF';
/** Made-up visits in the OASIS layout (no real subject). */
function syntheticCsv(rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('readOasisCsv', () => {
  it('handles quotes, CRLF, a BOM and blank lines', () => {
    const { columns, rows } = readOasisCsv('\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n4,"multi\nline",6');
    expect(columns).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => r.values)).toEqual([
      { a: '1', b: 'x, "y"', c: '3' },
      { a: '4', b: 'multi\nline', c: '6' },
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });
});

describe('buildVisitSequences', () => {
  it.skipIf(!haveData)('builds exactly the inputs the Python feature code built for the parity fixture', () => {
    const { rows } = readOasisCsv(readFileSync(oasisCsv, 'utf8'));
    const results = buildVisitSequences(rows, spec);
    expect(results).toHaveLength(120);
    const bySubject = new Map<string, VisitSequence>();
    for (const r of results) {
      expect('error' in r).toBe(false);
      if ('sequence' in r) bySubject.set(r.subject, r.sequence);
    }
    for (const c of fixture.cases) {
      const seq = bySubject.get(c.subject)!;
      const p = prefix(seq, c.visits);
      // Exact equality: both sides are float32 values of the same double arithmetic.
      expect(Array.from(p.features)).toEqual(c.features.flat(2));
      expect(Array.from(p.missing)).toEqual(c.missing.flat(2));
      expect(Array.from(p.days)).toEqual(c.days.flat());
      expect(p.horizonDays).toBe(c.horizon_days[0]![0]);
    }
  });

  it('orders visits by delay, masks optional gaps and rejects unusable rows per subject', () => {
    const { rows } = readOasisCsv(
      syntheticCsv([
        'S1,S1_MR2,Nondemented,2,400,F,R,71,12,,27,0,1500,0.74,1.17',
        'S1,S1_MR1,Nondemented,1,0,F,R,70,12,2,28,0,1500,0.75,1.17',
        'S2,S2_MR1,Demented,1,0,M,R,80,16,3,25,0.5,1600,0.70,1.10',
        'S2,S2_MR2,Demented,2,700,M,R,82,16,3,22,0.5,1600,,1.10',
        'S3,S3_MR1,Demented,1,0,X,R,80,16,3,25,0.5,1600,0.70,1.10',
        'S4,S4_MR1,Demented,1,abc,M,R,80,16,3,25,0.5,1600,0.70,1.10',
      ]),
    );
    const results = buildVisitSequences(rows, spec);
    expect(results.map((r) => r.subject)).toEqual(['S1', 'S2', 'S3', 'S4']);
    const s1 = results[0]!;
    if (!('sequence' in s1)) throw new Error('S1 should build');
    expect(Array.from(s1.sequence.days)).toEqual([0, 400]);
    const F = s1.sequence.nFeatures;
    const ses = spec.features.findIndex((f) => f.column === 'SES');
    expect(s1.sequence.missing[F + ses]).toBe(1);
    expect(s1.sequence.features[F + ses]).toBe(0);
    expect(s1.sequence.missing[ses]).toBe(0);
    for (const [i, column] of [[1, 'nWBV'], [2, 'M/F'], [3, 'MR Delay']] as const) {
      const r = results[i]!;
      if (!('error' in r)) throw new Error(`subject ${r.subject} should fail`);
      expect(r.error.code).toBe('PROGRESSION_BAD_ROW');
      expect(r.error.message).toContain(column);
    }
  });

  it('rejects values outside the range the manifest declares, and two visits on one day', () => {
    // Each of these subjects would build with the offending cell fixed.
    const { rows } = readOasisCsv(
      syntheticCsv([
        'S1,S1_MR1,Nondemented,1,0,F,R,70,12,2,31,0,1500,0.75,1.17', // MMSE above 30
        'S2,S2_MR1,Nondemented,1,0,F,R,70,12,2,28,0,1500,75,1.17', // nWBV as a percentage
        'S3,S3_MR1,Nondemented,1,0,F,R,70,12,2,28,0,1.5e300,0.75,1.17', // eTIV that would overflow float32
        'S4,S4_MR1,Nondemented,1,0,F,R,70,12,2,28,0,1500,0.75,1.17',
        'S4,S4_MR2,Nondemented,2,0,F,R,71,12,2,27,0,1500,0.74,1.17', // same MR Delay as MR1
        'S5,S5_MR1,Nondemented,1,-30,F,R,70,12,2,28,0,1500,0.75,1.17', // negative delay
        'S6,S6_MR1,Nondemented,1,0,F,R,70,12,2,0,3,1500,0.75,1.17', // both ends of the scales are valid
      ]),
    );
    const results = buildVisitSequences(rows, spec);
    const failed = Object.fromEntries(results.flatMap((r) => ('error' in r ? [[r.subject, r.error]] : [])));
    expect(Object.keys(failed)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5']);
    for (const e of Object.values(failed)) expect(e.code).toBe('PROGRESSION_BAD_ROW');
    expect(failed['S1']!.message).toMatch(/line 2 .*MMSE 31 is outside 0-30/);
    expect(failed['S2']!.message).toMatch(/nWBV 75 is outside 0-1/);
    expect(failed['S3']!.message).toMatch(/eTIV .* is outside 500-3000/);
    expect(failed['S4']!.message).toMatch(/line 6 is on the same day \(MR Delay 0\) as the visit on line 5/);
    expect(failed['S5']!.message).toContain('MR Delay');
  });
});

describe('loadProgressionModel', () => {
  it('reports an unknown or malformed id as MODEL_NOT_FOUND', async () => {
    await expect(loadProgressionModel(modelsDir, 'no-such-model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(loadProgressionModel(modelsDir, '../models')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });

  it('refuses a model whose bytes do not match the manifest', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lumen-progression-'));
    tmpDirs.push(tmp);
    cpSync(modelDir, path.join(tmp, 'oasis-progression'), { recursive: true });
    const onnx = path.join(tmp, 'oasis-progression', 'model.onnx');
    const bytes = readFileSync(onnx);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(onnx, bytes);
    const error = await loadProgressionModel(tmp, 'oasis-progression').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe('MODEL_CHECKSUM_MISMATCH');
  });
});

describe('runProgression', () => {
  it('predicts for good subjects and prints an error line for a bad one', async () => {
    const runner = await ProgressionRunner.open(modelsDir, 'oasis-progression');
    const csv = syntheticCsv([
      'S1,S1_MR1,Nondemented,1,0,F,R,70,12,2,28,0,1500,0.75,1.17',
      'S1,S1_MR2,Nondemented,2,400,F,R,71,12,,27,0,1500,0.74,1.17',
      'S1,S1_MR3,Nondemented,3,900,F,R,72,12,,,0.5,1500,0.73,1.17',
      'S2,S2_MR1,Demented,1,0,M,R,80,16,3,,0.5,1600,0.70,1.10',
      'S2,S2_MR2,Demented,2,700,M,R,82,16,3,22,,1600,0.69,1.10',
      'S3,S3_MR1,Demented,1,0,M,R,80,16,3,25,0.5,1600,0.70,1.10',
    ]);
    const lines: ProgressionLine[] = [];
    for await (const line of runProgression(runner, csv)) lines.push(line);
    await runner.release();
    expect(lines).toHaveLength(3); // S1: visits 1 and 2; S2: error; S3: a single visit has no next one
    const [a, b, c] = lines;
    expect(a).toMatchObject({ subject: 'S1', visit: 1, horizonDays: 400, model: 'oasis-progression', provider: 'cpu' });
    expect(b).toMatchObject({ subject: 'S1', visit: 2, horizonDays: 500 });
    expect(c).toMatchObject({ subject: 'S2', error: { code: 'PROGRESSION_BAD_ROW' } });
    for (const line of [a, b]) {
      if (!line || 'error' in line) throw new Error('expected a prediction');
      expect(line.risk).toBeGreaterThan(0);
      expect(line.risk).toBeLessThan(1);
      expect(line.attention).toHaveLength(line.visit);
      expect(line.attention.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
    }
  });

  it('runs sequences longer than any in the training data (dynamic visit axis)', async () => {
    const runner = await ProgressionRunner.open(modelsDir, 'oasis-progression');
    const rows = Array.from({ length: 8 }, (_, i) => `L1,L1_MR${i + 1},Converted,${i + 1},${i * 365},F,R,${70 + i},14,2,${29 - i},${i < 4 ? 0 : 0.5},1450,${(0.76 - i * 0.005).toFixed(3)},1.2`);
    const lines: ProgressionLine[] = [];
    for await (const line of runProgression(runner, syntheticCsv(rows))) lines.push(line);
    await runner.release();
    expect(lines).toHaveLength(7);
    const last = lines[6]!;
    if ('error' in last) throw new Error('expected a prediction');
    expect(last.attention).toHaveLength(7);
    expect(last.attention.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
  });

  it('fails as a whole when the CSV lacks a model column', async () => {
    const runner = await ProgressionRunner.open(modelsDir, 'oasis-progression');
    const lines = runProgression(runner, 'Subject ID,Visit\nS1,1\n');
    await expect(lines.next()).rejects.toMatchObject({ code: 'PROGRESSION_MISSING_COLUMN' });
    await runner.release();
  });
});

describe('lumen progression (CLI end to end)', () => {
  it.skipIf(!haveData)('prints one line per transition of the OASIS CSV, matching PyTorch on the fixture subjects', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(repo, 'bin', 'lumen.mjs'), 'progression', '--model', 'oasis-progression', '--csv', oasisCsv],
      { encoding: 'utf8', cwd: repo },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as ProgressionLine);
    expect(lines).toHaveLength(182);
    for (const line of lines) {
      if ('error' in line) throw new Error(`unexpected error line for ${line.subject}`);
      expect(Object.keys(line).sort()).toEqual(['attention', 'horizonDays', 'model', 'provider', 'risk', 'subject', 'version', 'visit']);
      expect(line.attention).toHaveLength(line.visit);
    }
    for (const c of fixture.cases) {
      const line = lines.find((l) => l.subject === c.subject && 'visit' in l && l.visit === c.visits);
      if (!line || 'error' in line) throw new Error(`no line for ${c.subject} visit ${c.visits}`);
      expect(Math.abs(line.risk - c.risk[0]!)).toBeLessThan(1e-4);
    }
  });

  it('reports an unknown model as a typed error', () => {
    const run = spawnSync(process.execPath, [path.join(repo, 'bin', 'lumen.mjs'), 'progression', '--model', 'nope', '--csv', fileURLToPath(import.meta.url)], {
      encoding: 'utf8',
      cwd: repo,
    });
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stderr.trim())).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } });
  });
});
