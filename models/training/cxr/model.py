"""Networks: the compact classifier (GAP + linear, so the class activation map is exact) and the OOD
autoencoder."""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = (24, 48, 96, 160, 256)


def conv_bn(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class CxrNet(nn.Module):
    """Five stages of two 3x3 conv-BN-ReLU; max-pool between stages (input/16 at the last stage: 8x8 at
    128 px); global average pooling; dropout; one linear layer.

    Because the head is linear after GAP, logits_k = mean_{h,w} (W_k . f[:, h, w] + b_k): the map
    cam_k[h, w] = W_k . f[:, h, w] + b_k is the exact per-location contribution (Zhou et al., CVPR 2016).
    """

    def __init__(self, widths=WIDTHS, n_classes: int = 2, dropout: float = 0.2):
        super().__init__()
        stages, cin = [], 1
        for i, w in enumerate(widths):
            layers = [conv_bn(cin, w), conv_bn(w, w)]
            if i < len(widths) - 1:
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
        cam = torch.einsum('kc,bchw->bkhw', self.fc.weight, f) + self.fc.bias.view(1, -1, 1, 1)
        cam = cam * self.inv_t
        logits = cam.mean(dim=(2, 3))
        return torch.softmax(logits, dim=1), cam


class ConvAE(nn.Module):
    """Small convolutional autoencoder on a 64x64 average-pooled copy of the (normalised) input.

    The bottleneck (8x8x16 = 1024 numbers for 4096 pixels, narrow channels) keeps it from learning the
    identity, so images unlike the training radiographs reconstruct poorly.
    """

    def __init__(self, pool: int = 2):
        super().__init__()
        self.pool = pool
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(inplace=True),   # 32
            nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(inplace=True),  # 16
            nn.Conv2d(32, 48, 3, 2, 1), nn.ReLU(inplace=True),  # 8
            nn.Conv2d(48, 16, 1),
        )
        self.dec = nn.Sequential(
            nn.Conv2d(16, 48, 1), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(48, 32, 4, 2, 1), nn.ReLU(inplace=True),   # 16
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(inplace=True),   # 32
            nn.ConvTranspose2d(16, 1, 4, 2, 1),                           # 64
        )

    def small(self, image: torch.Tensor) -> torch.Tensor:
        return F.avg_pool2d(image, self.pool) if self.pool > 1 else image

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.dec(self.enc(self.small(image)))

    def score(self, image: torch.Tensor) -> torch.Tensor:
        x = self.small(image)
        r = self.dec(self.enc(x))
        return ((r - x) ** 2).mean(dim=(1, 2, 3))


class OodExport(nn.Module):
    def __init__(self, ae: ConvAE):
        super().__init__()
        self.ae = ae

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.ae.score(image)
