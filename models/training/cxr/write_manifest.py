"""Regenerate models/cxr-pneumonia/manifest.json (the model card the app validates with ModelManifestSchema)
from the training outputs: train_log.json, calibration.json, ood_results.json, normalization.json and the
sha256 of model.onnx / ood.onnx.

Usage (from the repo root):
  /usr/bin/python3 models/training/cxr/write_manifest.py
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HERE, LABELS, MODEL_DIR, POSITIVE, SIZE
from preprocess import load_norm

VERSION = '1.0.0'
GROUP_NAMES = {'ct': 'chest CT slices', 'mr': 'MR slices', 'conformanceNonRadiograph': 'conformance images (not CR/DX)',
               'inverted': 'inverted val radiographs', 'blank': 'blank/noise images'}


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def r(v: float, n: int = 4) -> float:
    return round(float(v), n)


def main() -> None:
    train = json.loads((HERE / 'train_log.json').read_text())
    cal = json.loads((HERE / 'calibration.json').read_text())
    ood = json.loads((HERE / 'ood_results.json').read_text())
    mean, std = load_norm()
    cfg = train['config']
    cam_hw = SIZE // 16
    val = cal['val']
    before, at_t = val['beforeCalibration'], val['afterCalibrationAtThreshold']

    preprocessing = [
        {'op': 'decode', 'appliesTo': 'dicom', 'frame': 0,
         'description': 'Single-sample (greyscale) 2-D image, first frame. Other images (colour, multi-sample) do not fit.'},
        {'op': 'modalityLut', 'appliesTo': 'dicom', 'slopeTag': 'RescaleSlope (0028,1053)', 'interceptTag': 'RescaleIntercept (0028,1052)',
         'default': {'slope': 1, 'intercept': 0},
         'description': 'PS3.3 C.11.1: v = stored * slope + intercept, in float64. A Modality LUT Sequence is not supported.'},
        {'op': 'voiWindow', 'appliesTo': 'dicom', 'function': 'LINEAR', 'value': 'first',
         'fallback': 'minmax', 'output': [0, 1],
         'formula': 'PS3.3 C.11.2.1.2.1 with ymin=0, ymax=1: v <= c-0.5-(w-1)/2 -> 0; v > c-0.5+(w-1)/2 -> 1; '
                    'else ((v-(c-0.5))/(w-1)+0.5). minmax: (v-min)/(max-min) over the frame (all 0 when max == min).',
         'description': 'Window Center/Width (0028,1050/1051), the FIRST value of each when multi-valued; when either is '
                        'absent, min-max of the modality-LUT output. VOI LUT Sequence and VOI LUT Function are ignored.'},
        {'op': 'invertMonochrome1', 'appliesTo': 'dicom',
         'when': "PhotometricInterpretation == 'MONOCHROME1' or PresentationLUTShape == 'INVERSE'",
         'formula': 'y = 1 - y (applied once, even when both are present)'},
        {'op': 'greyscale', 'appliesTo': 'png/jpeg', 'method': 'ITU-R 601-2 luma', 'weights': [0.299, 0.587, 0.114],
         'description': 'As Pillow convert("L"): 8-bit L = round(R*299/1000 + G*587/1000 + B*114/1000); alpha ignored; greyscale input unchanged.'},
        {'op': 'scale01', 'appliesTo': 'png/jpeg', 'divisor': 255, 'formula': 'y = L / 255'},
        {'op': 'resize', 'appliesTo': 'all', 'size': SIZE, 'filter': 'bilinear', 'antialias': True, 'policy': 'squash',
         'description': f'The whole frame to {SIZE}x{SIZE} (no crop, aspect ratio not kept, as the training images were made), '
                        'on float values: separable triangle filter with support max(1, in/out) per axis and pixel '
                        'centres aligned (x_in = (x_out + 0.5) * in/out - 0.5), exactly Pillow Image.resize(BILINEAR) on a mode "F" image.'},
        {'op': 'normalize', 'appliesTo': 'all', 'mean': mean, 'std': std, 'formula': 'y = (y - mean) / std',
         'description': 'Mean and standard deviation of the [0, 1] training images after resize.'},
        {'op': 'toTensor', 'appliesTo': 'all', 'shape': ['batch', 1, SIZE, SIZE], 'dtype': 'float32', 'layout': 'NCHW, row-major'},
    ]

    groups = ood['groups']
    manifest = {
        'schemaVersion': 1,
        'id': 'cxr-pneumonia',
        'version': VERSION,
        'name': 'Chest X-ray pneumonia (pediatric AP, research)',
        'task': 'classification',
        'modalities': ['CR', 'DX'],
        'bodyParts': ['CHEST'],
        'file': 'model.onnx',
        'sha256': sha256(MODEL_DIR / 'model.onnx'),
        'inputs': [{'name': 'image', 'shape': ['batch', 1, SIZE, SIZE], 'dtype': 'float32',
                    'description': 'One greyscale frontal chest radiograph per item, after the preprocessing steps.'}],
        'outputs': [
            {'name': 'probabilities', 'shape': ['batch', 2], 'dtype': 'float32', 'labels': LABELS,
             'description': f'Softmax of logits / T (temperature T = {cal["temperature"]:.4f} folded into the graph). '
                            f'Compare probabilities[:, 1] ({POSITIVE}) with threshold.'},
            {'name': 'cam', 'shape': ['batch', 2, cam_hw, cam_hw], 'dtype': 'float32', 'labels': LABELS,
             'description': f'Class activation maps at the last conv resolution ({cam_hw}x{cam_hw}), one per label: '
                            'cam[k][r][c] = (W_k . f[:, r, c] + b_k) / T, so the mean of cam[k] is the calibrated logit of '
                            'label k (exact, the head is global average pooling + one linear layer). Grid cell (r, c) '
                            f'covers input pixels [{SIZE // cam_hw}r, {SIZE // cam_hw}(r+1)) x [{SIZE // cam_hw}c, {SIZE // cam_hw}(c+1)). '
                            'Overlay: take d = cam[pneumonia] - cam[normal] (its mean is the log-odds), upsample bilinearly '
                            'with half-pixel centres (align_corners = false) straight to the displayed frame\'s columns x '
                            'rows (the input is the whole frame squashed, so the grid spans the whole frame), and colour '
                            'positive values (evidence for pneumonia); scale for display by max(|d|) of the image.'},
        ],
        'preprocessing': preprocessing,
        'positiveLabel': POSITIVE,
        'threshold': cal['threshold'],
        'calibration': {'method': 'temperature', 'temperature': r(cal['temperature'], 6)},
        'ood': {
            'file': 'ood.onnx',
            'sha256': sha256(MODEL_DIR / 'ood.onnx'),
            'method': 'autoencoder-reconstruction-mse',
            'threshold': float(f"{ood['threshold']:.6g}"),
            'description': 'Input: the same preprocessed `image` tensor; output `score` [batch]; score > threshold means '
                           '"outside the intended use": show the verdict, not a confident prediction. Inside the graph: '
                           'the image is average-pooled 2x2 to 64x64 and standardised per image (z = (x - mean) / (std + 0.1)); '
                           'a small convolutional autoencoder (64-number bottleneck) trained on the training radiographs '
                           'reconstructs z; score = mean((recon - z)^2) + 10 * max(0, 1 - std / '
                           f'{ood["flatSdMin"]}) + 40 * max(0, {ood["meanLo"]} - mean, mean - {ood["meanHi"]}), with mean/std '
                           'of the pooled input: a flat-image term (10 for a blank frame) and a brightness-range term (the '
                           'range of the training radiographs\' means); both are 0 for every training radiograph. '
                           "Threshold = 99th percentile of the val radiographs' scores. Flagged: "
                           f'{ood["val"]["flagged"] * 100:.1f}% of {ood["val"]["n"]} val radiographs; '
                           + ', '.join(f'{GROUP_NAMES[k]} {v["flagged"] * 100:.1f}% of {v["n"]}' for k, v in groups.items())
                           + f'; all non-radiographs {ood["nonRadiographs"]["flagged"] * 100:.1f}% of {ood["nonRadiographs"]["n"]}'
                           f' (real images only: {ood["realNonRadiographs"]["flagged"] * 100:.1f}% of {ood["realNonRadiographs"]["n"]}). '
                           'These sets were also used while designing the guard, so they are not an independent estimate.',
        },
        'intendedUse': 'Research and demonstration only: estimates the probability of pneumonia on a single frontal '
                       '(AP/PA) chest radiograph (DICOM CR/DX, or a PNG/JPEG of one) and shows where the network looked. '
                       'Trained on pediatric (1-5 years) AP radiographs from one centre; not validated on adults, other '
                       'sites or lateral views, and not for diagnosis or triage.',
        'trainingData': {
            'name': 'Kermany pediatric chest X-ray (pneumonia), 224x224 greyscale, training-source images',
            'source': 'Kermany, Zhang, Goldbaum, Mendeley Data doi:10.17632/rscbjbr9sj.2; D. S. Kermany et al., Cell '
                      '172(5):1122-1131, 2018 (doi:10.1016/j.cell.2018.02.010)',
            'license': 'CC BY 4.0',
            'description': f'Official train partition + Kaggle val (5,232 images), split by patient: '
                           f'{sum(cfg["trainCounts"])} train ({cfg["trainCounts"][0]} normal, {cfg["trainCounts"][1]} pneumonia) '
                           f'for fitting, {val["n"]} val ({val["nNormal"]} normal, {val["nPneumonia"]} pneumonia) for every '
                           'choice (early stopping, temperature, threshold, OOD threshold). The official 624-image test '
                           'partition was not used.',
        },
        'license': 'Model weights: CC BY 4.0 (derived from CC BY 4.0 training data; credit Kermany et al. 2018).',
        'metrics': {
            'val': {
                'n': val['n'],
                'auc': r(at_t['auc']),
                'accuracy': r(at_t['accuracy']),
                'sensitivity': r(at_t['sensitivity']),
                'specificity': r(at_t['specificity']),
                'balancedAccuracy': r(at_t['balancedAccuracy']),
                'ece10Uncalibrated': r(before['ece10']),
                'ece10Calibrated': r(at_t['ece10']),
                'nllUncalibrated': r(before['nll']),
                'nllCalibrated': r(at_t['nll']),
                'accuracyAt0.5Uncalibrated': r(before['accuracy']),
                'aucSourceOriginal': r(at_t['aucSourceOriginal']),
                'aucSourceSquashedCopy': r(at_t['aucSourceSquashedCopy']),
                'bestEpoch': cal['epoch'],
            },
            'ood': {
                'valFlagged': r(ood['val']['flagged']),
                'nonRadiographsFlagged': r(ood['nonRadiographs']['flagged']),
                'nonRadiographsN': ood['nonRadiographs']['n'],
                'realNonRadiographsFlagged': r(ood['realNonRadiographs']['flagged']),
                'realNonRadiographsN': ood['realNonRadiographs']['n'],
                **{f'{k}Flagged': r(v['flagged']) for k, v in groups.items()},
                **{f'{k}N': v['n'] for k, v in groups.items()},
            },
        },
        'disclaimer': 'Research use only. Not a medical device.',
    }
    p = MODEL_DIR / 'manifest.json'
    p.write_text(json.dumps(manifest, indent=2) + '\n')
    print('wrote', p)


if __name__ == '__main__':
    main()
