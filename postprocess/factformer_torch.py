"""FactFormer-2D in plain PyTorch, written from /work/shared/models/factformer.md.

Module attribute names reproduce the state_dict keys of the reference code
(BaratiLab/FactFormer, examples/turb_ns2d_fact_lm.py), so weights trained there load here by
name, and golden files written from this model carry the names PortaFormer loads.
Differences from the reference on purpose: no einops (not packaged in Debian), and the
domain-wise group norm returns the grid shape (the reference's newest version returns [b, N, C]).

Needs Debian's python3-torch (1.13): run with /usr/bin/python3.
"""
import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class Config:
    in_channels: int = 10          # input time window × fields
    out_channels: int = 1
    dim: int = 128
    depth: int = 4
    heads: int = 8
    dim_head: int = 64
    kernel_multiplier: int = 2
    latent_multiplier: float = 2.0
    max_latent_steps: int = 4
    fourier_scale: float = 8.0
    fourier_features: int = 64     # the reference uses dim // 2
    domain_length: float = 2 * math.pi

    @property
    def latent_dim(self):
        return int(self.dim * self.latent_multiplier)


class PreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x))


class GeGLU(nn.Module):
    def forward(self, x):
        half = x.shape[-1] // 2
        return F.gelu(x[..., :half]) * x[..., half:]


class MLP(nn.Module):
    # Named like the reference's MLP: Linear, act, Dropout per hidden layer (net.0, net.3).
    def __init__(self, widths, act):
        super().__init__()
        layers = []
        for i in range(len(widths) - 1):
            hidden = i < len(widths) - 2
            out = widths[i + 1] * (2 if hidden and isinstance(act, GeGLU) else 1)
            layers.append(nn.Linear(widths[i], out))
            if hidden:
                layers += [act, nn.Dropout(0.0)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class PoolingReducer(nn.Module):
    # x [b, n_a, ..., c] -> [b, n_a, c]: project, average every other axis, GeGLU MLP.
    def __init__(self, dim):
        super().__init__()
        self.to_in = nn.Linear(dim, dim, bias=False)
        self.out_ffn = PreNorm(dim, MLP([dim, dim, dim], GeGLU()))

    def forward(self, x):
        x = self.to_in(x)
        x = x.mean(dim=tuple(range(2, x.dim() - 1)))
        return self.out_ffn(x)


class SwapXY(nn.Module):
    def forward(self, x):
        return x.transpose(1, 2)


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, min_freq=1 / 64, scale=1.0):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim)))
        self.min_freq = min_freq
        self.scale = scale

    def forward(self, coords):
        # coords [n] -> frequencies [n, dim]
        t = coords.type_as(self.inv_freq) * (self.scale / self.min_freq)
        freqs = t[:, None] * self.inv_freq[None, :]
        return torch.cat((freqs, freqs), dim=-1)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rotary(t, freqs):
    return t * freqs.cos() + rotate_half(t) * freqs.sin()


class LowRankKernel(nn.Module):
    # u [b, n, C] -> K [b, h, n, n] = rope(q) rope(k)^T * scaling
    def __init__(self, dim, dim_head, heads, scaling):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim_head * heads, bias=False)
        self.to_k = nn.Linear(dim, dim_head * heads, bias=False)
        self.pos_emb = RotaryEmbedding(dim_head)
        nn.init.xavier_uniform_(self.to_q.weight, gain=0.02)
        nn.init.xavier_uniform_(self.to_k.weight, gain=0.02)
        self.scaling = scaling

    def forward(self, u, pos):
        b, n, _ = u.shape
        q = self.to_q(u).view(b, n, self.heads, -1).transpose(1, 2)
        k = self.to_k(u).view(b, n, self.heads, -1).transpose(1, 2)
        freqs = self.pos_emb(pos)
        q, k = apply_rotary(q, freqs), apply_rotary(k, freqs)
        return torch.einsum("bhid,bhjd->bhij", q, k) * self.scaling


class DomainGroupNorm(nn.Module):
    # Per (sample, head): mean and unbiased variance over every grid point and channel of the head.
    def __init__(self, groups, eps=1e-8):
        super().__init__()
        self.groups, self.eps = groups, eps

    def forward(self, x):
        shape = x.shape
        g = x.reshape(shape[0], -1, self.groups, shape[-1] // self.groups)
        mean = g.mean(dim=(1, 3), keepdim=True)
        var = g.var(dim=(1, 3), keepdim=True)
        return ((g - mean) / (var + self.eps).sqrt()).reshape(shape)


class FABlock2D(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        c, h, dh = cfg.dim, cfg.heads, cfg.dim_head
        dk = dh * cfg.kernel_multiplier
        scaling = 1 / math.sqrt(dk) if cfg.kernel_multiplier > 4 else 1.0
        self.heads = h
        self.in_norm = nn.LayerNorm(c)
        self.to_v = nn.Linear(c, h * dh, bias=False)
        self.to_in = nn.Linear(c, c, bias=False)
        self.to_x = nn.Sequential(PoolingReducer(c))
        self.to_y = nn.Sequential(SwapXY(), PoolingReducer(c))
        self.low_rank_kernel_x = LowRankKernel(c, dk, h, scaling)
        self.low_rank_kernel_y = LowRankKernel(c, dk, h, scaling)
        self.to_out = nn.Sequential(DomainGroupNorm(h), nn.Linear(h * dh, c, bias=False), nn.GELU(),
                                    nn.Linear(c, c, bias=False))

    def forward(self, u, pos_x, pos_y):
        b, nx, ny, _ = u.shape
        u = self.in_norm(u)
        v = self.to_v(u)
        u = self.to_in(u)
        k_x = self.low_rank_kernel_x(self.to_x(u), pos_x)
        k_y = self.low_rank_kernel_y(self.to_y(u), pos_y)
        v = v.view(b, nx, ny, self.heads, -1)
        w = torch.einsum("bhij,bjmhc->bhimc", k_x, v)
        w = torch.einsum("bhlm,bhimc->bilhc", k_y, w)
        return self.to_out(w.reshape(b, nx, ny, -1))


class GaussianFourierFeatures(nn.Module):
    def __init__(self, in_dim, features, scale):
        super().__init__()
        self._B = nn.Parameter(torch.randn(in_dim, features) * scale, requires_grad=False)

    def forward(self, p):
        x = 2 * math.pi * (p @ self._B)
        return torch.cat([torch.sin(x), torch.cos(x)], dim=-1)


class FactorizedTransformer(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.layers = nn.ModuleList()
        for _ in range(cfg.depth):
            pos_enc = nn.Sequential(GaussianFourierFeatures(2, cfg.fourier_features, cfg.fourier_scale),
                                    nn.Linear(2 * cfg.fourier_features, cfg.dim))
            self.layers.append(nn.ModuleList([pos_enc, FABlock2D(cfg)]))

    def forward(self, u, pos_x, pos_y):
        grid = torch.stack(torch.meshgrid(pos_x, pos_y, indexing="ij"), dim=-1)
        for pos_enc, block in self.layers:
            u = u + pos_enc(grid).unsqueeze(0)
            u = block(u, pos_x, pos_y) + u
        return u


class FactFormer2D(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        c, lat = cfg.dim, cfg.latent_dim
        self.to_in = nn.Linear(cfg.in_channels, c)
        self.encoder = FactorizedTransformer(cfg)
        self.expand_latent = nn.Linear(c, lat, bias=False)
        self.latent_time_emb = nn.Parameter(torch.randn(1, cfg.max_latent_steps, 1, 1, lat) * 0.02)
        self.propagator = PreNorm(lat, MLP([lat, c, lat], nn.GELU()))
        self.simple_to_out = nn.Sequential(
            nn.Identity(),  # the reference's Rearrange sits here (index 0)
            nn.GroupNorm(int(8 * cfg.latent_multiplier), lat),
            nn.Conv1d(lat, c, 1, groups=8, bias=False), nn.GELU(),
            nn.Conv1d(c, c // 2, 1, bias=False), nn.GELU(),
            nn.Conv1d(c // 2, cfg.out_channels, 1, bias=True))

    def positions(self, nx, ny, dtype):
        # torch.linspace in fp32 as the reference, then cast
        px = torch.linspace(0, self.cfg.domain_length, nx, dtype=torch.float32).to(dtype)
        py = torch.linspace(0, self.cfg.domain_length, ny, dtype=torch.float32).to(dtype)
        return px, py

    def forward(self, u, latent_steps=1):
        # u [b, nx, ny, in_channels] -> [b, latent_steps, nx, ny, out_channels]
        b, nx, ny, _ = u.shape
        px, py = self.positions(nx, ny, u.dtype)
        u = self.encoder(self.to_in(u), px, py)
        z = self.expand_latent(u)
        outs = []
        for t in range(latent_steps):
            z = z + self.latent_time_emb[:, t]
            z = self.propagator(z) + z
            outs.append(z)
        z = torch.cat(outs, dim=0).reshape(latent_steps * b, nx * ny, -1).transpose(1, 2)
        y = self.simple_to_out(z)  # [(t b), out, nx*ny]
        return y.reshape(latent_steps, b, -1, nx, ny).permute(1, 0, 3, 4, 2)


def rel_l2_loss(pred, target):
    # mean over samples of ||pred - target|| / ||target||
    b = pred.shape[0]
    d = (pred - target).reshape(b, -1).norm(dim=1)
    return (d / target.reshape(b, -1).norm(dim=1)).mean()


def trainable_and_frozen(model):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    return trainable, frozen


# ---------------------------------------------------------------------------------------------
# FactFormer-3D (the reference's examples/threed_smokesim_fact_lm.py), smoke configuration as
# defaults. Input in the reference's layout [b, fields, times, nx, ny, nz]; coordinates
# linspace(0, L, n) per axis plus `padding` points L + k·L/n (k = 1..padding) for the zero cells
# padded at the end of each axis.

@dataclass
class Config3D:
    in_fields: int = 4
    in_steps: int = 4              # the reference's in_time_window
    out_fields: int = 4
    dim: int = 128
    depth: int = 3
    heads: int = 6
    dim_head: int = 64
    kernel_multiplier: int = 3
    latent_multiplier: float = 1.5
    max_latent_steps: int = 4
    padding: int = 2
    fourier_scale: float = 1.0
    fourier_features: int = 64     # the reference uses dim // 2
    domain_length: float = 8.0

    @property
    def latent_dim(self):
        return int(self.dim * self.latent_multiplier)


class Rearrange3D(nn.Module):
    # the reference's Rearrange moving axis `axis` (1-based spatial) to the front
    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return x.movedim(self.axis, 1)


class FABlock3D(nn.Module):
    def __init__(self, cfg: Config3D):
        super().__init__()
        c, h, dh = cfg.dim, cfg.heads, cfg.dim_head
        dk = dh * cfg.kernel_multiplier
        scaling = 1 / math.sqrt(dk) if cfg.kernel_multiplier > 4 else 1.0
        self.heads = h
        self.in_norm = nn.LayerNorm(c)
        self.to_v = nn.Linear(c, h * dh, bias=False)
        self.to_in = nn.Linear(c, c, bias=False)
        self.to_x = nn.Sequential(PoolingReducer(c))
        self.to_y = nn.Sequential(Rearrange3D(2), PoolingReducer(c))  # b ny nx nz c
        self.to_z = nn.Sequential(Rearrange3D(3), PoolingReducer(c))  # b nz nx ny c
        self.low_rank_kernel_x = LowRankKernel(c, dk, h, scaling)
        self.low_rank_kernel_y = LowRankKernel(c, dk, h, scaling)
        self.low_rank_kernel_z = LowRankKernel(c, dk, h, scaling)
        self.to_out = nn.Sequential(DomainGroupNorm(h), nn.Linear(h * dh, c, bias=False), nn.GELU(),
                                    nn.Linear(c, c, bias=False))

    def forward(self, u, pos_x, pos_y, pos_z):
        b, nx, ny, nz, _ = u.shape
        u = self.in_norm(u)
        v = self.to_v(u)
        u = self.to_in(u)
        k_x = self.low_rank_kernel_x(self.to_x(u), pos_x)
        k_y = self.low_rank_kernel_y(self.to_y(u), pos_y)
        k_z = self.low_rank_kernel_z(self.to_z(u), pos_z)
        v = v.view(b, nx, ny, nz, self.heads, -1)
        w = torch.einsum("bhij,bjmshc->bhimsc", k_x, v)
        w = torch.einsum("bhlm,bhimsc->bhilsc", k_y, w)
        w = torch.einsum("bhrs,bhilsc->bilrhc", k_z, w)
        return self.to_out(w.reshape(b, nx, ny, nz, -1))


class FactorizedTransformer3D(nn.Module):
    def __init__(self, cfg: Config3D):
        super().__init__()
        self.layers = nn.ModuleList()
        for _ in range(cfg.depth):
            pos_enc = nn.Sequential(GaussianFourierFeatures(3, cfg.fourier_features, cfg.fourier_scale),
                                    nn.Linear(2 * cfg.fourier_features, cfg.dim))
            self.layers.append(nn.ModuleList([pos_enc, FABlock3D(cfg)]))

    def forward(self, u, pos_x, pos_y, pos_z):
        grid = torch.stack(torch.meshgrid(pos_x, pos_y, pos_z, indexing="ij"), dim=-1)
        for pos_enc, block in self.layers:
            u = u + pos_enc(grid).unsqueeze(0)
            u = block(u, pos_x, pos_y, pos_z) + u
        return u


class FactFormer3D(nn.Module):
    def __init__(self, cfg: Config3D):
        super().__init__()
        self.cfg = cfg
        c, lat = cfg.dim, cfg.latent_dim
        self.to_in = nn.Sequential(
            nn.Conv2d(cfg.in_fields, c // 2, kernel_size=1, groups=cfg.in_fields), nn.GELU(),
            nn.Conv2d(c // 2, c, kernel_size=(cfg.in_steps, 1), bias=False))
        self.encoder = FactorizedTransformer3D(cfg)
        self.down_block = nn.Sequential(
            nn.InstanceNorm3d(c),
            nn.Conv3d(c, c // 2, kernel_size=3, stride=2, padding=1), nn.GELU(),
            nn.Conv3d(c // 2, c // 2, kernel_size=3, padding=1))
        self.up_block = nn.Sequential(
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv3d(c // 2, c // 2, kernel_size=3, padding=1), nn.GELU(),
            nn.Conv3d(c // 2, c, kernel_size=3, padding=1))
        self.expand_latent = nn.Linear(2 * c, lat, bias=False)
        self.latent_time_emb = nn.Parameter(torch.randn(1, cfg.max_latent_steps, 1, 1, 1, lat) * 0.02)
        self.propagator = PreNorm(lat, MLP([lat, c, lat], nn.GELU()))
        self.simple_to_out = nn.Sequential(
            nn.Identity(),  # the reference's Rearrange sits here (index 0)
            nn.GroupNorm(int(8 * cfg.latent_multiplier), lat),
            nn.Conv1d(lat, c, 1, groups=8, bias=False), nn.GELU(),
            nn.Conv1d(c, c // 2, 1, bias=False), nn.GELU(),
            nn.Conv1d(c // 2, cfg.out_fields, 1, bias=True))

    def axis_positions(self, n, dtype):
        # as the reference's step_fn: fp32 linspaces, the pad points spaced L / n
        p = torch.linspace(0, self.cfg.domain_length, n, dtype=torch.float32)
        if self.cfg.padding > 0:
            dx = self.cfg.domain_length / n
            pad = torch.linspace(self.cfg.domain_length + dx,
                                 self.cfg.domain_length + self.cfg.padding * dx, self.cfg.padding,
                                 dtype=torch.float32)
            p = torch.cat([p, pad])
        return p.to(dtype)

    def forward(self, u, latent_steps=1):
        # u [b, fields, times, nx, ny, nz] -> [b, latent_steps, nx, ny, nz, out_fields]
        b, _, t, nx, ny, nz = u.shape
        pad = self.cfg.padding
        u = self.to_in(u.reshape(b, self.cfg.in_fields, t, nx * ny * nz))
        u = u.reshape(b, -1, nx, ny, nz)
        if pad > 0:
            u = F.pad(u, [0, pad, 0, pad, 0, pad])
        u = u.permute(0, 2, 3, 4, 1)
        px, py, pz = (self.axis_positions(n, u.dtype) for n in (nx, ny, nz))
        u = self.encoder(u, px, py, pz)
        if pad > 0:
            u = u[:, :-pad, :-pad, :-pad, :]
        u_last = u
        u = self.up_block(self.down_block(u.permute(0, 4, 1, 2, 3)))
        u = torch.cat([u.permute(0, 2, 3, 4, 1), u_last], dim=-1)
        z = self.expand_latent(u)
        outs = []
        for step in range(latent_steps):
            z = z + self.latent_time_emb[:, step]
            z = self.propagator(z) + z
            outs.append(z)
        z = torch.cat(outs, dim=0).reshape(latent_steps * b, nx * ny * nz, -1).transpose(1, 2)
        y = self.simple_to_out(z)  # [(t b), out, nx*ny*nz]
        return y.reshape(latent_steps, b, -1, nx, ny, nz).permute(1, 0, 3, 4, 5, 2)


def smoke_loss(pred, target):
    # the reference's smoke loss: relative L2 of the velocity (channels 1:) plus that of the
    # density (channel 0), each over (t, x, y, z[, c]) per sample and summed over samples
    def rel(p, t):
        b = p.shape[0]
        return ((p - t).reshape(b, -1).norm(dim=1) / t.reshape(b, -1).norm(dim=1)).sum()
    return rel(pred[..., 1:], target[..., 1:]) + rel(pred[..., 0], target[..., 0])
