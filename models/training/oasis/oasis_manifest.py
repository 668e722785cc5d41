"""Regenerates models/oasis-progression/manifest.json from model.onnx (sha256), final_model.json
(normaliser, training run) and cv_results.json (metrics, threshold). No training, no data access:

    /usr/bin/python3 models/training/oasis/oasis_manifest.py
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oasis_data import FEATURES, MMSE_DROP, SEX_CODES, VALID_RANGES  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.normpath(os.path.join(HERE, '..', '..', 'oasis-progression'))
VERSION = '1.1.0'  # the encoder without its final LayerNorm (1.0.x: b9b294e)
OASIS_TERMS = ('OASIS data use terms: use for research; cite Marcus et al., J Cogn Neurosci 22(12), 2010 '
               '(OASIS-2) and acknowledge grants P50 AG05681, P01 AG03991, R01 AG021910, P20 MH071616, '
               'U24 RR021382; do not attempt to identify subjects; no redistribution as your own.')


def metric_set(r):
    return {'auc': round(r['auc']['mean'], 4), 'aucSd': round(r['auc']['sd'], 4),
            'brier': round(r['brier']['mean'], 4), 'brierSd': round(r['brier']['sd'], 4),
            'pooledAuc': round(r['pooledAuc']['mean'], 4)}


def write_manifest():
    with open(os.path.join(HERE, 'cv_results.json')) as fh:
        cv = json.load(fh)
    with open(os.path.join(HERE, 'final_model.json')) as fh:
        final = json.load(fh)
    with open(os.path.join(MODEL_DIR, 'model.onnx'), 'rb') as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()
    thr = cv['thresholds']['transformer']
    n = cv['data']
    manifest = {
        'schemaVersion': 1,
        'id': 'oasis-progression',
        'version': VERSION,
        'name': 'OASIS-2 progression (visit transformer)',
        'task': 'progression',
        'modalities': ['MR'],
        'bodyParts': ['BRAIN'],
        'file': 'model.onnx',
        'sha256': sha,
        'inputs': [
            {'name': 'features', 'shape': [1, 'visits', len(FEATURES)], 'dtype': 'float32',
             'description': 'Visits 1..k in time order, features in the order of `features`, z-scored with their mean/std; 0 where missing.'},
            {'name': 'missing', 'shape': [1, 'visits', len(FEATURES)], 'dtype': 'float32',
             'description': '1 where the feature was not measured at that visit, else 0.'},
            {'name': 'days', 'shape': [1, 'visits'], 'dtype': 'float32',
             'description': "Days since the subject's first visit (MR Delay minus the first visit's)."},
            {'name': 'horizon_days', 'shape': [1, 1], 'dtype': 'float32',
             'description': 'Days from visit k (the last one given) to the visit the prediction is for.'},
        ],
        'outputs': [
            {'name': 'risk', 'shape': [1], 'dtype': 'float32',
             'description': f'Probability that by the next visit CDR is higher or MMSE is at least {MMSE_DROP:g} points lower than at visit k.'},
            {'name': 'attention', 'shape': [1, 'visits'], 'dtype': 'float32',
             'description': "Attention-pooling weights of visit k's query over visits 1..k (mean over the ensemble members); sums to 1."},
        ],
        'preprocessing': [
            {'op': 'group-visits', 'subjectColumn': 'Subject ID', 'daysColumn': 'MR Delay', 'visitColumn': 'Visit',
             'description': "Rows grouped by subject, ordered by MR Delay then Visit; days are relative to the subject's first visit."},
            {'op': 'encode-categorical', 'column': 'M/F', 'codes': SEX_CODES,
             'description': 'Sex as a number before normalisation.'},
            {'op': 'zscore', 'description': '(value - mean) / std per feature with the constants in `features`, computed in double, stored as float32.'},
            {'op': 'mask-missing', 'fill': 0, 'description': 'Empty optional cells: feature 0 (the training mean) and missing 1. Empty required cells make the subject unusable (no imputation beyond the training mean).'},
            {'op': 'horizon', 'description': 'horizon_days = days of visit k+1 minus days of visit k.'},
            {'op': 'bind', 'inputs': {'features': 'features', 'missing': 'missing', 'days': 'days', 'horizon': 'horizon_days'},
             'outputs': {'risk': 'risk', 'attention': 'attention'},
             'description': 'Which tensor plays which role.'},
        ],
        'threshold': round(thr['threshold'], 4),
        'intendedUse': ('Research on longitudinal MRI and clinical scores of older adults: estimates the probability of clinical '
                        'worsening (CDR up, or MMSE down by 3 or more) by the next visit from visits 1..k and the interval to '
                        'the next visit, and shows which earlier visits the estimate relied on. Not for diagnosis or treatment decisions.'),
        'trainingData': {
            'name': 'OASIS-2',
            'source': 'Open Access Series of Imaging Studies, longitudinal (Marcus et al., J Cogn Neurosci 22(12), 2010), oasis_longitudinal.csv',
            'license': OASIS_TERMS,
            'description': (f"{final['subjects']} of the 150 OASIS-2 subjects ({n['transitions']} visit-to-visit transitions, "
                            f"{n['worsenings']} worsenings); 30 subjects are held out for independent evaluation."),
        },
        'license': 'Model weights: research use only, under the OASIS data use terms of the training data.',
        'metrics': {
            'cv': {m: metric_set(cv['results'][m]) for m in ('transformer', 'logistic', 'gru')},
            'operatingPoint': {'threshold': round(thr['threshold'], 4), 'sensitivity': round(thr['sensitivity'], 4),
                               'specificity': round(thr['specificity'], 4)},
        },
        'disclaimer': 'Research use only. Not a medical device.',
    }
    feats = []
    for (name, column, unit, required), mu, sd in zip(FEATURES, final['mean'], final['std']):
        feat = {'name': name, 'column': column, 'unit': unit, 'mean': mu, 'std': sd, 'required': required}
        if name in VALID_RANGES:
            feat['range'] = list(VALID_RANGES[name])
        feats.append(feat)
    manifest['features'] = feats
    with open(os.path.join(MODEL_DIR, 'manifest.json'), 'w') as fh:
        json.dump(manifest, fh, indent=2)
        fh.write('\n')
    return manifest


if __name__ == '__main__':
    m = write_manifest()
    print('manifest', m['sha256'], 'threshold', m['threshold'])
