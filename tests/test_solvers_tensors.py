"""Tensor-shape, norm, trace and determinant solvers against the same operations in torch
(which also give the error cases) and numpy, with published answers (the NumPy
broadcasting and norm documentation, Chollet's MNIST reshape, Wikipedia)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def rand_shape(rng: random.Random, lo: int = 0, hi: int = 4) -> list[int]:
    return [rng.choice([1, 1, 2, 3, 4]) for _ in range(rng.randint(lo, hi))]


def torch_result(fn) -> tuple[str, list[int]]:
    """('ok', shape) from a torch call on empty tensors, or ('error', []) if torch refuses."""
    try:
        return "ok", list(fn().shape)
    except RuntimeError:
        return "error", []


def empty(shape) -> torch.Tensor:
    return torch.empty(shape, device="meta")  # shapes only: no memory, no arithmetic


def check(got: dict, status: str, shape: list[int]) -> None:
    assert (got["status"], got["shape"]) == (status, shape)
    assert got["ndim"] == (len(shape) if status == "ok" else 0)
    assert got["size"] == (math.prod(shape) if status == "ok" else 0)


# ---------------------------------------------------------------- tensor_shape


def test_matmul_shape_and_its_errors_match_torch_matmul_over_random_draws():
    rng = random.Random(0)
    errors = 0
    for _ in range(DRAWS):
        a, b = rand_shape(rng, 1), rand_shape(rng, 1)
        if rng.random() < 0.5 and len(a) > 0 and len(b) > 1:
            b[-2] = a[-1]  # make half of them compatible in the inner dimension
        status, shape = torch_result(lambda: torch.matmul(empty(a), empty(b)))
        errors += status == "error"
        check(solve("tensor_shape", op="matmul", a=a, b=b), status, shape)
    assert 20 < errors < DRAWS - 20  # both outcomes were exercised


def test_broadcast_shape_and_its_errors_match_torch_broadcast_shapes_over_random_draws():
    rng = random.Random(1)
    errors = 0
    for _ in range(DRAWS):
        a, b = rand_shape(rng), rand_shape(rng)
        status, shape = torch_result(lambda: torch.empty(torch.broadcast_shapes(a, b),
                                                         device="meta"))
        errors += status == "error"
        check(solve("tensor_shape", op="broadcast", a=a, b=b), status, shape)
        # the Hadamard product a * b on actual tensors agrees
        assert torch_result(lambda: empty(a) * empty(b)) == (status, shape)
    assert 20 < errors < DRAWS - 20


def test_dot_shape_matches_numpy_dot_and_torch_tensordot_over_random_draws():
    rng = random.Random(2)
    errors = 0
    for _ in range(DRAWS):
        a, b = rand_shape(rng, 0, 3), rand_shape(rng, 0, 3)
        if rng.random() < 0.5 and a and len(b) >= 1:
            b[-2 if len(b) > 1 else 0] = a[-1]
        try:
            status, shape = "ok", list(np.dot(np.zeros(a), np.zeros(b)).shape)
        except ValueError:
            status, shape = "error", []
        errors += status == "error"
        check(solve("tensor_shape", op="dot", a=a, b=b), status, shape)
        if status == "ok" and a and b:  # torch.tensordot over the same pair of axes
            axis_b = len(b) - 2 if len(b) > 1 else 0
            product = torch.tensordot(empty(a), empty(b), dims=([len(a) - 1], [axis_b]))
            assert list(product.shape) == shape
    assert 20 < errors < DRAWS - 20


def test_reshape_shape_and_its_errors_match_torch_reshape_over_random_draws():
    rng = random.Random(3)
    errors = 0
    for _ in range(DRAWS):
        a = rand_shape(rng, 1)
        new = rand_shape(rng, 1)
        if rng.random() < 0.5:
            new[rng.randrange(len(new))] = -1
        status, shape = torch_result(lambda: empty(a).reshape(new))
        errors += status == "error"
        check(solve("tensor_shape", op="reshape", a=a, new_shape=new), status, shape)
    assert 20 < errors < DRAWS - 20


def test_transpose_shape_matches_numpy_t_and_torch_permute_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        a = rand_shape(rng, 1, 5)
        check(solve("tensor_shape", op="transpose", a=a), "ok", list(np.zeros(a).T.shape))
        axes = rng.sample(range(len(a)), len(a))
        check(solve("tensor_shape", op="transpose", a=a, axes=axes), "ok",
              list(empty(a).permute(axes).shape))


@pytest.mark.parametrize("a, b, status, shape", [
    # NumPy documentation, "Broadcasting", general rules and examples:
    ([256, 256, 3], [3], "ok", [256, 256, 3]),  # Image (3d array) by Scale (1d array)
    ([8, 1, 6, 1], [7, 1, 5], "ok", [8, 7, 6, 5]),
    ([5, 4], [1], "ok", [5, 4]),
    ([15, 3, 5], [15, 1, 5], "ok", [15, 3, 5]),
    ([3], [4], "error", []),  # "trailing dimensions do not match"
    ([2, 1], [8, 4, 3], "error", []),  # "second from last dimensions mismatched"
])
def test_broadcast_published_numpy_documentation_examples(a, b, status, shape):
    check(solve("tensor_shape", op="broadcast", a=a, b=b), status, shape)


def test_reshape_and_dot_published_chollet_examples():
    # Chollet, Deep Learning with Python §2.1: train_images.reshape((60000, 28 * 28)).
    check(solve("tensor_shape", op="reshape", a=[60000, 28, 28], new_shape=[60000, 784]),
          "ok", [60000, 784])
    # §2.3.3: dot of a (a, b) matrix and a (b, c) one is (a, c); of a matrix and a vector a vector.
    check(solve("tensor_shape", op="dot", a=[32, 10], b=[10, 64]), "ok", [32, 64])
    check(solve("tensor_shape", op="dot", a=[32, 10], b=[10]), "ok", [32])
    check(solve("tensor_shape", op="dot", a=[10], b=[10]), "ok", [])  # a scalar


def test_tensor_shape_bad_input_names_the_parameter():
    cases = [
        (dict(op="matmul", a=[2, 3]), "b"),
        (dict(op="reshape", a=[2, 3]), "new_shape"),
        (dict(op="reshape", a=[2, 3], new_shape=[-1, -1]), "new_shape"),
        (dict(op="broadcast", a=[2, 0], b=[2]), "a"),
        (dict(op="broadcast", a=[2, 2.5], b=[2]), "a"),
        (dict(op="transpose", a=[2, 3], axes=[0, 0]), "axes"),
        (dict(op="matmul", a=[2, 3], b=[3, 2], new_shape=[6]), "new_shape"),
        (dict(op="einsum", a=[2]), "op"),
    ]
    for raw, param in cases:
        with pytest.raises(SolverInputError) as err:
            solve("tensor_shape", **raw)
        assert err.value.param == param, raw


# ---------------------------------------------------------------- norms, trace, determinant


def test_vector_norms_match_torch_linalg_vector_norm_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        x = [rng.uniform(-10, 10) for _ in range(rng.randint(1, 8))]
        t = torch.tensor(x, dtype=torch.float64)
        got = solve("vector_norms", x=x)
        assert got["l1"] == pytest.approx(torch.linalg.vector_norm(t, 1).item(), rel=1e-12)
        assert got["l2"] == pytest.approx(torch.linalg.vector_norm(t, 2).item(), rel=1e-12)
        assert got["max"] == pytest.approx(torch.linalg.vector_norm(t, math.inf).item(), rel=1e-12)
        assert got["l2_squared"] == pytest.approx(torch.dot(t, t).item(), rel=1e-12)


def test_matrix_norms_match_torch_frobenius_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        rows, cols = rng.randint(1, 4), rng.randint(1, 4)
        a = [[rng.uniform(-10, 10) for _ in range(cols)] for _ in range(rows)]
        t = torch.tensor(a, dtype=torch.float64)
        got = solve("matrix_norms", matrix=a)
        fro = torch.linalg.matrix_norm(t, "fro").item()
        assert got["frobenius"] == pytest.approx(fro, rel=1e-12)
        assert got["frobenius_squared"] == pytest.approx(torch.trace(t.T @ t).item(), rel=1e-12)
        assert got["max_abs"] == pytest.approx(t.abs().max().item())


def test_norms_published_numpy_linalg_norm_examples():
    # numpy.linalg.norm documentation: a = np.arange(9) − 4, b = a.reshape((3, 3)):
    # norm(a) = norm(b) = norm(b, 'fro') = 7.745966692414834, norm(a, inf) = 4, norm(a, 1) = 20.
    a = [float(v) for v in range(-4, 5)]
    got = solve("vector_norms", x=a)
    assert (got["l2"], got["max"], got["l1"]) == pytest.approx((7.745966692414834, 4, 20))
    b = [a[0:3], a[3:6], a[6:9]]
    assert solve("matrix_norms", matrix=b)["frobenius"] == pytest.approx(7.745966692414834)


def test_trace_and_det_match_torch_over_random_draws():
    rng = random.Random(7)
    for _ in range(DRAWS):
        n = rng.randint(1, 5)
        a = [[rng.uniform(-5, 5) for _ in range(n)] for _ in range(n)]
        if rng.random() < 0.2 and n > 1:
            a[-1] = [2 * v for v in a[0]]  # singular
        t = torch.tensor(a, dtype=torch.float64)
        got = solve("trace", matrix=a)
        assert got["trace"] == pytest.approx(torch.trace(t).item(), abs=1e-12)
        assert got["det"] == pytest.approx(torch.linalg.det(t).item(), rel=1e-9, abs=1e-9)


def test_trace_and_det_published_values():
    # Wikipedia "Determinant", Laplace expansion example: det [[−2, 2, −3], [−1, 1, 3],
    # [2, 0, −1]] = 18.
    assert solve("trace", matrix=[[-2, 2, -3], [-1, 1, 3], [2, 0, -1]])["det"] == pytest.approx(18)
    got = solve("trace", matrix=[[2, 1], [1, 2]])  # λ = 3, 1 (Wikipedia's eigen example)
    assert (got["trace"], got["det"]) == (4, 3)
    with pytest.raises(SolverInputError) as err:
        solve("trace", matrix=[[1, 2, 3], [4, 5, 6]])
    assert err.value.param == "matrix"
