"""Autoencoder, VAE and RBM solvers against torch (F.mse_loss, F.binary_cross_entropy,
torch.distributions KL and rsample, autograd Jacobians) and a brute-force RBM, with
published cases (Keras docs, Cover & Thomas, numpy docs, pytorch/examples' VAE)."""

from __future__ import annotations

import itertools
import math
import random

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Normal, kl_divergence

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def t64(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def rand_vec(rng: random.Random, n: int, lo: float = -2, hi: float = 2) -> list[float]:
    return [rng.uniform(lo, hi) for _ in range(n)]


# ---------------------------------------------------------------- reconstruction_loss


def test_reconstruction_loss_matches_torch_mse_and_bce_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n = rng.randint(1, 8)
        loss, reduction = rng.choice(["mse", "bce"]), rng.choice(["mean", "sum"])
        if loss == "mse":
            x, x_hat = rand_vec(rng, n), rand_vec(rng, n)
            want = F.mse_loss(t64(x_hat), t64(x), reduction=reduction)
        else:
            x = [rng.choice([0, 1, rng.random()]) for _ in range(n)]
            x_hat = [rng.choice([0, 1, rng.random(), rng.random()]) for _ in range(n)]
            want = F.binary_cross_entropy(t64(x_hat), t64(x), reduction=reduction)
        got = solve("reconstruction_loss", x=x, x_hat=x_hat, loss=loss, reduction=reduction)
        assert got["loss"] == pytest.approx(want.item(), rel=1e-10, abs=1e-12)


def test_reconstruction_loss_keras_documented_examples():
    # keras.losses.MeanSquaredError docs: y_true [[0, 1], [0, 0]], y_pred [[1, 1], [1, 0]]
    # -> 0.5; keras.losses.BinaryCrossentropy docs: y_true [[0, 1], [0, 0]],
    # y_pred [[0.6, 0.4], [0.4, 0.6]] -> 0.815 (equal-size samples, so the flat mean agrees).
    assert solve("reconstruction_loss", x=[0, 1, 0, 0], x_hat=[1, 1, 1, 0])["loss"] == 0.5
    bce = solve("reconstruction_loss", x=[0, 1, 0, 0], x_hat=[0.6, 0.4, 0.4, 0.6], loss="bce")
    assert bce["loss"] == pytest.approx(0.815, abs=5e-4)


def test_reconstruction_loss_bce_clamps_log_at_minus_100_as_torch():
    got = solve("reconstruction_loss", x=[1, 0], x_hat=[0, 0], loss="bce", reduction="sum")
    assert got["loss"] == pytest.approx(100.0)


def test_reconstruction_loss_rejects_bce_reconstructions_outside_0_1():
    with pytest.raises(SolverInputError) as err:
        solve("reconstruction_loss", x=[1, 0], x_hat=[1.2, 0.5], loss="bce")
    assert err.value.param == "x_hat"


# ---------------------------------------------------------------- sparsity_penalty


def test_sparsity_penalty_matches_torch_bernoulli_kl_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        m, k = rng.randint(1, 5), rng.randint(1, 5)
        acts = [[rng.uniform(0.01, 0.99) for _ in range(k)] for _ in range(m)]
        rho = rng.choice([0.05, 0.1, rng.uniform(0.01, 0.99)])
        beta = rng.choice([1, 3, rng.random()])
        got = solve("sparsity_penalty", activations=acts, rho=rho, beta=beta)
        rho_hat = t64(acts).mean(dim=0)
        kl = kl_divergence(Bernoulli(probs=torch.full_like(rho_hat, rho)), Bernoulli(probs=rho_hat))
        assert got["rho_hat"] == pytest.approx(rho_hat.tolist(), rel=1e-12)
        assert got["kl"] == pytest.approx(kl.tolist(), rel=1e-8, abs=1e-12)
        assert got["penalty"] == pytest.approx(beta * kl.sum().item(), rel=1e-8, abs=1e-12)


def test_sparsity_penalty_cover_thomas_example_2_3_1():
    # Cover & Thomas, Elements of Information Theory (2nd ed.), Example 2.3.1:
    # D(p‖q) = 1 − ½ log₂ 3 = 0.2075 bits for p = Bernoulli(1/2), q = Bernoulli(1/4).
    got = solve("sparsity_penalty", activations=[[0.25], [0.25]], rho=0.5)
    assert got["kl"][0] / math.log(2) == pytest.approx(1 - 0.5 * math.log2(3), rel=1e-12)
    assert got["kl"][0] / math.log(2) == pytest.approx(0.2075, abs=5e-5)


def test_sparsity_penalty_is_zero_when_every_unit_hits_the_target():
    got = solve("sparsity_penalty", activations=[[0.1, 0.0], [0.1, 0.2]], rho=0.1)
    assert got["penalty"] == pytest.approx(0, abs=1e-15)


def test_sparsity_penalty_rejects_a_unit_that_never_fires():
    with pytest.raises(SolverInputError) as err:
        solve("sparsity_penalty", activations=[[0, 0.5], [0, 0.5]])
    assert err.value.param == "activations"


# ---------------------------------------------------------------- contractive_penalty


ACTS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "linear": lambda a: a}


def test_contractive_penalty_matches_the_autograd_jacobian_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        n_in, n_hidden = rng.randint(1, 4), rng.randint(1, 4)
        x = rand_vec(rng, n_in)
        weight = [rand_vec(rng, n_in) for _ in range(n_hidden)]
        bias = rand_vec(rng, n_hidden) if rng.random() < 0.6 else None
        act, lam = rng.choice(list(ACTS)), rng.choice([1, 0.1, rng.random()])
        raw = dict(x=x, weight=weight, activation=act, lam=lam)
        if bias is not None:
            raw["bias"] = bias
        got = solve("contractive_penalty", **raw)
        W, bt = t64(weight), None if bias is None else t64(bias)
        encoder = lambda v: ACTS[act](F.linear(v, W, bt))  # noqa: E731
        jac = torch.autograd.functional.jacobian(encoder, t64(x))
        fro = torch.linalg.matrix_norm(jac, ord="fro")
        assert got["h"] == pytest.approx(encoder(t64(x)).tolist(), rel=1e-10, abs=1e-12)
        torch.testing.assert_close(t64(got["jacobian"]), jac, rtol=1e-10, atol=1e-12)
        assert got["frobenius_norm"] == pytest.approx(fro.item(), rel=1e-10, abs=1e-12)
        assert got["penalty"] == pytest.approx(lam * fro.item() ** 2, rel=1e-10, abs=1e-12)


def test_contractive_penalty_numpy_docs_frobenius_example():
    # numpy.linalg.norm docs: b = (arange(9) − 4).reshape(3, 3), LA.norm(b) = 7.745966692414834.
    # With a linear encoder the Jacobian is W itself.
    got = solve("contractive_penalty", x=[0, 0, 0], weight=[[-4, -3, -2], [-1, 0, 1], [2, 3, 4]],
                activation="linear")
    assert got["frobenius_norm"] == pytest.approx(7.745966692414834, rel=1e-15)
    assert got["penalty"] == pytest.approx(60)


def test_contractive_penalty_rifai_2011_sigmoid_closed_form():
    # Rifai et al. 2011, eq. 5: ‖J‖_F² = Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wⱼᵢ²; at a = 0, h = ½, so
    # ‖J‖_F² = ‖W‖_F² / 16.
    got = solve("contractive_penalty", x=[0, 0], weight=[[1, 2], [3, 4]])
    assert got["h"] == [0.5, 0.5] and got["penalty"] == pytest.approx(30 / 16)


# ---------------------------------------------------------------- vae_kl / reparameterize


def test_vae_kl_matches_torch_distributions_normal_kl_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        mu, logvar = rand_vec(rng, n, -3, 3), rand_vec(rng, n, -4, 3)
        got = solve("vae_kl", mu=mu, logvar=logvar)["kl"]
        q = Normal(t64(mu), torch.exp(0.5 * t64(logvar)))
        want = kl_divergence(q, Normal(torch.zeros(n, dtype=torch.float64), 1.0)).sum()
        assert got == pytest.approx(want.item(), rel=1e-10, abs=1e-12)


def test_vae_kl_kingma_welling_appendix_b_cases():
    # Kingma & Welling 2014, appendix B: −KL = ½ Σ (1 + log σ² − μ² − σ²): zero when the
    # posterior is the prior, ½μ² for a shifted unit Gaussian, ½(σ² − 1 − log σ²) otherwise.
    assert solve("vae_kl", mu=[0, 0], logvar=[0, 0])["kl"] == 0
    assert solve("vae_kl", mu=[2], logvar=[0])["kl"] == 2
    assert solve("vae_kl", mu=[0], logvar=[math.log(4)])["kl"] == pytest.approx(
        0.5 * (4 - 1 - math.log(4)))


def test_vae_kl_rejects_a_logvar_whose_exponential_overflows():
    with pytest.raises(SolverInputError) as err:
        solve("vae_kl", mu=[0], logvar=[800])
    assert err.value.param == "logvar"


def test_reparameterize_matches_torch_rsample_and_its_gradients_over_random_draws():
    rng = random.Random(4)
    torch.manual_seed(0)
    for _ in range(DRAWS):
        n = rng.randint(1, 5)
        mu = t64(rand_vec(rng, n)).requires_grad_(True)
        logvar = t64(rand_vec(rng, n, -3, 2)).requires_grad_(True)
        state = torch.get_rng_state()
        z = Normal(mu, torch.exp(0.5 * logvar)).rsample()
        torch.set_rng_state(state)
        eps = torch.randn(n, dtype=torch.float64)  # the noise rsample drew
        got = solve("reparameterize", mu=mu.tolist(), logvar=logvar.tolist(), eps=eps.tolist())
        assert got["z"] == pytest.approx(z.tolist(), rel=1e-10, abs=1e-12)
        grad_mu, grad_logvar = torch.autograd.grad(z.sum(), (mu, logvar))
        assert grad_mu.tolist() == [1.0] * n  # z moves one for one with μ
        sigma = t64(got["sigma"])
        torch.testing.assert_close(grad_logvar, 0.5 * sigma * eps, rtol=1e-10, atol=1e-12)


def test_reparameterize_kingma_welling_univariate_gaussian_example():
    # Kingma & Welling 2014, §2.4: z ~ N(μ, σ²) is written z = μ + σε with ε ~ N(0, 1).
    got = solve("reparameterize", mu=[1, -2], logvar=[math.log(4), 0], eps=[0.5, -1])
    assert got["sigma"] == pytest.approx([2, 1]) and got["z"] == pytest.approx([2, -3])


# ---------------------------------------------------------------- vae_loss


def pytorch_examples_vae_loss(recon_x, x, mu, logvar):
    """loss_function of pytorch/examples vae/main.py: summed BCE + KLD."""
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def test_vae_loss_matches_the_pytorch_examples_loss_function_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        n, k = rng.randint(1, 8), rng.randint(1, 4)
        x = [rng.choice([0, 1, rng.random()]) for _ in range(n)]
        x_hat = [rng.uniform(0.01, 0.99) for _ in range(n)]
        mu, logvar = rand_vec(rng, k), rand_vec(rng, k, -2, 2)
        recon, beta = rng.choice(["bce", "sse"]), rng.choice([1, 1, 4, rng.random()])
        got = solve("vae_loss", x=x, x_hat=x_hat, mu=mu, logvar=logvar, recon=recon, beta=beta)
        if recon == "bce" and beta == 1:
            want = pytorch_examples_vae_loss(t64(x_hat), t64(x), t64(mu), t64(logvar))
            assert got["loss"] == pytest.approx(want.item(), rel=1e-10)
        rec = (F.binary_cross_entropy(t64(x_hat), t64(x), reduction="sum") if recon == "bce"
               else F.mse_loss(t64(x_hat), t64(x), reduction="sum"))
        kl = kl_divergence(Normal(t64(mu), torch.exp(0.5 * t64(logvar))),
                           Normal(torch.zeros(k, dtype=torch.float64), 1.0)).sum()
        assert got["recon"] == pytest.approx(rec.item(), rel=1e-10, abs=1e-12)
        assert got["loss"] == pytest.approx((rec + beta * kl).item(), rel=1e-10, abs=1e-12)


# ---------------------------------------------------------------- rbm_energy


def brute_force_rbm(v, h, W, b, c):
    """E by the double sum, and p(hⱼ = 1 | v), p(vᵢ = 1 | h) by summing e^−E over every
    state of the other layer (no independence assumed)."""
    Wt, bt, ct = t64(W), t64(b), t64(c)

    def energy(vv, hh):
        vv, hh = t64(vv), t64(hh)
        return -(bt @ vv) - (ct @ hh) - torch.einsum("j,ji,i->", hh, Wt, vv)

    def conditional(n_units, fixed, as_hidden):
        states = [list(s) for s in itertools.product([0, 1], repeat=n_units)]
        weights = torch.stack([torch.exp(-(energy(fixed, s) if as_hidden else energy(s, fixed)))
                               for s in states])
        on = t64(states)
        return (weights[:, None] * on).sum(0) / weights.sum()

    return (energy(v, h).item(), conditional(len(c), v, True).tolist(),
            conditional(len(b), h, False).tolist())


def test_rbm_energy_matches_brute_force_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        n_v, n_h = rng.randint(1, 4), rng.randint(1, 3)
        v = [rng.randint(0, 1) for _ in range(n_v)]
        h = [rng.randint(0, 1) for _ in range(n_h)]
        W = [rand_vec(rng, n_v) for _ in range(n_h)]
        b = rand_vec(rng, n_v) if rng.random() < 0.7 else None
        c = rand_vec(rng, n_h) if rng.random() < 0.7 else None
        raw = dict(v=v, h=h, weight=W)
        if b is not None:
            raw["visible_bias"] = b
        if c is not None:
            raw["hidden_bias"] = c
        got = solve("rbm_energy", **raw)
        energy, p_h, p_v = brute_force_rbm(v, h, W, b or [0.0] * n_v, c or [0.0] * n_h)
        assert got["energy"] == pytest.approx(energy, rel=1e-10, abs=1e-12)
        assert got["p_h"] == pytest.approx(p_h, rel=1e-9, abs=1e-12)
        assert got["p_v"] == pytest.approx(p_v, rel=1e-9, abs=1e-12)


def test_rbm_energy_hinton_practical_guide_equations_by_hand():
    # Hinton, A Practical Guide to Training RBMs (2010), eq. 1 and eqs. 7–8, worked by hand:
    # v = (1, 0, 1), h = (1, 0), W rows (1, −1, 0.5) and (−0.5, 1, 1), b = (0.1, 0, −0.1),
    # c = (0, 0.5): bᵀv = 0, cᵀh = 0, hᵀWv = 1.5, so E = −1.5;
    # p(h = 1 | v) = σ(0 + 1.5), σ(0.5 + 0.5) = σ(1.5), σ(1).
    got = solve("rbm_energy", v=[1, 0, 1], h=[1, 0], weight=[[1, -1, 0.5], [-0.5, 1, 1]],
                visible_bias=[0.1, 0, -0.1], hidden_bias=[0, 0.5])
    sig = lambda a: 1 / (1 + math.exp(-a))  # noqa: E731
    assert got["energy"] == pytest.approx(-1.5)
    assert got["p_h"] == pytest.approx([sig(1.5), sig(1.0)])
    assert got["p_v"] == pytest.approx([sig(1.1), sig(-1), sig(0.4)])


def test_rbm_energy_rejects_non_binary_states():
    with pytest.raises(SolverInputError) as err:
        solve("rbm_energy", v=[0.5, 1], h=[1], weight=[[1, 1]])
    assert err.value.param == "v"
