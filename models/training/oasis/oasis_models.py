"""The progression transformer, the GRU baseline, and the ONNX wrapper.

Both sequence models read every visit of a (padded) subject in one pass and return one logit per
position k: the risk of worsening between visit k and k+1, using visits 1..k only (causal) and the
horizon (days from visit k to k+1). Training uses all positions at once; the exported graph returns
the last position of the sequence it is given.
"""
from __future__ import annotations

import math

import torch
from torch import nn

YEAR = 365.25
# Fixed periods (years) of the continuous time encoding: visits in OASIS-2 are 0.5 to 6 years apart.
TIME_PERIODS = (1.0, 2.0, 4.0, 8.0)


def time_features(days: torch.Tensor) -> torch.Tensor:
    """[..., T] days -> [..., T, 1 + 2*len(TIME_PERIODS)]: linear years plus sin/cos at fixed periods."""
    t = (days / YEAR).unsqueeze(-1)
    w = torch.tensor([2 * math.pi / p for p in TIME_PERIODS], dtype=days.dtype)
    return torch.cat([t, torch.sin(t * w), torch.cos(t * w)], dim=-1)


N_TIME = 1 + 2 * len(TIME_PERIODS)


def causal_mask(T) -> torch.Tensor:
    """[T, T] bool, True where key j is in the future of query i. Built from arange (not a constant
    triangle) so that the exported ONNX graph keeps a dynamic number of visits."""
    idx = torch.arange(T)
    return idx.unsqueeze(0) > idx.unsqueeze(1)


class VisitEmbedding(nn.Module):
    """Token = value projection + missing-mask embedding + time encoding + change since the previous
    visit. Missing values arrive as 0 (the training mean) and the mask embedding tells the model they
    were not measured. The change term (per year, zero where either side is missing or at the first
    visit) hands each token its local history: with 40 positive transitions the model cannot be
    expected to discover differencing through attention alone."""

    def __init__(self, n_features: int, d: int):
        super().__init__()
        self.value = nn.Linear(n_features, d)
        self.missing = nn.Linear(n_features, d, bias=False)
        self.time = nn.Linear(N_TIME, d)
        self.change = nn.Linear(n_features + 2, d, bias=False)

    @staticmethod
    def change_features(x, m, days):
        """[B,T,F+2]: per-year change of each feature since the previous visit (0 where either side
        is missing or at the first visit), a has-previous flag and the gap in years. The previous
        visit comes from shifting one step (the first visit is its own previous): slicing and
        concatenation keep the ONNX graph's visit axis dynamic."""
        px = torch.cat([x[:, :1], x[:, :-1]], dim=1)
        pm = torch.cat([m[:, :1], m[:, :-1]], dim=1)
        pd = torch.cat([days[:, :1], days[:, :-1]], dim=1)
        gap = (days - pd) / YEAR
        has_prev = (gap > 0).to(x.dtype)
        rate = (x - px) / gap.clamp(min=0.5).unsqueeze(-1) * (1 - m) * (1 - pm) * has_prev.unsqueeze(-1)
        return torch.cat([rate, has_prev.unsqueeze(-1), gap.unsqueeze(-1)], dim=-1)

    def forward(self, x, m, days):
        change = self.change(self.change_features(x, m, days))
        return self.value(x * (1 - m)) + self.missing(m) + self.time(time_features(days)) + change


class ProgressionTransformer(nn.Module):
    def __init__(self, n_features: int, d: int = 16, heads: int = 2, layers: int = 1, dropout: float = 0.2,
                 linear_skip: bool = False):
        super().__init__()
        self.d, self.heads = d, heads
        # Optional linear path from visit k's values, their change since visit k-1 and the horizon (a
        # logistic regression inside the model), so the attention path only learns what it adds.
        self.skip = nn.Linear(3 * n_features + 3, 1) if linear_skip else None
        self.embed = VisitEmbedding(n_features, d)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict({
                'ln1': nn.LayerNorm(d), 'qkv': nn.Linear(d, 3 * d), 'proj': nn.Linear(d, d),
                'ln2': nn.LayerNorm(d), 'ff': nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)),
            }))
        self.drop = nn.Dropout(dropout)
        # Attention pooling: the query of position k (its token and the horizon) scores visits 1..k;
        # these weights are the attention the model reports. A learned decay per elapsed year lets it
        # prefer recent visits without having to learn that from 40 positive examples.
        self.pool_q = nn.Linear(d + 1, d)
        self.pool_k = nn.Linear(d, d)
        self.pool_v = nn.Linear(d, d)
        self.decay = nn.Parameter(torch.tensor(0.0))
        self.head = nn.Sequential(nn.Linear(2 * d + 1, d), nn.GELU(), nn.Dropout(dropout), nn.Linear(d, 1))

    def _self_attention(self, blk, h, future):
        B, T, d = h.shape
        hd = self.d // self.heads
        q, k, v = blk['qkv'](blk['ln1'](h)).split(d, dim=-1)
        q = q.reshape(B, T, self.heads, hd).transpose(1, 2)
        k = k.reshape(B, T, self.heads, hd).transpose(1, 2)
        v = v.reshape(B, T, self.heads, hd).transpose(1, 2)
        s = q @ k.transpose(-1, -2) / math.sqrt(hd)
        s = s.masked_fill(future, -1e9)
        a = torch.softmax(s, dim=-1)
        o = (self.drop(a) @ v).transpose(1, 2).reshape(B, T, d)
        return blk['proj'](o)

    def forward(self, x, m, days, horizon):
        """x, m [B,T,F]; days, horizon [B,T] in days. Returns logits [B,T] and pooling weights [B,T,T]
        (row k: weights over visits 1..k, zero on the future)."""
        T = x.shape[1]
        future = causal_mask(T)
        h = self.drop(self.embed(x, m, days))
        for blk in self.blocks:
            h = h + self.drop(self._self_attention(blk, h, future))
            h = h + self.drop(blk['ff'](blk['ln2'](h)))
        # No final LayerNorm: over d = 8 it takes out each token's mean and scale, which carry how far
        # a visit's measures are from the training mean (a 50-fold check on two sets of shuffles gained
        # +0.009 and +0.020 AUC without it; see EXPLORATION in oasis_cv.py).
        hz = (horizon / YEAR).unsqueeze(-1)
        q = self.pool_q(torch.cat([h, hz], dim=-1))
        s = q @ self.pool_k(h).transpose(-1, -2) / math.sqrt(self.d)
        elapsed = (days.unsqueeze(-1) - days.unsqueeze(-2)) / YEAR  # [B, T(query), T(key)]
        s = s - nn.functional.softplus(self.decay) * elapsed.clamp(min=0)
        s = s.masked_fill(future, -1e9)
        a = torch.softmax(s, dim=-1)
        pooled = a @ self.pool_v(h)
        logit = self.head(torch.cat([pooled, h, hz], dim=-1)).squeeze(-1)
        if self.skip is not None:
            lin = torch.cat([x * (1 - m), m, VisitEmbedding.change_features(x, m, days), hz], dim=-1)
            logit = logit + self.skip(lin).squeeze(-1)
        return logit, a


class ProgressionGRU(nn.Module):
    """Baseline without attention: a GRU over the same visit tokens; the head reads its state at k."""

    def __init__(self, n_features: int, d: int = 16, dropout: float = 0.2):
        super().__init__()
        self.embed = VisitEmbedding(n_features, d)
        self.gru = nn.GRU(d, d, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(d + 1, d), nn.GELU(), nn.Dropout(dropout), nn.Linear(d, 1))

    def forward(self, x, m, days, horizon):
        h, _ = self.gru(self.drop(self.embed(x, m, days)))
        hz = (horizon / YEAR).unsqueeze(-1)
        return self.head(torch.cat([self.drop(h), hz], dim=-1)).squeeze(-1), None


class OnnxEnsemble(nn.Module):
    """The exported graph: one sequence of k visits -> risk at visit k (mean probability of the ensemble
    members) and the members' mean pooling weights over visits 1..k (still sums to 1)."""

    def __init__(self, members: list[ProgressionTransformer]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, features, missing, days, horizon_days):
        T = features.shape[1]
        horizon = horizon_days.expand(1, T)  # only the last position is read
        risks, atts = [], []
        for mdl in self.members:
            logit, a = mdl(features, missing, days, horizon)
            risks.append(torch.sigmoid(logit[:, -1]))
            atts.append(a[:, -1, :])
        risk = torch.stack(risks, 0).mean(0)
        att = torch.stack(atts, 0).mean(0)
        return risk, att
