"""Backprop through conv and pooling against torch autograd, and textbook cases."""

from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def rand_mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    # Small integers (hand-worked style, with ties for max pooling) or arbitrary floats.
    if rng.random() < 0.5:
        return [[rng.randint(-3, 3) for _ in range(cols)] for _ in range(rows)]
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


def t64(m) -> torch.Tensor:
    return torch.tensor(m, dtype=torch.float64)


# ---------------------------------------------------------------- conv2d_backward


def test_conv2d_backward_matches_autograd_of_f_conv2d_over_random_draws():
    rng = random.Random(20)
    checked = 0
    while checked < DRAWS:
        h, w = rng.randint(1, 6), rng.randint(1, 6)
        kh, kw = rng.randint(1, 3), rng.randint(1, 3)
        s, p = rng.randint(1, 3), rng.randint(0, 2)
        if kh > h + 2 * p or kw > w + 2 * p:
            continue
        x = t64(rand_mat(rng, h, w)).requires_grad_()
        k = t64(rand_mat(rng, kh, kw)).requires_grad_()
        b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        y = F.conv2d(x[None, None], k[None, None], b, stride=s, padding=p)[0, 0]
        delta = rand_mat(rng, *y.shape)
        gx, gk, gb = torch.autograd.grad(y, (x, k, b), t64(delta))
        got = solve("conv2d_backward", input=x.tolist(), kernel=k.tolist(), grad_output=delta,
                    stride=s, padding=p)
        torch.testing.assert_close(t64(got["grad_kernel"]), gk, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(t64(got["grad_input"]), gx, rtol=1e-12, atol=1e-12)
        assert got["grad_bias"] == pytest.approx(gb.item(), rel=1e-12, abs=1e-12)
        checked += 1


def test_conv2d_backward_kernel_gradient_is_the_input_cross_correlated_with_delta():
    # Goodfellow et al. §9.5 / Bouvrie, "Notes on Convolutional Neural Networks" (2006):
    # ∂L/∂K = X ⋆ δ — the same cross-correlation as the forward pass, with δ as kernel.
    rng = random.Random(21)
    for _ in range(20):
        x = rand_mat(rng, 5, 5)
        delta = rand_mat(rng, 3, 3)
        got = solve("conv2d_backward", input=x, kernel=[[0.0] * 3] * 3, grad_output=delta)
        again = solve("conv2d_forward", input=x, kernel=delta)["output"]
        torch.testing.assert_close(t64(got["grad_kernel"]), t64(again), rtol=1e-12, atol=1e-12)


def test_conv2d_backward_learns_the_d2l_edge_kernel():
    # Dive into Deep Learning, "Learning a Kernel": X = 6x8 ones with columns 2..5 zero,
    # Y = X ⋆ [[1, −1]]; gradient descent on Σ(Ŷ − Y)² with lr 3e-2 learns a kernel close
    # to [1, −1]. Here every gradient comes from the solver (δ = 2(Ŷ − Y)).
    x = [[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0] for _ in range(6)]
    target = solve("conv2d_forward", input=x, kernel=[[1.0, -1.0]])["output"]
    assert target[0] == [0, 1, 0, 0, 0, -1, 0]
    kernel = [[0.0, 0.0]]
    for _ in range(300):
        out = solve("conv2d_forward", input=x, kernel=kernel)["output"]
        delta = [[2 * (o - t) for o, t in zip(ro, rt)] for ro, rt in zip(out, target)]
        grad = solve("conv2d_backward", input=x, kernel=kernel, grad_output=delta)["grad_kernel"]
        kernel = [[k - 3e-2 * g for k, g in zip(kernel[0], grad[0])]]
    assert kernel[0] == pytest.approx([1.0, -1.0], abs=1e-3)


def test_conv2d_backward_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_backward", input=[[1, 2, 3]] * 3, kernel=[[1, 0], [0, 1]],
              grad_output=[[1, 1, 1]] * 3)
    assert err.value.param == "grad_output"
    assert "2 x 2" in err.value.message


# ---------------------------------------------------------------- pool2d_backward


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool2d_backward_matches_autograd_of_torch_pooling_over_random_draws(mode):
    rng = random.Random(22)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    checked = 0
    while checked < DRAWS:
        h, w, k = rng.randint(1, 7), rng.randint(1, 7), rng.randint(1, 3)
        stride = rng.choice([None, 1, 2, 3])
        if k > min(h, w):
            continue
        x = t64(rand_mat(rng, h, w)).requires_grad_()
        y = pool(x[None, None], k, stride=stride)[0, 0]
        delta = rand_mat(rng, *y.shape)
        (gx,) = torch.autograd.grad(y, x, t64(delta))
        raw = dict(input=x.tolist(), grad_output=delta, kernel_size=k, mode=mode)
        if stride is not None:
            raw["stride"] = stride
        got = solve("pool2d_backward", **raw)["grad_input"]
        torch.testing.assert_close(t64(got), gx, rtol=1e-12, atol=1e-12)
        checked += 1


def test_pool2d_backward_cs231n_max_pool_routes_each_gradient_to_its_maximum():
    # CS231n, "Pooling layer": 2x2 max pool, stride 2, maxima 6, 8, 3, 4; "the backward
    # pass for a max(x, y) operation ... routing the gradient to the input that had the
    # highest value in the forward pass".
    x = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
    got = solve("pool2d_backward", input=x, grad_output=[[1, 2], [3, 4]], kernel_size=2)
    assert got["grad_input"] == [[0, 0, 0, 0], [0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 4]]
    avg = solve("pool2d_backward", input=x, grad_output=[[1, 2], [3, 4]], kernel_size=2,
                mode="avg")
    assert avg["grad_input"][0] == [0.25, 0.25, 0.5, 0.5]


def test_pool2d_backward_overlapping_windows_add_up_at_a_shared_maximum():
    x = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 9, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]]
    got = solve("pool2d_backward", input=x, grad_output=[[1, 2], [3, 4]], kernel_size=3,
                stride=2)
    assert got["grad_input"][2][2] == 10


def test_pool2d_backward_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_backward", input=[[1, 2], [3, 4]], grad_output=[[1, 2]], kernel_size=1)
    assert err.value.param == "grad_output"
