"""Networks: the compact classifier (GAP + linear, so the class activation map is exact) and the OOD
autoencoder."""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = (16, 32, 64, 128, 160)


def conv_bn(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class CxrNet(nn.Module):
    """Five stages of two 3x3 conv-BN-ReLU. The first conv has stride 2 (a cheap stem: 2-core CPU budget)
    and max-pooling follows stages 1-3, so the last two stages run at input/16 (8x8 at 128 px, the CAM grid);
    global average pooling; dropout; one linear layer.

    Because the head is linear after GAP, logits_k = mean_{h,w} (W_k . f[:, h, w] + b_k): the map
    cam_k[h, w] = W_k . f[:, h, w] + b_k is the exact per-location contribution (Zhou et al., CVPR 2016).
    """

    def __init__(self, widths=WIDTHS, n_classes: int = 2, dropout: float = 0.2, stem_stride: int = 2,
                 pools: int = 3):
        super().__init__()
        stages, cin = [], 1
        for i, w in enumerate(widths):
            first = nn.Sequential(nn.Conv2d(cin, w, 3, stride=stem_stride, padding=1, bias=False), nn.BatchNorm2d(w),
                                  nn.ReLU(inplace=True)) if i == 0 else conv_bn(cin, w)
            layers = [first, conv_bn(w, w)]
            if i < pools:
                layers.append(nn.MaxPool2d(2))
            stages.append(nn.Sequential(*layers))
            cin = w
        self.features = nn.Sequential(*stages)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x)
        return self.fc(self.dropout(f.mean(dim=(2, 3))))


class CxrExport(nn.Module):
    """Export wrapper: probabilities with the temperature folded in, and the class activation maps.

    cam[b, k] = (W_k . f[b, :, h, w] + b_k) / T, so its spatial mean equals the calibrated logit of class k.
    """

    def __init__(self, net: CxrNet, temperature: float):
        super().__init__()
        self.features = net.features
        self.fc = net.fc
        self.register_buffer('inv_t', torch.tensor(1.0 / temperature, dtype=torch.float32))

    def forward(self, image: torch.Tensor):
        f = self.features(image)                                   # B, C, h, w
        w = self.fc.weight[:, :, None, None]                       # K, C, 1, 1: the linear layer as a 1x1 conv
        cam = F.conv2d(f, w, self.fc.bias) * self.inv_t
        logits = cam.mean(dim=(2, 3))
        return torch.softmax(logits, dim=1), cam


class ConvAE(nn.Module):
    """Small convolutional autoencoder on a 64x64 average-pooled, per-image standardised copy of the
    (normalised) input.

    - A dense bottleneck of `latent` numbers (64 for 4096 pixels) makes it a non-linear PCA of chest
      radiographs: it can only draw chest-radiograph-like pictures, so anything else (CT, MR, photographs,
      inverted images) reconstructs poorly and scores high.
    - Per-image standardisation, z = (x - mean(x)) / (std(x) + EPS), removes global exposure (which the
      classifier's augmentation already treats as nuisance) and, above all, defeats the known weakness of
      reconstruction scores that flat, low-detail pictures reconstruct "well": a blank image becomes z = 0,
      which the decoder cannot output (it always draws a chest), so its error is large.
    """

    EPS = 0.1

    def __init__(self, latent: int = 64, pool: int = 2):
        super().__init__()
        self.pool = pool
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(inplace=True),   # 32
            nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(inplace=True),  # 16
            nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(inplace=True),  # 8
            nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU(inplace=True),  # 4
        )
        self.to_latent = nn.Linear(64 * 4 * 4, latent)
        self.from_latent = nn.Linear(latent, 64 * 4 * 4)
        self.dec = nn.Sequential(
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU(inplace=True),   # 8
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(inplace=True),   # 16
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(inplace=True),   # 32
            nn.ConvTranspose2d(16, 1, 4, 2, 1),                           # 64
        )

    def small(self, image: torch.Tensor) -> torch.Tensor:
        return F.avg_pool2d(image, self.pool) if self.pool > 1 else image

    def standardise(self, x: torch.Tensor) -> torch.Tensor:
        m = x.mean(dim=(1, 2, 3), keepdim=True)
        sd = ((x - m) ** 2).mean(dim=(1, 2, 3), keepdim=True).sqrt()
        return (x - m) / (sd + self.EPS)

    def reconstruct(self, z: torch.Tensor) -> torch.Tensor:
        h = self.from_latent(self.to_latent(torch.flatten(self.enc(z), 1))).reshape(-1, 64, 4, 4)
        return self.dec(h)

    def score_small(self, x_small: torch.Tensor) -> torch.Tensor:
        z = self.standardise(x_small)
        return ((self.reconstruct(z) - z) ** 2).mean(dim=(1, 2, 3))

    def score(self, image: torch.Tensor) -> torch.Tensor:
        return self.score_small(self.small(image))


class OodExport(nn.Module):
    """The exported guard: score = reconstruction MSE + two intensity terms.

    The autoencoder sees a per-image standardised picture, so by design it is blind to global intensity.
    Two terms, fixed from the training radiographs (not fitted to any out-of-distribution image), put it back:
    - flat-image term FLAT_PENALTY * relu(1 - sd / sd_min): sd is the per-image standard deviation of the
      pooled, normalised input and sd_min half the lowest value among the training radiographs. A blank frame
      (all zeros after standardisation, close to the decoder's "average chest") gets FLAT_PENALTY.
    - brightness-range term RANGE_SLOPE * relu(max(mean_lo - m, m - mean_hi)): m is the per-image mean of the
      normalised input and [mean_lo, mean_hi] the range of the training radiographs' means; 0 inside it.
    Both are 0 for every training radiograph.
    """

    FLAT_PENALTY = 10.0
    RANGE_SLOPE = 40.0

    def __init__(self, ae: ConvAE, sd_min: float, mean_lo: float, mean_hi: float):
        super().__init__()
        self.ae = ae
        self.register_buffer('sd_min', torch.tensor(float(sd_min), dtype=torch.float32))
        self.register_buffer('mean_lo', torch.tensor(float(mean_lo), dtype=torch.float32))
        self.register_buffer('mean_hi', torch.tensor(float(mean_hi), dtype=torch.float32))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.ae.small(image)
        m = x.mean(dim=(1, 2, 3), keepdim=True)
        sd = ((x - m) ** 2).mean(dim=(1, 2, 3)).sqrt()
        m = m.flatten()
        flat = torch.relu(1.0 - sd / self.sd_min) * self.FLAT_PENALTY
        out_of_range = torch.relu(torch.maximum(self.mean_lo - m, m - self.mean_hi)) * self.RANGE_SLOPE
        return self.ae.score_small(x) + flat + out_of_range
