"""PyTorch eager peer for the aiInference bench: the cxr-pneumonia classifier (CxrExport over the best
checkpoint, temperature folded in, as exported) with the given thread count. Prints JSON.

argv: <threads> <latency runs> <batch> <batch runs> [device]

device: cpu (default; the bench) or cuda (the GPU check, e2e/gpu/README.md). Inputs start and outputs
end in host memory, as the app hands tensors over, so on CUDA the copies are timed too.
"""
import json
import statistics
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
import torch  # noqa: E402

TRAINING = Path(__file__).resolve().parents[3] / 'models' / 'training' / 'cxr'
sys.path.insert(0, str(TRAINING))
from calibrate_export import load_best  # noqa: E402
from common import SIZE  # noqa: E402
from model import CxrExport  # noqa: E402

threads, runs, batch, batch_runs = (int(a) for a in sys.argv[1:5])
device = sys.argv[5] if len(sys.argv) > 5 else 'cpu'
torch.set_num_threads(threads)
t_import = time.perf_counter() - T0

t1 = time.perf_counter()
cal = json.loads((TRAINING / 'calibration.json').read_text())
net, _ = load_best()
model = CxrExport(net, cal['temperature']).eval().to(device)


def infer(x):
    """Host memory in, host memory out (on the CPU both moves return the tensors as they are)."""
    return [o.cpu() for o in model(x.to(device))]


with torch.no_grad():
    infer(torch.zeros(1, 1, SIZE, SIZE))
cold = time.perf_counter() - t1

lat = []
xr = torch.randn(1, 1, SIZE, SIZE)
with torch.no_grad():
    for _ in range(runs):
        t = time.perf_counter()
        infer(xr)
        lat.append((time.perf_counter() - t) * 1000)
    xb = torch.randn(batch, 1, SIZE, SIZE)
    infer(xb)
    batch_ms = []
    for _ in range(batch_runs):
        t = time.perf_counter()
        infer(xb)
        batch_ms.append((time.perf_counter() - t) * 1000)

lat.sort()
print(json.dumps({
    'torch': torch.__version__, 'device': device, 'threads': torch.get_num_threads(),
    'importSeconds': t_import, 'coldStartMs': cold * 1000,
    'medianMs': statistics.median(lat), 'p95Ms': lat[int(0.95 * (len(lat) - 1))],
    'imagesPerSecond': batch / (statistics.median(batch_ms) / 1000),
}))
