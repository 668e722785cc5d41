"""Train the cxr-pneumonia classifier from scratch on split == train; every choice is made on split == val.

Usage (from the repo root):
  nice -n 10 /usr/bin/python3 models/training/cxr/train.py [--epochs 22] [--patience 6]
Writes checkpoints/best.pt and checkpoints/last.pt (weights only) and train_log.json (config + per-epoch
metrics) next to this file, after every epoch.
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
import torch.nn.functional as F

from common import CKPT_DIR, HERE, SEED, SIZE, seed_everything, set_threads, THREADS
from dataset import AUG, augment, ensure_normalization, load_split
from metrics import at_threshold, auc, ece
from model import CxrNet

LOG = HERE / 'train_log.json'


def predict(net: CxrNet, x: torch.Tensor, bs: int = 128) -> np.ndarray:
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            out.append(net(x[i:i + bs]))
    return torch.cat(out).numpy()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=22)
    ap.add_argument('--patience', type=int, default=6)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--weight-decay', type=float, default=5e-4)
    ap.add_argument('--widths', type=str, default='16,32,64,128,160')
    ap.add_argument('--dropout', type=float, default=0.2)
    ap.add_argument('--stem-stride', type=int, default=2)
    ap.add_argument('--pools', type=int, default=3)
    args = ap.parse_args()

    set_threads()
    seed_everything(SEED)
    widths = tuple(int(w) for w in args.widths.split(','))
    xtr, ytr, _ = load_split('train')
    xva, yva, rva = load_split('val')
    mean, std = ensure_normalization(xtr)
    xtr_t = torch.from_numpy(xtr).unsqueeze(1)
    xva_n = (torch.from_numpy(xva).unsqueeze(1) - mean) / std
    ytr_t = torch.from_numpy(ytr)
    counts = np.bincount(ytr, minlength=2)
    # Class imbalance (1,188 normal vs 3,374 pneumonia): inverse-frequency class weights in the loss,
    # so each class contributes equally; the operating threshold is chosen later on val anyway.
    cw = torch.tensor(len(ytr) / (2 * counts), dtype=torch.float32)
    src_orig = np.array([r['source'] == 'original' for r in rva])

    net = CxrNet(widths, dropout=args.dropout, stem_stride=args.stem_stride, pools=args.pools)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = int(np.ceil(len(ytr) / args.batch))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.1)
    g = torch.Generator().manual_seed(SEED)
    config = dict(vars(args), widths=list(widths), size=SIZE, seed=SEED, threads=THREADS, mean=mean, std=std,
                  classWeights=cw.tolist(), trainCounts=counts.tolist(), valCounts=np.bincount(yva).tolist(),
                  optimizer='AdamW', schedule='OneCycle (cosine, 10% warm-up), stepped per batch',
                  loss='class-weighted cross-entropy', augmentation=AUG,
                  selection='best val class-weighted NLL (early stopping on it, patience epochs)',
                  params=sum(p.numel() for p in net.parameters()),
                  torch=torch.__version__)
    log = {'config': config, 'epochs': []}
    CKPT_DIR.mkdir(exist_ok=True)
    best, bad = float('inf'), 0
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        net.train()
        perm = torch.randperm(len(ytr), generator=g)
        tot, n = 0.0, 0
        for i in range(0, len(perm), args.batch):
            idx = perm[i:i + args.batch]
            xb = (augment(xtr_t[idx], g) - mean) / std
            loss = F.cross_entropy(net(xb), ytr_t[idx], weight=cw)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(idx); n += len(idx)
        logits = predict(net, xva_n)
        lt = torch.from_numpy(logits)
        val_loss = float(F.cross_entropy(lt, torch.from_numpy(yva), weight=cw))
        p = torch.softmax(lt, 1)[:, 1].numpy()
        rec = {'epoch': epoch, 'trainLoss': tot / n, 'valWeightedNll': val_loss, 'valAuc': auc(p, yva),
               'valAucSourceOriginal': auc(p[src_orig], yva[src_orig]),
               'valAucSourceSquashedCopy': auc(p[~src_orig], yva[~src_orig]),
               'valEce': ece(p, yva), **{f'val@0.5_{k}': v for k, v in at_threshold(p, yva, 0.5).items()},
               'lr': sched.get_last_lr()[0], 'seconds': round(time.time() - t0, 1)}
        torch.save({'state_dict': net.state_dict(), 'epoch': epoch, 'widths': list(widths), 'config': config},
                   CKPT_DIR / 'last.pt')
        if val_loss < best:
            best, bad = val_loss, 0
            torch.save({'state_dict': net.state_dict(), 'epoch': epoch, 'widths': list(widths), 'config': config},
                       CKPT_DIR / 'best.pt')
            rec['best'] = True
        else:
            bad += 1
        log['epochs'].append(rec)
        log['bestEpoch'] = max((e for e in log['epochs'] if e.get('best')), key=lambda e: e['epoch'])['epoch']
        LOG.write_text(json.dumps(log, indent=2) + '\n')
        print(json.dumps(rec), flush=True)
        if bad >= args.patience:
            print(f'early stop at epoch {epoch}', flush=True)
            break


if __name__ == '__main__':
    main()
