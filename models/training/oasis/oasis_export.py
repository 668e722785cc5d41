"""Final model on all training subjects -> models/oasis-progression/{model.onnx, manifest.json,
parity-fixture.json}.

    nice -n 10 /usr/bin/python3 models/training/oasis/oasis_export.py [--csv PATH]

Run oasis_cv.py first: the manifest's metrics and operating threshold come from cv_results.json.
The number of epochs is chosen by the same inner grouped CV as in each outer fold, here on all 120
subjects; the normaliser is fitted on all of them.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oasis_data import DEFAULT_CSV, F, encode, fit_normaliser, read_subjects  # noqa: E402
from oasis_manifest import MODEL_DIR, write_manifest  # noqa: E402
from oasis_models import OnnxEnsemble  # noqa: E402
from oasis_train import choose_epochs, fit_ensemble  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FINAL_SEED = 7
INPUTS = ['features', 'missing', 'days', 'horizon_days']
OUTPUTS = ['risk', 'attention']
# Real sequences of 1 to 4 visits; OAS2_0181 has SES missing throughout and MMSE missing at visit 2.
PARITY_CASES = [('OAS2_0001', 1), ('OAS2_0181', 2), ('OAS2_0017', 3), ('OAS2_0070', 4)]


def model_inputs(subject, k, mean, std):
    """The exact float32 inputs for visits 1..k of a subject and the horizon to visit k+1."""
    x, m = encode(subject, mean, std)
    return (
        torch.from_numpy(x[None, :k]),
        torch.from_numpy(m[None, :k]),
        torch.from_numpy(subject.days[None, :k].astype(np.float32)),
        torch.tensor([[subject.days[k] - subject.days[k - 1]]], dtype=torch.float32),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv', default=DEFAULT_CSV)
    args = ap.parse_args()
    torch.manual_seed(FINAL_SEED)
    subjects = read_subjects(args.csv)
    mean, std = fit_normaliser(subjects)
    epochs = choose_epochs('transformer', subjects, seed=FINAL_SEED)
    members = fit_ensemble('transformer', subjects, FINAL_SEED, epochs, mean, std)
    wrapper = OnnxEnsemble(members).eval()

    os.makedirs(MODEL_DIR, exist_ok=True)
    onnx_path = os.path.join(MODEL_DIR, 'model.onnx')
    example = model_inputs(next(s for s in subjects if len(s.days) >= 4), 3, mean, std)
    torch.onnx.export(
        wrapper, example, onnx_path, input_names=INPUTS, output_names=OUTPUTS, opset_version=14,
        dynamic_axes={'features': {1: 'visits'}, 'missing': {1: 'visits'}, 'days': {1: 'visits'}, 'attention': {1: 'visits'}},
    )

    final = {'kind': 'transformer', 'epochs': epochs, 'ensemble': len(members), 'seed': FINAL_SEED,
             'mean': mean.tolist(), 'std': std.tolist(), 'subjects': len(subjects), 'csv': os.path.basename(args.csv)}
    with open(os.path.join(HERE, 'final_model.json'), 'w') as fh:
        json.dump(final, fh, indent=1)
    write_manifest()

    by_id = {s.sid: s for s in subjects}
    cases = []
    with torch.no_grad():
        for sid, k in PARITY_CASES:
            feats, miss, days, hz = model_inputs(by_id[sid], k, mean, std)
            risk, att = wrapper(feats, miss, days, hz)
            cases.append({
                'subject': sid, 'visits': k,
                # float32 values written as the doubles they equal, so JSON round-trips them exactly.
                'features': feats.numpy().astype(np.float64).tolist(),
                'missing': miss.numpy().astype(np.float64).tolist(),
                'days': days.numpy().astype(np.float64).tolist(),
                'horizon_days': hz.numpy().astype(np.float64).tolist(),
                'risk': risk.numpy().astype(np.float64).tolist(),
                'attention': att.numpy().astype(np.float64).tolist(),
            })
    fixture = {'model': 'oasis-progression', 'inputs': INPUTS, 'outputs': OUTPUTS, 'nFeatures': F,
               'tolerance': 1e-4, 'cases': cases}
    with open(os.path.join(MODEL_DIR, 'parity-fixture.json'), 'w') as fh:
        json.dump(fixture, fh, indent=1)
    print(f'epochs {epochs}; wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), manifest, parity fixture')
    for c in cases:
        print(c['subject'], c['visits'], round(c['risk'][0], 4), [round(a, 3) for a in c['attention'][0]])


if __name__ == '__main__':
    main()
