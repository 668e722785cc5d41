#!/usr/bin/python3
"""Median decode time of pydicom+GDCM (ds.pixel_array) per file, excluding file reading.
usage: gdcm_decode_time.py RUNS FILE... ; prints JSON {file: {median_s, bytes}}."""
import json
import statistics
import sys
import time

import pydicom

runs = int(sys.argv[1])
out = {}
for path in sys.argv[2:]:
    times = []
    nbytes = 0
    for _ in range(runs):
        ds = pydicom.dcmread(path)
        start = time.perf_counter()
        arr = ds.pixel_array  # decodes now: pixel_array is computed on first access
        times.append(time.perf_counter() - start)
        nbytes = arr.nbytes
    out[path] = {'median_s': statistics.median(times), 'bytes': nbytes}
print(json.dumps(out))
