"""Calibrate the best classifier on val (temperature scaling), choose the operating threshold on val,
measure val metrics, and export models/cxr-pneumonia/model.onnx.

Usage (from the repo root):
  nice -n 10 /usr/bin/python3 models/training/cxr/calibrate_export.py
Writes calibration.json next to this file (temperature, threshold, metrics before/after calibration).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import onnx
import torch
import torch.nn.functional as F

from common import CKPT_DIR, HERE, MODEL_DIR, SIZE, set_threads
from dataset import load_split
from metrics import at_threshold, auc, ece, youden_threshold
from model import CxrExport, CxrNet
from preprocess import load_norm

OPSET = 13


def load_best() -> tuple[CxrNet, dict]:
    # The checkpoint holds its config beside the weights: torch >= 2.6 loads only tensors unless told.
    ck = torch.load(CKPT_DIR / 'best.pt', map_location='cpu', weights_only=False)
    c = ck['config']
    net = CxrNet(tuple(ck['widths']), dropout=c['dropout'], stem_stride=c['stem_stride'], pools=c['pools'])
    net.load_state_dict(ck['state_dict'])
    net.eval()
    return net, ck


def fit_temperature(logits: torch.Tensor, y: torch.Tensor) -> float:
    """Temperature scaling (Guo et al. 2017): the T > 0 minimising the (unweighted) val NLL of logits / T."""
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.exp())


def summary(p: np.ndarray, y: np.ndarray, t: float, src: np.ndarray) -> dict:
    m = {'auc': auc(p, y), 'ece10': ece(p, y), 'nll': float(-np.mean(np.log(np.clip(np.where(y == 1, p, 1 - p), 1e-12, 1))))}
    m.update({k: v for k, v in at_threshold(p, y, t).items()})
    m['aucSourceOriginal'] = auc(p[src], y[src])
    m['aucSourceSquashedCopy'] = auc(p[~src], y[~src])
    return m


def main() -> None:
    set_threads()
    mean, std = load_norm()
    net, ck = load_best()
    xva, yva, rva = load_split('val')
    src = np.array([r['source'] == 'original' for r in rva])
    x = (torch.from_numpy(xva).unsqueeze(1) - mean) / std
    with torch.no_grad():
        logits = torch.cat([net(x[i:i + 128]) for i in range(0, len(x), 128)])
    y = torch.from_numpy(yva)
    T = fit_temperature(logits, y)
    p_raw = torch.softmax(logits, 1)[:, 1].numpy()
    p_cal = torch.softmax(logits / T, 1)[:, 1].numpy()
    thr = youden_threshold(p_cal, yva)
    thr = round(thr, 4)
    out = {
        'checkpoint': 'checkpoints/best.pt', 'epoch': ck['epoch'], 'temperature': T, 'threshold': thr,
        'thresholdRule': "maximise Youden's J (sensitivity + specificity - 1, i.e. balanced accuracy) on val, "
                         'calibrated probabilities; median of the thresholds within 0.005 of the best J',
        'val': {
            'n': int(len(yva)), 'nNormal': int((yva == 0).sum()), 'nPneumonia': int((yva == 1).sum()),
            'beforeCalibration': summary(p_raw, yva, 0.5, src),
            'afterCalibrationAt0.5': summary(p_cal, yva, 0.5, src),
            'afterCalibrationAtThreshold': summary(p_cal, yva, thr, src),
        },
    }
    (HERE / 'calibration.json').write_text(json.dumps(out, indent=2) + '\n')
    print(json.dumps(out, indent=2))

    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    exp = CxrExport(net, T).eval()
    dummy = torch.zeros(1, 1, SIZE, SIZE)
    path = MODEL_DIR / 'model.onnx'
    torch.onnx.export(exp, dummy, str(path), input_names=['image'], output_names=['probabilities', 'cam'],
                      dynamic_axes={'image': {0: 'batch'}, 'probabilities': {0: 'batch'}, 'cam': {0: 'batch'}},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    # Consistency of the wrapper with the trained network on val: same probabilities as softmax(logits / T).
    with torch.no_grad():
        pe, cam = exp(x[:64])
    assert torch.allclose(pe[:, 1], torch.from_numpy(p_cal[:64]), atol=1e-5), 'export wrapper != calibrated net'
    print('exported', path, path.stat().st_size, 'bytes; cam', tuple(cam.shape))


if __name__ == '__main__':
    main()
