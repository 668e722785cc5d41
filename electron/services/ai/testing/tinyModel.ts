import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cxrManifest = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../models/cxr-pneumonia/manifest.json');

// A classifier shaped like cxr-pneumonia (probabilities [batch, 2] and a CAM [batch, 2, 4, 4]) and an
// OOD guard (score [batch]), small enough to export in seconds. Fixed weights: outputs are stable.
const EXPORT = String.raw`
import sys, torch
torch.manual_seed(0)
out = sys.argv[1]
S = int(sys.argv[2])
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.pool = torch.nn.AdaptiveAvgPool2d(4)
        self.fc = torch.nn.Linear(4, 2)
    def forward(self, x):
        f = torch.relu(self.pool(self.conv(x)))
        cam = torch.einsum('kc,bchw->bkhw', self.fc.weight, f) + self.fc.bias[None, :, None, None]
        return torch.softmax(cam.mean((2, 3)), 1), cam
class Ood(torch.nn.Module):
    def forward(self, x):
        return (x * x).mean((1, 2, 3))
x = torch.zeros(1, 1, S, S)
torch.onnx.export(Net().eval(), x, out + '/model.onnx', input_names=['image'], output_names=['probabilities', 'cam'], dynamic_axes={'image': {0: 'batch'}}, opset_version=13)
torch.onnx.export(Ood().eval(), x, out + '/ood.onnx', input_names=['image'], output_names=['score'], dynamic_axes={'image': {0: 'batch'}}, opset_version=13)
`;

export interface TinyModel {
  modelsDir: string;
  id: string;
  dir: string;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * For tests only: a models folder in a temp dir holding `tiny-cxr`, exported from PyTorch now (never
 * committed into models/), with a manifest that reuses cxr-pneumonia's preprocessing at a 16 px input.
 */
export function makeTinyModel(size = 16): TinyModel {
  const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-models-'));
  const id = 'tiny-cxr';
  const dir = path.join(modelsDir, id);
  mkdirSync(dir);
  const result = spawnSync('/usr/bin/python3', ['-c', EXPORT, dir, String(size)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`exporting the tiny model failed: ${result.stderr}`);
  const base = JSON.parse(readFileSync(cxrManifest, 'utf8')) as Record<string, unknown> & { preprocessing: Record<string, unknown>[]; ood: Record<string, unknown> };
  const manifest = {
    ...base,
    id,
    name: 'Tiny test classifier',
    sha256: sha256(path.join(dir, 'model.onnx')),
    inputs: [{ name: 'image', shape: ['batch', 1, size, size], dtype: 'float32' }],
    outputs: [
      { name: 'probabilities', shape: ['batch', 2], dtype: 'float32', labels: ['normal', 'pneumonia'] },
      { name: 'cam', shape: ['batch', 2, 4, 4], dtype: 'float32', labels: ['normal', 'pneumonia'] },
    ],
    preprocessing: base.preprocessing.map((s) => (s['op'] === 'resize' ? { ...s, size } : s['op'] === 'toTensor' ? { ...s, shape: ['batch', 1, size, size] } : s)),
    ood: { ...base.ood, sha256: sha256(path.join(dir, 'ood.onnx')), threshold: 3 },
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { modelsDir, id, dir };
}
