"""Graph neural networks by hand: normalized adjacency, one GCN step, one GraphSAGE step
(numpy).

Conventions (Kipf & Welling 2017; the dense form of PyTorch Geometric's `GCNConv` and
`SAGEConv`, without biases): node features are the rows of H (nodes x in); weights are
in x out and multiply on the right (H W), as in the paper's formula; self-loops are
A + I; degrees are the row sums of A + I (of A without self-loops); a node of degree 0
gets 1/0 taken as 0, as PyG does. Node v's neighbours are the u with A[v][u] ≠ 0.
"""

from __future__ import annotations

import numpy as np

from solvers.fmt import latex_matrix, latex_vec, matrix_text, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # matrix products
MAX_NODES = 100  # the normalized adjacency is listed cell by cell

ACTIVATIONS = ("relu", "none", "sigmoid", "tanh")
ACTIVATION_LATEX = {"relu": r"\mathrm{ReLU}", "none": "", "sigmoid": r"\sigma", "tanh": r"\tanh"}


def activate(name: str, x: np.ndarray) -> np.ndarray:
    """relu, none (identity), sigmoid (written through tanh, so it cannot overflow), tanh."""
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * x))
    if name == "tanh":
        return np.tanh(x)
    return x


def graph(adjacency: list[list[float]]) -> np.ndarray:
    """The adjacency matrix checked: square, at most MAX_NODES nodes, no negative entry."""
    a = np.asarray(adjacency, dtype=float)
    n = a.shape[0]
    if a.shape[1] != n:
        raise SolverInputError("adjacency", f"expected a square matrix (nodes x nodes), got "
                                            f"{a.shape[0]} x {a.shape[1]}")
    if n > MAX_NODES:
        raise SolverInputError("adjacency", f"{n} nodes; this by-hand solver takes at most "
                                            f"{MAX_NODES}")
    if (a < 0).any():
        raise SolverInputError("adjacency", "edge weights must not be negative (a degree "
                                            "would have no square root)")
    return a


def inverse_power(degrees: np.ndarray, power: float) -> np.ndarray:
    """degrees ** −power, with 0 where a degree is 0 (an isolated node, as PyG)."""
    out = np.zeros_like(degrees)
    positive = degrees > 0
    out[positive] = degrees[positive] ** -power
    return out


def normalize(a: np.ndarray, self_loops: bool, normalization: str):
    """(Ã = A (+ I), degrees = row sums of Ã, Â): sym D^-½ÃD^-½, rw D^-1Ã, none Ã."""
    a_tilde = a + np.eye(len(a)) if self_loops else a.copy()
    degrees = a_tilde.sum(axis=1)
    if normalization == "sym":
        d = inverse_power(degrees, 0.5)
        a_hat = d[:, None] * a_tilde * d[None, :]
    elif normalization == "rw":
        a_hat = inverse_power(degrees, 1.0)[:, None] * a_tilde
    else:
        a_hat = a_tilde
    return a_tilde, degrees, a_hat


def _plain_degrees(a: np.ndarray, degrees: np.ndarray) -> list:
    """Degrees as ints when every edge weight is a whole number (they are counts then)."""
    if np.all(a == np.round(a)) and np.all(np.abs(degrees) < 2**53):
        return [int(d) for d in degrees]
    return degrees.tolist()


NORMALIZATION_TEXT = {
    "sym": ("symmetric normalization Â = D^-½ Ã D^-½, i.e. Â_ij = Ã_ij / √(d_i d_j)",
            "对称归一化 Â = D^-½ Ã D^-½，即 Â_ij = Ã_ij / √(d_i d_j)",
            r"\hat A = D^{-1/2} \tilde A D^{-1/2}"),
    "rw": ("random-walk normalization Â = D^-1 Ã, i.e. Â_ij = Ã_ij / d_i (each row averages)",
           "随机游走归一化 Â = D^-1 Ã，即 Â_ij = Ã_ij / d_i（每行取平均）",
           r"\hat A = D^{-1} \tilde A"),
    "none": ("no normalization, Â = Ã (each node sums its neighbours)",
             "不归一化，Â = Ã（每个节点对邻居求和）", r"\hat A = \tilde A"),
}


def _normalize_steps(a: np.ndarray, self_loops: bool, normalization: str, a_tilde: np.ndarray,
                     degrees: np.ndarray, a_hat: np.ndarray) -> list[Step]:
    text_en, text_zh, latex = NORMALIZATION_TEXT[normalization]
    loops_en = "self-loops added, Ã = A + I" if self_loops else "no self-loops, Ã = A"
    loops_zh = "加自环，Ã = A + I" if self_loops else "不加自环，Ã = A"
    shown = _plain_degrees(a, degrees)
    isolated = bool((degrees == 0).any()) and normalization != "none"
    steps = [
        Step(f"Convention: {loops_en}; degrees d_i = row sums of Ã; {text_en}."
             + (" A node of degree 0 keeps a zero row (1/0 taken as 0, as PyG)." if isolated
                else ""),
             f"约定：{loops_zh}；度 d_i = Ã 的行和；{text_zh}。"
             + ("度为 0 的节点那一行保持为零（1/0 取 0，与 PyG 相同）。" if isolated else ""),
             (r"\tilde A = A + I, \quad " if self_loops else r"\tilde A = A, \quad ") + latex),
        Step(f"Ã = {matrix_text(a_tilde, 'en')}", f"矩阵 Ã = {matrix_text(a_tilde, 'zh')}",
             rf"\tilde A = {latex_matrix(a_tilde)}", a_tilde),
        Step(f"Degrees (row sums of Ã) d = {num(shown)}", f"度（Ã 的行和）d = {num(shown)}",
             rf"d = \tilde A \mathbf{{1}} = {latex_vec(shown)}", shown),
    ]
    if normalization == "sym":
        d = inverse_power(degrees, 0.5)
        steps.append(Step(f"D^-½ = diag(1/√d) = diag({num(d)})",
                          f"度的 −½ 次方：D^-½ = diag(1/√d) = diag({num(d)})",
                          rf"D^{{-1/2}} = \mathrm{{diag}}\left({latex_vec(d)}\right)", d))
    if normalization != "none":
        steps.append(Step(f"Normalized adjacency Â = {matrix_text(a_hat, 'en')}",
                          f"归一化邻接矩阵 Â = {matrix_text(a_hat, 'zh')}",
                          rf"\hat A = {latex_matrix(a_hat)}", a_hat))
    return steps


def _activation_step(activation: str, pre: np.ndarray, out: np.ndarray) -> Step:
    if activation == "none":
        return Step(f"No activation: output = {matrix_text(out, 'en')}",
                    f"无激活函数：输出 = {matrix_text(out, 'zh')}",
                    rf"H' = {latex_matrix(out)}", out)
    return Step(f"Activation {activation}, elementwise: output = {matrix_text(out, 'en')}",
                f"逐元素施加激活函数 {activation}：输出 = {matrix_text(out, 'zh')}",
                rf"H' = {ACTIVATION_LATEX[activation]}\left(Z\right) = {latex_matrix(out)}", out)


def _check_features(n: int, features: list[list[float]]) -> np.ndarray:
    h = np.asarray(features, dtype=float)
    if h.shape[0] != n:
        raise SolverInputError("features", f"expected {n} rows (one per node of adjacency), "
                                           f"got {h.shape[0]}")
    return h


def _check_weight(name: str, rows: int, weight: list[list[float]]) -> np.ndarray:
    w = np.asarray(weight, dtype=float)
    if w.shape[0] != rows:
        raise SolverInputError(name, f"expected {rows} rows (in x out: in = the width of "
                                     f"features), got {w.shape[0]}")
    return w


GRAPH_PARAMS = [
    Param("adjacency", "mat", "adjacency matrix A (nodes x nodes; A[v][u] ≠ 0: an edge u → v)",
          doc_zh="邻接矩阵 A（节点 x 节点；A[v][u] ≠ 0 表示有边 u → v）"),
]
NORM_PARAMS = [
    Param("self_loops", "bool", "add self-loops: Ã = A + I", doc_zh="是否加自环：Ã = A + I",
          default=True),
    Param("normalization", "str", "sym = D^-½ÃD^-½, rw = D^-1Ã, none = Ã",
          doc_zh="sym = D^-½ÃD^-½，rw = D^-1Ã，none = Ã（不归一化）", default="sym",
          choices=("sym", "rw", "none")),
]


@solver(
    topic="gnn",
    summary="Degrees and normalized adjacency matrix of a graph (GCN's Â).",
    summary_zh="图的度与归一化邻接矩阵（GCN 中的 Â）。",
    params=[*GRAPH_PARAMS, *NORM_PARAMS],
    answers=[
        Answer("degrees", "vec", "row sums of Ã", doc_zh="Ã 的行和（各节点的度）"),
        Answer("a_hat", "mat", "the normalized matrix Â", doc_zh="归一化后的矩阵 Â"),
    ],
    examples=[
        # PyTorch Geometric, test/transforms/test_gcn_norm.py: the path 0 - 1 - 2 with
        # self-loops gives 0.4082 on the edges and 0.5, 0.3333, 0.5 on the diagonal.
        dict(adjacency=[[0, 1, 0], [1, 0, 1], [0, 1, 0]]),
        dict(adjacency=[[0, 1, 1], [1, 0, 0], [1, 0, 0]], normalization="rw"),
    ],
)
def normalized_adjacency(adjacency, self_loops, normalization) -> Solution:
    """Ã = A + I (or A); d_i = Σ_j Ã_ij; Â = D^-½ Ã D^-½ (sym), D^-1 Ã (rw) or Ã (none).

    Kipf & Welling's renormalization trick is sym with self-loops. A degree of 0 (an
    isolated node without self-loop) gets 1/0 taken as 0, as PyG.
    """
    a = graph(adjacency)
    a_tilde, degrees, a_hat = normalize(a, self_loops, normalization)
    steps = _normalize_steps(a, self_loops, normalization, a_tilde, degrees, a_hat)
    return Solution({"degrees": _plain_degrees(a, degrees), "a_hat": a_hat}, steps)


@solver(
    topic="gnn",
    summary="One graph-convolution (GCN) layer, H' = σ(Â H W) (Kipf & Welling).",
    summary_zh="一层图卷积（GCN）：H' = σ(Â H W)（Kipf 与 Welling）。",
    params=[
        *GRAPH_PARAMS,
        Param("features", "mat", "node features H, one row per node (nodes x in)",
              doc_zh="节点特征 H，每个节点一行（节点数 x in）"),
        Param("weight", "mat", "weight W (in x out), multiplied on the right: H W",
              doc_zh="权重 W（in x out），右乘：H W"),
        *NORM_PARAMS,
        Param("activation", "str", "σ applied elementwise", doc_zh="逐元素施加的激活函数 σ",
              default="relu", choices=ACTIVATIONS),
    ],
    answers=[
        Answer("a_hat", "mat", "the normalized matrix Â that multiplies the features",
               doc_zh="与特征相乘的归一化矩阵 Â"),
        Answer("output", "mat", "H' = σ(Â H W), one row per node",
               doc_zh="H' = σ(Â H W)，每个节点一行"),
    ],
    examples=[
        # Jepsen, "How to do Deep Learning on Graphs with Graph Convolutional Networks,
        # Part 1" (2018): A X = [[1, -1], [5, -5], [1, -1], [2, -2]] for X = [[i, -i]].
        dict(adjacency=[[0, 1, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0], [1, 0, 1, 0]],
             features=[[0, 0], [1, -1], [2, -2], [3, -3]], weight=[[1, 0], [0, 1]],
             self_loops=False, normalization="none", activation="none"),
        dict(adjacency=[[0, 1, 1], [1, 0, 0], [1, 0, 0]], features=[[1, 2], [0, 1], [2, 0]],
             weight=[[1, -1], [0.5, 1]]),
    ],
)
def gcn_layer(adjacency, features, weight, self_loops, normalization, activation) -> Solution:
    """H' = σ(Â H W) with Â = D^-½ (A + I) D^-½ (Kipf & Welling 2017, eq. 2) by default.

    Â as in `normalized_adjacency`; W is in x out and multiplies on the right (the paper's
    H W; a torch Linear would store Wᵀ); no bias. Row v of Â H is node v's normalized
    sum over its neighbours (itself included with self-loops).
    """
    a = graph(adjacency)
    h = _check_features(len(a), features)
    w = _check_weight("weight", h.shape[1], weight)
    a_tilde, degrees, a_hat = normalize(a, self_loops, normalization)
    aggregated = a_hat @ h
    pre = aggregated @ w
    out = activate(activation, pre)
    steps = _normalize_steps(a, self_loops, normalization, a_tilde, degrees, a_hat)
    steps += [
        Step(f"Aggregate the neighbours: Â H = {matrix_text(aggregated, 'en')}",
             f"聚合邻居：Â H = {matrix_text(aggregated, 'zh')}",
             rf"\hat A H = {latex_matrix(aggregated)}", aggregated),
        Step(f"Transform: Z = Â H W = {matrix_text(pre, 'en')}",
             f"线性变换：Z = Â H W = {matrix_text(pre, 'zh')}",
             rf"Z = \hat A H W = {latex_matrix(pre)}", pre),
        _activation_step(activation, pre, out),
    ]
    return Solution({"a_hat": a_hat, "output": out}, steps)


AGGREGATIONS = ("mean", "sum", "max")
AGGREGATION_ZH = {"mean": "均值", "sum": "求和", "max": "逐特征最大值"}


@solver(
    topic="gnn",
    summary="One GraphSAGE-style layer: aggregate the neighbours (mean, sum or max), then "
            "H' = σ(H W_self + AGG W_neigh).",
    summary_zh="一层 GraphSAGE 式的计算：聚合邻居（均值、求和或最大值），再 "
               "H' = σ(H W_self + AGG W_neigh)。",
    params=[
        *GRAPH_PARAMS,
        Param("features", "mat", "node features H, one row per node (nodes x in)",
              doc_zh="节点特征 H，每个节点一行（节点数 x in）"),
        Param("weight_self", "mat", "weight on the node's own features (in x out)",
              doc_zh="作用于节点自身特征的权重（in x out）"),
        Param("weight_neigh", "mat", "weight on the aggregated neighbours (in x out)",
              doc_zh="作用于邻居聚合结果的权重（in x out）"),
        Param("aggregation", "str", "how the neighbours' features are combined",
              doc_zh="邻居特征的聚合方式", default="mean", choices=AGGREGATIONS),
        Param("activation", "str", "σ applied elementwise", doc_zh="逐元素施加的激活函数 σ",
              default="relu", choices=ACTIVATIONS),
    ],
    answers=[
        Answer("aggregated", "mat", "each node's aggregate of its neighbours' features "
                                    "(nodes x in; 0 for a node without neighbours)",
               doc_zh="每个节点对其邻居特征的聚合（节点数 x in；没有邻居的节点为 0）"),
        Answer("output", "mat", "σ(H W_self + AGG W_neigh)", doc_zh="输出 σ(H W_self + AGG W_neigh)，每个节点一行"),
    ],
    examples=[
        # Jepsen (2018), as for gcn_layer: summing the neighbours gives A X.
        dict(adjacency=[[0, 1, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0], [1, 0, 1, 0]],
             features=[[0, 0], [1, -1], [2, -2], [3, -3]], weight_self=[[0, 0], [0, 0]],
             weight_neigh=[[1, 0], [0, 1]], aggregation="sum", activation="none"),
        dict(adjacency=[[0, 1, 1], [1, 0, 0], [1, 0, 0]], features=[[1, 2], [0, 1], [2, 0]],
             weight_self=[[1, 0], [0, 1]], weight_neigh=[[0.5, 0], [0, -1]]),
    ],
)
def sage_layer(adjacency, features, weight_self, weight_neigh, aggregation,
               activation) -> Solution:
    """AGG_v = mean / sum / max over the neighbours u of v (A[v][u] = 1) of h_u;
    H' = σ(H W_self + AGG W_neigh).

    The dense form of PyG's `SAGEConv` (lin_r on the node, lin_l on the aggregate) without
    bias, weights in x out as `gcn_layer`. The node itself is not among its neighbours
    (unless A has a 1 on the diagonal); max is taken per feature; a node without
    neighbours aggregates to 0, as PyG. A must be 0/1 (edge weights play no part).
    """
    a = graph(adjacency)
    if not np.isin(a, (0.0, 1.0)).all():
        raise SolverInputError("adjacency", "entries must be 0 or 1 (an unweighted graph)")
    h = _check_features(len(a), features)
    w_self = _check_weight("weight_self", h.shape[1], weight_self)
    w_neigh = _check_weight("weight_neigh", h.shape[1], weight_neigh)
    if w_neigh.shape[1] != w_self.shape[1]:
        raise SolverInputError("weight_neigh", f"expected {w_self.shape[1]} columns (out, as "
                                               f"weight_self), got {w_neigh.shape[1]}")
    neighbours = [np.flatnonzero(row) for row in a]
    agg = np.zeros_like(h)
    for v, nb in enumerate(neighbours):
        if len(nb):
            rows = h[nb]
            agg[v] = {"mean": rows.mean(axis=0), "sum": rows.sum(axis=0),
                      "max": rows.max(axis=0)}[aggregation]
    self_part = h @ w_self
    neigh_part = agg @ w_neigh
    pre = self_part + neigh_part
    out = activate(activation, pre)
    listed = "; ".join(f"{v + 1}: {{{', '.join(str(u + 1) for u in nb)}}}"
                       for v, nb in enumerate(neighbours[:8])) + ("; …" if len(a) > 8 else "")
    steps = [
        Step(f"Convention: GraphSAGE-style layer, {aggregation} over each node's neighbours "
             f"(the u with A[v][u] = 1; the node itself is kept apart), weights in x out on "
             f"the right, no bias. Neighbours (nodes numbered from 1): {listed}",
             f"约定：GraphSAGE 式的层，对每个节点的邻居（A[v][u] = 1 的 u；节点自身单独处理）做 "
             f"{AGGREGATION_ZH[aggregation]}（{aggregation}）聚合，权重为 in x out、右乘，无偏置。邻居（节点从 1 编号）：{listed}",
             r"h'_v = \sigma\left(W_{self}^\top h_v + W_{neigh}^\top \,\mathrm{"
             + aggregation + r"}_{u \in N(v)} h_u\right)"),
        Step(f"Aggregates ({aggregation} of the neighbours' rows; 0 without neighbours) = "
             f"{matrix_text(agg, 'en')}",
             f"聚合结果（邻居各行的{AGGREGATION_ZH[aggregation]}；没有邻居则为 0）= {matrix_text(agg, 'zh')}",
             rf"\mathrm{{AGG}} = {latex_matrix(agg)}", agg),
        Step(f"Own part H W_self = {matrix_text(self_part, 'en')}",
             f"自身部分 H W_self = {matrix_text(self_part, 'zh')}",
             rf"H W_{{self}} = {latex_matrix(self_part)}", self_part),
        Step(f"Neighbour part AGG W_neigh = {matrix_text(neigh_part, 'en')}",
             f"邻居部分 AGG W_neigh = {matrix_text(neigh_part, 'zh')}",
             rf"\mathrm{{AGG}}\, W_{{neigh}} = {latex_matrix(neigh_part)}", neigh_part),
        Step(f"Sum Z = {matrix_text(pre, 'en')}", f"求和 Z = {matrix_text(pre, 'zh')}",
             rf"Z = H W_{{self}} + \mathrm{{AGG}}\, W_{{neigh}} = {latex_matrix(pre)}", pre),
        _activation_step(activation, pre, out),
    ]
    return Solution({"aggregated": agg, "output": out}, steps)
