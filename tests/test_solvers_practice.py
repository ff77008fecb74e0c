"""Practice solvers against a second formulation (torch weighted means and std, the index
split of each K-fold convention, pair counting for AUC) and published cases."""

from __future__ import annotations

import math
import random

import numpy
import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
D = torch.float64


@pytest.fixture(autouse=True, scope="module")
def single_threaded_torch():
    """Tiny tensors: torch's thread pool only adds overhead (much of it on a busy machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def close(a, b, tol=1e-9) -> bool:
    return torch.allclose(torch.as_tensor(a, dtype=D), torch.as_tensor(b, dtype=D),
                          rtol=tol, atol=tol)


# ---------------------------------------------------------------- fedavg


def test_fedavg_matches_a_torch_sample_weighted_mean_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        k, d = rng.randint(1, 5), rng.randint(1, 6)
        weights = [[rng.uniform(-2, 2) for _ in range(d)] for _ in range(k)]
        sizes = [rng.choice([0, 1, 10, 100, rng.randint(1, 1000)]) for _ in range(k)]
        if sum(sizes) == 0:
            sizes[0] = 1
        w, n = torch.tensor(weights, dtype=D), torch.tensor(sizes, dtype=D)
        expected = (n[:, None] * w).sum(0) / n.sum()
        assert close(solve("fedavg", client_weights=weights, client_sizes=sizes)["weights"],
                     expected)


def test_fedavg_with_equal_sizes_is_the_plain_average_mcmahan():
    # McMahan et al. (2017), Algorithm 1: w ← Σ_k (n_k/n) w_k; with equal n_k this is the
    # plain mean of the client models (Trask, Grokking ch. 15, averages them so).
    got = solve("fedavg", client_weights=[[1, 4], [3, 0], [5, 2]], client_sizes=[20, 20, 20])
    assert close(got["weights"], [3, 2])
    # A client with 3x the data pulls the average 3x as hard.
    got = solve("fedavg", client_weights=[[1.0, 2.0], [3.0, 0.0]], client_sizes=[100, 300])
    assert close(got["weights"], [2.5, 0.5])


@pytest.mark.parametrize("raw, param", [
    (dict(client_weights=[[1, 2], [3]], client_sizes=[1, 1]), "client_weights"),
    (dict(client_weights=[[1, 2], [3, 4]], client_sizes=[1]), "client_sizes"),
    (dict(client_weights=[[1], [2]], client_sizes=[0, 0]), "client_sizes"),
    (dict(client_weights=[[1], [2]], client_sizes=[-1, 2]), "client_sizes"),
])
def test_fedavg_rejects_bad_input_naming_the_parameter(raw, param):
    with pytest.raises(SolverInputError) as err:
        solve("fedavg", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- standardize


def test_standardize_matches_torch_mean_and_std_of_the_training_set_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        n, m, d = rng.randint(2, 6), rng.randint(1, 4), rng.randint(1, 4)
        grid = rng.random() < 0.5
        def draw():
            return float(rng.randint(0, 10)) if grid else rng.uniform(-50, 50)
        train = [[draw() for _ in range(d)] for _ in range(n)]
        test = [[draw() for _ in range(d)] for _ in range(m)]
        convention = rng.choice(["population", "sample"])
        tr, te = torch.tensor(train, dtype=D), torch.tensor(test, dtype=D)
        sd = tr.std(dim=0, unbiased=(convention == "sample"))
        mean = tr.mean(dim=0)
        divisor = torch.where(sd > 0, sd, torch.ones_like(sd))  # StandardScaler: constant -> 1
        got = solve("standardize", train=train, test=test, convention=convention)
        assert close(got["mean"], mean) and close(got["std"], sd)
        assert close(got["train_scaled"], (tr - mean) / divisor)
        assert close(got["test_scaled"], (te - mean) / divisor)


def test_standardize_sklearn_standard_scaler_docs_example():
    # scikit-learn StandardScaler docs: data [[0, 0], [0, 0], [1, 1], [1, 1]] -> mean_
    # [0.5, 0.5], transform(data) ±1, transform([[2, 2]]) = [[3, 3]].
    got = solve("standardize", train=[[0, 0], [0, 0], [1, 1], [1, 1]], test=[[2, 2]])
    assert got["mean"] == [0.5, 0.5]
    assert got["train_scaled"] == [[-1, -1], [-1, -1], [1, 1], [1, 1]]
    assert got["test_scaled"] == [[3.0, 3.0]]


def test_standardize_uses_only_training_statistics_so_the_test_set_need_not_be_centred():
    got = solve("standardize", train=[[1], [3]], test=[[3], [5]])
    assert got["test_scaled"] == [[1.0], [3.0]]  # not [-1, 1]: no statistics from the test set


@pytest.mark.parametrize("raw, param", [
    (dict(train=[[1, 2], [3, 4]], test=[[1]]), "test"),
    (dict(train=[[1, 2]], test=[[1, 2]], convention="sample"), "train"),
    (dict(train=[[1, 2], [3, 4]], test=[[1, 2]], convention="biased"), "convention"),
])
def test_standardize_rejects_bad_input_naming_the_parameter(raw, param):
    with pytest.raises(SolverInputError) as err:
        solve("standardize", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- kfold_sizes


def _split_sklearn(n: int, k: int) -> list[int]:
    """The folds of sklearn's KFold (no shuffle), which splits the indices as
    numpy.array_split does: consecutive blocks, the larger ones first."""
    return [len(block) for block in numpy.array_split(numpy.arange(n), k)]


def _split_chollet(n: int, k: int) -> tuple[list[int], list[int]]:
    """Chollet, Deep Learning with Python, listing 3-27, run on indices."""
    data = list(range(n))
    num_val_samples = len(data) // k
    vals, trains = [], []
    for i in range(k):
        val = data[i * num_val_samples:(i + 1) * num_val_samples]
        partial_train = data[:i * num_val_samples] + data[(i + 1) * num_val_samples:]
        assert not set(val) & set(partial_train)
        vals.append(len(val))
        trains.append(len(partial_train))
    return vals, trains


def test_kfold_sizes_match_the_index_split_of_each_convention_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        n = rng.randint(2, 500)
        k = rng.randint(2, min(n, 12))
        repeats = rng.randint(1, 5)
        got = solve("kfold_sizes", n_samples=n, k=k, repeats=repeats)
        folds = _split_sklearn(n, k)
        assert got["fold_sizes"] == folds and sum(folds) == n
        assert got["train_sizes"] == [n - f for f in folds]
        assert got["trainings"] == k * repeats
        got = solve("kfold_sizes", n_samples=n, k=k, convention="chollet")
        assert (got["fold_sizes"], got["train_sizes"]) == _split_chollet(n, k)
        assert all(type(v) is int for v in got["fold_sizes"] + got["train_sizes"])


def test_kfold_sizes_chollet_boston_housing_404_samples_4_folds_of_101():
    # Chollet, Deep Learning with Python §3.6.4: 404 training samples, k = 4 ->
    # num_val_samples = 101, each model trained on the other 303.
    got = solve("kfold_sizes", n_samples=404, k=4, convention="chollet")
    assert got["fold_sizes"] == [101] * 4 and got["train_sizes"] == [303] * 4


def test_kfold_sizes_sklearn_docs_first_folds_get_one_more():
    # scikit-learn KFold docs: "The first n_samples % n_splits folds have size
    # n_samples // n_splits + 1, other folds have size n_samples // n_splits".
    assert solve("kfold_sizes", n_samples=10, k=3)["fold_sizes"] == [4, 3, 3]


def test_kfold_sizes_rejects_more_folds_than_samples():
    with pytest.raises(SolverInputError) as err:
        solve("kfold_sizes", n_samples=3, k=5)
    assert err.value.param == "k"


# ---------------------------------------------------------------- roc_auc


def _auc_by_pairs(scores, labels) -> float:
    pos = [s for s, v in zip(scores, labels) if v == 1]
    neg = [s for s, v in zip(scores, labels) if v == 0]
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def test_roc_auc_equals_the_fraction_of_correctly_ranked_pairs_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n = rng.randint(2, 15)
        labels = [rng.randint(0, 1) for _ in range(n)]
        labels[0], labels[1] = 0, 1
        rng.shuffle(labels)
        ties = rng.random() < 0.5
        scores = [rng.randint(0, 4) / 4 if ties else rng.random() for _ in range(n)]
        got = solve("roc_auc", scores=scores, labels=labels)
        assert math.isclose(got["auc"], _auc_by_pairs(scores, labels), abs_tol=1e-12)
        # Each ROC point counted directly at its threshold.
        s, y = torch.tensor(scores, dtype=D), torch.tensor(labels, dtype=D)
        assert got["thresholds"] == sorted(set(scores), reverse=True)
        for t, tpr, fpr in zip(got["thresholds"], got["tpr"], got["fpr"]):
            predicted = s >= t
            assert math.isclose(tpr, (predicted & (y == 1)).sum().item() / (y == 1).sum().item())
            assert math.isclose(fpr, (predicted & (y == 0)).sum().item() / (y == 0).sum().item())
        assert got["tpr"][-1] == 1.0 and got["fpr"][-1] == 1.0


def test_roc_auc_hanley_mcneil_1982_rating_table_is_0_893():
    # Hanley & McNeil, Radiology 143 (1982), table 1: 109 CT images rated 1-5; 58 normal
    # (33, 6, 6, 11, 2) and 51 abnormal (3, 2, 2, 11, 33); trapezoidal area 0.893.
    normal, abnormal = [33, 6, 6, 11, 2], [3, 2, 2, 11, 33]
    scores = [r for r, c in zip(range(1, 6), normal) for _ in range(c)]
    scores += [r for r, c in zip(range(1, 6), abnormal) for _ in range(c)]
    labels = [0] * 58 + [1] * 51
    assert round(solve("roc_auc", scores=scores, labels=labels)["auc"], 3) == 0.893


def test_roc_auc_of_a_perfect_and_a_reversed_ranking():
    assert solve("roc_auc", scores=[0.1, 0.2, 0.8, 0.9], labels=[0, 0, 1, 1])["auc"] == 1.0
    assert solve("roc_auc", scores=[0.9, 0.8, 0.2, 0.1], labels=[0, 0, 1, 1])["auc"] == 0.0


@pytest.mark.parametrize("labels", [[1, 1, 1], [0, 1, 2], [0, 1]])
def test_roc_auc_rejects_one_class_bad_labels_or_lengths(labels):
    with pytest.raises(SolverInputError) as err:
        solve("roc_auc", scores=[0.1, 0.5, 0.9], labels=labels)
    assert err.value.param == "labels"
