"""ComFormer (iComFormer) in plain PyTorch, written from /work/shared/models/equivariant.md.

Module attribute names reproduce the state_dict keys of the reference code (divelab/AIRS
OpenMat/ComFormer, comformer/models/comformer.py and transformer.py), so its weights load here by
name, and golden files written from this model carry the names PortaFormer loads. No
torch_geometric / torch_scatter (not packaged in Debian): messages are gathered with index_select
and summed with index_add. One addition: the reference reads 92 CGCNN features per element from
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


if __name__ == "__main__":
    m = iComformer()
    print("iComformer parameters:", sum(p.numel() for p in m.parameters()),
          "without atom_features:", sum(p.numel() for n, p in m.named_parameters()
                                        if not n.startswith("atom_features")))
