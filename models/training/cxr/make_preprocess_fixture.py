"""Write models/cxr-pneumonia/preprocess-fixture.json: this Python reference's preprocessed tensor for the
three DICOM chest radiographs and two training JPEGs, summarised (mean, std, values at 16 fixed pixel
positions), so the app's TypeScript preprocessing can be checked against it.

Usage (from the repo root):
  /usr/bin/python3 models/training/cxr/make_preprocess_fixture.py
Paths in the JSON are relative to the shared data folder (../shared/data from the repo root).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from common import MODEL_DIR, SHARED_DATA, SIZE
from preprocess import dicom_to_unit, load_norm, normalize, raster_to_unit, resize_bilinear

FILES = [
    'cxr/dicom/CR-MONO1-10-chest.dcm',
    'cxr/dicom/RG1_J2KI.dcm',
    'cxr/dicom/966_fixed.dcm',
    'cxr/kermany_pneumonia_224/images/NORMAL/IM-0115-0001.jpg',
    'cxr/kermany_pneumonia_224/images/PNEUMONIA/person1_bacteria_1.jpg',
]
# 16 fixed (row, column) positions spread over the SIZE x SIZE input, corners included.
POSITIONS = [[r, c] for r in (0, SIZE // 3, (2 * SIZE) // 3, SIZE - 1) for c in (0, SIZE // 4 + 1, SIZE // 2 + 3, SIZE - 1)]


def main() -> None:
    mean, std = load_norm()
    items = []
    for rel in FILES:
        path = SHARED_DATA / rel
        if not path.exists():
            raise SystemExit(f'missing {path}')
        if rel.endswith('.jpg'):
            unit, info = raster_to_unit(path), {'branch': 'png/jpeg'}
        else:
            unit, info = dicom_to_unit(path)
            info = {'branch': 'dicom', **info}
        x = normalize(resize_bilinear(unit, SIZE), mean, std)
        items.append({
            'path': rel, **info, 'nativeShape': list(unit.shape),
            'mean': float(x.mean(dtype=np.float64)), 'std': float(x.std(dtype=np.float64)),
            'values': [float(x[r, c]) for r, c in POSITIONS],
        })
    out = {
        'description': 'Python reference (models/training/cxr/preprocess.py) of the manifest preprocessing: the '
                       'normalised [S, S] input tensor per file, summarised. Paths are relative to ../shared/data.',
        'size': SIZE, 'normalize': {'mean': mean, 'std': std}, 'positions': POSITIONS,
        'positionsNote': '[row, column], 0-based, into the S x S tensor',
        'items': items,
    }
    p = MODEL_DIR / 'preprocess-fixture.json'
    p.write_text(json.dumps(out, indent=2) + '\n')
    print('wrote', p)


if __name__ == '__main__':
    main()
