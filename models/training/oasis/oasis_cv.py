"""Subject-grouped, repeated cross-validation of the three models in the same folds.

    nice -n 10 /usr/bin/python3 models/training/oasis/oasis_cv.py [--csv PATH] [--repeats 10] [--seed-base 2000] [--jobs 2]

Writes models/training/oasis/cv_results.json (config, per-fold metrics, summaries, the operating
threshold). A subject's visits are never split across folds; the normaliser, the logistic C and the
number of epochs are fitted on each outer training part only.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from functools import partial

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oasis_data import DEFAULT_CSV, fit_normaliser, make_batch, read_subjects, transitions_table  # noqa: E402
from oasis_train import CONFIG, choose_epochs, fit_ensemble, labels, predict_ensemble, subject_strata  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ('transformer', 'logistic', 'gru')
# Honest record of the design search (fold-mean AUC, pooled AUC, Brier): the first five on one 5-fold
# split (random_state 1000). The GRU and logistic configurations were fixed up front and not searched.
EXPLORATION = [
    {'transformer': 'd16, dropout 0.2, no change features, no linear skip', 'auc': 0.642, 'pooledAuc': 0.643, 'brier': 0.175},
    {'transformer': 'd16, dropout 0.2, change features', 'auc': 0.642, 'pooledAuc': 0.676, 'brier': 0.166},
    {'transformer': 'd16, dropout 0.3, change features, linear skip (visit k)', 'auc': 0.659, 'pooledAuc': 0.656, 'brier': 0.168},
    {'transformer': 'd16, dropout 0.3, change features, linear skip (visit k + change)', 'auc': 0.674, 'pooledAuc': 0.671, 'brier': 0.164},
    {'transformer': 'd8, dropout 0.3, change features, linear skip (visit k + change) [chosen]', 'auc': 0.682, 'pooledAuc': 0.697, 'brier': 0.161},
    {'same split, for reference': 'logistic 0.666 / 0.627 / 0.171; gru (d16, change features) 0.684 / 0.700 / 0.162'},
    # Fifth session, two repeats (random_state 1000 and 1001), transformer only. The design above did
    # not reach 0.70, and the issue asks the history to earn its place, so the one idea tried was more
    # supervision rather than another architecture: forecasting the next visit's MMSE, CDR and nWBV.
    # It was chosen before the reported runs (2000+) were made.
    {'transformer': 'd8 as above, no forecast loss (control on these repeats)', 'auc': 0.671, 'pooledAuc': 0.656, 'brier': 0.169},
    {'transformer': 'd8 + next-visit forecast loss, weight 1 (chosen then, removed after the check below)', 'auc': 0.686, 'pooledAuc': 0.695, 'brier': 0.164},
    {'transformer': 'd16 + next-visit forecast loss, weight 1', 'auc': 0.665, 'pooledAuc': 0.656, 'brier': 0.168},
    # Then, after seeing the reported runs (transformer 0.672, still under 0.70), three more ideas on the
    # same two repeats; none helped and none was kept:
    {'transformer': 'd8 + forecast loss, ensemble of 20 instead of 5', 'auc': 0.677, 'pooledAuc': 0.688, 'brier': 0.164},
    {'transformer': 'd8 + forecast loss + visit k vs k+2, k+3... pairs (79 more, 13 worsenings) in the loss',
     'auc': 0.684, 'pooledAuc': 0.691, 'brier': 0.164},
    {'transformer': 'd8 + forecast loss, epochs searched up to 400 (the inner CV chose 200, the cap, in 6 of 15 '
                    'reported folds)', 'auc': 0.685, 'pooledAuc': 0.687, 'brier': 0.165},
    # A check with more power, run on a 16-core machine (torch 2.11, scikit-learn 1.9.1, whose shuffles
    # give other folds than Debian's): 10 repeats (seeds 2000-2009, 50 folds), all three models, with and
    # without the forecast loss. Transformer 0.698 with vs 0.701 without (paired -0.003, se 0.005, better
    # in 21 of 50 folds): the forecast loss has no measurable effect, and the +0.010 on the first 15 folds
    # was noise, so it was taken out again (the GRU 0.718 / 0.719, logistic 0.663). The reported model
    # is the d8 design chosen in the first search.
    {'check': '10 repeats, other machine: forecast loss on / off', 'transformer': '0.698 / 0.701', 'gru': '0.718 / 0.719',
     'logistic': '0.663'},
    # Sixth session. The first search picked the design on one 5-fold split; it was re-checked with 50
    # folds on shuffles not used for reporting (seeds 3000-3009), transformer only, paired against the
    # design above (AUC, pooled AUC, Brier; paired difference in fold AUC ± its standard error):
    {'control (seeds 3000+)': 'transformer 0.695 / 0.680 / 0.164; gru 0.703 / 0.690 / 0.163; logistic 0.663 / 0.650 / 0.169'},
    {'transformer': 'without the linear path', 'auc': 0.653, 'pooledAuc': 0.635, 'brier': 0.170, 'paired': '-0.041 ± 0.011'},
    {'transformer': 'd16, dropout 0.2 (the GRU\'s width and dropout)', 'auc': 0.675, 'pooledAuc': 0.662, 'brier': 0.167, 'paired': '-0.019 ± 0.008'},
    {'transformer': 'd16, dropout 0.2, without the linear path', 'auc': 0.680, 'pooledAuc': 0.661, 'brier': 0.168, 'paired': '-0.015 ± 0.011'},
    # One mechanistic idea, stated before it was run: the final LayerNorm over d = 8 removes each token's
    # mean and scale, i.e. how far the visit's measures sit from the training mean; the GRU has no such norm.
    {'transformer': 'without the final LayerNorm', 'auc': 0.704, 'pooledAuc': 0.698, 'brier': 0.162, 'paired': '+0.009 ± 0.005 (32 of 50)'},
    # Confirmed on a second set of unused shuffles (seeds 4000-4009) before adopting it:
    {'check': 'seeds 4000+, final LayerNorm on / off', 'transformer': '0.693 / 0.712', 'pooledAuc': '0.668 / 0.692',
     'paired': '+0.020 ± 0.005 (33 of 50) [adopted: model 1.1.0]'},
]
OUTER_FOLDS = 5


def fit_logistic(train_subjects, test_subjects, seed):
    mean, std = fit_normaliser(train_subjects)
    Xtr, ytr, gtr = transitions_table(train_subjects, mean, std)
    Xte, _, _ = transitions_table(test_subjects, mean, std)
    inner = list(GroupKFold(n_splits=CONFIG['inner_folds']).split(Xtr, ytr, gtr))
    clf = LogisticRegressionCV(Cs=[0.01, 0.03, 0.1, 0.3, 1, 3], cv=inner, scoring='neg_log_loss', max_iter=2000)
    clf.fit(Xtr, ytr)
    return clf.predict_proba(Xte)[:, 1], float(clf.C_[0])


def run_fold(subjects, models, split):
    """One outer fold: every model trained on its training subjects, scored on its test subjects."""
    rep, f, tr, te = split
    tr_s = [subjects[i] for i in tr]
    te_s = [subjects[i] for i in te]
    mean, std = fit_normaliser(tr_s)
    te_b = make_batch(te_s, mean, std)
    y = labels(te_b)
    row = {'repeat': rep, 'fold': f, 'n_test_subjects': len(te_s), 'n_test': int(len(y)), 'n_pos': int(y.sum())}
    preds = {}
    for kind in [k for k in ('transformer', 'gru') if k in models]:
        ep = choose_epochs(kind, tr_s, seed=rep * 10 + f)
        preds[kind] = predict_ensemble(fit_ensemble(kind, tr_s, rep * 10 + f, ep, mean, std), te_b)
        row[f'{kind}_epochs'] = ep
    if 'logistic' in models:
        preds['logistic'], row['logistic_C'] = fit_logistic(tr_s, te_s, rep)
    for m in models:
        row[m] = {'auc': float(roc_auc_score(y, preds[m])), 'brier': float(brier_score_loss(y, preds[m]))}
    return row, preds, y


def youden_threshold(y, p) -> dict:
    fpr, tpr, thr = roc_curve(y, p)
    i = int(np.argmax(tpr - fpr))
    return {'threshold': float(thr[i]), 'sensitivity': float(tpr[i]), 'specificity': float(1 - fpr[i])}


def summary(vals):
    return {'mean': float(np.mean(vals)), 'sd': float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv', default=DEFAULT_CSV)
    ap.add_argument('--repeats', type=int, default=10)
    # Repeats 1000+ were used while choosing the transformer's design (see EXPLORATION); the reported
    # repeats use other shuffles of the same subjects.
    ap.add_argument('--seed-base', type=int, default=2000)
    ap.add_argument('--out', default=os.path.join(HERE, 'cv_results.json'))
    ap.add_argument('--jobs', type=int, default=1, help='folds run in parallel processes')
    ap.add_argument('--models', default=','.join(MODELS), help='subset to run, e.g. transformer (design trials)')
    ap.add_argument('--set', action='append', default=[], metavar='KEY=JSON',
                    help="override CONFIG for a trial, e.g. --set ensemble=20 --set 'transformer={\"d\":16}'")
    args = ap.parse_args()
    for kv in args.set:
        key, _, text = kv.partition('=')
        if key not in CONFIG:
            ap.error(f'--set {key}: not a CONFIG key ({", ".join(CONFIG)})')
        val = json.loads(text)
        CONFIG[key] = {**CONFIG[key], **val} if isinstance(val, dict) else val
    models = tuple(args.models.split(','))
    if not models or any(m not in MODELS for m in models):
        ap.error(f'--models: a comma-separated subset of {", ".join(MODELS)}')

    subjects = read_subjects(args.csv)
    strata = subject_strata(subjects)
    ids = np.arange(len(subjects))
    splits = [(rep, f, tr, te) for rep in range(args.repeats)
              for f, (tr, te) in enumerate(StratifiedGroupKFold(n_splits=OUTER_FOLDS, shuffle=True, random_state=args.seed_base + rep)
                                           .split(ids, strata, groups=ids))]
    t0 = time.time()
    # Folds are independent: with --jobs 2 they run in two processes (forked, so the CONFIG overrides
    # hold there too); results come back in split order, so the numbers do not depend on --jobs.
    with multiprocessing.get_context('fork').Pool(args.jobs) as pool:
        done = pool.imap(partial(run_fold, subjects, models), splits)
        folds, fold_preds = [], []
        for row, preds, y in done:
            folds.append(row)
            fold_preds.append((preds, y))
            print(f"rep {row['repeat']} fold {row['fold']} ({time.time() - t0:.0f}s) " + ' '.join(f"{m} {row[m]['auc']:.3f}" for m in models), flush=True)
    oof = {m: [] for m in models}
    for rep in range(args.repeats):
        mine = [fp for row, fp in zip(folds, fold_preds) if row['repeat'] == rep]
        y_all = np.concatenate([y for _, y in mine])
        for m in models:
            p_all = np.concatenate([preds[m] for preds, _ in mine])
            oof[m].append({'y': y_all.tolist(), 'p': p_all.tolist(), 'auc': float(roc_auc_score(y_all, p_all))})

    results = {}
    for m in models:
        results[m] = {
            'auc': summary([r[m]['auc'] for r in folds]),
            'brier': summary([r[m]['brier'] for r in folds]),
            'pooledAuc': summary([o['auc'] for o in oof[m]]),
        }
    y_cat = np.concatenate([o['y'] for o in oof[models[0]]])
    thresholds = {m: youden_threshold(y_cat, np.concatenate([o['p'] for o in oof[m]])) for m in models}
    out = {
        'data': {'csv': os.path.basename(args.csv), 'subjects': len(subjects), 'transitions': int(len(y_cat) // args.repeats),
                 'worsenings': int(y_cat.sum() // args.repeats)},
        'protocol': f'{args.repeats} x {OUTER_FOLDS}-fold StratifiedGroupKFold by subject (strata: subject ever worsens); '
                    'per outer fold: normaliser on training subjects, epochs by inner 4-fold grouped CV (min mean '
                    'val log loss), ensemble of 5 seeds; logistic C by inner GroupKFold (log loss).',
        'config': CONFIG,
        'seedBase': args.seed_base,
        'exploration': EXPLORATION,
        'results': results,
        'thresholds': thresholds,
        'thresholdRule': 'Youden J on out-of-fold predictions pooled over all repeats',
        'folds': folds,
        'seconds': time.time() - t0,
    }
    with open(args.out, 'w') as fh:
        json.dump(out, fh, indent=1)
    for m in models:
        r = results[m]
        print(f"{m:12s} AUC {r['auc']['mean']:.3f} ± {r['auc']['sd']:.3f}  pooled {r['pooledAuc']['mean']:.3f}  "
              f"Brier {r['brier']['mean']:.3f} ± {r['brier']['sd']:.3f}")


if __name__ == '__main__':
    main()
