"""Test support: a copy of a single-frame compressed series with some slices damaged.

    damage_ct_slices.py <series folder> <output folder>

Copies every .dcm file and, in three of them (the middle slice by position, which a viewer loads first,
its neighbour, and the slice at index 60), flips the bits of 360 bytes near the start of the pixel data,
where the codec's headers sit, so the header still parses and the frame does not decode. Slices are
ordered by Image Position (Patient) z with pydicom, independently of Lumen. Prints JSON: the damaged
slices' z, and for four intact slices their z and the sum of their modality values (HU for CT).
"""
import json
import os
import sys

import numpy as np
import pydicom

src, out = sys.argv[1], sys.argv[2]
files = sorted(f for f in os.listdir(src) if f.endswith('.dcm'))
z = {f: float(pydicom.dcmread(os.path.join(src, f), stop_before_pixels=True).ImagePositionPatient[2]) for f in files}
by_z = sorted(files, key=lambda f: z[f])
middle = len(by_z) // 2
damaged = [by_z[i] for i in (middle, middle + 1, 60)]
for f in files:
    data = bytearray(open(os.path.join(src, f), 'rb').read())
    if f in damaged:
        at = data.rfind(b'\xe0\x7f\x10\x00')
        for i in range(at + 40, at + 400):
            data[i] ^= 0x5A
    open(os.path.join(out, f), 'wb').write(data)


def modality_sum(f):
    ds = pydicom.dcmread(os.path.join(src, f))
    return int((ds.pixel_array.astype(np.int64) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)).sum())


intact = [by_z[i] for i in (0, middle - 1, middle + 2, len(by_z) - 1)]
print(json.dumps({'damaged': [z[f] for f in damaged], 'intact': [[z[f], modality_sum(f)] for f in intact], 'files': len(files)}))
