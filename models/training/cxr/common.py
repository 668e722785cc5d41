"""Shared constants and paths for the cxr-pneumonia training scripts.

Every script imports its paths and fixed constants from here, so the manifest, the exported graph and the
training all read the same numbers.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]                                    # /work/main
SHARED_DATA = Path(os.environ.get('LUMEN_SHARED_DATA', REPO.parent / 'shared' / 'data')).resolve()
DATA_DIR = SHARED_DATA / 'cxr' / 'kermany_pneumonia_224'
MODEL_DIR = REPO / 'models' / 'cxr-pneumonia'
CKPT_DIR = HERE / 'checkpoints'                           # best + last only, each a few MB (committed)
RUN_DIR = REPO / 'models' / 'training' / 'runs' / 'cxr'   # git-ignored scratch (logs, caches)

SIZE = 128                 # square network input, pixels
LABELS = ['normal', 'pneumonia']
POSITIVE = 'pneumonia'
SEED = 20261121
THREADS = 2


def seed_everything(seed: int = SEED) -> None:
    import torch
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads() -> None:
    import torch
    torch.set_num_threads(THREADS)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
