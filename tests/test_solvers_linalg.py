"""Eigen, SVD and PCA solvers against numpy.linalg and torch.linalg, with published answers
(Wikipedia, Strang, Lindsay Smith's and the codinglabs PCA tutorials). Shapes, norms and
the trace are in test_solvers_tensors.py."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def sign_convention_holds(v) -> bool:
    """Unit length, and the largest-magnitude entry (first of ties within 1e-9) positive."""
    v = np.asarray(v)
    top = np.abs(v).max()
    first = int(np.argmax(np.abs(v) >= top * (1 - 1e-9)))
    return abs(np.linalg.norm(v) - 1) < 1e-9 and v[first] > 0


def same_up_to_sign(a, b, tol=1e-7) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return np.allclose(a, b, atol=tol) or np.allclose(a, -b, atol=tol)


def rand_int_matrix(rng: random.Random, rows: int, cols: int, lo=-5, hi=5) -> list[list[int]]:
    return [[rng.randint(lo, hi) for _ in range(cols)] for _ in range(rows)]


def distinct(values, gap=1e-3) -> bool:
    values = sorted(values)
    return all(b - a > gap for a, b in zip(values, values[1:]))


# ---------------------------------------------------------------- eigen


def test_eigen_of_symmetric_matrices_matches_numpy_eigh_and_torch_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n = rng.randint(1, 4)
        m = np.array(rand_int_matrix(rng, n, n), dtype=float)
        a = (m + m.T).tolist()
        got = solve("eigen", matrix=a)
        values, vectors = np.linalg.eigh(np.array(a))
        assert got["eigenvalues"] == pytest.approx(sorted(values, reverse=True), abs=1e-9)
        assert got["eigenvalues"] == pytest.approx(
            torch.linalg.eigvalsh(torch.tensor(a, dtype=torch.float64)).flip(0).tolist(), abs=1e-9)
        for lam, v in zip(got["eigenvalues"], got["eigenvectors"]):
            assert np.allclose(np.array(a) @ v, lam * np.array(v), atol=1e-8)
            assert sign_convention_holds(v)
        if distinct(values):  # then each eigenvector is numpy's, up to its sign
            for v, w in zip(got["eigenvectors"], vectors[:, ::-1].T):
                assert same_up_to_sign(v, w)
        assert got["eigenvector_max"] == got["eigenvectors"][0]
        assert got["eigenvector_min"] == got["eigenvectors"][-1]
        assert got["trace"] == pytest.approx(np.trace(a)) and got["det"] == pytest.approx(
            np.linalg.det(a), abs=1e-6)


def test_eigen_of_non_symmetric_matrices_with_real_eigenvalues_matches_numpy_eig():
    rng = random.Random(1)
    checked = 0
    while checked < DRAWS:
        n = rng.randint(2, 3)
        # P D P⁻¹ with integer P (det ±1 or more) and distinct integer eigenvalues
        p = np.array(rand_int_matrix(rng, n, n, -2, 2), dtype=float)
        if abs(np.linalg.det(p)) < 0.5:
            continue
        d = np.diag(rng.sample(range(-6, 7), n)).astype(float)
        a = p @ d @ np.linalg.inv(p)
        if np.array_equal(a, a.T):
            continue
        got = solve("eigen", matrix=a.tolist())
        values, vectors = np.linalg.eig(a)
        order = np.argsort(-values.real)
        assert got["eigenvalues"] == pytest.approx(values.real[order], abs=1e-8)
        for v, w in zip(got["eigenvectors"], vectors[:, order].T.real):
            assert same_up_to_sign(v, w / np.linalg.norm(w), tol=1e-6)
            assert sign_convention_holds(v)
        checked += 1


@pytest.mark.parametrize("matrix, values, vectors", [
    # Wikipedia "Eigenvalues and eigenvectors", two-dimensional example: λ = 3, 1 with
    # v = (1, 1) and (1, −1).
    ([[2, 1], [1, 2]], [3, 1], [[1, 1], [1, -1]]),
    # Wikipedia, three-dimensional example: λ = 11, 2, 1 with v = (0, 1, 2), (1, 0, 0), (0, −2, 1).
    ([[2, 0, 0], [0, 3, 4], [0, 4, 9]], [11, 2, 1], [[0, 1, 2], [1, 0, 0], [0, -2, 1]]),
])
def test_eigen_published_wikipedia_examples(matrix, values, vectors):
    got = solve("eigen", matrix=matrix)
    assert got["eigenvalues"] == pytest.approx(values)
    for v, w in zip(got["eigenvectors"], vectors):
        assert same_up_to_sign(v, np.array(w) / np.linalg.norm(w))


def test_eigen_refuses_complex_eigenvalues_and_non_square_matrices():
    with pytest.raises(SolverInputError) as err:
        solve("eigen", matrix=[[0, -1], [1, 0]])  # a 90° rotation: λ = ±i
    assert err.value.param == "matrix" and "complex" in err.value.message
    with pytest.raises(SolverInputError) as err:
        solve("eigen", matrix=[[1, 2, 3], [4, 5, 6]])
    assert err.value.param == "matrix"


# ---------------------------------------------------------------- SVD


def test_svd_matches_numpy_svd_pinv_and_rank_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        m, n = rng.randint(1, 4), rng.randint(1, 4)
        a = rand_int_matrix(rng, m, n, -3, 3)
        if rng.random() < 0.3 and m > 1:  # a repeated row: rank deficient
            a[-1] = list(a[0])
        arr = np.array(a, dtype=float)
        got = solve("svd", matrix=a)
        s = np.linalg.svd(arr, compute_uv=False)
        assert got["singular_values"] == pytest.approx(s, abs=1e-9)
        assert got["singular_values"] == pytest.approx(
            torch.linalg.svdvals(torch.tensor(a, dtype=torch.float64)).tolist(), abs=1e-9)
        assert got["rank"] == np.linalg.matrix_rank(arr)
        assert np.allclose(got["pinv"], np.linalg.pinv(arr), atol=1e-9)
        u, vt = np.array(got["u"]), np.array(got["vt"])
        assert np.allclose(u @ np.diag(got["singular_values"]) @ vt, arr, atol=1e-9)
        assert np.allclose(got["u1"], u[:, 0]) and np.allclose(got["v1"], vt[0])
        if s[0] > 1e-9:
            assert sign_convention_holds(got["v1"])
            if len(s) == 1 or s[0] - s[1] > 1e-3:  # a simple top singular value: v1 is unique
                assert same_up_to_sign(got["v1"], np.linalg.svd(arr)[2][0])
                assert np.allclose(arr @ got["v1"], s[0] * np.array(got["u1"]), atol=1e-9)


@pytest.mark.parametrize("matrix, sigmas", [
    ([[3, 0], [4, 5]], [3 * 5 ** 0.5, 5 ** 0.5]),  # Strang, Intro. to Linear Algebra (5th ed.) §7.2
    # Wikipedia "Singular value decomposition", example: a 4x5 matrix, σ = 3, √5, 2, 0.
    ([[1, 0, 0, 0, 2], [0, 0, 3, 0, 0], [0, 0, 0, 0, 0], [0, 2, 0, 0, 0]], [3, 5 ** 0.5, 2, 0]),
])
def test_svd_published_singular_values(matrix, sigmas):
    assert solve("svd", matrix=matrix)["singular_values"] == pytest.approx(sigmas)


def test_svd_pseudo_inverse_solves_least_squares():
    # A⁺b is the least-squares solution of an overdetermined system (Goodfellow §2.9).
    a, b = [[1, 0], [1, 1], [1, 2]], [6, 0, 0]  # Strang §4.3: best line C + Dt, C = 5, D = −3
    x = np.array(solve("svd", matrix=a)["pinv"]) @ b
    assert x == pytest.approx([5, -3])


# ---------------------------------------------------------------- PCA


def numpy_pca(x: np.ndarray, k: int):
    cov = np.cov(x, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1])
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(-values)
    return values[order], vectors[:, order].T


def test_pca_matches_numpy_cov_and_eigh_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n, d = rng.randint(2, 8), rng.randint(1, 4)
        x = [[rng.randint(-4, 6) for _ in range(d)] for _ in range(n)]
        arr = np.array(x, dtype=float)
        values, vectors = numpy_pca(arr, d)
        if values.sum() <= 1e-9:
            continue
        k = rng.randint(1, d)
        got = solve("pca", X=x, k=k)
        assert got["mean"] == pytest.approx(arr.mean(0).tolist())
        assert got["eigenvalues"] == pytest.approx(values[:k].tolist(), abs=1e-9)
        torch_values = torch.linalg.eigvalsh(torch.cov(torch.tensor(arr).T).reshape(d, d)).flip(0)
        assert got["eigenvalues"] == pytest.approx(torch_values[:k].tolist(), abs=1e-9)
        ratio = values[:k] / values.sum()
        assert got["explained_variance_ratio"] == pytest.approx(ratio.tolist())
        comps = np.array(got["components"])
        assert np.allclose(comps @ comps.T, np.eye(k), atol=1e-9)
        assert np.allclose(got["projection"], (arr - arr.mean(0)) @ comps.T, atol=1e-9)
        assert got["first_component"] == got["components"][0]
        for i, c in enumerate(comps):
            assert sign_convention_holds(c)
            if distinct(values, gap=1e-6 * max(1, values[0])) or d == 1:
                assert same_up_to_sign(c, vectors[i])


def test_pca_published_lindsay_smith_tutorial():
    # Lindsay I. Smith, "A tutorial on Principal Components Analysis" (2002), §3.1: eigenvalues
    # 0.0490833989 and 1.28402771; eigenvectors (−0.677873399, −0.735178656) and
    # (−0.735178656, 0.677873399) — the same axes up to sign.
    x = [[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7], [2, 1.6],
         [1, 1.1], [1.5, 1.6], [1.1, 0.9]]
    got = solve("pca", X=x, k=2)
    assert got["eigenvalues"] == pytest.approx([1.28402771, 0.0490833989])
    assert same_up_to_sign(got["components"][0], [-0.677873399, -0.735178656])
    assert same_up_to_sign(got["components"][1], [-0.735178656, 0.677873399])
    # his first transformed point (fig. 3.3): x = −0.827970186 on the first axis
    assert abs(got["projection"][0][0]) == pytest.approx(0.827970186)


def test_pca_published_codinglabs_tutorial_cited_by_seed_003():
    # blog.codinglabs.org/articles/pca-tutorial.html (seed 003 §2.12): five samples, centred
    # (−1, −2), (−1, 0), (0, 0), (2, 1), (0, 1); with 1/m its covariance has λ = 2 and 2/5 and
    # the first axis (1, 1)/√2. numpy.cov's n − 1 scales the eigenvalues by 5/4: 2.5 and 0.5.
    got = solve("pca", X=[[1, 1], [1, 3], [2, 3], [4, 4], [2, 4]], k=1)
    assert got["eigenvalues"] == pytest.approx([2.5])
    assert same_up_to_sign(got["first_component"], [2 ** -0.5, 2 ** -0.5])
    assert got["explained_variance_ratio"] == pytest.approx([2.5 / 3])
    assert [row[0] for row in got["projection"]] == pytest.approx(
        [-3 / 2 ** 0.5, -1 / 2 ** 0.5, 0, 3 / 2 ** 0.5, 1 / 2 ** 0.5])


def test_pca_refuses_too_many_components_and_data_without_variance():
    with pytest.raises(SolverInputError) as err:
        solve("pca", X=[[1, 2], [3, 4]], k=3)
    assert err.value.param == "k"
    with pytest.raises(SolverInputError) as err:
        solve("pca", X=[[1, 2], [1, 2]], k=1)
    assert err.value.param == "X"
