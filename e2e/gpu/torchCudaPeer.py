"""PyTorch eager on CUDA: the peer of e2e/gpu/providerCheck.ts on a GPU machine. The cxr-pneumonia
network (CxrExport over the best checkpoint, temperature folded in, as exported), timed from host
memory to host memory, as the app hands tensors over. Prints JSON. Run from the repository root:

    python3 e2e/gpu/torchCudaPeer.py
"""
import json
import statistics
import sys
import time
from pathlib import Path

import torch

TRAINING = Path(__file__).resolve().parents[2] / 'models' / 'training' / 'cxr'
sys.path.insert(0, str(TRAINING))
# The checkpoint holds its config dict beside the weights; torch >= 2.6 loads only tensors by default.
_load = torch.load
torch.load = lambda *a, **k: _load(*a, **{**k, 'weights_only': False})
from calibrate_export import load_best  # noqa: E402
from common import SIZE  # noqa: E402
from model import CxrExport  # noqa: E402

RUNS, BATCH_RUNS = 100, 30
cal = json.loads((TRAINING / 'calibration.json').read_text())
net, _ = load_best()
model = CxrExport(net, cal['temperature']).eval().to('cuda')


def timed(batch: int, runs: int) -> list[float]:
    x = torch.randn(batch, 1, SIZE, SIZE)
    ms = []
    with torch.no_grad():
        for _ in range(5):
            [o.cpu() for o in model(x.to('cuda'))]
        for _ in range(runs):
            t = time.perf_counter()
            [o.cpu() for o in model(x.to('cuda'))]
            ms.append((time.perf_counter() - t) * 1000)
    return sorted(ms)


lat = timed(1, RUNS)
print(json.dumps({
    'torch': torch.__version__, 'device': torch.cuda.get_device_name(0),
    'latencyMedianMs': statistics.median(lat), 'latencyP95Ms': lat[int(0.95 * (RUNS - 1))],
    'batch16ImagesPerSecond': 16 / (statistics.median(timed(16, BATCH_RUNS)) / 1000),
    'batch64ImagesPerSecond': 64 / (statistics.median(timed(64, BATCH_RUNS)) / 1000),
}, indent=1))
