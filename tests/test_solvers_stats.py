"""Estimator, MLE and MAP solvers against torch (torch.var, torch.distributions, autograd)
and published answers (Wikipedia, Goodfellow §5.4–5.5, Bishop PRML §2.3.6)."""

from __future__ import annotations

import math
import random

import pytest
import torch
from torch.distributions import Bernoulli, Binomial, Chi2, Normal

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def steps_of(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].steps


def t64(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


# ---------------------------------------------------------------- sample variance


def test_sample_variance_matches_torch_var_biased_and_unbiased_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        x = [rng.uniform(-20, 20) for _ in range(rng.randint(2, 12))]
        t = t64(x)
        got = solve("sample_variance", x=x)
        assert got["mean"] == pytest.approx(t.mean().item(), rel=1e-12, abs=1e-12)
        assert got["var_biased"] == pytest.approx(torch.var(t, correction=0).item(), rel=1e-12)
        assert got["var_unbiased"] == pytest.approx(torch.var(t).item(), rel=1e-12)
        assert got["std_biased"] == pytest.approx(torch.std(t, correction=0).item(), rel=1e-12)
        assert got["std_unbiased"] == pytest.approx(torch.std(t).item(), rel=1e-12)


def test_sample_variance_published_wikipedia_standard_deviation_example():
    # Wikipedia "Standard deviation": the eight values 2, 4, 4, 4, 5, 5, 7, 9 have mean 5 and
    # population standard deviation 2; the sample standard deviation (n − 1) is 2.138.
    got = solve("sample_variance", x=[2, 4, 4, 4, 5, 5, 7, 9])
    assert (got["mean"], got["var_biased"], got["std_biased"]) == (5, 4, 2)
    assert round(got["std_unbiased"], 3) == 2.138
    with pytest.raises(SolverInputError) as err:
        solve("sample_variance", x=[3])
    assert err.value.param == "x"


# ---------------------------------------------------------------- estimator bias and variance


def test_variance_estimators_match_the_scaled_chi_square_from_torch_over_random_draws():
    # For Gaussian data Σ(xᵢ − x̄)²/σ² ~ χ²ₘ₋₁: σ̂² = σ²/m · χ², s² = σ²/(m − 1) · χ².
    rng = random.Random(1)
    for _ in range(DRAWS):
        m, sigma2 = rng.randint(2, 200), rng.uniform(0.1, 20)
        chi2 = Chi2(t64(float(m - 1)))
        for estimator, scale in (("variance_biased", sigma2 / m),
                                 ("variance_unbiased", sigma2 / (m - 1))):
            got = solve("estimator_bias_variance", estimator=estimator, m=m, sigma2=sigma2)
            expected, variance = scale * chi2.mean.item(), scale ** 2 * chi2.variance.item()
            assert got["expected"] == pytest.approx(expected, rel=1e-12)
            assert got["bias"] == pytest.approx(expected - sigma2, abs=1e-12 * sigma2)
            assert got["variance"] == pytest.approx(variance, rel=1e-12)
            assert got["mse"] == pytest.approx((expected - sigma2) ** 2 + variance, rel=1e-12)


def test_mean_estimators_match_torch_binomial_and_normal_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        m, theta = rng.randint(1, 500), rng.uniform(0, 1)
        got = solve("estimator_bias_variance", estimator="bernoulli_mean", m=m, theta=theta)
        binomial = Binomial(total_count=m, probs=t64(theta))  # k successes; θ̂ = k/m
        assert got["expected"] == pytest.approx(binomial.mean.item() / m, rel=1e-12, abs=1e-15)
        assert got["variance"] == pytest.approx(binomial.variance.item() / m ** 2, rel=1e-12,
                                                abs=1e-15)
        assert got["bias"] == 0
        mu, sigma2 = rng.uniform(-5, 5), rng.uniform(0.1, 10)
        got = solve("estimator_bias_variance", estimator="gaussian_mean", m=m, sigma2=sigma2, mu=mu)
        mean_of_sample = Normal(t64(mu), t64(math.sqrt(sigma2 / m)))  # x̄ ~ N(μ, σ²/m)
        assert got["expected"] == pytest.approx(mean_of_sample.mean.item())
        assert got["variance"] == pytest.approx(mean_of_sample.variance.item(), rel=1e-12)


def test_estimators_published_goodfellow_section_5_4():
    # Goodfellow §5.4.2: the Bernoulli mean estimator is unbiased with Var = θ(1 − θ)/m;
    # the biased sample variance has bias −σ²/m; the unbiased one has bias 0.
    got = solve("estimator_bias_variance", estimator="bernoulli_mean", m=100, theta=0.3)
    assert (got["bias"], got["variance"]) == pytest.approx((0, 0.3 * 0.7 / 100))
    biased = solve("estimator_bias_variance", estimator="variance_biased", m=10, sigma2=4)
    unbiased = solve("estimator_bias_variance", estimator="variance_unbiased", m=10, sigma2=4)
    assert biased["bias"] == pytest.approx(-4 / 10) and unbiased["bias"] == 0
    assert biased["mse"] < unbiased["mse"]  # unbiased is not the same as lowest error


def test_estimator_requires_its_own_parameters():
    for raw, param in ((dict(estimator="bernoulli_mean", m=5), "theta"),
                       (dict(estimator="variance_biased", m=5), "sigma2"),
                       (dict(estimator="variance_unbiased", m=1, sigma2=1), "m"),
                       (dict(estimator="gaussian_mean", m=5, sigma2=-1), "sigma2")):
        with pytest.raises(SolverInputError) as err:
            solve("estimator_bias_variance", **raw)
        assert err.value.param == param


# ---------------------------------------------------------------- MLE and MAP


def test_bernoulli_mle_is_a_stationary_maximum_of_torch_log_likelihood_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        x = [rng.randint(0, 1) for _ in range(rng.randint(1, 20))]
        got = solve("mle", distribution="bernoulli", x=x)
        k, n = sum(x), len(x)
        assert got["mean"] == k / n and got["variance"] == pytest.approx(k / n * (1 - k / n))
        if 0 < k < n:
            theta = t64(got["mean"]).requires_grad_()
            ll = Bernoulli(probs=theta).log_prob(t64(x)).sum()
            ll.backward()
            assert got["log_likelihood"] == pytest.approx(ll.item(), rel=1e-12)
            assert abs(theta.grad.item()) < 1e-9  # the derivative vanishes at the MLE
            for other in (got["mean"] - 0.05, got["mean"] + 0.05):
                if 0 < other < 1:
                    assert Bernoulli(probs=t64(other)).log_prob(t64(x)).sum().item() < ll.item()
        else:
            assert got["log_likelihood"] == 0  # θ̂ = 0 or 1 explains the sample with certainty


def test_gaussian_mle_is_a_stationary_point_of_torch_normal_log_likelihood_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        x = [rng.uniform(-10, 10) for _ in range(rng.randint(2, 15))]
        got = solve("mle", distribution="gaussian", x=x)
        mu = t64(got["mean"]).requires_grad_()
        var = t64(got["variance"]).requires_grad_()
        ll = Normal(mu, var.sqrt()).log_prob(t64(x)).sum()
        ll.backward()
        assert got["log_likelihood"] == pytest.approx(ll.item(), rel=1e-12)
        assert abs(mu.grad.item()) < 1e-8 and abs(var.grad.item()) < 1e-8
        assert got["variance"] == pytest.approx(torch.var(t64(x), correction=0).item())


def test_mle_published_examples():
    # Wikipedia "Standard deviation" data: the Gaussian MLE is μ̂ = 5, σ̂² = 4 (÷n, not ÷(n − 1)).
    got = solve("mle", distribution="gaussian", x=[2, 4, 4, 4, 5, 5, 7, 9])
    assert (got["mean"], got["variance"]) == (5, 4)
    assert got["log_likelihood"] == pytest.approx(-4 * (math.log(8 * math.pi) + 1))
    # 7 heads in 10 tosses: θ̂ = 0.7 (Goodfellow §5.5, the Bernoulli likelihood).
    assert solve("mle", distribution="bernoulli", x=[1] * 7 + [0] * 3)["mean"] == 0.7
    for raw in (dict(distribution="bernoulli", x=[0, 2]), dict(distribution="gaussian", x=[3, 3])):
        with pytest.raises(SolverInputError) as err:
            solve("mle", **raw)
        assert err.value.param == "x"


def test_map_gaussian_mean_maximizes_the_torch_log_posterior_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        x = [rng.uniform(-5, 5) for _ in range(rng.randint(1, 10))]
        sigma2, mu0, tau2 = rng.uniform(0.2, 5), rng.uniform(-3, 3), rng.uniform(0.1, 5)
        got = solve("map_gaussian_mean", x=x, sigma2=sigma2, prior_mean=mu0, prior_var=tau2)
        mu = t64(got["map"]).requires_grad_()
        log_post = (Normal(mu, math.sqrt(sigma2)).log_prob(t64(x)).sum()
                    + Normal(t64(mu0), math.sqrt(tau2)).log_prob(mu))
        log_post.backward()
        assert abs(mu.grad.item()) < 1e-9
        assert got["mle"] == pytest.approx(sum(x) / len(x))
        assert min(got["mle"], mu0) - 1e-12 <= got["map"] <= max(got["mle"], mu0) + 1e-12


def test_map_published_bishop_posterior_mean():
    # Bishop, PRML eq. 2.141: μ_N = σ²/(Nσ₀² + σ²)·μ₀ + Nσ₀²/(Nσ₀² + σ²)·μ_ML.
    # N = 3, σ² = 4, σ₀² = 2, μ₀ = 0, μ_ML = 4: μ_N = 6/10·4 = 2.4.
    got = solve("map_gaussian_mean", x=[2, 4, 6], sigma2=4, prior_var=2)
    assert (got["mle"], got["weight"], got["map"]) == pytest.approx((4, 0.6, 2.4))
    assert "L2" in steps_of("map_gaussian_mean", x=[2, 4, 6], sigma2=4, prior_var=2)[1].en
