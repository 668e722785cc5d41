"""Training of the sequence models, shared by the cross-validation and the final fit.

Hyperparameters are fixed in CONFIG before looking at any test fold; the one data-driven choice, the
number of epochs, is made by an inner subject-grouped CV on the training part only (nested).
"""
from __future__ import annotations

import numpy as np
import torch
from sklearn.model_selection import StratifiedGroupKFold

from oasis_data import F, Subject, fit_normaliser, make_batch, worsening_labels
from oasis_models import ProgressionGRU, ProgressionTransformer

torch.set_num_threads(1)

CONFIG = {
    'transformer': {'d': 8, 'heads': 2, 'layers': 1, 'dropout': 0.3, 'linear_skip': True},
    'gru': {'d': 16, 'dropout': 0.2},
    'lr': 1e-3,
    'weight_decay': 0.05,
    'max_epochs': 200,
    'eval_every': 5,
    'min_epochs': 20,
    'inner_folds': 4,
    'ensemble': 5,
}


def build(kind: str, seed: int):
    torch.manual_seed(seed)
    if kind == 'transformer':
        return ProgressionTransformer(F, **CONFIG['transformer'])
    return ProgressionGRU(F, **CONFIG['gru'])


def tensors(batch):
    return [torch.from_numpy(a) for a in (batch.x, batch.m, batch.days, batch.horizon, batch.y, batch.valid)]


def predict(model, batch) -> np.ndarray:
    """Probabilities of the valid positions, in subject then visit order."""
    x, m, d, h, _, v = tensors(batch)
    model.eval()
    with torch.no_grad():
        logit, _ = model(x, m, d, h)
    return torch.sigmoid(logit)[v > 0].numpy()


def labels(batch) -> np.ndarray:
    return batch.y[batch.valid > 0]


def train(kind: str, subjects: list[Subject], seed: int, epochs: int, mean, std, eval_batch=None):
    """Full-batch AdamW. With eval_batch, also returns the eval log loss every CONFIG['eval_every'] epochs."""
    model = build(kind, seed)
    x, m, d, h, y, v = tensors(make_batch(subjects, mean, std))
    opt = torch.optim.AdamW(model.parameters(), lr=CONFIG['lr'], weight_decay=CONFIG['weight_decay'])
    curve = []
    for ep in range(1, epochs + 1):
        model.train()
        logit, _ = model(x, m, d, h)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, y, reduction='none') * v).sum() / v.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if eval_batch is not None and ep % CONFIG['eval_every'] == 0:
            p = np.clip(predict(model, eval_batch), 1e-6, 1 - 1e-6)
            t = labels(eval_batch)
            curve.append(float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))))
    return model, curve


def subject_strata(subjects: list[Subject]) -> np.ndarray:
    """Stratify folds by whether a subject ever worsens, so every fold has positives."""
    return np.array([int(worsening_labels(s).max() > 0) for s in subjects])


def choose_epochs(kind: str, subjects: list[Subject], seed: int) -> int:
    """Inner CV on the training subjects only: the epoch count with the lowest mean validation log loss."""
    sgk = StratifiedGroupKFold(n_splits=CONFIG['inner_folds'], shuffle=True, random_state=seed)
    ids = np.arange(len(subjects))
    curves = []
    for tr, va in sgk.split(ids, subject_strata(subjects), groups=ids):
        tr_s = [subjects[i] for i in tr]
        va_s = [subjects[i] for i in va]
        mean, std = fit_normaliser(tr_s)
        _, c = train(kind, tr_s, seed, CONFIG['max_epochs'], mean, std, make_batch(va_s, mean, std))
        curves.append(c)
    mean_curve = np.mean(curves, axis=0)
    grid = np.arange(1, len(mean_curve) + 1) * CONFIG['eval_every']
    ok = grid >= CONFIG['min_epochs']
    return int(grid[ok][np.argmin(mean_curve[ok])])


def fit_ensemble(kind: str, subjects: list[Subject], seed: int, epochs: int, mean, std):
    return [train(kind, subjects, seed * 100 + j, epochs, mean, std)[0] for j in range(CONFIG['ensemble'])]


def predict_ensemble(models, batch) -> np.ndarray:
    return np.mean([predict(mdl, batch) for mdl in models], axis=0)
