"""Validation metrics: ROC AUC, accuracy / sensitivity / specificity at a threshold, ECE (10 bins)."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve


def ece(p_pos: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error (Guo et al. 2017): confidence = max(p, 1 - p) of the predicted class
    (argmax, i.e. p >= 0.5), `bins` equal-width bins on [0, 1], sum over bins of |accuracy - confidence|
    weighted by the bin's share of images."""
    conf = np.maximum(p_pos, 1 - p_pos)
    pred = (p_pos >= 0.5).astype(int)
    correct = (pred == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def at_threshold(p_pos: np.ndarray, y: np.ndarray, t: float) -> dict:
    pred = (p_pos >= t).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum()); tn = int(((pred == 0) & (y == 0)).sum())
    fp = int(((pred == 1) & (y == 0)).sum()); fn = int(((pred == 0) & (y == 1)).sum())
    sens = tp / max(tp + fn, 1); spec = tn / max(tn + fp, 1)
    return {'accuracy': (tp + tn) / len(y), 'sensitivity': sens, 'specificity': spec,
            'balancedAccuracy': (sens + spec) / 2, 'tp': tp, 'tn': tn, 'fp': fp, 'fn': fn}


def auc(p_pos: np.ndarray, y: np.ndarray) -> float:
    return float(roc_auc_score(y, p_pos))


def youden_threshold(p_pos: np.ndarray, y: np.ndarray) -> float:
    """Threshold maximising Youden's J = sensitivity + specificity - 1 (= balanced accuracy), on val.

    Among thresholds within 0.005 of the best J, take the median of the plateau's thresholds rather than
    its edge, so the operating point is not tuned to a single val image."""
    fpr, tpr, thr = roc_curve(y, p_pos)
    j = tpr - fpr
    ok = j >= j.max() - 0.005
    cand = thr[ok]
    cand = cand[np.isfinite(cand)]
    return float(np.clip(np.median(cand), 0.0, 1.0))
