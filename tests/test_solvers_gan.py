"""GAN solvers against torch (BCE and autograd at the logits, torch.distributions for JS)
and second formulations (the quantile function and a transport plan for Wasserstein),
with published cases (Goodfellow et al. 2014, Arjovsky et al. 2017, scipy's docs)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Categorical, kl_divergence

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def t64(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def rand_probs(rng: random.Random, n: int, zeros: bool = True) -> list[float]:
    w = [rng.random() if not zeros or rng.random() < 0.8 else 0.0 for _ in range(n)]
    if sum(w) == 0:
        w[rng.randrange(n)] = 1.0
    return [x / sum(w) for x in w]


# ---------------------------------------------------------------- gan_losses


def test_gan_losses_match_torch_bce_and_autograd_at_the_logits_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        d_real = [rng.uniform(0.01, 0.99) for _ in range(rng.randint(1, 5))]
        d_fake = [rng.uniform(0.01, 0.99) for _ in range(rng.randint(1, 5))]
        got = solve("gan_losses", d_real=d_real, d_fake=d_fake)
        real, fake = t64(d_real), t64(d_fake)
        d_loss = (F.binary_cross_entropy(real, torch.ones_like(real))
                  + F.binary_cross_entropy(fake, torch.zeros_like(fake)))
        assert got["d_loss"] == pytest.approx(d_loss.item(), rel=1e-10)
        assert got["value"] == pytest.approx(-d_loss.item(), rel=1e-10)
        logits = torch.logit(fake).requires_grad_(True)
        saturating = torch.log(1 - torch.sigmoid(logits)).mean()
        (grad_sat,) = torch.autograd.grad(saturating, logits)
        non_saturating = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
        (grad_ns,) = torch.autograd.grad(non_saturating, logits)
        assert got["g_loss_saturating"] == pytest.approx(saturating.item(), rel=1e-10)
        assert got["g_loss_nonsaturating"] == pytest.approx(non_saturating.item(), rel=1e-10)
        assert got["grad_saturating"] == pytest.approx(grad_sat.tolist(), rel=1e-8, abs=1e-12)
        assert got["grad_nonsaturating"] == pytest.approx(grad_ns.tolist(), rel=1e-8, abs=1e-12)


def test_gan_losses_goodfellow_2014_equilibrium_value_is_minus_log_4():
    # Goodfellow et al. 2014, Theorem 1: at p_g = p_data, D = 1/2 and V = −log 4.
    got = solve("gan_losses", d_real=[0.5, 0.5], d_fake=[0.5])
    assert got["value"] == pytest.approx(-math.log(4))
    assert got["d_loss"] == pytest.approx(math.log(4))


def test_gan_losses_saturating_gradient_vanishes_when_d_rejects_the_fakes():
    # Goodfellow et al. 2014, §3: early on D(G(z)) ≈ 0 and log(1 − D(G(z))) saturates.
    got = solve("gan_losses", d_real=[0.99], d_fake=[0.001])
    assert abs(got["grad_saturating"][0]) < 0.01 < abs(got["grad_nonsaturating"][0])


@pytest.mark.parametrize("param", ["d_real", "d_fake"])
@pytest.mark.parametrize("value", [0, 1, 1.5])
def test_gan_losses_reject_outputs_outside_the_open_unit_interval(param, value):
    raw = {"d_real": [0.5], "d_fake": [0.5], param: [value]}
    with pytest.raises(SolverInputError) as err:
        solve("gan_losses", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- optimal_discriminator


def test_optimal_discriminator_value_is_minus_log_4_plus_2_js_from_torch_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p_data, p_g = rand_probs(rng, n), rand_probs(rng, n)
        got = solve("optimal_discriminator", p_data=p_data, p_g=p_g)
        p, q = t64(p_data), t64(p_g)
        m = Categorical(probs=(p + q) / 2)
        js = (0.5 * kl_divergence(Categorical(probs=p), m)
              + 0.5 * kl_divergence(Categorical(probs=q), m))
        assert got["js"] == pytest.approx(js.item(), rel=1e-9, abs=1e-12)
        assert got["value"] == pytest.approx(-math.log(4) + 2 * js.item(), rel=1e-9, abs=1e-12)


def test_optimal_discriminator_is_a_stationary_maximum_of_v_by_autograd():
    rng = random.Random(2)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p_data, p_g = rand_probs(rng, n, zeros=False), rand_probs(rng, n, zeros=False)
        d_star = solve("optimal_discriminator", p_data=p_data, p_g=p_g)["d_star"]
        p, q = t64(p_data), t64(p_g)
        d = t64(d_star).requires_grad_(True)
        value = (p * torch.log(d) + q * torch.log(1 - d)).sum()
        (grad,) = torch.autograd.grad(value, d)
        assert grad.abs().max().item() < 1e-9
        nudge = t64([rng.uniform(-0.05, 0.05) for _ in range(n)])
        other = (t64(d_star) + nudge).clamp(1e-6, 1 - 1e-6)
        nudged = (p * torch.log(other) + q * torch.log(1 - other)).sum().item()
        assert nudged <= value.item() + 1e-12


def test_optimal_discriminator_published_extremes():
    # Goodfellow et al. 2014: p_g = p_data gives D* = 1/2 and V = −log 4.
    same = solve("optimal_discriminator", p_data=[0.2, 0.3, 0.5], p_g=[0.2, 0.3, 0.5])
    assert same["d_star"] == [0.5, 0.5, 0.5] and same["js"] == 0
    assert same["value"] == pytest.approx(-math.log(4))
    # Arjovsky & Bottou 2017: disjoint supports give JS = log 2 (V = 0), however far apart.
    apart = solve("optimal_discriminator", p_data=[0.5, 0.5, 0, 0], p_g=[0, 0, 0.5, 0.5])
    assert apart["js"] == pytest.approx(math.log(2)) and apart["value"] == pytest.approx(0)
    assert apart["d_star"] == [1, 1, 0, 0]


def test_optimal_discriminator_rejects_a_distribution_that_does_not_sum_to_1():
    with pytest.raises(SolverInputError) as err:
        solve("optimal_discriminator", p_data=[0.5, 0.4], p_g=[0.5, 0.5])
    assert err.value.param == "p_data"


# ---------------------------------------------------------------- wasserstein_1d


def quantile_w1(xs, p, q) -> float:
    """∫₀¹ |F_p⁻¹(u) − F_q⁻¹(u)| du, exactly: both quantile functions are step functions,
    constant between the merged breakpoints of the two CDFs."""
    cp, cq = np.cumsum(p) / np.sum(p), np.cumsum(q) / np.sum(q)
    cuts = np.unique(np.concatenate([[0.0], cp, cq, [1.0]]).clip(0, 1))
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:]):
        u = (a + b) / 2
        xp = xs[min(np.searchsorted(cp, u, side="left"), len(xs) - 1)]
        xq = xs[min(np.searchsorted(cq, u, side="left"), len(xs) - 1)]
        total += (b - a) * abs(xp - xq)
    return total


def northwest_corner_w1(xs, p, q) -> float:
    """The cost of the monotone (north-west corner) transport plan, optimal in 1-D."""
    p = list(np.asarray(p) / np.sum(p))
    q = list(np.asarray(q) / np.sum(q))
    i = j = 0
    cost = 0.0
    while i < len(p) and j < len(q):
        moved = min(p[i], q[j])
        cost += moved * abs(xs[i] - xs[j])
        p[i] -= moved
        q[j] -= moved
        if p[i] <= 1e-15:
            i += 1
        if j < len(q) and q[j] <= 1e-15:
            j += 1
    return cost


def test_wasserstein_1d_matches_the_quantile_formula_and_a_transport_plan_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n = rng.randint(1, 7)
        p = [rng.choice([0, rng.randint(1, 4), rng.random()]) for _ in range(n)]
        q = [rng.choice([0, rng.randint(1, 4), rng.random()]) for _ in range(n)]
        p[rng.randrange(n)] += 1
        q[rng.randrange(n)] += 1
        xs = sorted(rng.choice([rng.randint(-5, 5), rng.uniform(-5, 5)]) for _ in range(n))
        raw = dict(p=p, q=q, positions=xs) if rng.random() < 0.7 else dict(p=p, q=q)
        if "positions" not in raw:
            xs = list(range(n))
        got = solve("wasserstein_1d", **raw)["distance"]
        assert got == pytest.approx(quantile_w1(np.array(xs, float), p, q), rel=1e-9, abs=1e-12)
        assert got == pytest.approx(northwest_corner_w1(xs, p, q), rel=1e-9, abs=1e-9)


def test_wasserstein_1d_scipy_documented_examples():
    # scipy.stats.wasserstein_distance docs: ([0, 1, 3], [5, 6, 8]) -> 5.0;
    # ([0, 1], [0, 1], [3, 1], [2, 2]) -> 0.25;
    # ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) -> 4.078133143804786.
    assert solve("wasserstein_1d", p=[1, 1, 1, 0, 0, 0], q=[0, 0, 0, 1, 1, 1],
                 positions=[0, 1, 3, 5, 6, 8])["distance"] == pytest.approx(5.0)
    assert solve("wasserstein_1d", p=[3, 1], q=[2, 2], positions=[0, 1])["distance"] == \
        pytest.approx(0.25)
    points = [1.4, 3.4, 3.9, 4.5, 7.5, 7.8]
    p = [0, 1.4, 0.9, 0, 3.1, 7.2]
    q = [3.5, 0, 0, 3.2, 0, 0]
    assert solve("wasserstein_1d", p=p, q=q, positions=points)["distance"] == \
        pytest.approx(4.078133143804786, rel=1e-12)


def test_wasserstein_1d_arjovsky_example_1_parallel_point_masses():
    # Arjovsky, Chintala & Bottou 2017, Example 1: two point masses θ apart have W = |θ|,
    # while JS stays log 2: W gives a usable distance where JS does not.
    for theta in (0.5, 2, 7):
        got = solve("wasserstein_1d", p=[1, 0], q=[0, 1], positions=[0, theta])
        assert got["distance"] == pytest.approx(theta)
    js = solve("optimal_discriminator", p_data=[1, 0], p_g=[0, 1])["js"]
    assert js == pytest.approx(math.log(2))


def test_wasserstein_1d_rejects_unsorted_points_and_empty_histograms():
    with pytest.raises(SolverInputError) as err:
        solve("wasserstein_1d", p=[1, 0], q=[0, 1], positions=[1, 0])
    assert err.value.param == "positions"
    with pytest.raises(SolverInputError) as err:
        solve("wasserstein_1d", p=[0, 0], q=[0, 1])
    assert err.value.param == "p"


# ---------------------------------------------------------------- cycle_consistency


def test_cycle_consistency_matches_torch_l1_loss_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        dx, dy = rng.randint(1, 4), rng.randint(1, 4)
        x = [rng.uniform(-2, 2) for _ in range(dx)]
        y = [rng.uniform(-2, 2) for _ in range(dy)]
        g = [[rng.uniform(-2, 2) for _ in range(dx)] for _ in range(dy)]
        f = [[rng.uniform(-2, 2) for _ in range(dy)] for _ in range(dx)]
        lam, reduction = rng.choice([1, 10, rng.uniform(0, 20)]), rng.choice(["mean", "sum"])
        got = solve("cycle_consistency", x=x, y=y, g=g, f=f, lam=lam, reduction=reduction)
        G = torch.nn.Linear(dx, dy, bias=False).double()
        Fm = torch.nn.Linear(dy, dx, bias=False).double()
        with torch.no_grad():
            G.weight.copy_(t64(g))
            Fm.weight.copy_(t64(f))
        l1 = torch.nn.L1Loss(reduction=reduction)
        xt, yt = t64(x), t64(y)
        loss_x, loss_y = l1(Fm(G(xt)), xt), l1(G(Fm(yt)), yt)
        assert got["loss_x"] == pytest.approx(loss_x.item(), rel=1e-10, abs=1e-12)
        assert got["loss_y"] == pytest.approx(loss_y.item(), rel=1e-10, abs=1e-12)
        assert got["loss"] == pytest.approx(lam * (loss_x + loss_y).item(), rel=1e-10, abs=1e-12)
        assert got["x_cycle"] == pytest.approx(Fm(G(xt)).tolist(), rel=1e-10, abs=1e-12)


def test_cycle_consistency_zhu_2017_inverse_generators_have_zero_cycle_loss():
    # Zhu et al. 2017 (CycleGAN), eq. 2 with λ = 10: F = G⁻¹ brings every x and y back.
    got = solve("cycle_consistency", x=[1, 2], y=[3, -1], g=[[2, 0], [1, 1]],
                f=[[0.5, 0], [-0.5, 1]])
    assert got["x_cycle"] == [1, 2] and got["y_cycle"] == [3, -1] and got["loss"] == 0
    # Swapping the two coordinates (a permutation G, F = identity): each side is off.
    got = solve("cycle_consistency", x=[1, 3], y=[0, 2], g=[[0, 1], [1, 0]],
                f=[[1, 0], [0, 1]])
    assert (got["loss_x"], got["loss_y"], got["loss"]) == (2, 2, 40)


def test_cycle_consistency_rejects_generators_of_the_wrong_shape():
    with pytest.raises(SolverInputError) as err:
        solve("cycle_consistency", x=[1, 2], y=[1], g=[[1, 0], [0, 1]], f=[[1], [1]])
    assert err.value.param == "g"
