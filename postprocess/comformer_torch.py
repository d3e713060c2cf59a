"""ComFormer (iComFormer and eComFormer) in plain PyTorch, written from /work/shared/models/equivariant.md.

Module attribute names reproduce the state_dict keys of the reference code (divelab/AIRS
OpenMat/ComFormer, comformer/models/comformer.py and transformer.py), so its weights load here by
name, and golden files written from this model carry the names PortaFormer loads. No
torch_geometric / torch_scatter / e3nn (not packaged in Debian): messages are gathered with
index_select and summed with index_add; the spherical harmonics, real Clebsch-Gordan
coefficients and the fully connected tensor product follow e3nn's conventions as the
specification states them (component normalisation, y the polar axis, element path
normalisation). e3nn's constant buffers (the empty `tp.weight`, `tp.output_mask`, compiled
wigner-3j constants) are not reproduced: they carry no trained values. One addition: the reference reads 92 CGCNN features per element from
jarvis-tools' table; here they are a learned table `atom_features` (nn.Embedding(119, 92)) that
feeds the reference's `atom_embedding`.

The graph (periodic_graph below) follows graphs.py's k-nearest rule: each atom's k nearest
neighbours over periodic images with ties at the k-th distance kept, every undirected edge once
and emitted in both directions, plus ±lat_k self-loops. Written independently of the C++ code
(brute force over images) so the two can be compared.

Needs Debian's python3-torch (1.13): run with /usr/bin/python3.
"""
import itertools
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class Config:
    num_species: int = 119
    atom_input_features: int = 92
    node_features: int = 256
    edge_features: int = 256
    triplet_input_features: int = 256
    fc_features: int = 256
    output_features: int = 1
    conv_layers: int = 4


# ---- graph ---------------------------------------------------------------------------------------

def _lattice_triple(L, tol=1e-6):
    """Three shortest independent lattice vectors with graphs.py's sign conventions."""
    lengths = np.linalg.norm(L, axis=1)
    r = lengths.max() + 0.01
    recip = np.linalg.norm(np.linalg.inv(L), axis=0)  # |columns of L^-1|
    bound = [int(math.ceil(r * recip[a])) for a in range(3)]
    cands = []
    for n in itertools.product(*[range(-b, b + 1) for b in bound]):
        if n == (0, 0, 0):
            continue
        d = np.linalg.norm(np.array(n, float) @ L)
        if d <= r:
            cands.append((d, n))
    # Lengths within tol are one group, ordered by image (the reference's enumeration order).
    cands.sort(key=lambda t: t[0])
    groups, current = [], [cands[0]]
    for c in cands[1:]:
        if c[0] - current[-1][0] > tol:
            groups.append(current)
            current = [c]
        else:
            current.append(c)
    groups.append(current)
    order = [n for g in groups for _, n in sorted(g, key=lambda t: t[1])]
    imgs = [np.array(n) for n in order]
    lat1 = imgs[0]
    k = 1
    while np.all(np.cross(lat1, imgs[k]) == 0):
        k += 1
    lat2 = imgs[k]
    while round(np.dot(np.cross(lat1, lat2), imgs[k])) == 0:
        k += 1
    lat3 = imgs[k]
    v = [x.astype(float) @ L for x in (lat1, lat2, lat3)]
    lats = [lat1, lat2, lat3]
    for m in (1, 2):
        if np.dot(v[0], v[m]) / (np.linalg.norm(v[0]) * np.linalg.norm(v[m])) < -1e-10:
            lats[m], v[m] = -lats[m], -v[m]
    if np.dot(np.cross(v[0], v[1]), v[2]) < 0:
        lats = [-x for x in lats]
        v = [-x for x in v]
    return lats, np.array(v)


def periodic_graph(lattice, frac, k=12, tol=1e-6, use_lattice=True, search=4):
    """src, dst, displacement [E,3], lattice triple [3,3] of one structure."""
    L = np.asarray(lattice, float)
    f = np.mod(np.asarray(frac, float), 1.0)
    N = len(f)
    keys = set()
    for i in range(N):
        nb = []
        for n in itertools.product(range(-search, search + 1), repeat=3):
            for j in range(N):
                if i == j and n == (0, 0, 0):
                    continue
                d = np.linalg.norm((f[j] + n - f[i]) @ L)
                nb.append((d, j, n))
        nb.sort(key=lambda t: t[0])
        kth = nb[k - 1][0]
        for d, j, n in nb:
            if d <= kth + tol:
                keys.add(_canonical(i, j, n))
    lats, lat_vectors = _lattice_triple(L, tol)
    if use_lattice:
        for i in range(N):
            for n in lats:
                keys.add(_canonical(i, i, tuple(int(x) for x in n)))
    src, dst, disp = [], [], []
    for i, j, n in sorted(keys):
        r = (f[j] + np.array(n) - f[i]) @ L
        src += [i, j]
        dst += [j, i]
        disp += [r, -r]
    return np.array(src), np.array(dst), np.array(disp), lat_vectors


def _canonical(i, j, n):
    n = tuple(int(x) for x in n)
    if j < i:
        return (j, i, tuple(-x for x in n))
    if i == j:
        first = next(x for x in n if x != 0)
        if first < 0:
            return (i, i, tuple(-x for x in n))
    return (i, j, n)


def batch(graphs, species_list):
    """Concatenates per-structure graphs into flat tensors with node/edge → graph indices."""
    src, dst, disp, lat, z, node_graph, edge_graph = [], [], [], [], [], [], []
    shift = 0
    for g, (s, d, r, lv) in enumerate(graphs):
        n = len(species_list[g])
        src.append(s + shift)
        dst.append(d + shift)
        disp.append(r)
        lat.append(lv)
        z += list(species_list[g])
        node_graph += [g] * n
        edge_graph += [g] * len(s)
        shift += n
    return dict(src=torch.tensor(np.concatenate(src)), dst=torch.tensor(np.concatenate(dst)),
                displacement=torch.tensor(np.concatenate(disp)), lattice=torch.tensor(np.array(lat)),
                species=torch.tensor(z), node_graph=torch.tensor(node_graph),
                edge_graph=torch.tensor(edge_graph), num_graphs=len(graphs))


# ---- layers --------------------------------------------------------------------------------------

class RBFExpansion(nn.Module):
    # exp(-gamma (x - c)^2), centres linspace(vmin, vmax, bins), gamma = 1 / spacing.
    def __init__(self, vmin, vmax, bins):
        super().__init__()
        self.register_buffer("centers", torch.linspace(vmin, vmax, bins))
        self.gamma = (bins - 1) / (vmax - vmin)

    def forward(self, x):
        return torch.exp(-self.gamma * (x.unsqueeze(-1) - self.centers) ** 2)


def silu_mlp(c_in, c_out):
    return nn.Sequential(nn.Linear(c_in, c_out), nn.SiLU(), nn.Linear(c_out, c_out))


class ComformerConv(nn.Module):
    """Node attention: channel-wise sigmoid gate (no softmax), sum onto the receiving node."""

    def __init__(self, C):
        super().__init__()
        self.C = C
        self.lin_key = nn.Linear(C, C)
        self.lin_query = nn.Linear(C, C)
        self.lin_value = nn.Linear(C, C)
        self.lin_edge = nn.Linear(C, C)
        self.lin_concate = nn.Linear(C, C)
        self.lin_msg_update = silu_mlp(3 * C, C)
        self.key_update = silu_mlp(3 * C, C)
        self.bn = nn.BatchNorm1d(C)
        self.bn_att = nn.BatchNorm1d(C)

    def forward(self, h, src, dst, edge):
        q, k, v = self.lin_query(h), self.lin_key(h), self.lin_value(h)
        e = self.lin_edge(edge)
        key = self.key_update(torch.cat((k[dst], k[src], e), dim=-1))
        alpha = q[dst] * key / math.sqrt(self.C)
        msg = self.lin_msg_update(torch.cat((v[dst], v[src], e), dim=-1))
        msg = msg * torch.sigmoid(self.bn_att(alpha))
        out = torch.zeros_like(h).index_add_(0, dst, msg)
        return F.softplus(h + self.bn(self.lin_concate(out)))


class ComformerConvEdge(nn.Module):
    """The one-time edge update from the lattice lengths and edge–lattice angles."""

    def __init__(self, C):
        super().__init__()
        self.C = C
        self.lemb = nn.Embedding(3, 32)  # registered by the reference, never used
        self.lin_key = nn.Linear(C, C)
        self.lin_query = nn.Linear(C, C)
        self.lin_value = nn.Linear(C, C)
        self.lin_key_e1 = nn.Linear(C, C)
        self.lin_value_e1 = nn.Linear(C, C)
        self.lin_key_e2 = nn.Linear(C, C)
        self.lin_value_e2 = nn.Linear(C, C)
        self.lin_key_e3 = nn.Linear(C, C)
        self.lin_value_e3 = nn.Linear(C, C)
        self.lin_edge = nn.Linear(C, C, bias=False)
        self.lin_edge_len = nn.Linear(C + 32, C)  # registered by the reference, never used
        self.lin_concate = nn.Linear(C, C)
        self.lin_msg_update = silu_mlp(3 * C, C)
        self.key_update = silu_mlp(3 * C, C)
        self.bn_att = nn.BatchNorm1d(C)
        self.bn = nn.BatchNorm1d(C)

    def forward(self, edge, nei_len, nei_angle):
        # edge [E, C], nei_len [E, 3, C], nei_angle [E, 3, C] -> [E, C]
        E, C = edge.shape
        query = self.lin_query(edge).unsqueeze(1).expand(E, 3, C)
        key_x = self.lin_key(edge).unsqueeze(1).expand(E, 3, C)
        value_x = self.lin_value(edge).unsqueeze(1).expand(E, 3, C)
        key_y = torch.stack([self.lin_key_e1(nei_len[:, 0]), self.lin_key_e2(nei_len[:, 1]),
                             self.lin_key_e3(nei_len[:, 2])], dim=1)
        value_y = torch.stack([self.lin_value_e1(nei_len[:, 0]), self.lin_value_e2(nei_len[:, 1]),
                               self.lin_value_e3(nei_len[:, 2])], dim=1)
        edge_xy = self.lin_edge(nei_angle)
        key = self.key_update(torch.cat((key_x, key_y, edge_xy), dim=-1))
        alpha = query * key / math.sqrt(C)
        out = self.lin_msg_update(torch.cat((value_x, value_y, edge_xy), dim=-1))
        out = out * torch.sigmoid(self.bn_att(alpha.reshape(-1, C))).reshape(E, 3, C)
        out = self.lin_concate(out).sum(dim=1)
        return F.softplus(edge + self.bn(out))


def edge_inputs(g):
    r = g["displacement"]
    lat = g["lattice"][g["edge_graph"]]  # [E, 3, 3]
    inv_dist = -0.75 / r.norm(dim=1)
    inv_lat = -0.75 / lat.norm(dim=-1)  # [E, 3]
    cos = (lat * r.unsqueeze(1)).sum(-1) / (lat.norm(dim=-1) * r.norm(dim=1, keepdim=True))
    return inv_dist, inv_lat, cos.clamp(-1, 1)


def mean_pool(h, g):
    G = g["num_graphs"]
    total = torch.zeros(G, h.shape[1], dtype=h.dtype).index_add_(0, g["node_graph"], h)
    count = torch.zeros(G, dtype=h.dtype).index_add_(0, g["node_graph"], torch.ones_like(h[:, 0]))
    return total / count.unsqueeze(1)


class iComformer(nn.Module):
    def __init__(self, cfg=Config()):
        super().__init__()
        C = cfg.node_features
        self.atom_features = nn.Embedding(cfg.num_species, cfg.atom_input_features)
        self.atom_embedding = nn.Linear(cfg.atom_input_features, C)
        self.rbf = nn.Sequential(RBFExpansion(-4.0, 0.0, cfg.edge_features),
                                 nn.Linear(cfg.edge_features, C), nn.Softplus())
        self.rbf_angle = nn.Sequential(RBFExpansion(-1.0, 1.0, cfg.triplet_input_features),
                                       nn.Linear(cfg.triplet_input_features, C), nn.Softplus())
        self.att_layers = nn.ModuleList([ComformerConv(C) for _ in range(cfg.conv_layers)])
        self.edge_update_layer = ComformerConvEdge(C)
        self.fc = nn.Sequential(nn.Linear(C, cfg.fc_features), nn.SiLU())
        self.fc_out = nn.Linear(cfg.fc_features, cfg.output_features)

    def forward(self, g):
        src, dst = g["src"], g["dst"]
        h = self.atom_embedding(self.atom_features(g["species"]))
        inv_dist, inv_lat, cos = edge_inputs(g)
        E = inv_dist.shape[0]
        edge = self.rbf(inv_dist)
        nei_len = self.rbf(inv_lat.reshape(-1)).reshape(E, 3, -1)
        nei_angle = self.rbf_angle(cos.reshape(-1)).reshape(E, 3, -1)
        h = self.att_layers[0](h, src, dst, edge)
        edge = self.edge_update_layer(edge, nei_len, nei_angle)
        for layer in self.att_layers[1:]:
            h = layer(h, src, dst, edge)
        return self.fc_out(self.fc(mean_pool(h, g)))


# ---- O(3) pieces for eComFormer --------------------------------------------------------------

def spherical_harmonics(r):
    """Y^l(r/|r|), l = 0..2, component normalisation, e3nn's basis: [E, 3] -> [E, 9]."""
    u = r / r.norm(dim=-1, keepdim=True).clamp_min(1e-300)
    x, y, z = u.unbind(-1)
    s3, s5, s15 = math.sqrt(3), math.sqrt(5), math.sqrt(15)
    return torch.stack([torch.ones_like(x), s3 * x, s3 * y, s3 * z,
                        s15 * x * z, s15 * x * y, s5 * (y * y - 0.5 * (x * x + z * z)),
                        s15 * y * z, 0.5 * s15 * (z * z - x * x)], dim=-1)


def _cg(j1, m1, j2, m2, j3, m3):
    """Complex Clebsch-Gordan coefficient (Racah's formula)."""
    f = math.factorial
    if m3 != m1 + m2 or not abs(j1 - j2) <= j3 <= j1 + j2:
        return 0.0
    pre = math.sqrt((2 * j3 + 1) * f(j3 + j1 - j2) * f(j3 - j1 + j2) * f(j1 + j2 - j3)
                    / f(j1 + j2 + j3 + 1))
    pre *= math.sqrt(f(j3 + m3) * f(j3 - m3) * f(j1 - m1) * f(j1 + m1) * f(j2 - m2) * f(j2 + m2))
    total = 0.0
    for k in range(0, j1 + j2 - j3 + 1):
        d = [j1 + j2 - j3 - k, j1 - m1 - k, j2 + m2 - k, j3 - j2 + m1 + k, j3 - j1 - m2 + k]
        if min(d) < 0:
            continue
        total += (-1) ** k / (f(k) * np.prod([f(v) for v in d]))
    return pre * total


def _real_to_complex(l):
    q = np.zeros((2 * l + 1, 2 * l + 1), complex)
    s = 1 / math.sqrt(2)
    for m in range(-l, 0):
        q[l + m, l - m] = s
        q[l + m, l + m] = -1j * s
    q[l, l] = 1
    for m in range(1, l + 1):
        q[l + m, l + m] = (-1) ** m * s
        q[l + m, l - m] = 1j * (-1) ** m * s
    return (-1j) ** l * q


def wigner_3j(l1, l2, l3):
    """Real coupling tensor [2l1+1, 2l2+1, 2l3+1] in the harmonics' basis, unit Frobenius norm."""
    cg = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            if abs(m1 + m2) <= l3:
                cg[l1 + m1, l2 + m2, l3 + m1 + m2] = _cg(l1, m1, l2, m2, l3, m1 + m2)
    c = np.einsum("ia,kb,nc,ikn->abc", _real_to_complex(l1), _real_to_complex(l2),
                  np.conj(_real_to_complex(l3)), cg)
    assert np.abs(c.imag).max() < 1e-12
    c = c.real
    return torch.tensor(c / np.linalg.norm(c))


class FullyConnectedTensorProduct(nn.Module):
    """e3nn's FullyConnectedTensorProduct(in1, in2, out, shared_weights=False) for irreps of
    natural parity given as [(mul, l)], in2 of multiplicity 1: per-sample weights, component
    irrep normalisation, element path normalisation."""

    def __init__(self, in1, in2, out):
        super().__init__()
        self.in1, self.in2, self.out = in1, in2, out
        self.paths, n = [], 0
        for i1, (mul1, l1) in enumerate(in1):
            for i2, (_, l2) in enumerate(in2):
                for o, (mul_o, lo) in enumerate(out):
                    if abs(l1 - l2) <= lo <= l1 + l2 and (l1 + l2 + lo) % 2 == 0:
                        self.paths.append((i1, i2, o, n))
                        n += mul1 * mul_o
        self.weight_numel = n
        fan_in = {}
        for i1, _, o, _ in self.paths:
            fan_in[o] = fan_in.get(o, 0) + in1[i1][0]
        self.scales = [math.sqrt((2 * out[o][1] + 1) / fan_in[o]) for _, _, o, _ in self.paths]
        self.cgs = [wigner_3j(in1[i1][1], in2[i2][1], out[o][1]) for i1, i2, o, _ in self.paths]

    @staticmethod
    def _split(x, irreps):
        blocks, off = [], 0
        for mul, l in irreps:
            d = 2 * l + 1
            blocks.append(x[:, off:off + mul * d].reshape(x.shape[0], mul, d))
            off += mul * d
        return blocks

    def forward(self, x1, x2, w):
        E = x1.shape[0]
        b1, b2 = self._split(x1, self.in1), self._split(x2, self.in2)
        outs = [torch.zeros(E, mul, 2 * l + 1, dtype=x1.dtype) for mul, l in self.out]
        for (i1, i2, o, off), scale, C in zip(self.paths, self.scales, self.cgs):
            mul1, mul_o = self.in1[i1][0], self.out[o][0]
            wp = w[:, off:off + mul1 * mul_o].reshape(E, mul1, mul_o)
            outs[o] = outs[o] + scale * torch.einsum("euw,ijk,eui,ej->ewk", wp, C.to(x1.dtype),
                                                     b1[i1], b2[i2][:, 0])
        return torch.cat([t.reshape(E, -1) for t in outs], dim=1)


SH_IRREPS = [(1, 0), (1, 1), (1, 2)]


class TensorProductConvLayer(nn.Module):
    def __init__(self, in_irreps, out_irreps, n_edge_features, residual):
        super().__init__()
        self.tp = FullyConnectedTensorProduct(in_irreps, SH_IRREPS, out_irreps)
        self.fc = nn.Sequential(nn.Linear(n_edge_features, n_edge_features), nn.Softplus(),
                                nn.Linear(n_edge_features, self.tp.weight_numel))
        self.residual = residual

    def forward(self, h, src, dst, edge, sh):
        tp = self.tp(h[dst], sh, self.fc(edge))
        total = torch.zeros(h.shape[0], tp.shape[1], dtype=h.dtype).index_add_(0, src, tp)
        count = torch.zeros(h.shape[0], dtype=h.dtype).index_add_(0, src, torch.ones_like(tp[:, 0]))
        out = total / count.clamp_min(1).unsqueeze(1)
        if self.residual:
            out = out + F.pad(h, (0, out.shape[1] - h.shape[1]))
        return out


class ComformerConvEqui(nn.Module):
    def __init__(self, C, edge_dim, ns=64, nv=8):
        super().__init__()
        self.node_linear = nn.Linear(C, ns)
        self.skip_linear = nn.Linear(C, C)
        hidden = [(ns, 0), (nv, 1), (nv, 2)]
        self.nlayer_1 = TensorProductConvLayer([(ns, 0)], hidden, edge_dim, residual=True)
        self.nlayer_2 = TensorProductConvLayer(hidden, [(ns, 0)], edge_dim, residual=False)
        self.bn = nn.BatchNorm1d(ns)
        self.node_linear_2 = nn.Linear(ns, C)

    def forward(self, h, src, dst, edge, r):
        sh = spherical_harmonics(r)
        x = self.node_linear(h)
        x = self.nlayer_1(x, src, dst, edge, sh)
        x = self.nlayer_2(x, src, dst, edge, sh)
        x = F.softplus(self.node_linear_2(F.softplus(self.bn(x))))
        return x + self.skip_linear(h)


class eComformer(nn.Module):
    def __init__(self, cfg=Config(conv_layers=3), ns=64, nv=8):
        super().__init__()
        C = cfg.node_features
        self.atom_features = nn.Embedding(cfg.num_species, cfg.atom_input_features)
        self.atom_embedding = nn.Linear(cfg.atom_input_features, C)
        self.rbf = nn.Sequential(RBFExpansion(-4.0, 0.0, cfg.edge_features),
                                 nn.Linear(cfg.edge_features, C), nn.Softplus())
        self.att_layers = nn.ModuleList([ComformerConv(C) for _ in range(cfg.conv_layers)])
        self.equi_update = ComformerConvEqui(C, C, ns, nv)
        self.fc = nn.Sequential(nn.Linear(C, cfg.fc_features), nn.SiLU())
        self.fc_out = nn.Linear(cfg.fc_features, cfg.output_features)

    def forward(self, g):
        src, dst = g["src"], g["dst"]
        h = self.atom_embedding(self.atom_features(g["species"]))
        inv_dist, _, _ = edge_inputs(g)
        edge = self.rbf(inv_dist)
        h = self.att_layers[0](h, src, dst, edge)
        h = self.equi_update(h, src, dst, edge, g["displacement"])
        for layer in self.att_layers[1:]:
            h = layer(h, src, dst, edge)
        return self.fc_out(self.fc(mean_pool(h, g)))


def _count(m):
    total = sum(p.numel() for p in m.parameters())
    table = sum(p.numel() for n, p in m.named_parameters() if n.startswith("atom_features"))
    return total, total - table


if __name__ == "__main__":
    print("iComformer parameters (with, without the atom-feature table):", _count(iComformer()))
    print("eComformer parameters (with, without the atom-feature table):",
          _count(eComformer(Config(conv_layers=3))))
    for l1, l2, l3 in [(1, 1, 0), (2, 2, 0), (0, 1, 1), (0, 2, 2), (1, 1, 2)]:
        print(f"wigner_3j{(l1, l2, l3)} first non-zero:",
              float(wigner_3j(l1, l2, l3).flatten()[wigner_3j(l1, l2, l3).flatten().abs() > 1e-9][0]))
