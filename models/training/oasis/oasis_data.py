"""OASIS-2 longitudinal CSV -> per-subject visit sequences and visit-to-next-visit transitions.

This is the reference for the TypeScript sequence builder in electron/services/progression: the
feature order, the M/F encoding, the normalisation and the missing-value rule here are what the
manifest declares and what the app reproduces, so change them in both places (the parity fixture
catches a drift).
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np

DEFAULT_CSV = '/work/shared/data/oasis/oasis_longitudinal_train.csv'

# (name, CSV column, unit, required). Required features must be present in every visit; the others are
# masked when empty (SES and MMSE are empty for some OASIS visits) and the model sees the mask.
FEATURES: list[tuple[str, str, str, bool]] = [
    ('age', 'Age', 'years', True),
    ('male', 'M/F', '1 = M, 0 = F', True),
    ('educ', 'EDUC', 'years', True),
    ('ses', 'SES', 'Hollingshead index 1-5', False),
    ('mmse', 'MMSE', 'points 0-30', False),
    ('cdr', 'CDR', 'CDR 0/0.5/1/2', True),
    ('etiv', 'eTIV', 'mm^3 (as published)', True),
    ('nwbv', 'nWBV', 'fraction', True),
    ('asf', 'ASF', 'ratio', True),
]
F = len(FEATURES)
# Valid values of each numeric measure, declared in the manifest: the instrument's scale where it has one
# (MMSE 0-30, CDR 0-3, Hollingshead SES 1-5), else what is physically possible. Deliberately not the
# training range: the app rejects a value outside these as a typing or unit error, and must not reject a
# real patient only because no training subject was like them.
VALID_RANGES: dict[str, tuple[float, float]] = {
    'age': (0, 120),
    'educ': (0, 30),
    'ses': (1, 5),
    'mmse': (0, 30),
    'cdr': (0, 3),
    'etiv': (500, 3000),  # published as mm^3, really cm^3: adult intracranial volumes are about 1000-2000
    'nwbv': (0, 1),
    'asf': (0.3, 4),  # atlas scaling factor, about 1755 / eTIV
}
SEX_CODES = {'M': 1.0, 'F': 0.0}
MMSE_DROP = 3.0  # a worsening: CDR up, or MMSE down by at least this many points


def parse_value(column: str, raw: str) -> float:
    """NaN for an empty cell; raises ValueError for an unusable one (the CLI reports it as a bad row)."""
    s = raw.strip()
    if s == '':
        return math.nan
    if column == 'M/F':
        if s not in SEX_CODES:
            raise ValueError(f'M/F must be M or F, got {s!r}')
        return SEX_CODES[s]
    v = float(s)
    if not math.isfinite(v):
        raise ValueError(f'{column} is not a finite number')
    return v


@dataclass
class Subject:
    sid: str
    days: np.ndarray  # [T] days since the first visit (MR Delay)
    raw: np.ndarray  # [T, F] raw feature values, NaN where missing


def read_subjects(path: str = DEFAULT_CSV) -> list[Subject]:
    rows: dict[str, list[tuple[float, float, list[float]]]] = {}
    with open(path, newline='') as fh:
        for r in csv.DictReader(fh):
            sid = r['Subject ID'].strip()
            vals = [parse_value(col, r[col]) for _, col, _, _ in FEATURES]
            rows.setdefault(sid, []).append((float(r['Visit']), float(r['MR Delay']), vals))
    subjects = []
    for sid in sorted(rows):
        # Visits ordered by their delay (the visit number breaks ties); numbers may skip (MR1, MR3).
        vs = sorted(rows[sid], key=lambda t: (t[1], t[0]))
        days = np.array([v[1] for v in vs], dtype=np.float64)
        days = days - days[0]
        subjects.append(Subject(sid, days, np.array([v[2] for v in vs], dtype=np.float64)))
    return subjects


def worsening_labels(s: Subject) -> np.ndarray:
    """[T-1] label of the transition k -> k+1. A missing MMSE on either side cannot show a drop."""
    cdr = s.raw[:, 5]
    mmse = s.raw[:, 4]
    lab = []
    for k in range(len(s.days) - 1):
        worse = cdr[k + 1] > cdr[k]
        if not (math.isnan(mmse[k]) or math.isnan(mmse[k + 1])):
            worse = worse or (mmse[k] - mmse[k + 1] >= MMSE_DROP)
        lab.append(1.0 if worse else 0.0)
    return np.array(lab, dtype=np.float64)


def fit_normaliser(subjects: list[Subject]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and std over every observed visit of the training subjects (missing cells excluded)."""
    x = np.concatenate([s.raw for s in subjects], axis=0)
    mean = np.nanmean(x, axis=0)
    std = np.nanstd(x, axis=0)
    std[std < 1e-8] = 1.0
    return mean, std


def encode(s: Subject, mean: np.ndarray, std: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(features, missing), float32 [T, F]: z-scores with 0 where missing, and 1 where missing."""
    miss = np.isnan(s.raw)
    z = (s.raw - mean) / std
    z[miss] = 0.0
    return z.astype(np.float32), miss.astype(np.float32)


@dataclass
class Batch:
    """Padded subjects: every position k < T-1 of a subject is one transition sample."""
    x: np.ndarray  # [B, T, F]
    m: np.ndarray  # [B, T, F]
    days: np.ndarray  # [B, T]
    horizon: np.ndarray  # [B, T] days to the next visit (0 at the last visit)
    y: np.ndarray  # [B, T] label of transition k -> k+1
    valid: np.ndarray  # [B, T] 1 where a transition exists
    pad: np.ndarray  # [B, T] 1 where the position is a real visit


def make_batch(subjects: list[Subject], mean: np.ndarray, std: np.ndarray) -> Batch:
    T = max(len(s.days) for s in subjects)
    B = len(subjects)
    b = Batch(*(np.zeros(shape, np.float32) for shape in [(B, T, F), (B, T, F), (B, T), (B, T), (B, T), (B, T), (B, T)]))
    for i, s in enumerate(subjects):
        n = len(s.days)
        x, m = encode(s, mean, std)
        b.x[i, :n], b.m[i, :n] = x, m
        b.days[i, :n] = s.days
        b.horizon[i, : n - 1] = np.diff(s.days)
        b.y[i, : n - 1] = worsening_labels(s)
        b.valid[i, : n - 1] = 1
        b.pad[i, :n] = 1
    return b


def transitions_table(subjects: list[Subject], mean: np.ndarray, std: np.ndarray):
    """Flat rows for the logistic baseline: latest visit k (z-scores, missing flags) + horizon in years."""
    X, y, groups = [], [], []
    for s in subjects:
        x, m = encode(s, mean, std)
        lab = worsening_labels(s)
        for k in range(len(s.days) - 1):
            h = (s.days[k + 1] - s.days[k]) / 365.25
            X.append(np.concatenate([x[k], m[k, [3, 4]], [h]]))
            y.append(lab[k])
            groups.append(s.sid)
    return np.array(X), np.array(y), np.array(groups)
