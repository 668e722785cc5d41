#!/usr/bin/python3
"""Independent reference decoding for Lumen's conformance test (run with Debian's /usr/bin/python3).

usage: decode_reference.py OUT_DIR KEY=FILE [KEY=FILE ...]

For each file writes OUT_DIR/KEY.raw (every frame's stored values, little endian, colour-by-pixel) and
OUT_DIR/KEY.json ({dtype, frames, samplesPerFrame, reference, photometric} or {error, reference}).

Which decoder, by transfer syntax (none of them is Lumen's code):
- JPEG (.50 .51 .57 .70): dcmtk dcmdjpeg (IJG; converts YCbCr to RGB as it does by default), then pydicom reads
  the native result.
- JPEG-LS (.80 .81): dcmtk dcmdjpls; RLE (.5): dcmtk dcmdrle; then pydicom reads the native result.
- JPEG 2000 (.90 .91): pydicom with GDCM (`ds.pixel_array`).
- HTJ2K (.201 .202 .203): neither decodes it; OpenJPEG's opj_decompress decodes each frame's code stream.
- Deflated Image Frame Compression (1.2.840.10008.1.2.8.1): zlib raw inflate of each frame.
- Native (and deflated data set): pydicom's numpy handler.
- Fallback when dcmtk fails: pydicom with GDCM.
Integer results are reduced to Bits Stored below High Bit and sign-extended by Pixel Representation
(PS3.5 8.1.1), the same rule for every decoder.
"""
import json
import os
import subprocess
import sys
import tempfile
import zlib

import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame


JPEG = {'1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'}
JPEG_LS = {'1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'}
RLE = {'1.2.840.10008.1.2.5'}
HTJ2K = {'1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'}
DEFLATED_FRAMES = '1.2.840.10008.1.2.8.1'
DCMTK = [(JPEG, 'dcmdjpeg'), (JPEG_LS, 'dcmdjpls'), (RLE, 'dcmdrle')]


def read(path):
    ds = pydicom.dcmread(path, force=True)
    # A bare data set (no File Meta): pydicom found its encoding while reading; record it as the transfer syntax.
    if not getattr(getattr(ds, 'file_meta', None), 'TransferSyntaxUID', None):
        ds.file_meta = getattr(ds, 'file_meta', None) or pydicom.dataset.FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = (pydicom.uid.ImplicitVRLittleEndian if ds.is_implicit_VR
                                          else pydicom.uid.ExplicitVRLittleEndian if ds.is_little_endian
                                          else pydicom.uid.ExplicitVRBigEndian)
    return ds


def transfer_syntax(ds):
    return str(ds.file_meta.TransferSyntaxUID)


def frames_of(ds):
    return int(getattr(ds, 'NumberOfFrames', 1) or 1)


def to_stored(arr, ds):
    if arr.dtype.kind not in 'iu' or int(getattr(ds, 'BitsAllocated', 8)) == 1:
        return arr
    allocated = int(ds.BitsAllocated)
    stored = int(getattr(ds, 'BitsStored', allocated))
    high = int(getattr(ds, 'HighBit', stored - 1))
    signed = int(getattr(ds, 'PixelRepresentation', 0)) == 1
    if stored == allocated and high == stored - 1:
        return arr
    wide = arr.astype(np.int64) & ((1 << allocated) - 1)
    wide = (wide >> (high + 1 - stored)) & ((1 << stored) - 1)
    if signed:
        wide = np.where(wide >= (1 << (stored - 1)), wide - (1 << stored), wide)
    return wide.astype(arr.dtype)


def dcmtk_decode(tool, path, tmp):
    out = os.path.join(tmp, 'dcmtk.dcm')
    # dcmtk detects file format or bare data set itself; dcmdjpeg converts YCbCr to RGB by default (+cp).
    subprocess.run([tool, path, out], check=True, capture_output=True, timeout=120)
    ds = read(out)
    return ds.pixel_array, ds, 'dcmtk ' + tool


def opj_decode(ds, tmp):
    rows, cols, spp = int(ds.Rows), int(ds.Columns), int(getattr(ds, 'SamplesPerPixel', 1))
    allocated = int(ds.BitsAllocated)
    dtype = np.dtype(('i' if int(getattr(ds, 'PixelRepresentation', 0)) else 'u') + str(allocated // 8)).newbyteorder('<')
    out = []
    for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, frames_of(ds))):
        src = os.path.join(tmp, f'f{i}.j2c')
        dst = os.path.join(tmp, f'f{i}.rawl')
        with open(src, 'wb') as f:
            f.write(frame)
        subprocess.run(['opj_decompress', '-quiet', '-i', src, '-o', dst], check=True, capture_output=True, timeout=120)
        raw = np.fromfile(dst, dtype=dtype if allocated > 8 else np.uint8)
        # opj_decompress writes raw output component by component.
        out.append(raw.reshape(spp, rows * cols).T.reshape(-1) if spp > 1 else raw)
    return np.stack(out).astype(dtype), 'opj_decompress (OpenJPEG)'


def inflate_decode(ds):
    rows, cols, spp = int(ds.Rows), int(ds.Columns), int(getattr(ds, 'SamplesPerPixel', 1))
    allocated = int(ds.BitsAllocated)
    out = []
    for frame in generate_pixel_data_frame(ds.PixelData, frames_of(ds)):
        raw = zlib.decompress(frame, -15)
        if allocated == 1:
            arr = np.unpackbits(np.frombuffer(raw, np.uint8), bitorder='little')[: rows * cols * spp]
        else:
            dtype = np.dtype(('i' if int(getattr(ds, 'PixelRepresentation', 0)) else 'u') + str(allocated // 8)).newbyteorder('<')
            arr = np.frombuffer(raw, dtype)[: rows * cols * spp]
        out.append(arr)
    return np.stack(out), 'zlib raw inflate'


def decode(path, tmp):
    ds = read(path)
    ts = transfer_syntax(ds)
    for syntaxes, tool in DCMTK:
        if ts in syntaxes:
            try:
                arr, decoded, ref = dcmtk_decode(tool, path, tmp)
                return arr, decoded, ref
            except Exception:  # fall back to GDCM below
                break
    if ts in HTJ2K:
        arr, ref = opj_decode(ds, tmp)
        return arr, ds, ref
    if ts == DEFLATED_FRAMES:
        arr, ref = inflate_decode(ds)
        return arr, ds, ref
    arr = ds.pixel_array
    handler = 'pydicom+gdcm' if ts not in ('', '1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99') else 'pydicom (numpy)'
    return arr, ds, handler


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for item in sys.argv[2:]:
        key, path = item.split('=', 1)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                arr, ds, ref = decode(path, tmp)
                arr = to_stored(np.asarray(arr), ds)
                frames = frames_of(ds)
                arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder('<'))
                arr.tofile(os.path.join(out_dir, key + '.raw'))
                meta = {
                    'dtype': arr.dtype.str,
                    'frames': frames,
                    'samplesPerFrame': int(arr.size // frames),
                    'reference': ref,
                    'photometric': str(getattr(ds, 'PhotometricInterpretation', '')),
                }
            except Exception as error:  # the reference cannot read it: recorded, not fatal
                meta = {'error': f'{type(error).__name__}: {error}'[:300], 'reference': 'pydicom+gdcm / dcmtk'}
        with open(os.path.join(out_dir, key + '.json'), 'w') as f:
            json.dump(meta, f)


if __name__ == '__main__':
    main()
