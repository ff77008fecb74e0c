"""Normalization solvers against torch (nn.BatchNorm1d / BatchNorm2d in train and eval
mode, nn.LayerNorm, the modules' own parameters and buffers) and published cases."""

from __future__ import annotations

import math
import random

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
    return torch.allclose(torch.as_tensor(a, dtype=D).detach(),
                          torch.as_tensor(b, dtype=D).detach(), rtol=tol, atol=tol)


def _table(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    if rng.random() < 0.5:  # hand-worked style, repeated values included
        return [[float(rng.randint(-4, 6)) for _ in range(cols)] for _ in range(rows)]
    return [[rng.uniform(-3, 3) for _ in range(cols)] for _ in range(rows)]


def _bn_module(cls, d: int, gamma, beta, eps, momentum, rm, rv):
    bn = cls(d, eps=eps, momentum=momentum).to(D)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma, dtype=D))
        bn.bias.copy_(torch.tensor(beta, dtype=D))
        bn.running_mean.copy_(torch.tensor(rm, dtype=D))
        bn.running_var.copy_(torch.tensor(rv, dtype=D))
    return bn


def _draw_bn(rng: random.Random, d: int):
    gamma = [rng.choice([1.0, 2.0, 0.5, rng.uniform(-2, 2)]) for _ in range(d)]
    beta = [rng.choice([0.0, 1.0, rng.uniform(-2, 2)]) for _ in range(d)]
    eps = rng.choice([1e-5, 1e-3, 0.1])
    momentum = rng.choice([0.1, 0.5, 0.01, rng.uniform(0, 1)])
    rm = [rng.uniform(-2, 2) for _ in range(d)]
    rv = [rng.uniform(0.1, 3) for _ in range(d)]
    return gamma, beta, eps, momentum, rm, rv


# ---------------------------------------------------------------- batchnorm (training)


def test_batchnorm_matches_nn_batchnorm1d_in_train_mode_with_running_stats_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n, d = rng.randint(2, 6), rng.randint(1, 4)
        x = _table(rng, n, d)
        gamma, beta, eps, momentum, rm, rv = _draw_bn(rng, d)
        bn = _bn_module(torch.nn.BatchNorm1d, d, gamma, beta, eps, momentum, rm, rv).train()
        xt = torch.tensor(x, dtype=D)
        y = bn(xt)
        got = solve("batchnorm", x=x, gamma=gamma, beta=beta, eps=eps, momentum=momentum,
                    running_mean=rm, running_var=rv)
        assert close(got["y"], y)
        assert close(got["running_mean"], bn.running_mean)
        assert close(got["running_var"], bn.running_var)  # updated with the unbiased variance
        var, mean = torch.var_mean(xt, dim=0, unbiased=False)
        assert close(got["mean"], mean) and close(got["var"], var)
        assert close(got["x_hat"], (xt - mean) / torch.sqrt(var + eps))


def test_batchnorm_of_a_vector_is_one_feature_as_batchnorm1d_of_a_column():
    rng = random.Random(1)
    for _ in range(DRAWS):
        x = [row[0] for row in _table(rng, rng.randint(2, 8), 1)]
        gamma, beta, eps, momentum, rm, rv = _draw_bn(rng, 1)
        bn = _bn_module(torch.nn.BatchNorm1d, 1, gamma, beta, eps, momentum, rm, rv).train()
        y = bn(torch.tensor(x, dtype=D)[:, None])[:, 0]
        got = solve("batchnorm", x=x, gamma=gamma[0], beta=beta[0], eps=eps, momentum=momentum,
                    running_mean=rm[0], running_var=rv[0])
        assert close(got["y"], y)
        assert isinstance(got["mean"], float) and isinstance(got["running_var"], float)
        assert math.isclose(got["running_mean"], bn.running_mean.item(), abs_tol=1e-12)
        assert math.isclose(got["running_var"], bn.running_var.item(), rel_tol=1e-12)


def test_batchnorm_of_the_n_h_w_rows_of_each_channel_matches_nn_batchnorm2d():
    # BatchNorm2d takes its statistics per channel over the batch and every position: the
    # solver on the (N·H·W) x C table of a feature map gives the same output and buffers.
    rng = random.Random(2)
    checked = 0
    while checked < DRAWS:
        n, c, h, w = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        if n * h * w < 2:
            continue
        checked += 1
        gamma, beta, eps, momentum, rm, rv = _draw_bn(rng, c)
        bn = _bn_module(torch.nn.BatchNorm2d, c, gamma, beta, eps, momentum, rm, rv).train()
        fmap = torch.tensor(_table(rng, n * c * h * w, 1), dtype=D).reshape(n, c, h, w)
        y = bn(fmap)
        table = fmap.permute(0, 2, 3, 1).reshape(-1, c)
        got = solve("batchnorm", x=table.tolist(), gamma=gamma, beta=beta, eps=eps,
                    momentum=momentum, running_mean=rm, running_var=rv)
        assert close(got["y"], y.permute(0, 2, 3, 1).reshape(-1, c))
        assert close(got["running_mean"], bn.running_mean)
        assert close(got["running_var"], bn.running_var)


def test_batchnorm_refuses_a_batch_of_one_as_torch_does_in_training():
    with pytest.raises(ValueError):
        torch.nn.BatchNorm1d(2).train()(torch.ones(1, 2))
    with pytest.raises(SolverInputError) as err:
        solve("batchnorm", x=[[1, 2]])
    assert err.value.param == "x"


def test_batchnorm_pytorch_docs_running_var_uses_the_unbiased_variance():
    # PyTorch BatchNorm1d docs: "the standard-deviation is calculated via the biased
    # estimator ... the running var is computed with the unbiased estimator".
    # x = 1..4: σ² = 1.25 normalizes; 5/3 enters running_var = 0.9·1 + 0.1·5/3.
    got = solve("batchnorm", x=[1, 2, 3, 4])
    assert got["var"] == 1.25
    assert math.isclose(got["running_var"], 0.9 + 0.1 * 5 / 3)
    assert math.isclose(got["running_mean"], 0.25)


def test_batchnorm_d2l_example_normalizes_each_feature_over_the_batch():
    # d2l.ai, "The Transformer Architecture", residual connection and layer normalization:
    # BatchNorm1d(2) on [[1, 2], [2, 3]] prints [[-1, -1], [1, 1]] (to 4 decimals).
    got = solve("batchnorm", x=[[1, 2], [2, 3]])
    assert close(got["y"], [[-1, -1], [1, 1]], tol=1e-4)


@pytest.mark.parametrize("raw, param", [
    (dict(x=[[1, 2], [3, 4]], gamma=[1, 2, 3]), "gamma"),
    (dict(x=[1, 2], running_var=-1), "running_var"),
    (dict(x=[2, 2], eps=0), "eps"),
    (dict(x=[[1, 2], [3]]), "x"),
    (dict(x="abc"), "x"),
])
def test_batchnorm_rejects_bad_input_naming_the_parameter(raw, param):
    with pytest.raises(SolverInputError) as err:
        solve("batchnorm", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- batchnorm (inference)


def test_batchnorm_inference_matches_nn_batchnorm1d_in_eval_mode_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n, d = rng.randint(1, 5), rng.randint(1, 4)
        x = _table(rng, n, d)
        gamma, beta, eps, momentum, rm, rv = _draw_bn(rng, d)
        bn = _bn_module(torch.nn.BatchNorm1d, d, gamma, beta, eps, momentum, rm, rv).eval()
        xt = torch.tensor(x, dtype=D)
        y = bn(xt)
        got = solve("batchnorm_inference", x=x, gamma=gamma, beta=beta, eps=eps,
                    running_mean=rm, running_var=rv)
        assert close(got["y"], y)
        assert close(bn.running_mean, rm) and close(bn.running_var, rv)  # nothing updated
        # The folded affine map gives the same output.
        folded = xt * torch.tensor(got["scale"], dtype=D) + torch.tensor(got["shift"], dtype=D)
        assert close(folded, y)


def test_batchnorm_inference_is_ioffe_szegedy_algorithm_2_affine_map():
    # Ioffe & Szegedy (2015), Algorithm 2, step 11: at inference
    # y = γ/√(Var[x] + ε)·x + (β − γ·E[x]/√(Var[x] + ε)). E = 4, Var + ε = 4, γ = 2, β = 1:
    # a = 1, c = −3, so x = 2 -> −1 and x = 6 -> 3 (each sample on its own).
    got = solve("batchnorm_inference", x=[2, 6], gamma=2, beta=1, running_mean=4,
                running_var=3.99999)
    assert close(got["y"], [-1.0, 3.0])
    assert math.isclose(got["scale"], 1.0) and math.isclose(got["shift"], -3.0)
    single = solve("batchnorm_inference", x=[[6]], gamma=2, beta=1, running_mean=4,
                   running_var=3.99999)
    assert close(single["y"], [[3.0]])  # a batch of one is fine at inference


# ---------------------------------------------------------------- layernorm


def test_layernorm_matches_nn_layernorm_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        n, d = rng.randint(1, 4), rng.randint(1, 5)
        x = _table(rng, n, d)
        gamma = [rng.choice([1.0, rng.uniform(-2, 2)]) for _ in range(d)]
        beta = [rng.choice([0.0, rng.uniform(-2, 2)]) for _ in range(d)]
        eps = rng.choice([1e-5, 1e-3, 0.1])
        ln = torch.nn.LayerNorm(d, eps=eps).to(D)
        with torch.no_grad():
            ln.weight.copy_(torch.tensor(gamma, dtype=D))
            ln.bias.copy_(torch.tensor(beta, dtype=D))
        xt = torch.tensor(x, dtype=D)
        as_vector = n == 1 and rng.random() < 0.5
        got = solve("layernorm", x=x[0] if as_vector else x, gamma=gamma, beta=beta, eps=eps)
        expected = ln(xt)
        var, mean = torch.var_mean(xt, dim=1, unbiased=False)
        if as_vector:
            expected, var, mean = expected[0], var[0], mean[0]
        assert close(got["y"], expected)
        assert close(got["mean"], mean) and close(got["var"], var)


def test_layernorm_d2l_example_normalizes_each_sample_over_its_features():
    # d2l.ai, "The Transformer Architecture": LayerNorm(2) on [[1, 2], [2, 3]] prints
    # [[-1, 1], [-1, 1]] where BatchNorm1d gives [[-1, -1], [1, 1]].
    got = solve("layernorm", x=[[1, 2], [2, 3]])
    assert close(got["y"], [[-1, 1], [-1, 1]], tol=1e-4)


def test_layernorm_rejects_a_constant_row_with_eps_zero():
    with pytest.raises(SolverInputError) as err:
        solve("layernorm", x=[3, 3, 3], eps=0)
    assert err.value.param == "eps"


# ---------------------------------------------------------------- batchnorm_params


def test_batchnorm_params_match_the_parameters_and_buffers_of_nn_batchnorm2d():
    rng = random.Random(5)
    for _ in range(DRAWS):
        c = rng.randint(1, 512)
        affine, track = rng.random() < 0.8, rng.random() < 0.8
        bn = torch.nn.BatchNorm2d(c, affine=affine, track_running_stats=track)
        got = solve("batchnorm_params", num_features=c, affine=affine, track_running_stats=track)
        assert got["trainable"] == sum(p.numel() for p in bn.parameters() if p.requires_grad)
        stats = [b for name, b in bn.named_buffers() if name != "num_batches_tracked"]
        assert got["non_trainable"] == sum(b.numel() for b in stats)
        assert got["total"] == got["trainable"] + got["non_trainable"]
        assert all(type(v) is int for v in got.values())


def test_batchnorm_params_keras_guide_two_trainable_and_two_non_trainable_weights():
    # keras.io guide "Transfer learning & fine-tuning": BatchNormalization built on
    # (None, 4) has 2 trainable weights (γ, β) and 2 non-trainable ones (moving mean, var).
    got = solve("batchnorm_params", num_features=4)
    assert (got["trainable"], got["non_trainable"]) == (2 * 4, 2 * 4)


def test_batchnorm_params_keras_resnet50_non_trainable_53120():
    # Keras applications ResNet50 summary: "Non-trainable params: 53,120", the moving means
    # and variances of its BN layers: stem 64, then per bottleneck w, w, 4w (+ 4w on the
    # projection shortcut of each stage's first block), stages (64, 3), (128, 4), (256, 6),
    # (512, 3).
    channels = [64]
    for width, blocks in ((64, 3), (128, 4), (256, 6), (512, 3)):
        channels.append(4 * width)
        channels += [width, width, 4 * width] * blocks
    total = sum(solve("batchnorm_params", num_features=c)["non_trainable"] for c in channels)
    assert total == 53_120
