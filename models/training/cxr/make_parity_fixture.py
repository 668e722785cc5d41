"""Write models/cxr-pneumonia/parity-fixture.json: three deterministic inputs (a formula TypeScript can
reproduce) and PyTorch's outputs for them, for parity.test.ts (onnxruntime-node vs PyTorch).

Usage (from the repo root):
  /usr/bin/python3 models/training/cxr/make_parity_fixture.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch

from common import CKPT_DIR, MODEL_DIR, SIZE, set_threads
from calibrate_export import load_best
from model import ConvAE, CxrExport, OodExport

FORMULA = ('x[k][0][i][j] = Math.fround(0.8 * Math.sin(0.05 * i * (k + 1)) * Math.cos(0.07 * j) + 0.3 * (k - 1)), '
           'computed in float64 and rounded to float32; i = row, j = column (0-based), k = sample 0..2; '
           'shape [3, 1, S, S], S = size')


def inputs(size: int = SIZE) -> np.ndarray:
    i = np.arange(size, dtype=np.float64)[:, None]
    j = np.arange(size, dtype=np.float64)[None, :]
    return np.stack([(0.8 * np.sin(0.05 * i * (k + 1)) * np.cos(0.07 * j) + 0.3 * (k - 1))[None]
                     for k in range(3)]).astype(np.float32)


def r(a: np.ndarray) -> list:
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def main() -> None:
    set_threads()
    cal = json.loads((Path(__file__).resolve().parent / 'calibration.json').read_text())
    net, _ = load_best()
    exp = CxrExport(net, cal['temperature']).eval()
    ck = torch.load(CKPT_DIR / 'ood.pt', map_location='cpu')
    ae = ConvAE(latent=ck['latent'])
    ae.load_state_dict(ck['state_dict'])
    res = json.loads((Path(__file__).resolve().parent / 'ood_results.json').read_text())
    ood = OodExport(ae.eval(), res['flatSdMin'], res['meanLo'], res['meanHi']).eval()
    x = torch.from_numpy(inputs())
    with torch.no_grad():
        prob, cam = exp(x)
        score = ood(x)
    out = {
        'description': 'PyTorch (eager, float32, CPU) outputs of the cxr-pneumonia classifier and OOD autoencoder '
                       'on three deterministic inputs; written by models/training/cxr/make_parity_fixture.py.',
        'size': SIZE, 'formula': FORMULA, 'torch': torch.__version__,
        'inputChecks': {'x[k][0][10][20]': [float(x[k, 0, 10, 20]) for k in range(3)],
                        'sum': [float(x[k].double().sum()) for k in range(3)]},
        'probabilities': {'shape': list(prob.shape), 'data': r(prob)},
        'cam': {'shape': list(cam.shape), 'data': r(cam)},
        'oodScore': {'shape': list(score.shape), 'data': r(score)},
    }
    p = MODEL_DIR / 'parity-fixture.json'
    p.write_text(json.dumps(out) + '\n')
    print('wrote', p, 'probabilities', prob.numpy().round(4).tolist(), 'ood', score.numpy().tolist())


if __name__ == '__main__':
    main()
