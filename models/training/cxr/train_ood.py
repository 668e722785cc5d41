"""Train the out-of-distribution autoencoder on split == train radiographs and set its threshold on val.

Usage (from the repo root):
  nice -n 10 /usr/bin/python3 models/training/cxr/train_ood.py [--epochs 25]
Input: the classifier's own normalised input (same preprocessing, SIZE x SIZE); the graph average-pools it
to 64 x 64, standardises it per image, and the score is the per-image mean squared reconstruction error there. Threshold = 99th
percentile of the val scores. Writes checkpoints/ood.pt and ood_log.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch

from common import CKPT_DIR, HERE, SEED, SIZE, seed_everything, set_threads
from dataset import load_split
from model import ConvAE
from preprocess import load_norm

LOG = HERE / 'ood_log.json'
# Mild augmentation only (small shifts/scales, contrast): the guard must accept real radiograph variation,
# but not learn to reconstruct arbitrary pictures.
AE_AUG = dict(translate=0.04, scale=(0.95, 1.05), rot_deg=4.0, contrast=(0.85, 1.15), brightness=0.05)


def aug(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    import math
    import torch.nn.functional as F
    b = x.shape[0]
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(b, generator=g)  # noqa: E731
    a = u(-AE_AUG['rot_deg'], AE_AUG['rot_deg']) * math.pi / 180
    s = u(*AE_AUG['scale'])
    t = AE_AUG['translate'] * 2
    theta = torch.stack([torch.stack([torch.cos(a) / s, -torch.sin(a) / s, u(-t, t)], 1),
                         torch.stack([torch.sin(a) / s, torch.cos(a) / s, u(-t, t)], 1)], 1)
    x = F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), align_corners=False)
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - m) * u(*AE_AUG['contrast']).view(b, 1, 1, 1) + m + u(-AE_AUG['brightness'], AE_AUG['brightness']).view(b, 1, 1, 1)
    return x.clamp(0, 1)


def scores(ae: ConvAE, x: torch.Tensor, bs: int = 256) -> np.ndarray:
    ae.eval()
    with torch.no_grad():
        return torch.cat([ae.score(x[i:i + bs]) for i in range(0, len(x), bs)]).numpy()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--latent', type=int, default=64)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--resume', action='store_true',
                    help='continue from checkpoints/ood.pt (and ood_log.json) with a fresh schedule of --epochs epochs')
    args = ap.parse_args()
    set_threads()
    torch.set_num_threads(args.threads)
    seed_everything(SEED + 1)
    mean, std = load_norm()
    xtr, _, _ = load_split('train')
    xva, _, _ = load_split('val')
    xtr_t = torch.from_numpy(xtr).unsqueeze(1)
    xva_n = (torch.from_numpy(xva).unsqueeze(1) - mean) / std
    ae = ConvAE(latent=args.latent)
    previous = []
    if args.resume:
        ck = torch.load(CKPT_DIR / 'ood.pt', map_location='cpu')
        ae.load_state_dict(ck['state_dict'])
        prev_log = json.loads(LOG.read_text())
        previous = prev_log['epochs']
        runs = prev_log.get('runs', [prev_log['config']])
    opt = torch.optim.Adam(ae.parameters(), lr=args.lr)
    steps = args.epochs * int(np.ceil(len(xtr) / args.batch))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    g = torch.Generator().manual_seed(SEED + 1)
    log = {'config': dict(vars(args), size=SIZE, seed=SEED + 1, mean=mean, std=std, augmentation=AE_AUG,
                          params=sum(p.numel() for p in ae.parameters()), loss='MSE on the 64x64 pooled, per-image standardised input'),
           'epochs': list(previous)}
    if args.resume:
        log['runs'] = runs + [log['config']]
    CKPT_DIR.mkdir(exist_ok=True)
    first = len(previous) + 1
    for epoch in range(first, first + args.epochs):
        t0 = time.time()
        ae.train()
        perm = torch.randperm(len(xtr_t), generator=g)
        tot = 0.0
        for i in range(0, len(perm), args.batch):
            # pool first, augment at 64 px (4x cheaper); same pooling as in the graph
            xb = (aug(ae.small(xtr_t[perm[i:i + args.batch]]), g) - mean) / std
            loss = ae.score_small(xb).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(xb)
        sv = scores(ae, xva_n)
        rec = {'epoch': epoch, 'trainMse': tot / len(perm), 'valMseMean': float(sv.mean()),
               'valP99': float(np.percentile(sv, 99)), 'seconds': round(time.time() - t0, 1)}
        log['epochs'].append(rec)
        print(json.dumps(rec), flush=True)
        torch.save({'state_dict': ae.state_dict(), 'latent': args.latent, 'epoch': epoch}, CKPT_DIR / 'ood.pt')
        log['aeOnlyValP99'] = float(np.percentile(sv, 99))
        log['note'] = ('aeOnlyValP99 is the reconstruction term alone; the shipped threshold (with the intensity '
                       'terms of the exported graph) is in ood_results.json')
        LOG.write_text(json.dumps(log, indent=2) + '\n')


if __name__ == '__main__':
    main()
