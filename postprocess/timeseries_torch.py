"""PatchTST (supervised) and Pathformer in plain PyTorch, written from the specification in
shared/models/timeseries.md (sections 1b, 1c) so PortaFormer's C++ models can be checked against
them. Module names reproduce the reference implementations' state_dict keys
(yuqinie98/PatchTST: model.backbone..., model.head...; decisionintelligence/pathformer:
AMS_lists.<l>.experts.<e>..., projections.0...), so weights move between the three codes by name.

Pathformer has two switches where the reference code deviates from its paper:
    combine = "paper" (Σ_e g_e y_e) or "reference" (log Σ_e g_e exp(y_e))
    inter_layout = "paper" (inter-patch output permuted back to [B, L, N, D]) or "reference"
                   (raw reshape of [B, N, P, p, D] to [B, L, N, D], mixing time and channels)
Gate noise can be injected (``gate_noise``: one [B, E] tensor per layer) so that a training-mode
forward is reproducible in another code.
"""
import math
from dataclasses import dataclass, field
from typing import List, Optional

import torch
from torch import nn
import torch.nn.functional as F


class RevIN(nn.Module):
    """Per-(sample, channel) normalisation over time of x [B, L, C]; statistics are detached."""

    def __init__(self, channels, affine, subtract_last, eps=1e-5):
        super().__init__()
        self.affine, self.subtract_last, self.eps = affine, subtract_last, eps
        if affine:
            self.affine_weight = nn.Parameter(torch.ones(channels))
            self.affine_bias = nn.Parameter(torch.zeros(channels))

    def norm(self, x):
        if self.subtract_last:
            self.center = x[:, -1:, :]
        else:
            self.center = x.mean(dim=1, keepdim=True).detach()
        self.stdev = torch.sqrt(x.var(dim=1, keepdim=True, unbiased=False) + self.eps).detach()
        x = (x - self.center) / self.stdev
        if self.affine:
            x = x * self.affine_weight + self.affine_bias
        return x

    def denorm(self, x):
        if self.affine:
            x = (x - self.affine_bias) / (self.affine_weight + self.eps * self.eps)
        return x * self.stdev + self.center


def dropout(x, p, training):
    return F.dropout(x, p, training) if p > 0 else x


# ----------------------------------------------------------------------------------------------
# PatchTST
# ----------------------------------------------------------------------------------------------
@dataclass
class PatchTSTConfig:
    seq_len: int = 336
    pred_len: int = 96
    channels: int = 7
    e_layers: int = 3
    n_heads: int = 4
    d_model: int = 16
    d_ff: int = 128
    dropout: float = 0.3
    head_dropout: float = 0.0
    patch_len: int = 16
    stride: int = 8
    padding_patch: str = "end"
    revin: bool = True
    affine: bool = False
    subtract_last: bool = False
    individual: bool = False

    @property
    def patch_num(self):
        return (self.seq_len - self.patch_len) // self.stride + 1 + (self.padding_patch == "end")


class _Transpose(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


def _batch_norm_seq(d):
    # Index 1 holds the BatchNorm so that keys read "norm_attn.1.weight" as in the reference.
    return nn.Sequential(_Transpose(), nn.BatchNorm1d(d), _Transpose())


class _Sdp(nn.Module):
    def __init__(self, head_dim):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(head_dim ** -0.5), requires_grad=False)


class _Attention(nn.Module):
    def __init__(self, d, h, dropout):
        super().__init__()
        self.h, self.dk = h, d // h
        self.W_Q, self.W_K, self.W_V = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.sdp_attn = _Sdp(self.dk)
        self.to_out = nn.Sequential(nn.Linear(d, d), nn.Dropout(dropout))

    def forward(self, x, prev):
        bs, n, _ = x.shape
        q = self.W_Q(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        k = self.W_K(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        v = self.W_V(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) * self.sdp_attn.scale
        if prev is not None:
            scores = scores + prev
        out = torch.softmax(scores, dim=-1) @ v
        out = out.transpose(1, 2).reshape(bs, n, self.h * self.dk)
        return self.to_out(out), scores


class _EncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_model
        self.self_attn = _Attention(d, cfg.n_heads, cfg.dropout)
        self.dropout_attn = nn.Dropout(cfg.dropout)
        self.norm_attn = _batch_norm_seq(d)
        self.ff = nn.Sequential(nn.Linear(d, cfg.d_ff), nn.GELU(), nn.Dropout(cfg.dropout),
                                nn.Linear(cfg.d_ff, d))
        self.dropout_ffn = nn.Dropout(cfg.dropout)
        self.norm_ffn = _batch_norm_seq(d)

    def forward(self, x, prev):
        a, scores = self.self_attn(x, prev)
        x = self.norm_attn(x + self.dropout_attn(a))
        x = self.norm_ffn(x + self.dropout_ffn(self.ff(x)))
        return x, scores


class _Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList([_EncoderLayer(cfg) for _ in range(cfg.e_layers)])

    def forward(self, x):
        scores = None
        for layer in self.layers:
            x, scores = layer(x, scores)
        return x


class _Backbone(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.W_P = nn.Linear(cfg.patch_len, cfg.d_model)
        self.W_pos = nn.Parameter(torch.empty(cfg.patch_num, cfg.d_model).uniform_(-0.02, 0.02))
        self.dropout = nn.Dropout(cfg.dropout)
        self.encoder = _Encoder(cfg)


class _Head(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        nf = cfg.d_model * cfg.patch_num
        self.individual = cfg.individual
        if cfg.individual:
            self.linears = nn.ModuleList([nn.Linear(nf, cfg.pred_len) for _ in range(cfg.channels)])
        else:
            self.linear = nn.Linear(nf, cfg.pred_len)
        self.dropout = nn.Dropout(cfg.head_dropout)

    def forward(self, z):  # z [B, C, d*N] (d-major)
        if self.individual:
            y = torch.stack([lin(z[:, i]) for i, lin in enumerate(self.linears)], dim=1)
        else:
            y = self.linear(z)
        return self.dropout(y)


class _PatchTSTModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        if cfg.revin:
            self.revin_layer = RevIN(cfg.channels, cfg.affine, cfg.subtract_last)
        self.backbone = _Backbone(cfg)
        self.head = _Head(cfg)

    def forward(self, x):  # x [B, L, C]
        cfg = self.cfg
        if cfg.revin:
            x = self.revin_layer.norm(x)
        z = x.permute(0, 2, 1)  # [B, C, L]
        if cfg.padding_patch == "end":
            z = torch.cat([z, z[:, :, -1:].expand(-1, -1, cfg.stride)], dim=-1)
        z = z.unfold(-1, cfg.patch_len, cfg.stride)  # [B, C, N, P]
        b, c, n, _ = z.shape
        u = self.backbone.W_P(z).reshape(b * c, n, cfg.d_model)
        u = self.backbone.dropout(u + self.backbone.W_pos)
        u = self.backbone.encoder(u).reshape(b, c, n, cfg.d_model)
        y = self.head(u.permute(0, 1, 3, 2).reshape(b, c, cfg.d_model * n))  # [B, C, T]
        y = y.permute(0, 2, 1)
        if cfg.revin:
            y = self.revin_layer.denorm(y)
        return y


class PatchTST(nn.Module):
    def __init__(self, cfg: PatchTSTConfig):
        super().__init__()
        self.model = _PatchTSTModel(cfg)

    def forward(self, x):
        return self.model(x)


# ----------------------------------------------------------------------------------------------
# Pathformer
# ----------------------------------------------------------------------------------------------
@dataclass
class PathformerConfig:
    seq_len: int = 96
    pred_len: int = 96
    channels: int = 7
    d_model: int = 4
    d_ff: int = 64
    k: int = 3
    patch_size_list: List[List[int]] = field(
        default_factory=lambda: [[16, 12, 8, 32], [12, 8, 6, 4], [8, 6, 4, 2]])
    residual_connection: bool = True
    revin: bool = True
    batch_norm: bool = False
    dropout: float = 0.1
    ffn_dropout: float = 0.2
    loss_coef: float = 0.01
    combine: str = "paper"
    inter_layout: str = "paper"


class _WeightGenerator(nn.Module):
    """Per-channel D×D weights from a node memory (factorised) or shared D×D weights."""

    def __init__(self, d, num_nodes, factorized):
        super().__init__()
        self.factorized, self.num_nodes = factorized, num_nodes
        if factorized:
            self.memory = nn.Parameter(torch.randn(num_nodes, 16))
            self.generator = nn.Sequential(nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 64),
                                           nn.Tanh(), nn.Linear(64, 100))
            self.P = nn.ParameterList([nn.Parameter(torch.empty(d, 10)) for _ in range(2)])
            self.Q = nn.ParameterList([nn.Parameter(torch.empty(10, d)) for _ in range(2)])
            self.B = nn.ParameterList([nn.Parameter(torch.empty(100, d)) for _ in range(2)])
            for p in list(self.P) + list(self.Q) + list(self.B):
                nn.init.uniform_(p, -1 / math.sqrt(p.shape[1]), 1 / math.sqrt(p.shape[1]))
        else:
            self.P = nn.ParameterList([nn.Parameter(torch.empty(d, d)) for _ in range(2)])
            self.B = nn.ParameterList([nn.Parameter(torch.empty(1, d)) for _ in range(2)])
            for p in list(self.P) + list(self.B):
                nn.init.uniform_(p, -1 / math.sqrt(d), 1 / math.sqrt(d))

    def forward(self):
        if not self.factorized:
            return list(self.P), list(self.B)
        mem = self.generator(self.memory)  # [N, 100]
        m = mem.view(self.num_nodes, 10, 10)
        weights = [self.P[i] @ m @ self.Q[i] for i in range(2)]  # [N, D, D]
        biases = [mem @ self.B[i] for i in range(2)]  # [N, D]
        return weights, biases


class _InterAttention(nn.Module):
    def __init__(self, dm, heads, dropout):
        super().__init__()
        self.h, self.dk = heads, dm // heads
        self.W_Q, self.W_K, self.W_V = nn.Linear(dm, dm), nn.Linear(dm, dm), nn.Linear(dm, dm)
        self.sdp_attn = _Sdp(self.dk)
        self.to_out = nn.Sequential(nn.Linear(dm, dm), nn.Dropout(dropout))

    def forward(self, x):
        bs, n, _ = x.shape
        q = self.W_Q(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        k = self.W_K(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        v = self.W_V(x).view(bs, n, self.h, self.dk).transpose(1, 2)
        a = torch.softmax(q @ k.transpose(-1, -2) * self.sdp_attn.scale, dim=-1)
        out = (a @ v).transpose(1, 2).reshape(bs, n, self.h * self.dk)
        return self.to_out(out)


class TransformerLayer(nn.Module):
    """One Pathformer expert for patch size p: intra- and inter-patch attention, then an FFN."""

    def __init__(self, cfg, p):
        super().__init__()
        d, n = cfg.d_model, cfg.channels
        self.cfg, self.p, self.P = cfg, p, cfg.seq_len // p
        self.intra_embeddings = nn.Parameter(torch.rand(self.P, 1, 1, n, 16))
        self.embeddings_generator = nn.ModuleList(
            [nn.Sequential(nn.Linear(16, d)) for _ in range(self.P)])
        self.weights_generator_distinct = _WeightGenerator(d, n, True)
        self.weights_generator_shared = _WeightGenerator(d, n, False)
        self.intra_Linear = nn.Linear(self.P, self.P * p)
        dm = d * p
        self.emb_linear = nn.Linear(dm, dm)
        self.W_pos = nn.Parameter(torch.empty(self.P, dm).uniform_(-0.02, 0.02))
        self.inter_patch_attention = _InterAttention(dm, d, cfg.dropout)
        self.norm_attn = _batch_norm_seq(d)
        self.norm_ffn = _batch_norm_seq(d)
        self.dropout = nn.Dropout(cfg.dropout)
        self.ff = nn.Sequential(nn.Linear(d, cfg.d_ff), nn.GELU(), nn.Dropout(cfg.ffn_dropout),
                                nn.Linear(cfg.d_ff, d))

    def intra(self, x):  # x [B, L, N, D] -> [B, L, N, D]
        b, L, n, d = x.shape
        p, P, hs = self.p, self.P, d // 2
        wd, bd = self.weights_generator_distinct()
        ws, bs = self.weights_generator_shared()
        outs = []
        for i in range(P):
            q = self.embeddings_generator[i](self.intra_embeddings[i])[0, 0]  # [N, D]
            tokens = torch.cat([q.expand(b, 1, n, d), x[:, i * p:(i + 1) * p]], dim=1)  # [B,p+1,N,D]
            key = torch.einsum("btnd,nde->btne", tokens, wd[0]) + bd[0]
            val = torch.einsum("btnd,nde->btne", tokens, wd[1]) + bd[1]
            qh = q.view(n, 2, hs)
            kh = key.view(b, p + 1, n, 2, hs)
            vh = val.view(b, p + 1, n, 2, hs)
            a = torch.softmax(torch.einsum("nhe,btnhe->bnht", qh, kh) / math.sqrt(hs), dim=-1)
            o = torch.einsum("bnht,btnhe->bnhe", a, vh).reshape(b, 1, n, d)
            o = torch.relu(o @ ws[0] + bs[0]) @ ws[1] + bs[1]
            outs.append(o)
        intra = torch.cat(outs, dim=1)  # [B, P, N, D]
        return self.intra_Linear(intra.permute(0, 3, 2, 1)).permute(0, 3, 2, 1)

    def inter(self, x):
        b, L, n, d = x.shape
        p, P = self.p, self.P
        u = x.reshape(b, P, p, n, d).permute(0, 3, 1, 4, 2).reshape(b * n, P, d * p)
        u = self.dropout(self.emb_linear(u) + self.W_pos)
        y = self.inter_patch_attention(u)  # [B*N, P, p*D] read as (j, d)
        if self.cfg.inter_layout == "reference":
            return y.reshape(b, L, n, d)
        return y.reshape(b, n, P, p, d).permute(0, 2, 3, 1, 4).reshape(b, L, n, d)

    def forward(self, x):
        b, L, n, d = x.shape
        out = x + self.intra(x) + self.inter(x)
        if self.cfg.batch_norm:
            out = self.norm_attn(out.reshape(b * n, L, d)).reshape(b, L, n, d)
        out = self.dropout(out)
        out = self.ff(out) + out
        if self.cfg.batch_norm:
            out = self.norm_ffn(out.reshape(b * n, L, d)).reshape(b, L, n, d)
        return out


class _SeriesDecompMulti(nn.Module):
    def __init__(self, kernels):
        super().__init__()
        self.kernels = kernels
        self.layer = nn.Linear(1, len(kernels))

    def trend(self, z):  # z [B, L, N]
        mas = []
        for k in self.kernels:
            front, end = k - 1 - (k - 1) // 2, (k - 1) // 2
            zp = torch.cat([z[:, :1].expand(-1, front, -1), z, z[:, -1:].expand(-1, end, -1)], 1)
            mas.append(zp.unfold(1, k, 1).mean(-1))
        w = torch.softmax(self.layer(z.unsqueeze(-1)), dim=-1)
        return (torch.stack(mas, dim=-1) * w).sum(-1)


def fourier_seasonality(z, k=3):
    """Sum of the k strongest non-constant (and non-Nyquist) rfft components of z [B, L, N]."""
    L = z.shape[1]
    X = torch.fft.rfft(z, dim=1)
    X = X[:, 1:-1] if L % 2 == 0 else X[:, 1:]
    idx = X.abs().topk(k, dim=1).indices  # [B, k, N]
    Xk = torch.gather(X, 1, idx)
    f = (idx + 1).to(z.dtype) / L
    t = torch.arange(L, dtype=z.dtype).view(1, L, 1, 1)
    amp = (2 * Xk.abs() / L).unsqueeze(1)
    phase = Xk.angle().unsqueeze(1)
    return (amp * torch.cos(2 * math.pi * f.unsqueeze(1) * t + phase)).sum(2)


def cv_squared(x):
    if x.shape[0] == 1:
        return torch.zeros((), dtype=x.dtype)
    return x.var() / (x.mean() ** 2 + 1e-10)


class AMS(nn.Module):
    def __init__(self, cfg, patch_sizes):
        super().__init__()
        self.cfg, self.E = cfg, len(patch_sizes)
        L = cfg.seq_len
        self.start_linear = nn.Linear(cfg.channels, 1)
        self.trend_model = _SeriesDecompMulti([4, 8, 12])
        self.experts = nn.ModuleList([TransformerLayer(cfg, p) for p in patch_sizes])
        self.w_noise = nn.Linear(L, self.E)
        self.w_gate = nn.Linear(L, self.E)
        # Built by the reference and never used; kept so that state_dicts and counts agree.
        self.end_MLP = nn.Module()
        self.end_MLP.fc = nn.Conv2d(L, L, 1)
        self.register_buffer("mean", torch.tensor([0.0]))
        self.register_buffer("std", torch.tensor([1.0]))

    def gating(self, h, noise):
        z = h[..., 0]
        z = z + fourier_seasonality(z) + self.trend_model.trend(z)
        z = self.start_linear(z).squeeze(-1)  # [B, L]
        clean = self.w_gate(z)
        k, E = self.cfg.k, self.E
        train = self.training
        if train:
            std = F.softplus(self.w_noise(z)) + 1e-2
            if noise is None:
                noise = torch.randn_like(clean)
            logits = clean + noise * std
        else:
            logits = clean
        top, top_idx = logits.topk(min(k + 1, E), dim=1)
        gates = torch.zeros_like(logits).scatter(1, top_idx[:, :k], torch.softmax(top[:, :k], 1))
        if train and k < E:
            normal = torch.distributions.Normal(torch.zeros((), dtype=z.dtype),
                                                torch.ones((), dtype=z.dtype))
            thr_in, thr_out = top[:, k:k + 1], top[:, k - 1:k]
            load = torch.where(logits > thr_in, normal.cdf((clean - thr_in) / std),
                               normal.cdf((clean - thr_out) / std)).sum(0)
        else:
            load = (gates > 0).sum(0).to(z.dtype)
        return gates, load

    def forward(self, h, noise=None):
        gates, load = self.gating(h, noise)
        loss = self.cfg.loss_coef * (cv_squared(gates.sum(0)) + cv_squared(load))
        out = torch.zeros_like(h)
        for e, expert in enumerate(self.experts):
            rows = torch.nonzero(gates[:, e] > 0).flatten()
            if rows.numel() == 0:
                continue
            y = expert(h[rows])
            g = gates[rows, e].view(-1, 1, 1, 1)
            if self.cfg.combine == "reference":
                y = y.exp()
            out = out.index_add(0, rows, y * g)
        if self.cfg.combine == "reference":
            out = out.log()
        if self.cfg.residual_connection:
            out = out + h
        return out, loss


class Pathformer(nn.Module):
    def __init__(self, cfg: PathformerConfig):
        super().__init__()
        self.cfg = cfg
        if cfg.revin:
            self.revin_layer = RevIN(cfg.channels, affine=False, subtract_last=False)
        self.start_fc = nn.Linear(1, cfg.d_model)
        self.AMS_lists = nn.ModuleList([AMS(cfg, ps) for ps in cfg.patch_size_list])
        self.projections = nn.Sequential(nn.Linear(cfg.seq_len * cfg.d_model, cfg.pred_len))

    def forward(self, x, gate_noise: Optional[list] = None):
        """x [B, L, N] -> ([B, T, N], balance loss summed over layers)."""
        if self.cfg.revin:
            x = self.revin_layer.norm(x)
        h = self.start_fc(x.unsqueeze(-1))
        loss = 0
        for i, layer in enumerate(self.AMS_lists):
            h, aux = layer(h, None if gate_noise is None else gate_noise[i])
            loss = loss + aux
        b = x.shape[0]
        y = self.projections(h.permute(0, 2, 1, 3).reshape(b, self.cfg.channels, -1))
        y = y.transpose(1, 2)
        if self.cfg.revin:
            y = self.revin_layer.denorm(y)
        return y, loss


def parameter_count(model, trainable_only=True):
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
