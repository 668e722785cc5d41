"""The images the OOD guard is checked on, each run through the manifest's preprocessing (to [0, 1] at
SIZE, before normalisation).

- ct:    60 of the 275 chest CT slices (every 4.6th, evenly spaced, fixed).
- mr:    every MR slice in mr/decubitus (four positions x 35).
- conformance: every decodable 2-D image in conformance/ except malformed/ (multi-frame: first frame;
         colour: ITU-R 601 luma of the decoded samples, then min-max, as the check only needs "some greyscale
         picture of it"). Files whose Modality is CR or DX are radiographs, not out-of-distribution by
         definition: they are reported separately and not counted in the non-radiograph fraction.
- inverted: every val radiograph with its grey scale inverted (1 - x): what a missed MONOCHROME1 flag gives.
- blank:  uniform images at 21 grey levels 0, 0.05, ..., 1, and 10 of Gaussian noise.
- cxr_dicom: the three real DICOM chest radiographs (adult, other sites): reported, not counted either way.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from common import SHARED_DATA, SIZE
from preprocess import dicom_to_unit, resize_bilinear


def _color_dicom_to_unit(path: Path) -> np.ndarray:
    import pydicom
    ds = pydicom.dcmread(str(path), force=True)
    if 'TransferSyntaxUID' not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    px = ds.pixel_array
    photometric = str(getattr(ds, 'PhotometricInterpretation', '')).upper()
    if photometric == 'PALETTE COLOR':
        from pydicom.pixel_data_handlers.util import apply_color_lut
        if px.ndim == 3:
            px = px[0]
        px = apply_color_lut(px, ds)
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    if frames > 1:
        px = px[0]
    if px.ndim == 3 and px.shape[-1] == 3:
        px = px.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    if px.ndim != 2:
        raise ValueError(f'shape {px.shape}')
    x = px.astype(np.float64)
    lo, hi = x.min(), x.max()
    return ((x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)).astype(np.float32)


def dicom_any(path: Path) -> tuple[np.ndarray, str]:
    """[0,1] SIZExSIZE image and its Modality."""
    import pydicom
    ds = pydicom.dcmread(str(path), force=True, stop_before_pixels=True)
    modality = str(getattr(ds, 'Modality', '') or '')
    if 'PixelData' not in ds and 'FloatPixelData' not in ds and 'DoubleFloatPixelData' not in ds:
        # stop_before_pixels hides PixelData; re-check with a full read below
        pass
    try:
        x, _ = dicom_to_unit(path)
    except ValueError:
        x = _color_dicom_to_unit(path)
    except Exception:
        x = _color_dicom_to_unit(path)
    return resize_bilinear(x), modality


def ct_set() -> list[tuple[str, np.ndarray]]:
    files = sorted((SHARED_DATA / 'ct' / 'chest-275').glob('*.dcm'))
    idx = np.linspace(0, len(files) - 1, 60).round().astype(int)
    return [(str(files[i].relative_to(SHARED_DATA)), dicom_any(files[i])[0]) for i in idx]


def mr_set() -> list[tuple[str, np.ndarray]]:
    files = sorted((SHARED_DATA / 'mr' / 'decubitus').rglob('*.dcm'))
    return [(str(f.relative_to(SHARED_DATA)), dicom_any(f)[0]) for f in files]


def conformance_sets() -> tuple[list, list, list]:
    """(non-radiographs, radiographs, skipped) with (path, image[, modality])."""
    root = SHARED_DATA / 'conformance'
    non, rad, skipped = [], [], []
    for f in sorted(p for p in root.rglob('*') if p.is_file()):
        rel = str(f.relative_to(SHARED_DATA))
        if '/malformed/' in rel or f.suffix.lower() in ('.md', '.txt', '.csv', '.json') or f.name == 'DICOMDIR':
            continue
        try:
            x, modality = dicom_any(f)
        except Exception as e:  # noqa: BLE001 - undecodable or no pixel data: not an image
            skipped.append((rel, type(e).__name__ + ': ' + str(e)[:80]))
            continue
        if not np.isfinite(x).all():
            skipped.append((rel, 'non-finite pixels'))
            continue
        (rad if modality in ('CR', 'DX') else non).append((rel, x, modality))
    return non, rad, skipped


def synthetic_sets(val_x: np.ndarray) -> dict[str, list]:
    rng = np.random.default_rng(7)
    inverted = [(f'val[{i}] inverted', (1 - v).astype(np.float32)) for i, v in enumerate(val_x)]
    blank = [(f'uniform {l:.2f}', np.full((SIZE, SIZE), l, np.float32)) for l in np.linspace(0, 1, 21)]
    blank += [(f'noise {k}', np.clip(rng.normal(0.5, 0.2, (SIZE, SIZE)), 0, 1).astype(np.float32)) for k in range(10)]
    return {'inverted': inverted, 'blank': blank}


def cxr_dicom_set() -> list[tuple[str, np.ndarray]]:
    files = sorted((SHARED_DATA / 'cxr' / 'dicom').glob('*.dcm'))
    return [(str(f.relative_to(SHARED_DATA)), dicom_any(f)[0]) for f in files]
