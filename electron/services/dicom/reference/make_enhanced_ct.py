"""Test support: an Enhanced CT Image (one file, one frame per slice) made from a classic CT series.

    make_enhanced_ct.py <series folder> <count> <output file>

Takes <count> consecutive slices from the middle of the series, ordered along the slice normal with
pydicom, and writes them as an uncompressed Enhanced CT Image Storage object: geometry, rescale and the
window in the Shared Functional Groups, each frame's Image Position (Patient) in its Per-Frame Functional
Groups (PS3.3 A.38, C.7.6.16). Pixels are the stored values of the source slices, unchanged. Prints JSON:
the frame count and the sum of the stored values of frame 0, for a reader to check against. Not a complete
IOD (no equipment module, for one): it holds what series assembly and display read.
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

src, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
slices = [pydicom.dcmread(os.path.join(src, f)) for f in os.listdir(src) if f.endswith('.dcm')]
o = np.array(slices[0].ImageOrientationPatient, float)
normal = np.cross(o[:3], o[3:])
slices.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), normal)))
start = (len(slices) - count) // 2
chosen = slices[start:start + count]
first = chosen[0]
pixels = np.stack([d.pixel_array for d in chosen]).astype(first.pixel_array.dtype)


def item(**attributes):
    ds = Dataset()
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    return ds


ds = Dataset()
for keyword in ('PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyInstanceUID', 'StudyDate', 'StudyTime',
                'StudyID', 'AccessionNumber', 'StudyDescription', 'FrameOfReferenceUID'):
    if keyword in first:
        setattr(ds, keyword, getattr(first, keyword))
ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.2.1'
ds.SOPInstanceUID = generate_uid()
ds.SeriesInstanceUID = generate_uid()
ds.Modality = 'CT'
ds.SeriesNumber = 901
ds.SeriesDescription = 'Enhanced CT made from the classic series'
ds.InstanceNumber = 1
ds.ImageType = ['ORIGINAL', 'PRIMARY', 'AXIAL', 'NONE']
ds.ContentDate = first.get('StudyDate', '')
ds.ContentTime = first.get('StudyTime', '')
ds.AcquisitionDateTime = ''
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = 'MONOCHROME2'
ds.Rows, ds.Columns = int(first.Rows), int(first.Columns)
ds.BitsAllocated = 16
ds.BitsStored = int(first.BitsStored)
ds.HighBit = int(first.HighBit)
ds.PixelRepresentation = int(first.PixelRepresentation)
ds.NumberOfFrames = count
ds.BurnedInAnnotation = 'NO'
ds.SharedFunctionalGroupsSequence = Sequence([item(
    PixelMeasuresSequence=Sequence([item(PixelSpacing=list(first.PixelSpacing), SliceThickness=first.get('SliceThickness', 1))]),
    PlaneOrientationSequence=Sequence([item(ImageOrientationPatient=list(first.ImageOrientationPatient))]),
    PixelValueTransformationSequence=Sequence([item(RescaleIntercept=first.RescaleIntercept, RescaleSlope=first.RescaleSlope, RescaleType='HU')]),
    FrameVOILUTSequence=Sequence([item(WindowCenter=40, WindowWidth=400)]),
)])
ds.PerFrameFunctionalGroupsSequence = Sequence([item(
    PlanePositionSequence=Sequence([item(ImagePositionPatient=list(d.ImagePositionPatient))]),
    FrameContentSequence=Sequence([item(InStackPositionNumber=k + 1, StackID='1')]),
) for k, d in enumerate(chosen)])
ds.PixelData = pixels.tobytes()

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = ds.SOPClassUID
meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.file_meta = meta
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(out, write_like_original=False)
print(json.dumps({'frames': count, 'frame0StoredSum': int(pixels[0].astype(np.int64).sum())}))
