#!/usr/bin/python3
"""pydicom's pixel pipeline on a file, as references for Lumen's pure pipeline functions.

usage: pipeline_reference.py OUT_DIR FILE
Writes OUT_DIR/<stage>.f64 (float64, little endian) for the stages pydicom 2.3 offers on this file:
stored (pixel_array), modality (apply_modality_lut), voi (apply_voi_lut on the modality values, index 0,
LUT preferred), color (apply_color_lut), rgb (convert_color_space YBR_FULL -> RGB), and OUT_DIR/meta.json with
the enhanced functional group values of frame 0 and the windowing output range pydicom uses.
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, apply_modality_lut, apply_voi_lut, convert_color_space

out_dir, path = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
ds = pydicom.dcmread(path, force=True)
arr = ds.pixel_array
frame0 = arr[0] if int(getattr(ds, 'NumberOfFrames', 1) or 1) > 1 else arr


def save(name, a):
    np.ascontiguousarray(a, dtype='<f8').tofile(os.path.join(out_dir, name + '.f8'))


meta = {}
save('stored', frame0)
for group in ('SharedFunctionalGroupsSequence', 'PerFrameFunctionalGroupsSequence'):
    if group in ds:
        item = ds[group][0]
        if 'PixelValueTransformationSequence' in item:
            t = item.PixelValueTransformationSequence[0]
            meta['slope'], meta['intercept'] = float(t.RescaleSlope), float(t.RescaleIntercept)
        if 'FrameVOILUTSequence' in item:
            v = item.FrameVOILUTSequence[0]
            meta['centers'] = [float(x) for x in (v.WindowCenter if v['WindowCenter'].VM > 1 else [v.WindowCenter])]
            meta['widths'] = [float(x) for x in (v.WindowWidth if v['WindowWidth'].VM > 1 else [v.WindowWidth])]

# pydicom 2.3 reads Rescale only at the top level: copy the enhanced frame's values there.
if 'slope' in meta and 'RescaleSlope' not in ds:
    ds.RescaleSlope, ds.RescaleIntercept = meta['slope'], meta['intercept']
pi = str(ds.PhotometricInterpretation)
if pi.startswith('MONOCHROME'):
    modality = apply_modality_lut(frame0, ds)
    save('modality', modality)
    if 'VOILUTSequence' in ds:
        save('voi', apply_voi_lut(modality, ds, index=0))
    else:
        # No window at the top level: the enhanced frame's window, else a CT soft-tissue window (40/400).
        if 'WindowCenter' not in ds:
            ds.WindowCenter, ds.WindowWidth = meta.get('centers', [40.0])[0], meta.get('widths', [400.0])[0]
        meta['window'] = [float(ds.WindowCenter if ds['WindowCenter'].VM == 1 else ds.WindowCenter[0]),
                          float(ds.WindowWidth if ds['WindowWidth'].VM == 1 else ds.WindowWidth[0])]
        for function in ('LINEAR', 'LINEAR_EXACT', 'SIGMOID'):
            ds.VOILUTFunction = function
            save('voi_' + function, apply_voi_lut(modality, ds, index=0))
if pi == 'PALETTE COLOR':
    save('color', apply_color_lut(frame0, ds))
if pi == 'YBR_FULL':
    save('rgb', convert_color_space(frame0, 'YBR_FULL', 'RGB'))
# The output range pydicom's apply_windowing maps a window to (pixel_data_handlers.util).
bits = int(ds.BitsStored)
lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if int(ds.PixelRepresentation) else (0, 2 ** bits - 1)
if 'RescaleSlope' in ds and 'RescaleIntercept' in ds:
    lo, hi = lo * float(ds.RescaleSlope) + float(ds.RescaleIntercept), hi * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
meta['range'] = [lo, hi]
with open(os.path.join(out_dir, 'meta.json'), 'w') as f:
    json.dump(meta, f)
