import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonJson } from '../dicom/testSupport';
import { ProgressionRunner, runProgression, type ProgressionLine } from './runProgression';

/**
 * Issue 7: "the app builds sequences from what the manifest asks for, so another progression model can
 * be dropped in". A second model, unknown to the code, with three features instead of nine, its own
 * tensor names and an optional feature, is written into a fresh models folder; the runner must give
 * what PyTorch gives for every transition of the OASIS table, built by Python on its own.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const oasisCsv = path.resolve(repo, '../shared/data/oasis/oasis_longitudinal_train.csv');
const ID = 'tiny-progression';

const FEATURES = [
  { name: 'mmse', column: 'MMSE', unit: 'points 0-30', mean: 27, std: 3, required: false },
  { name: 'cdr', column: 'CDR', unit: 'CDR 0/0.5/1/2', mean: 0.3, std: 0.4, required: true },
  { name: 'nwbv', column: 'nWBV', unit: 'fraction', mean: 0.73, std: 0.04, required: true },
];

/**
 * argv: output ONNX path, features JSON, OASIS CSV. Exports a small attention-pooling model with fixed
 * random weights and prints PyTorch's risk and attention for every visit k that has a next one, with the
 * sequences built here from the CSV: grouped by subject, ordered by MR Delay then Visit, z-scored in
 * double with the declared constants, 0 and mask 1 where an optional value is empty.
 */
const REFERENCE = `
import csv, json, sys, math
import numpy as np, torch
from torch import nn
out, feats, csv_path = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
torch.manual_seed(11)
class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.score = nn.Linear(6, 1)
        self.out = nn.Linear(3, 1)
    def forward(self, x, mask, t, dt):
        v = x * (1 - mask)
        s = self.score(torch.cat([v, mask], -1)).squeeze(-1) + 0.3 * t / 365.25
        w = torch.softmax(s, -1)
        logit = self.out((w.unsqueeze(-1) * v).sum(1)).squeeze(-1) + 0.5 * dt[:, 0] / 365.25
        return torch.sigmoid(logit), w
model = Tiny().eval()
F = len(feats)
ex = (torch.zeros(1, 2, F), torch.zeros(1, 2, F), torch.zeros(1, 2), torch.ones(1, 1))
torch.onnx.export(model, ex, out, input_names=['x', 'mask', 't', 'dt'], output_names=['p', 'w'], opset_version=14,
                  dynamic_axes={'x': {1: 'visits'}, 'mask': {1: 'visits'}, 't': {1: 'visits'}, 'w': {1: 'visits'}})
rows = {}
for r in csv.DictReader(open(csv_path, newline='')):
    rows.setdefault(r['Subject ID'].strip(), []).append(r)
lines, failed = [], []
for sid in rows:
    vs = sorted(rows[sid], key=lambda r: (float(r['MR Delay']), float(r['Visit'])))
    if any(f['required'] and vs_i[f['column']].strip() == '' for vs_i in vs for f in feats):
        failed.append(sid)
        continue
    raw = np.array([[math.nan if v[f['column']].strip() == '' else float(v[f['column']]) for f in feats] for v in vs])
    miss = np.isnan(raw)
    z = (raw - np.array([f['mean'] for f in feats])) / np.array([f['std'] for f in feats])
    z[miss] = 0
    days = np.array([float(v['MR Delay']) for v in vs])
    days = days - days[0]
    for k in range(1, len(vs)):
        with torch.no_grad():
            p, w = model(torch.tensor(z[None, :k], dtype=torch.float32), torch.tensor(miss[None, :k], dtype=torch.float32),
                         torch.tensor(days[None, :k], dtype=torch.float32), torch.tensor([[days[k] - days[k - 1]]], dtype=torch.float32))
        lines.append({'subject': sid, 'visit': k, 'horizonDays': days[k] - days[k - 1], 'risk': float(p[0]), 'attention': w[0].tolist()})
print(json.dumps({'lines': lines, 'failed': failed}))
`;

interface Reference {
  lines: { subject: string; visit: number; horizonDays: number; risk: number; attention: number[] }[];
  failed: string[];
}

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('another progression model dropped into the models folder', () => {
  it.skipIf(!existsSync(oasisCsv))('runs with its own features, tensor names and optional measure, as PyTorch computes it', async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-dropin-'));
    tmpDirs.push(modelsDir);
    const dir = path.join(modelsDir, ID);
    mkdirSync(dir);
    const onnx = path.join(dir, 'model.onnx');
    const reference = pythonJson<Reference>(REFERENCE, [onnx, JSON.stringify(FEATURES), oasisCsv]);
    const manifest = {
      schemaVersion: 1,
      id: ID,
      version: '0.1.0',
      name: 'Three-measure progression (test model)',
      task: 'progression',
      modalities: ['MR'],
      bodyParts: ['BRAIN'],
      file: 'model.onnx',
      sha256: createHash('sha256').update(readFileSync(onnx)).digest('hex'),
      inputs: [
        { name: 'x', shape: [1, 'visits', 3], dtype: 'float32' },
        { name: 'mask', shape: [1, 'visits', 3], dtype: 'float32' },
        { name: 't', shape: [1, 'visits'], dtype: 'float32' },
        { name: 'dt', shape: [1, 1], dtype: 'float32' },
      ],
      outputs: [
        { name: 'p', shape: [1], dtype: 'float32' },
        { name: 'w', shape: [1, 'visits'], dtype: 'float32' },
      ],
      preprocessing: [
        { op: 'group-visits', subjectColumn: 'Subject ID', daysColumn: 'MR Delay', visitColumn: 'Visit' },
        { op: 'zscore' },
        { op: 'mask-missing', fill: 0 },
        { op: 'bind', inputs: { features: 'x', missing: 'mask', days: 't', horizon: 'dt' }, outputs: { risk: 'p', attention: 'w' } },
      ],
      threshold: 0.5,
      features: FEATURES,
      intendedUse: 'Tests only.',
      trainingData: { name: 'none', source: 'random weights', license: 'n/a' },
      license: 'n/a',
      metrics: {},
      disclaimer: 'Research use only. Not a medical device.',
    };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));

    const runner = await ProgressionRunner.open(modelsDir, ID);
    const lines: ProgressionLine[] = [];
    for await (const line of runProgression(runner, readFileSync(oasisCsv, 'utf8'))) lines.push(line);
    // This manifest declares no ranges, so a value the model cannot handle reaches it: its output is not
    // a probability, and only that subject fails; the subject after it still gets its prediction.
    const header = 'Subject ID,Visit,MR Delay,MMSE,CDR,nWBV';
    const extreme: ProgressionLine[] = [];
    for await (const line of runProgression(runner, `${header}\nA,1,0,28,0,3e38\nA,2,400,27,0,0.7\nB,1,0,28,0,0.74\nB,2,400,27,0,0.73\n`)) extreme.push(line);
    expect(extreme).toMatchObject([{ subject: 'A', error: { code: 'MODEL_BAD_OUTPUT' } }, { subject: 'B', visit: 1 }]);
    await runner.release();

    const failures = lines.filter((l) => 'error' in l);
    expect(failures.map((l) => l.subject)).toEqual(reference.failed);
    const predictions = lines.flatMap((l) => ('error' in l ? [] : [l]));
    expect(predictions).toHaveLength(reference.lines.length);
    // Some visits lack the optional MMSE: the mask path is exercised, not only complete rows.
    expect(readFileSync(oasisCsv, 'utf8').split('\n').slice(1).some((row) => row.split(',')[10] === '')).toBe(true);
    const bySubjectVisit = new Map(reference.lines.map((r) => [`${r.subject}/${r.visit}`, r]));
    for (const p of predictions) {
      const ref = bySubjectVisit.get(`${p.subject}/${p.visit}`);
      expect(ref, `${p.subject} visit ${p.visit}`).toBeDefined();
      expect(p).toMatchObject({ model: ID, version: '0.1.0', horizonDays: ref!.horizonDays });
      expect(Math.abs(p.risk - ref!.risk)).toBeLessThan(1e-5);
      expect(p.attention).toHaveLength(p.visit);
      p.attention.forEach((w, i) => expect(Math.abs(w - ref!.attention[i]!)).toBeLessThan(1e-5));
    }
  });
});
