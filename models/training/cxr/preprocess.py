"""Reference preprocessing for cxr-pneumonia, the Python twin of the manifest's `preprocessing` steps.

The app implements the same steps in TypeScript from the manifest; `make_preprocess_fixture.py` writes
this module's output on real files so the two can be compared.

DICOM branch (names as in PS3.3):
  1. modalityLut       Rescale Slope / Intercept (PS3.3 C.11.1); identity when absent. A Modality LUT
                       Sequence is not supported (none of our radiographs has one).
  2. voiWindow         Linear VOI window (PS3.3 C.11.2.1.2.1) with the FIRST Window Center / Width value
                       of the file, output in [0, 1]. When the file has no window: min-max of the
                       modality-LUT output of the frame (max == min gives all zeros).
  3. invertMonochrome1 y = 1 - y when Photometric Interpretation is MONOCHROME1 or Presentation LUT
                       Shape is INVERSE (applied once even when both are present: for MONOCHROME1 the
                       INVERSE shape restates the same thing, PS3.3 C.11.6.1.2).
PNG/JPEG branch:
  1. greyscale         ITU-R 601-2 luma (Pillow `convert('L')`: L = R*299/1000 + G*587/1000 + B*114/1000,
                       rounded, 8-bit); alpha ignored.
  2. scale01           y = L / 255.
Both branches then:
  resize    the whole frame squashed to SIZE x SIZE (no crop, aspect not kept), bilinear with
            antialiasing exactly as Pillow `Image.resize(..., BILINEAR)` on a 32-bit float image
            (separable triangle filter, support = max(1, in/out) per axis, pixel centres aligned).
  normalize y = (y - MEAN) / STD.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from common import HERE, SIZE

NORM_FILE = HERE / 'normalization.json'


def load_norm() -> tuple[float, float]:
    d = json.loads(NORM_FILE.read_text())
    return float(d['mean']), float(d['std'])


def resize_bilinear(x01: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Squash a 2-D float image to size x size with Pillow's antialiased bilinear filter (float32)."""
    img = Image.fromarray(np.ascontiguousarray(x01, dtype=np.float32), mode='F')
    return np.asarray(img.resize((size, size), Image.BILINEAR), dtype=np.float32)


def raster_to_unit(path: str | Path) -> np.ndarray:
    """PNG/JPEG -> greyscale (ITU-R 601-2 luma) -> [0, 1], native size."""
    with Image.open(path) as im:
        g = im.convert('L')
        return np.asarray(g, dtype=np.float32) / 255.0


def voi_linear(x: np.ndarray, center: float, width: float) -> np.ndarray:
    """PS3.3 C.11.2.1.2.1 linear VOI function mapped to [0, 1]."""
    if width < 1:
        width = 1.0
    lo = center - 0.5 - (width - 1) / 2
    hi = center - 0.5 + (width - 1) / 2
    y = ((x - (center - 0.5)) / (width - 1 if width > 1 else 1) + 0.5)
    y = np.where(x <= lo, 0.0, np.where(x > hi, 1.0, y))
    return np.clip(y, 0.0, 1.0).astype(np.float32)


def _first(v):
    if v is None:
        return None
    try:
        return float(v[0])
    except (TypeError, IndexError):
        return float(v)


def dicom_to_unit(path: str | Path, frame: int = 0) -> tuple[np.ndarray, dict]:
    """DICOM -> modality LUT -> VOI window (first value, or min-max) -> MONOCHROME1 inversion -> [0, 1]."""
    import pydicom
    ds = pydicom.dcmread(str(path), force=True)
    if 'TransferSyntaxUID' not in ds.file_meta:
        # ACR-NEMA style file with no File Meta (e.g. CR-MONO1-10-chest.dcm): implicit VR little endian.
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    px = ds.pixel_array
    if px.ndim == 3 and int(getattr(ds, 'SamplesPerPixel', 1)) == 1:
        px = px[frame]
    if px.ndim != 2:
        raise ValueError(f'not a single-sample 2-D image: shape {px.shape}')
    slope = float(getattr(ds, 'RescaleSlope', 1) or 1)
    intercept = float(getattr(ds, 'RescaleIntercept', 0) or 0)
    x = px.astype(np.float64) * slope + intercept
    center = _first(getattr(ds, 'WindowCenter', None))
    width = _first(getattr(ds, 'WindowWidth', None))
    info = {'slope': slope, 'intercept': intercept}
    if center is not None and width is not None and width > 0:
        y = voi_linear(x, center, width)
        info['window'] = [center, width]
    else:
        lo, hi = float(x.min()), float(x.max())
        y = ((x - lo) / (hi - lo)).astype(np.float32) if hi > lo else np.zeros_like(x, dtype=np.float32)
        info['window'] = 'minmax'
    photometric = str(getattr(ds, 'PhotometricInterpretation', 'MONOCHROME2')).strip().upper()
    shape = str(getattr(ds, 'PresentationLUTShape', '') or '').strip().upper()
    invert = photometric == 'MONOCHROME1' or shape == 'INVERSE'
    if invert:
        y = 1.0 - y
    info.update(photometric=photometric, presentationLutShape=shape or None, inverted=invert,
                rows=int(px.shape[0]), columns=int(px.shape[1]))
    return y.astype(np.float32), info


def normalize(x01: np.ndarray, mean: float | None = None, std: float | None = None) -> np.ndarray:
    if mean is None or std is None:
        mean, std = load_norm()
    return ((x01 - mean) / std).astype(np.float32)


def preprocess_file(path: str | Path, size: int = SIZE) -> np.ndarray:
    """Any supported file -> float32 [1, 1, size, size] network input."""
    p = str(path).lower()
    if p.endswith(('.png', '.jpg', '.jpeg')):
        x = raster_to_unit(path)
    else:
        x, _ = dicom_to_unit(path)
    return normalize(resize_bilinear(x, size))[None, None]
