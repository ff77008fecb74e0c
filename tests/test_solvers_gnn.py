"""GNN solvers against a GCN and a GraphSAGE layer written independently in torch with
dense matrices (torch_geometric is not a dependency), a message-passing formulation and
published examples."""

from __future__ import annotations

import math
import random

import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
ACTIVATIONS = {"relu": torch.relu, "none": lambda x: x, "sigmoid": torch.sigmoid,
               "tanh": torch.tanh}
# Jepsen, "How to do Deep Learning on Graphs with Graph Convolutional Networks, Part 1"
# (2018): a directed graph 0 → 1, 1 → 2, 1 → 3, 2 → 1, 3 → 0, 3 → 2 and X = [[i, −i]].
JEPSEN_A = [[0, 1, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0], [1, 0, 1, 0]]
JEPSEN_X = [[0, 0], [1, -1], [2, -2], [3, -3]]
IDENTITY_2 = [[1, 0], [0, 1]]


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def _t(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def _mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    if rng.random() < 0.5:
        return [[rng.randint(-3, 3) for _ in range(cols)] for _ in range(rows)]
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


def _graph(rng: random.Random, n: int, weighted: bool, symmetric: bool) -> list[list[float]]:
    """A random graph: 0/1 or positive weights, maybe directed, maybe with isolated nodes."""
    density = rng.choice([0.2, 0.5, 0.8])
    a = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j and (not symmetric or j > i) and rng.random() < density:
                w = round(rng.uniform(0.1, 3), 2) if weighted else 1.0
                a[i][j] = w
                if symmetric:
                    a[j][i] = w
    return a


def _torch_a_hat(a: torch.Tensor, self_loops: bool, normalization: str) -> torch.Tensor:
    """Â with torch.diag and matrix products (degree 0 -> 1/0 taken as 0, as PyG)."""
    a_tilde = a + torch.eye(len(a), dtype=a.dtype) if self_loops else a
    deg = a_tilde.sum(dim=1)
    if normalization == "none":
        return a_tilde
    power = -0.5 if normalization == "sym" else -1.0
    d = deg.pow(power)
    d[torch.isinf(d)] = 0.0
    if normalization == "sym":
        return torch.diag(d) @ a_tilde @ torch.diag(d)
    return torch.diag(d) @ a_tilde


# ---------------------------------------------------------------- gcn_layer


def test_gcn_layer_matches_a_dense_torch_gcn_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n, f_in, f_out = rng.randint(1, 6), rng.randint(1, 4), rng.randint(1, 4)
        adjacency = _graph(rng, n, weighted=rng.random() < 0.3, symmetric=rng.random() < 0.7)
        features, weight = _mat(rng, n, f_in), _mat(rng, f_in, f_out)
        self_loops = rng.random() < 0.8
        normalization = rng.choice(["sym", "rw", "none"])
        activation = rng.choice(list(ACTIVATIONS))
        got = solve("gcn_layer", adjacency=adjacency, features=features, weight=weight,
                    self_loops=self_loops, normalization=normalization, activation=activation)
        a_hat = _torch_a_hat(_t(adjacency), self_loops, normalization)
        want = ACTIVATIONS[activation](a_hat @ _t(features) @ _t(weight))
        torch.testing.assert_close(_t(got["a_hat"]), a_hat, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(_t(got["output"]), want, rtol=1e-10, atol=1e-12)


def test_gcn_layer_sym_equals_message_passing_over_edges():
    # The per-node form of Kipf & Welling's rule: h'_i = Σ_{j ∈ N(i) ∪ {i}} h_j W / √(d_i d_j).
    rng = random.Random(1)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        adjacency = _graph(rng, n, weighted=False, symmetric=True)
        features, weight = _mat(rng, n, 2), _mat(rng, 2, 3)
        got = solve("gcn_layer", adjacency=adjacency, features=features, weight=weight,
                    activation="none")
        x, w = _t(features), _t(weight)
        deg = [1 + sum(row) for row in adjacency]
        for i in range(n):
            neighbours = [j for j in range(n) if adjacency[i][j]] + [i]
            message = sum(x[j] @ w / math.sqrt(deg[i] * deg[j]) for j in neighbours)
            torch.testing.assert_close(_t(got["output"][i]), message, rtol=1e-10, atol=1e-12)


def test_gcn_layer_jepsen_sum_of_neighbours_with_and_without_self_loops():
    # Jepsen (2018): A X = [[1, −1], [5, −5], [1, −1], [2, −2]] and, with self-loops,
    # (A + I) X = [[1, −1], [6, −6], [3, −3], [5, −5]].
    common = dict(adjacency=JEPSEN_A, features=JEPSEN_X, weight=IDENTITY_2,
                  normalization="none", activation="none")
    assert solve("gcn_layer", self_loops=False, **common)["output"] == [
        [1, -1], [5, -5], [1, -1], [2, -2]]
    assert solve("gcn_layer", self_loops=True, **common)["output"] == [
        [1, -1], [6, -6], [3, -3], [5, -5]]


def test_gcn_layer_on_a_regular_graph_averages_each_closed_neighbourhood():
    # On a k-regular graph every degree of A + I is k + 1, so D^-½ Ã D^-½ = Ã / (k + 1),
    # the same as the random-walk normalization.
    cycle = [[1 if abs(i - j) in (1, 4) else 0 for j in range(5)] for i in range(5)]
    x = [[i, i * i] for i in range(5)]
    sym = solve("gcn_layer", adjacency=cycle, features=x, weight=IDENTITY_2, activation="none")
    rw = solve("gcn_layer", adjacency=cycle, features=x, weight=IDENTITY_2, activation="none",
               normalization="rw")
    torch.testing.assert_close(_t(sym["output"]), _t(rw["output"]))
    assert sym["output"][0] == pytest.approx([(0 + 1 + 4) / 3, (0 + 1 + 16) / 3])


def test_gcn_layer_repeated_propagation_smooths_the_features_together():
    # Over-smoothing: many rounds of Â on a connected graph make the rows proportional to
    # √d_i (sym) — with rw they become equal.
    path = [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]
    h = [[1.0, -2.0], [0.0, 3.0], [2.0, 0.5], [-1.0, 1.0]]
    for _ in range(200):
        h = solve("gcn_layer", adjacency=path, features=h, weight=IDENTITY_2,
                  normalization="rw", activation="none")["output"]
    assert all(row == pytest.approx(h[0], abs=1e-9) for row in h)


@pytest.mark.parametrize("param, raw", [
    ("adjacency", dict(adjacency=[[0, 1, 0], [1, 0, 1]], features=[[1], [2]], weight=[[1]])),
    ("adjacency", dict(adjacency=[[0, -1], [-1, 0]], features=[[1], [2]], weight=[[1]])),
    ("features", dict(adjacency=[[0, 1], [1, 0]], features=[[1], [2], [3]], weight=[[1]])),
    ("weight", dict(adjacency=[[0, 1], [1, 0]], features=[[1, 2], [2, 3]], weight=[[1]])),
])
def test_gcn_layer_blames_the_parameter_of_the_wrong_shape(param, raw):
    with pytest.raises(SolverInputError) as err:
        solve("gcn_layer", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- normalized_adjacency


def test_normalized_adjacency_matches_torch_and_gcn_layers_a_hat_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        n = rng.randint(1, 7)
        adjacency = _graph(rng, n, weighted=rng.random() < 0.3, symmetric=rng.random() < 0.7)
        self_loops, normalization = rng.random() < 0.7, rng.choice(["sym", "rw", "none"])
        got = solve("normalized_adjacency", adjacency=adjacency, self_loops=self_loops,
                    normalization=normalization)
        a = _t(adjacency)
        torch.testing.assert_close(
            _t(got["degrees"]), (a + torch.eye(n, dtype=a.dtype) if self_loops else a).sum(1))
        torch.testing.assert_close(_t(got["a_hat"]), _torch_a_hat(a, self_loops, normalization),
                                   rtol=1e-12, atol=1e-12)
        layer = solve("gcn_layer", adjacency=adjacency, features=[[1]] * n, weight=[[1]],
                      self_loops=self_loops, normalization=normalization)
        assert layer["a_hat"] == got["a_hat"]


def test_normalized_adjacency_pyg_gcn_norm_path_graph():
    # PyTorch Geometric, test/transforms/test_gcn_norm.py: the path 0 - 1 - 2 gives edge
    # weights 0.4082 and self-loop weights 0.5, 0.3333, 0.5; without self-loops 0.70711.
    got = solve("normalized_adjacency", adjacency=[[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    assert got["degrees"] == [2, 3, 2]
    want = [[0.5, 0.4082, 0], [0.4082, 0.3333, 0.4082], [0, 0.4082, 0.5]]
    for row, expected in zip(got["a_hat"], want):
        assert row == pytest.approx(expected, abs=1e-4)
    plain = solve("normalized_adjacency", adjacency=[[0, 1, 0], [1, 0, 1], [0, 1, 0]],
                  self_loops=False)
    assert plain["a_hat"][0][1] == plain["a_hat"][1][0] == pytest.approx(0.70711, abs=1e-5)


def test_normalized_adjacency_rw_rows_sum_to_one_and_isolated_nodes_stay_zero():
    got = solve("normalized_adjacency", adjacency=[[0, 1, 1, 0], [1, 0, 0, 0], [1, 0, 0, 0],
                                                   [0, 0, 0, 0]],
                self_loops=False, normalization="rw")
    assert [sum(row) for row in got["a_hat"]] == pytest.approx([1, 1, 1, 0])
    assert got["degrees"] == [2, 1, 1, 0]
    assert all(type(d) is int for d in got["degrees"])


# ---------------------------------------------------------------- sage_layer


def _torch_sage(a: torch.Tensor, x: torch.Tensor, w_self: torch.Tensor, w_neigh: torch.Tensor,
                aggregation: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Aggregate with dense products (mean, sum) or a masked amax (max), then two bias-free
    nn.Linear layers (their weight is the transpose of an in x out matrix)."""
    if aggregation == "sum":
        agg = a @ x
    elif aggregation == "mean":
        count = a.sum(dim=1, keepdim=True)
        agg = torch.where(count > 0, (a @ x) / count.clamp(min=1), torch.zeros_like(x))
    else:
        masked = torch.where(a[:, :, None] > 0, x[None, :, :], torch.tensor(-math.inf,
                                                                          dtype=x.dtype))
        agg = masked.amax(dim=1)
        agg = torch.where(torch.isinf(agg), torch.zeros_like(agg), agg)
    lin_self = torch.nn.Linear(w_self.shape[0], w_self.shape[1], bias=False, dtype=x.dtype)
    lin_neigh = torch.nn.Linear(w_neigh.shape[0], w_neigh.shape[1], bias=False, dtype=x.dtype)
    with torch.no_grad():
        lin_self.weight.copy_(w_self.T)
        lin_neigh.weight.copy_(w_neigh.T)
        return agg, lin_self(x) + lin_neigh(agg)


def test_sage_layer_matches_a_dense_torch_graphsage_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n, f_in, f_out = rng.randint(1, 6), rng.randint(1, 3), rng.randint(1, 3)
        adjacency = _graph(rng, n, weighted=False, symmetric=rng.random() < 0.7)
        features = _mat(rng, n, f_in)
        w_self, w_neigh = _mat(rng, f_in, f_out), _mat(rng, f_in, f_out)
        aggregation, activation = rng.choice(["mean", "sum", "max"]), rng.choice(list(ACTIVATIONS))
        got = solve("sage_layer", adjacency=adjacency, features=features, weight_self=w_self,
                    weight_neigh=w_neigh, aggregation=aggregation, activation=activation)
        agg, pre = _torch_sage(_t(adjacency), _t(features), _t(w_self), _t(w_neigh),
                               aggregation)
        torch.testing.assert_close(_t(got["aggregated"]), agg, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(_t(got["output"]), ACTIVATIONS[activation](pre),
                                   rtol=1e-10, atol=1e-12)


def test_sage_layer_jepsen_sum_aggregation_is_a_times_x():
    # Jepsen (2018): summing the neighbours' features is A X = [[1, −1], [5, −5], [1, −1],
    # [2, −2]]; with W_self = 0 and W_neigh = I the layer outputs exactly that.
    got = solve("sage_layer", adjacency=JEPSEN_A, features=JEPSEN_X,
                weight_self=[[0, 0], [0, 0]], weight_neigh=IDENTITY_2, aggregation="sum",
                activation="none")
    assert got["aggregated"] == got["output"] == [[1, -1], [5, -5], [1, -1], [2, -2]]


def test_sage_layer_mean_aggregation_is_the_random_walk_product_without_self_loops():
    rng = random.Random(4)
    for _ in range(50):
        n = rng.randint(1, 6)
        adjacency = _graph(rng, n, weighted=False, symmetric=rng.random() < 0.5)
        features = _mat(rng, n, 2)
        sage = solve("sage_layer", adjacency=adjacency, features=features,
                     weight_self=[[0, 0], [0, 0]], weight_neigh=IDENTITY_2, activation="none")
        gcn = solve("gcn_layer", adjacency=adjacency, features=features, weight=IDENTITY_2,
                    self_loops=False, normalization="rw", activation="none")
        torch.testing.assert_close(_t(sage["output"]), _t(gcn["output"]))


@pytest.mark.parametrize("param, raw", [
    ("adjacency", dict(adjacency=[[0, 2], [2, 0]])),
    ("features", dict(features=[[1, 2]])),
    ("weight_self", dict(weight_self=[[1, 0]])),
    ("weight_neigh", dict(weight_neigh=[[1], [1]])),
])
def test_sage_layer_blames_the_parameter_at_fault(param, raw):
    base = dict(adjacency=[[0, 1], [1, 0]], features=[[1, 2], [3, 4]],
                weight_self=IDENTITY_2, weight_neigh=IDENTITY_2)
    with pytest.raises(SolverInputError) as err:
        solve("sage_layer", **{**base, **raw})
    assert err.value.param == param
