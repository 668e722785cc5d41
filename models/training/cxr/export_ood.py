"""Export the OOD autoencoder to models/cxr-pneumonia/ood.onnx and check it on non-radiographs.

Usage (from the repo root):
  nice -n 10 /usr/bin/python3 models/training/cxr/export_ood.py
Input `image` [batch, 1, SIZE, SIZE] (the classifier's normalised input); output `score` [batch], the
per-image mean squared reconstruction error computed inside the graph. Writes ood_results.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import onnx
import torch

from common import CKPT_DIR, HERE, MODEL_DIR, SIZE, set_threads
from dataset import load_split
from model import ConvAE, OodExport
from ood_sets import conformance_sets, ct_set, cxr_dicom_set, mr_set, synthetic_sets
from preprocess import load_norm

OPSET = 13


def main() -> None:
    set_threads()
    mean, std = load_norm()
    ck = torch.load(CKPT_DIR / 'ood.pt', map_location='cpu')
    ae = ConvAE(latent=ck['latent'])
    ae.load_state_dict(ck['state_dict'])
    ae.eval()
    xtr, _, _ = load_split('train')
    with torch.no_grad():
        pooled = ae.small((torch.from_numpy(xtr).unsqueeze(1) - mean) / std)
        sd_train = ((pooled - pooled.mean(dim=(1, 2, 3), keepdim=True)) ** 2).mean(dim=(1, 2, 3)).sqrt()
        mean_train = pooled.mean(dim=(1, 2, 3))
    sd_min = float(f'{0.5 * float(sd_train.min()):.6g}')
    mean_lo, mean_hi = float(f'{float(mean_train.min()):.6g}'), float(f'{float(mean_train.max()):.6g}')
    del xtr, pooled
    exp = OodExport(ae, sd_min, mean_lo, mean_hi).eval()

    def score(imgs01: list[np.ndarray]) -> np.ndarray:
        x = (torch.from_numpy(np.stack(imgs01)).unsqueeze(1) - mean) / std
        with torch.no_grad():
            return torch.cat([exp(x[i:i + 256]) for i in range(0, len(x), 256)]).numpy()

    xva, _, _ = load_split('val')
    val_scores = score(list(xva))
    thr = float(np.percentile(val_scores, 99))
    non, rad, skipped = conformance_sets()
    syn = synthetic_sets(xva)
    groups = {
        'ct': ct_set(), 'mr': mr_set(), 'conformanceNonRadiograph': [(p, x) for p, x, _ in non],
        'inverted': syn['inverted'], 'blank': syn['blank'],
    }
    res: dict = {'flatSdMin': sd_min, 'flatPenalty': OodExport.FLAT_PENALTY, 'meanLo': mean_lo, 'meanHi': mean_hi,
                 'rangeSlope': OodExport.RANGE_SLOPE, 'threshold': thr, 'thresholdRule': '99th percentile (numpy linear interpolation) of val scores',
                 'val': {'n': len(val_scores), 'flagged': float((val_scores > thr).mean()),
                         'median': float(np.median(val_scores))}, 'groups': {}}
    all_flags = []
    for name, items in groups.items():
        s = score([x for _, x in items])
        f = s > thr
        all_flags.append(f)
        res['groups'][name] = {'n': len(items), 'flagged': float(f.mean()), 'medianScore': float(np.median(s)),
                               'notFlagged': [items[i][0] for i in np.where(~f)[0]][:20]}
    flags = np.concatenate(all_flags)
    res['nonRadiographs'] = {'n': int(len(flags)), 'flagged': float(flags.mean())}
    real = np.concatenate(all_flags[:3])     # ct, mr, conformance: real images of other kinds
    res['realNonRadiographs'] = {'n': int(len(real)), 'flagged': float(real.mean())}
    # Real radiographs from other sites: informative, not counted either way.
    other = [(p, x) for p, x, _ in rad] + cxr_dicom_set()
    s = score([x for _, x in other])
    res['otherRadiographs'] = {p: {'score': float(v), 'flagged': bool(v > thr)} for (p, _), v in zip(other, s)}
    res['skippedConformance'] = [p for p, _ in skipped]
    (HERE / 'ood_results.json').write_text(json.dumps(res, indent=2) + '\n')
    print(json.dumps({k: v for k, v in res.items() if k != 'skippedConformance'}, indent=2))

    path = MODEL_DIR / 'ood.onnx'
    torch.onnx.export(exp, torch.zeros(1, 1, SIZE, SIZE), str(path), input_names=['image'], output_names=['score'],
                      dynamic_axes={'image': {0: 'batch'}, 'score': {0: 'batch'}}, opset_version=OPSET,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(str(path)))
    print('exported', path, path.stat().st_size, 'bytes')


if __name__ == '__main__':
    main()
