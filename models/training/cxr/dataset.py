"""The Kermany training-source set as in-memory tensors, plus radiograph augmentation.

Images are decoded and resized once with `preprocess.py` (JPEG -> L -> /255 -> squash to SIZE) and cached
as a float16 array in the git-ignored run folder; the cache is an exact function of the shared data.
"""
from __future__ import annotations

import csv
import json
import math

import numpy as np
import torch
import torch.nn.functional as F

from common import DATA_DIR, RUN_DIR, SIZE, HERE
from preprocess import raster_to_unit, resize_bilinear, NORM_FILE


def read_labels() -> list[dict]:
    with open(DATA_DIR / 'labels.csv', newline='') as f:
        return list(csv.DictReader(f))


def load_split(split: str, size: int = SIZE) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Returns images in [0, 1] (N, size, size) float32, labels (N,) int64, the csv rows."""
    rows = [r for r in read_labels() if r['split'] == split]
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    cache = RUN_DIR / f'{split}_{size}.npy'
    if cache.exists():
        x = np.load(cache).astype(np.float32)
    else:
        x = np.stack([resize_bilinear(raster_to_unit(DATA_DIR / r['file']), size) for r in rows])
        np.save(cache, x.astype(np.float16))
        x = x.astype(np.float16).astype(np.float32)
    y = np.array([int(r['label']) for r in rows], dtype=np.int64)
    return x, y, rows


def ensure_normalization(train_x: np.ndarray) -> tuple[float, float]:
    """Mean / std of the training images in [0, 1] (after resize); written once, read by everything."""
    if NORM_FILE.exists():
        d = json.loads(NORM_FILE.read_text())
        return d['mean'], d['std']
    mean, std = float(train_x.mean()), float(train_x.std())
    mean, std = round(mean, 4), round(std, 4)
    NORM_FILE.write_text(json.dumps({'mean': mean, 'std': std, 'computedOn': 'split == train, [0,1] after resize',
                                     'size': SIZE}, indent=2) + '\n')
    return mean, std


# ---------------------------------------------------------------------------------------------------------
# Augmentation, applied per batch on [0, 1] images (B, 1, S, S) before normalisation.
#
# - Small affine: rotation +-7 deg, isotropic scale 0.90-1.10, an extra horizontal stretch 0.90-1.10 (the
#   set squashes landscape frames by differing factors, so the width/height ratio varies between sites),
#   translation +-6 %. Patients are not always centred or straight; larger rotations do not occur in
#   AP/PA chest radiographs. Fill is black, like a collimated border.
# - NO horizontal flip: chest radiographs are not left-right symmetric (heart, aortic arch, gastric
#   bubble, side markers). A flipped image is a situs-inversus picture the model never meets, and it
#   would let the model ignore laterality cues that real images carry.
# - Intensity: contrast 0.75-1.30 about the image mean, brightness +-0.08, gamma 0.7-1.4: exposure, kVp
#   and processing curves vary between sites and devices (and between our DICOM VOI windows and these
#   JPEGs). Gaussian noise sigma 0-0.03 (quantum mottle) and, with p=0.25, a light blur (detector MTF /
#   resampling), which also blunts the JPEG-generation difference between the two image sources.
# ---------------------------------------------------------------------------------------------------------
AUG = dict(rot_deg=7.0, scale=(0.90, 1.10), stretch_x=(0.90, 1.10), translate=0.06,
           contrast=(0.75, 1.30), brightness=0.08, gamma=(0.7, 1.4), noise_sigma=0.03, blur_p=0.25,
           hflip=False)


def _u(g: torch.Generator, n: int, lo: float, hi: float) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=g)


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    b = x.shape[0]
    ang = _u(g, b, -AUG['rot_deg'], AUG['rot_deg']) * math.pi / 180
    s = _u(g, b, *AUG['scale'])
    sx = s * _u(g, b, *AUG['stretch_x'])
    tx = _u(g, b, -AUG['translate'], AUG['translate']) * 2
    ty = _u(g, b, -AUG['translate'], AUG['translate']) * 2
    cos, sin = torch.cos(ang), torch.sin(ang)
    # affine_grid maps output coords to input coords: inverse of the scale.
    theta = torch.stack([torch.stack([cos / sx, -sin / sx, tx], 1),
                         torch.stack([sin / s, cos / s, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)

    m = x.mean(dim=(1, 2, 3), keepdim=True)
    c = _u(g, b, *AUG['contrast']).view(b, 1, 1, 1)
    br = _u(g, b, -AUG['brightness'], AUG['brightness']).view(b, 1, 1, 1)
    x = ((x - m) * c + m + br).clamp(0, 1)
    gam = torch.exp(_u(g, b, math.log(AUG['gamma'][0]), math.log(AUG['gamma'][1]))).view(b, 1, 1, 1)
    x = x.clamp_min(1e-6) ** gam
    blur = (torch.rand(b, generator=g) < AUG['blur_p']).view(b, 1, 1, 1).float()
    k = torch.tensor([0.25, 0.5, 0.25])
    k2 = (k[:, None] * k[None, :]).view(1, 1, 3, 3)
    xb = F.conv2d(F.pad(x, (1, 1, 1, 1), mode='replicate'), k2)
    x = blur * xb + (1 - blur) * x
    sig = _u(g, b, 0, AUG['noise_sigma']).view(b, 1, 1, 1)
    x = x + sig * torch.randn(x.shape, generator=g)
    return x.clamp(0, 1)
