"""Regularization solvers against torch (F.dropout, nn.Dropout, autograd, torch.optim.SGD),
an exact enumeration of dropout masks, and published cases."""

from __future__ import annotations

import itertools
import math
import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


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
    return torch.allclose(torch.tensor(a, dtype=torch.float64),
                          torch.as_tensor(b, dtype=torch.float64), rtol=tol, atol=tol)


def _vec(rng: random.Random, n: int) -> list[float]:
    if rng.random() < 0.5:  # hand-worked style
        return [float(rng.randint(-5, 5)) for _ in range(n)]
    return [rng.uniform(-3, 3) for _ in range(n)]


# ---------------------------------------------------------------- dropout


def test_dropout_matches_torch_f_dropout_with_the_same_mask_over_random_draws():
    rng = random.Random(0)
    for draw in range(DRAWS):
        n = rng.randint(1, 8)
        p = rng.choice([0.1, 0.2, 0.25, 0.5, 0.8, rng.uniform(0.05, 0.95)])
        x = torch.tensor(_vec(rng, n), dtype=torch.float64)
        torch.manual_seed(draw)  # the mask torch draws depends on the seed and shape only
        mask = (F.dropout(torch.ones(n, dtype=torch.float64), p, training=True) != 0).int()
        torch.manual_seed(draw)
        expected = F.dropout(x, p, training=True)
        got = solve("dropout", x=x.tolist(), mask=mask.tolist(), p=p)
        assert close(got["output"], expected)
        # The original form keeps the same units, unscaled: torch's output times (1 − p).
        plain = solve("dropout", x=x.tolist(), mask=mask.tolist(), p=p, inverted=False)
        assert close(plain["output"], expected * (1 - p))


def test_dropout_scales_kept_units_by_one_over_keep_probability_as_torch():
    torch.manual_seed(0)
    out = F.dropout(torch.ones(1000, dtype=torch.float64), 0.2, training=True)
    assert set(out.unique().tolist()) == {0.0, 1 / 0.8}
    got = solve("dropout", x=[1, 1], mask=[1, 0], p=0.2)
    assert got["output"] == [1 / 0.8, 0.0]


def test_dropout_at_p_zero_is_the_identity_and_at_p_one_gives_zeros_as_torch():
    x = [1.5, -2.0, 3.0]
    assert solve("dropout", x=x, mask=[1, 1, 1], p=0)["output"] == x
    zeros = F.dropout(torch.tensor(x), 1.0, training=True)
    assert solve("dropout", x=x, mask=[0, 0, 0], p=1)["output"] == zeros.tolist()


def test_dropout_grokking_half_dropout_doubles_the_kept_activations():
    # Trask, Grokking Deep Learning ch. 8: `layer_1 *= dropout_mask * 2` for 50% dropout.
    got = solve("dropout", x=[0.4, 1.2, 0.8, 2.0], mask=[1, 0, 1, 0], p=0.5)
    assert got["output"] == [0.8, 0.0, 1.6, 0.0]


@pytest.mark.parametrize("mask, p", [([1, 0], 0.5), ([1, 0, 2], 0.5), ([1, 0.5, 1], 0.5),
                                     ([1, 0, 1], 0.0), ([0, 1, 0], 1.0)])
def test_dropout_rejects_a_mask_of_the_wrong_length_values_or_p(mask, p):
    with pytest.raises(SolverInputError) as err:
        solve("dropout", x=[1, 2, 3], mask=mask, p=p)
    assert err.value.param == "mask"


def test_dropout_rejects_p_outside_zero_one():
    with pytest.raises(SolverInputError) as err:
        solve("dropout", x=[1], mask=[1], p=1.5)
    assert err.value.param == "p"


# ---------------------------------------------------------------- dropout_expectation


def _enumerate_masks(x: list[float], p: float, inverted: bool):
    """E and Var of every unit's output, summing over all 2^n masks with their probability."""
    n = len(x)
    xs = torch.tensor(x, dtype=torch.float64)
    scale = 1 / (1 - p) if inverted else 1.0
    mean = torch.zeros(n, dtype=torch.float64)
    second = torch.zeros(n, dtype=torch.float64)
    for bits in itertools.product([0, 1], repeat=n):
        m = torch.tensor(bits, dtype=torch.float64)
        prob = math.prod((1 - p) if b else p for b in bits)
        y = xs * m * scale
        mean += prob * y
        second += prob * y * y
    return mean, second - mean * mean, 2 ** n


def test_dropout_expectation_matches_an_exact_enumeration_of_all_masks():
    rng = random.Random(1)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p = rng.choice([0.1, 0.25, 0.5, 0.75, rng.uniform(0.01, 0.95)])
        inverted = rng.random() < 0.6
        x = _vec(rng, n)
        got = solve("dropout_expectation", x=x, p=p, inverted=inverted)
        mean, var, count = _enumerate_masks(x, p, inverted)
        assert close(got["train_mean"], mean)
        assert close(got["train_var"], var)
        assert got["subnetworks"] == count
        assert math.isclose(got["expected_kept"], n * (1 - p))
        # Test time gives the training-time expectation (the weight-scaling rule).
        assert close(got["test_output"], mean)


def test_dropout_expectation_inverted_test_output_is_nn_dropout_in_eval_mode():
    rng = random.Random(2)
    for _ in range(DRAWS):
        x = torch.tensor(_vec(rng, rng.randint(1, 8)), dtype=torch.float64)
        p = rng.uniform(0.05, 0.9)
        layer = torch.nn.Dropout(p).eval()
        got = solve("dropout_expectation", x=x.tolist(), p=p)
        assert close(got["test_output"], layer(x))
        assert math.isclose(got["scale"], 1 / (1 - p))


def test_dropout_expectation_original_dropout_halves_at_test_time_srivastava():
    # Srivastava et al. (2014) §1, fig. 2: a unit retained with probability 0.5 in training
    # has its outgoing weights multiplied by 0.5 at test time.
    got = solve("dropout_expectation", x=[2, 4], p=0.5, inverted=False)
    assert got["test_output"] == [1.0, 2.0] and got["scale"] == 1.0


def test_dropout_expectation_counts_two_to_the_n_subnetworks_goodfellow():
    # Goodfellow et al. §7.12: dropout trains an ensemble of the 2^n sub-networks that
    # remove non-output units; 10 units -> 1024, an exact integer.
    got = solve("dropout_expectation", x=[1.0] * 10, p=0.5)
    assert got["subnetworks"] == 1024 and type(got["subnetworks"]) is int


def test_dropout_expectation_rejects_p_one_and_too_many_units():
    with pytest.raises(SolverInputError) as err:
        solve("dropout_expectation", x=[1, 2], p=1)
    assert err.value.param == "p"
    with pytest.raises(SolverInputError) as err:
        solve("dropout_expectation", x=[1.0] * 65, p=0.5)
    assert err.value.param == "x"


# ---------------------------------------------------------------- weight_penalty


def test_weight_penalty_matches_autograd_of_l1_abs_plus_l2_squares_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n = rng.randint(1, 8)
        w = _vec(rng, n)
        if rng.random() < 0.5:
            w[rng.randrange(n)] = 0.0  # autograd's |w|' at 0 is 0
        l1 = rng.choice([0.0, 0.01, 0.1, rng.uniform(0, 2)])
        l2 = rng.choice([0.0, 0.01, 0.5, rng.uniform(0, 2)])
        t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        penalty = l1 * t.abs().sum() + l2 * (t ** 2).sum()
        penalty.backward()
        got = solve("weight_penalty", w=w, l1=l1, l2=l2)
        assert math.isclose(got["penalty"], penalty.item(), rel_tol=1e-12, abs_tol=1e-12)
        assert close(got["grad"], t.grad)


def test_weight_penalty_l2_half_gives_gradient_w_goodfellow():
    # Goodfellow et al. §7.1.1: the gradient of (α/2)·wᵀw is α·w; Keras' l2 = α/2 = 0.5.
    got = solve("weight_penalty", w=[3, -4], l2=0.5)
    assert got["penalty"] == 12.5 and got["grad"] == [3.0, -4.0]


def test_weight_penalty_l1_gradient_has_constant_size_whatever_the_weight():
    # Why L1 gives sparsity (Goodfellow §7.1.2): the pull is l1·sign(w), not shrinking with w.
    got = solve("weight_penalty", w=[100.0, 0.001, -0.001], l1=0.1)
    assert got["grad"] == [0.1, 0.1, -0.1]


def test_weight_penalty_rejects_a_negative_coefficient():
    with pytest.raises(SolverInputError) as err:
        solve("weight_penalty", w=[1], l1=-0.1)
    assert err.value.param == "l1"


# ---------------------------------------------------------------- weight_decay_step


def test_weight_decay_step_matches_torch_optim_sgd_weight_decay_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        w, g = _vec(rng, n), _vec(rng, n)
        lr = rng.choice([0.01, 0.1, 0.5, rng.uniform(0.001, 1)])
        lam = rng.choice([0.0, 0.01, 0.1, rng.uniform(0, 1)])
        param = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
        param.grad = torch.tensor(g, dtype=torch.float64)
        torch.optim.SGD([param], lr=lr, weight_decay=lam).step()
        got = solve("weight_decay_step", w=w, grad=g, lr=lr, weight_decay=lam)
        assert close(got["new_w"], param.detach())
        # λw is the autograd gradient of (λ/2)·Σw², the penalty reported.
        t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        penalty = lam / 2 * (t ** 2).sum()
        penalty.backward()
        assert math.isclose(got["penalty"], penalty.item(), rel_tol=1e-12, abs_tol=1e-12)
        assert close([a - b for a, b in zip(got["total_grad"], g)], t.grad)
        assert close(got["new_w"], [got["shrink"] * v - lr * d for v, d in zip(w, g)])


def test_weight_decay_step_goodfellow_shrinks_then_steps():
    # Goodfellow et al. §7.1.1, eq. 7.5: w ← (1 − εα)w − ε∇J; ε = 0.1, α = 0.1 -> 0.99.
    got = solve("weight_decay_step", w=[1.0, -2.0], grad=[0.5, 0.5], lr=0.1, weight_decay=0.1)
    assert math.isclose(got["shrink"], 0.99)
    assert close(got["new_w"], [0.99 * 1 - 0.05, 0.99 * -2 - 0.05])


def test_weight_decay_step_rejects_a_gradient_of_another_length():
    with pytest.raises(SolverInputError) as err:
        solve("weight_decay_step", w=[1, 2], grad=[1], lr=0.1)
    assert err.value.param == "grad"
