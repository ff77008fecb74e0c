"""Probability solvers against torch (F.softmax, torch.logsumexp, torch.distributions) and
published answers (Cover & Thomas, d2l, CS231n, Wikipedia, Gigerenzer & Hoffrage)."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Categorical, Normal, kl_divergence

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
LN2 = math.log(2)


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def steps_of(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].steps


def t64(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def rand_dist(rng: random.Random, n: int, zeros: bool = False) -> list[float]:
    """A random distribution over n outcomes (some entries 0 if `zeros`), summing to 1."""
    w = [rng.random() ** 3 for _ in range(n)]
    if zeros:
        for i in rng.sample(range(n), rng.randint(0, n - 1)):
            w[i] = 0.0
    total = math.fsum(w)
    return [x / total for x in w]


def draw_base(rng: random.Random):
    return rng.choice(["e", 2, 10, 3.5])


def in_base(nats: float, base) -> float:
    return nats if base == "e" else nats / math.log(base)


# ---------------------------------------------------------------- softmax


def test_softmax_matches_f_softmax_of_logits_over_temperature_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        logits = [rng.uniform(-30, 30) for _ in range(rng.randint(1, 7))]
        temperature = rng.choice([1.0, rng.uniform(0.05, 10)])
        got = solve("softmax", logits=logits, temperature=temperature)["probs"]
        want = F.softmax(t64(logits) / temperature, dim=0)
        assert got == pytest.approx(want.tolist(), rel=1e-12, abs=1e-15)


def test_softmax_of_huge_logits_is_finite_where_naive_float32_softmax_overflows():
    # CS231n linear-classification notes, "Practical issues: Numeric stability":
    # f = [123, 456, 789]; np.exp(f) / np.sum(np.exp(f)) blows up, shifting by max(f) fixes it.
    naive = torch.exp(torch.tensor([123.0, 456.0, 789.0])) / torch.exp(
        torch.tensor([123.0, 456.0, 789.0])).sum()
    assert torch.isnan(naive).any()
    got = solve("softmax", logits=[123, 456, 789])["probs"]
    assert got == pytest.approx([math.exp(-666), math.exp(-333), 1.0], rel=1e-12)


def test_softmax_published_wikipedia_example():
    # Wikipedia "Softmax function", example: [1, 2, 3, 4, 1, 2, 3] ->
    # [0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175].
    got = solve("softmax", logits=[1, 2, 3, 4, 1, 2, 3])["probs"]
    assert [round(p, 3) for p in got] == [0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175]


def test_softmax_temperature_flattens_and_sharpens_and_must_be_positive():
    cold = solve("softmax", logits=[1, 2, 3], temperature=0.1)["probs"]
    hot = solve("softmax", logits=[1, 2, 3], temperature=100)["probs"]
    assert cold[2] > 0.9999 and max(hot) - min(hot) < 0.01
    for bad in (0, -1):
        with pytest.raises(SolverInputError) as err:
            solve("softmax", logits=[1, 2], temperature=bad)
        assert err.value.param == "temperature"


# ---------------------------------------------------------------- log-sum-exp


def test_logsumexp_and_log_softmax_match_torch_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        scale = rng.choice([1, 50, 1000])
        x = [rng.uniform(-scale, scale) for _ in range(rng.randint(1, 8))]
        got = solve("logsumexp", x=x)
        assert got["lse"] == pytest.approx(torch.logsumexp(t64(x), dim=0).item(), rel=1e-12)
        assert got["log_softmax"] == pytest.approx(F.log_softmax(t64(x), dim=0).tolist(),
                                                   rel=1e-9, abs=1e-12)


def test_logsumexp_of_large_numbers_is_finite_where_the_naive_form_overflows():
    # CS231n's numeric-stability example again: log Σ exp([123, 456, 789]) = 789 (+ e^-333).
    assert torch.isinf(torch.logsumexp(t64([789.0]), 0).exp())  # exp(789) overflows float64
    assert solve("logsumexp", x=[123, 456, 789])["lse"] == pytest.approx(789.0, rel=1e-15)
    got = solve("logsumexp", x=[1000, 1001, 1002])["lse"]
    assert got == pytest.approx(1002 + math.log(1 + math.exp(-1) + math.exp(-2)), rel=1e-15)
    assert "overflow" in steps_of("logsumexp", x=[1000, 1001])[0].en


# ---------------------------------------------------------------- entropy, cross-entropy, KL, JS


def test_entropy_matches_categorical_entropy_in_every_base_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        p = rand_dist(rng, rng.randint(1, 6), zeros=True)
        base = draw_base(rng)
        got = solve("entropy", p=p, base=base)["entropy"]
        want = in_base(Categorical(probs=t64(p)).entropy().item(), base)
        assert got == pytest.approx(want, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("p, bits", [
    ([0.5, 0.5], 1.0),  # a fair coin
    ([0.5, 0.25, 0.125, 0.125], 1.75),  # Cover & Thomas, Elements of Information Theory, Ex. 2.1.2
    ([1.0, 0.0], 0.0),  # a certain outcome
])
def test_entropy_published_values_in_bits(p, bits):
    assert solve("entropy", p=p, base=2)["entropy"] == pytest.approx(bits, abs=1e-15)


def test_entropy_refuses_what_is_not_a_distribution_and_a_bad_base():
    for p in ([0.5, 0.6], [1.2, -0.2], [0.3, 0.3]):
        with pytest.raises(SolverInputError) as err:
            solve("entropy", p=p)
        assert err.value.param == "p"
    for base in (1, 0.5, -2, "ten", 10**13):
        with pytest.raises(SolverInputError) as err:
            solve("entropy", p=[0.5, 0.5], base=base)
        assert err.value.param == "base"


def test_cross_entropy_matches_f_cross_entropy_with_probability_targets_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p, q = rand_dist(rng, n, zeros=True), rand_dist(rng, n)
        base = draw_base(rng)
        got = solve("cross_entropy", p=p, q=q, base=base)["cross_entropy"]
        want = F.cross_entropy(torch.log(t64(q))[None], t64(p)[None]).item()
        assert got == pytest.approx(in_base(want, base), rel=1e-10, abs=1e-12)
        # and the identity H(p, q) = H(p) + KL(p‖q), from torch.distributions
        split = Categorical(probs=t64(p)).entropy() + kl_divergence(
            Categorical(probs=t64(p)), Categorical(probs=t64(q)))
        assert got == pytest.approx(in_base(split.item(), base), rel=1e-9, abs=1e-12)


def test_cross_entropy_published_d2l_example():
    # d2l.ai, "Softmax Regression Implementation from Scratch" (§4.4; §3.6 of the 1st ed.):
    # y_hat = [[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]], y = [0, 2]: cross_entropy = [2.3026, 0.6931].
    first = solve("cross_entropy", p=[1, 0, 0], q=[0.1, 0.3, 0.6])["cross_entropy"]
    second = solve("cross_entropy", p=[0, 0, 1], q=[0.3, 0.2, 0.5])["cross_entropy"]
    assert (round(first, 4), round(second, 4)) == (2.3026, 0.6931)


def test_cross_entropy_and_kl_are_infinite_when_q_misses_mass_of_p():
    for name in ("cross_entropy", "kl_divergence"):
        with pytest.raises(SolverInputError) as err:
            solve(name, p=[0.5, 0.5], q=[1, 0])
        assert err.value.param == "q" and "infinite" in err.value.message
    with pytest.raises(SolverInputError) as err:
        solve("kl_divergence", p=[0.5, 0.5], q=[0.2, 0.3, 0.5])
    assert err.value.param == "q"


def test_kl_divergence_matches_torch_distributions_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p, q = rand_dist(rng, n, zeros=True), rand_dist(rng, n)
        base = draw_base(rng)
        got = solve("kl_divergence", p=p, q=q, base=base)["kl"]
        want = kl_divergence(Categorical(probs=t64(p)), Categorical(probs=t64(q))).item()
        assert got == pytest.approx(in_base(want, base), rel=1e-9, abs=1e-12)


def test_kl_divergence_published_wikipedia_example_and_asymmetry():
    # Wikipedia "Kullback–Leibler divergence", basic example: P = Binomial(2, 0.4) = (0.36, 0.48,
    # 0.16), Q uniform: D(P‖Q) = 0.0852996, D(Q‖P) = 0.097455 nats.
    third = 1 / 3
    forward = solve("kl_divergence", p=[0.36, 0.48, 0.16], q=[third] * 3)["kl"]
    reverse = solve("kl_divergence", p=[third] * 3, q=[0.36, 0.48, 0.16])["kl"]
    assert forward == pytest.approx(0.0852996, abs=5e-8)
    assert reverse == pytest.approx(0.097455, abs=5e-7)
    assert "0.0975" in steps_of("kl_divergence", p=[0.36, 0.48, 0.16], q=[third] * 3)[-1].en


def test_js_divergence_matches_the_entropy_form_from_torch_over_random_draws():
    # JS(p, q) = H(m) − (H(p) + H(q))/2, a second formulation, with torch's entropies.
    rng = random.Random(5)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        p, q = rand_dist(rng, n, zeros=True), rand_dist(rng, n, zeros=True)
        base = draw_base(rng)
        got = solve("js_divergence", p=p, q=q, base=base)["js"]
        h = lambda v: Categorical(probs=v).entropy()  # noqa: E731
        want = h((t64(p) + t64(q)) / 2) - (h(t64(p)) + h(t64(q))) / 2
        assert got == pytest.approx(in_base(want.item(), base), rel=1e-9, abs=1e-12)
        assert got == pytest.approx(solve("js_divergence", p=q, q=p, base=base)["js"], abs=1e-15)


def test_js_divergence_of_disjoint_supports_is_log_2():
    # Arjovsky, Chintala & Bottou (2017), "Wasserstein GAN", Example 1: for distributions on
    # disjoint supports JS = log 2 whatever their distance — constant, so no gradient.
    disjoint = solve("js_divergence", p=[0.5, 0.5, 0, 0], q=[0, 0, 0.3, 0.7])["js"]
    assert disjoint == pytest.approx(LN2)
    assert solve("js_divergence", p=[1, 0], q=[0, 1], base=2)["js"] == pytest.approx(1.0)


# ---------------------------------------------------------------- Gaussians


def test_kl_gaussian_matches_torch_normal_kl_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        mp, mq = rng.uniform(-5, 5), rng.uniform(-5, 5)
        sp, sq = rng.uniform(0.1, 5), rng.uniform(0.1, 5)
        got = solve("kl_gaussian", mu_p=mp, sigma_p=sp, mu_q=mq, sigma_q=sq)["kl"]
        want = kl_divergence(Normal(t64(mp), t64(sp)), Normal(t64(mq), t64(sq))).item()
        assert got == pytest.approx(want, rel=1e-10, abs=1e-13)


def test_kl_gaussian_published_vae_closed_form():
    # Kingma & Welling (2014), Auto-Encoding Variational Bayes, appendix B:
    # −KL(N(μ, σ²)‖N(0, 1)) = ½(1 + log σ² − μ² − σ²).
    for mu, sigma in ((0.5, 2.0), (-1.0, 0.3), (0.0, 1.0)):
        got = solve("kl_gaussian", mu_p=mu, sigma_p=sigma, mu_q=0, sigma_q=1)["kl"]
        assert got == pytest.approx(-0.5 * (1 + math.log(sigma ** 2) - mu ** 2 - sigma ** 2),
                                    abs=1e-15)
    with pytest.raises(SolverInputError) as err:
        solve("kl_gaussian", mu_p=0, sigma_p=0, mu_q=0, sigma_q=1)
    assert err.value.param == "sigma_p"


# ---------------------------------------------------------------- mutual information


def test_mutual_information_matches_kl_of_joint_and_product_and_torch_entropies():
    rng = random.Random(7)
    for _ in range(DRAWS):
        rows, cols = rng.randint(1, 4), rng.randint(1, 4)
        flat = rand_dist(rng, rows * cols, zeros=True)
        joint = [flat[r * cols:(r + 1) * cols] for r in range(rows)]
        base = draw_base(rng)
        got = solve("mutual_information", joint=joint, base=base)
        pxy = t64(joint)
        px, py = pxy.sum(1), pxy.sum(0)
        kl = kl_divergence(Categorical(probs=pxy.reshape(-1)),
                           Categorical(probs=torch.outer(px, py).reshape(-1)))
        h = lambda v: in_base(Categorical(probs=v).entropy().item(), base)  # noqa: E731
        assert got["mi"] == pytest.approx(in_base(kl.item(), base), rel=1e-9, abs=1e-12)
        assert got["h_x"] == pytest.approx(h(px), abs=1e-12)
        assert got["h_y"] == pytest.approx(h(py), abs=1e-12)
        assert got["h_xy"] == pytest.approx(h(pxy.reshape(-1)), abs=1e-12)
        assert got["h_x_given_y"] == pytest.approx(h(pxy.reshape(-1)) - h(py), abs=1e-12)
        assert got["p_x"] == pytest.approx(px.tolist()) and got["p_y"] == pytest.approx(py.tolist())


def test_mutual_information_published_cover_thomas_example_2_2_1():
    # Cover & Thomas, Elements of Information Theory, Example 2.2.1 (their rows are y, columns
    # x; here rows are X, so the table is transposed): H(X) = 7/4, H(Y) = 2, H(X|Y) = 11/8,
    # H(Y|X) = 13/8, H(X, Y) = 27/8 bits, so I(X; Y) = 3/8 bit.
    by_y = [[1 / 8, 1 / 16, 1 / 32, 1 / 32], [1 / 16, 1 / 8, 1 / 32, 1 / 32],
            [1 / 16, 1 / 16, 1 / 16, 1 / 16], [1 / 4, 0, 0, 0]]
    joint = [list(col) for col in zip(*by_y)]
    got = solve("mutual_information", joint=joint, base=2)
    assert (got["h_x"], got["h_y"], got["h_xy"]) == pytest.approx((7 / 4, 2, 27 / 8))
    assert (got["h_x_given_y"], got["h_y_given_x"]) == pytest.approx((11 / 8, 13 / 8))
    assert got["mi"] == pytest.approx(3 / 8)


def test_mutual_information_is_zero_for_independent_and_full_for_copied_variables():
    assert solve("mutual_information", joint=[[0.12, 0.28], [0.18, 0.42]])["mi"] == pytest.approx(
        0, abs=1e-15)
    assert solve("mutual_information", joint=[[0.3, 0], [0, 0.7]])["mi"] == pytest.approx(
        solve("entropy", p=[0.3, 0.7])["entropy"])


# ---------------------------------------------------------------- Bayes


def test_bayes_2x2_agrees_with_bayes_rule_and_with_counting_over_random_draws():
    rng = random.Random(8)
    for _ in range(DRAWS):
        table = [[rng.randint(1, 50), rng.randint(1, 50)],
                 [rng.randint(1, 500), rng.randint(1, 500)]]
        (a, b), (c, d) = table
        got = solve("bayes_2x2", table=table)
        rule = solve("bayes_rule", prior=got["p_h"], p_e_given_h=got["p_e_given_h"],
                     p_e_given_not_h=got["p_e_given_not_h"])
        assert got["p_h_given_e"] == pytest.approx(rule["p_h_given_e"], rel=1e-12)
        assert got["p_e"] == pytest.approx(rule["p_e"], rel=1e-12)
        # counting: of the cases with E, the share with H
        assert got["p_h_given_e"] == pytest.approx(a / (a + c), rel=1e-14)
        assert got["p_h_given_not_e"] == pytest.approx(b / (b + d), rel=1e-14)
        # the same table as probabilities gives the same answers
        total = a + b + c + d
        again = solve("bayes_2x2", table=[[a / total, b / total], [c / total, d / total]])
        assert again == pytest.approx(got, rel=1e-12)


def test_bayes_published_mammography_example():
    # Gigerenzer & Hoffrage (1995), after Eddy (1982): prevalence 1%, sensitivity 80%,
    # false-positive rate 9.6%: P(cancer | positive) = 0.078 (7.8%).
    got = solve("bayes_rule", prior=0.01, p_e_given_h=0.8, p_e_given_not_h=0.096)
    assert round(got["p_h_given_e"], 3) == 0.078
    # As natural frequencies, 10,000 women: 80 / 20 with cancer, 950 / 8,950 without.
    table = solve("bayes_2x2", table=[[80, 20], [950, 8950]])
    assert table["p_h_given_e"] == pytest.approx(80 / 1030)


def test_bayes_refuses_undefined_conditionals():
    with pytest.raises(SolverInputError) as err:
        solve("bayes_2x2", table=[[0, 5], [0, 7]])
    assert err.value.param == "table"
    with pytest.raises(SolverInputError) as err:
        solve("bayes_2x2", table=[[1, 2, 3], [4, 5, 6]])
    assert err.value.param == "table"
    with pytest.raises(SolverInputError) as err:
        solve("bayes_rule", prior=0.5, p_e_given_h=0, p_e_given_not_h=0)
    assert err.value.param == "p_e_given_h"
