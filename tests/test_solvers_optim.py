"""optimizer_steps against every torch.optim optimizer step by step (p.grad set to the given
gradients), iterations_per_epoch against torch's DataLoader, and published traces: d2l's
gradient descent, momentum, Adagrad and RMSProp runs, Kingma & Ba's first Adam step,
Sutskever's look-ahead Nesterov, Chollet's 469 updates per epoch."""

from __future__ import annotations

import math
import random

import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")


def solve(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].answers


def steps_of(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].steps


def rows_close(got: list[list[float]], want: list[list[float]], rel=1e-10, abs_=1e-12) -> bool:
    return len(got) == len(want) and all(
        row == pytest.approx(w, rel=rel, abs=abs_) for row, w in zip(got, want))


def torch_optimizer(name: str, p: torch.Tensor, hyper: dict) -> torch.optim.Optimizer:
    """The torch.optim optimizer the solver's `optimizer` names, with the same settings."""
    lr, wd, eps = hyper["lr"], hyper["weight_decay"], hyper["eps"]
    if name == "sgd":
        return torch.optim.SGD([p], lr=lr, weight_decay=wd)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD([p], lr=lr, momentum=hyper["momentum"], weight_decay=wd,
                               nesterov=name == "nesterov")
    if name == "adagrad":
        return torch.optim.Adagrad([p], lr=lr, eps=eps, weight_decay=wd)
    if name == "rmsprop":
        return torch.optim.RMSprop([p], lr=lr, alpha=hyper["alpha"], eps=eps, weight_decay=wd)
    if name == "adadelta":
        return torch.optim.Adadelta([p], lr=lr, rho=hyper["rho"], eps=eps, weight_decay=wd)
    return torch.optim.Adam([p], lr=lr, betas=(hyper["beta1"], hyper["beta2"]), eps=eps,
                            weight_decay=wd)


def torch_history(name: str, params: list[float], grads: list[list[float]],
                  hyper: dict) -> list[list[float]]:
    p = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    optimizer = torch_optimizer(name, p, hyper)
    history = []
    for g in grads:
        optimizer.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        history.append(p.detach().tolist())
    return history


def draw_hyper(rng: random.Random) -> dict:
    return {"lr": rng.choice([0.01, 0.1, 0.5, 1.0, rng.uniform(0.001, 1)]),
            "momentum": rng.choice([0.9, 0.5, rng.uniform(0.01, 0.99)]),
            "alpha": rng.choice([0.99, 0.9, rng.uniform(0.5, 0.999)]),
            "rho": rng.choice([0.9, 0.95, rng.uniform(0.5, 0.99)]),
            "beta1": rng.choice([0.9, rng.uniform(0, 0.99)]),
            "beta2": rng.choice([0.999, rng.uniform(0.5, 0.9999)]),
            "eps": rng.choice([1e-8, 1e-6, 0.1]),
            "weight_decay": rng.choice([0.0, 0.0, 0.01, rng.uniform(0, 0.5)])}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_optimizer_steps_match_torch_optim_step_by_step(optimizer):
    rng = random.Random(optimizer)
    for _ in range(DRAWS):
        n, steps = rng.randint(1, 4), rng.randint(1, 6)
        params = [rng.uniform(-3, 3) for _ in range(n)]
        grads = [[rng.choice([0.0, rng.uniform(-5, 5)]) for _ in range(n)] for _ in range(steps)]
        hyper = draw_hyper(rng)
        want = torch_history(optimizer, params, grads, hyper)
        got = solve("optimizer_steps", optimizer=optimizer, params=params, grads=grads, **hyper)
        assert rows_close(got["history"], want), (optimizer, hyper, got["history"], want)
        assert got["params"] == pytest.approx(want[-1], rel=1e-10, abs=1e-12)


def test_optimizer_steps_defaults_are_the_contract_ones():
    inputs, _ = run_solver(get_solver("optimizer_steps"),
                           dict(optimizer="adam", params=[1], grads=[[1]], lr=0.1))
    assert {k: inputs[k] for k in ("momentum", "alpha", "rho", "beta1", "beta2", "eps",
                                   "weight_decay")} == \
        {"momentum": 0.9, "alpha": 0.99, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
         "weight_decay": 0.0}


# ---------------------------------------------------------------- published traces

F2D_START = [-5.0, -2.0]


def run_on_f2d(optimizer: str, lr: float, steps: int = 20, **hyper) -> list[float]:
    """d2l's f(x) = 0.1x₁² + 2x₂² from (−5, −2): each step's gradient (0.2x₁, 4x₂) is taken
    at the point the solver reached, so the solver is called with the growing gradient list."""
    grads: list[list[float]] = []
    point = F2D_START
    for _ in range(steps):
        grads.append([0.2 * point[0], 4.0 * point[1]])
        point = solve("optimizer_steps", optimizer=optimizer, params=F2D_START, grads=grads,
                      lr=lr, **hyper)["params"]
    return point


@pytest.mark.parametrize("optimizer, lr, hyper, printed, tol", [
    # d2l.ai §12.6 (Momentum): plain gradient descent, eta = 0.4 and 0.6
    ("sgd", 0.4, {}, (-0.943467, -0.000073), 5e-7),
    ("sgd", 0.6, {}, (-0.387814, -1673.365109), 5e-7),
    # d2l.ai §12.6: momentum, eta = 0.6, beta = 0.5 and 0.25 (v ← βv + g, x ← x − ηv)
    ("momentum", 0.6, {"momentum": 0.5}, (0.007188, 0.002553), 5e-7),
    ("momentum", 0.6, {"momentum": 0.25}, (-0.126340, -0.186632), 5e-7),
    # d2l.ai §12.7 (Adagrad), eta = 0.4 and 2, and §12.8 (RMSProp), eta = 0.4, gamma = 0.9.
    # d2l divides by √(s + 1e-6) where torch.optim divides by √s + eps: the sixth decimal
    # may move by one or two units, hence 2e-6.
    ("adagrad", 0.4, {}, (-2.382563, -0.158591), 2e-6),
    ("adagrad", 2.0, {}, (-0.002295, -0.000000), 2e-6),
    ("rmsprop", 0.4, {"alpha": 0.9}, (-0.010599, 0.000000), 2e-6),
])
def test_optimizer_steps_reproduce_d2l_printed_traces_after_20_steps(optimizer, lr, hyper,
                                                                     printed, tol):
    point = run_on_f2d(optimizer, lr, **hyper)
    assert point == pytest.approx(list(printed), abs=tol)  # d2l prints six decimals


def test_first_adam_step_moves_each_parameter_by_lr_whatever_the_gradient_scale():
    # Kingma & Ba, Adam (ICLR 2015) §2.1: with bias correction the first step is
    # α·m̂/√v̂ = α·g/|g|, i.e. |Δθ| ≈ α for every parameter.
    rng = random.Random(8)
    for _ in range(DRAWS):
        g = [rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 3) for _ in range(3)]
        got = solve("optimizer_steps", optimizer="adam", params=[0, 0, 0], grads=[g], lr=0.01)
        assert got["params"] == pytest.approx([-0.01 * math.copysign(1, v) for v in g],
                                              rel=1e-4)


def test_nesterov_equals_sutskever_look_ahead_form():
    # Sutskever, Martens, Dahl & Hinton (ICML 2013), eq. 3-4: v ← μv − η∇f(θ + μv), θ ← θ + v.
    # PyTorch's parameters are the look-ahead points θ + μv: with f = ½ k θ², whose gradient
    # is k·θ, both forms give the same trajectory of θ + μv.
    rng = random.Random(9)
    for _ in range(DRAWS):
        k, lr, mu = rng.uniform(0.1, 3), rng.uniform(0.01, 0.5), rng.uniform(0.1, 0.95)
        theta0 = rng.uniform(-3, 3)
        theta, v = theta0, 0.0
        grads, look_ahead = [], []
        for _ in range(rng.randint(1, 8)):
            grads.append([k * (theta + mu * v)])
            v = mu * v - lr * grads[-1][0]
            theta = theta + v
            look_ahead.append([theta + mu * v])
        got = solve("optimizer_steps", optimizer="nesterov", params=[theta0], grads=grads,
                    lr=lr, momentum=mu)  # v starts at 0, so the first look-ahead point is θ₀
        assert rows_close(got["history"], look_ahead, rel=1e-9)


def test_optimizer_steps_show_the_rule_and_label_the_look_ahead_form():
    steps = steps_of("optimizer_steps", optimizer="nesterov", params=[1], grads=[[1]], lr=0.1)
    assert "nesterov=True" in steps[0].en and "torch.optim.SGD" in steps[0].zh
    assert "look-ahead form" in steps[1].en and "前瞻形式" in steps[1].zh
    adam = steps_of("optimizer_steps", optimizer="adam", params=[1], grads=[[1]], lr=0.1)
    assert "bias correction" in adam[1].en and "偏差修正" in adam[1].zh


@pytest.mark.parametrize("raw, param", [
    (dict(optimizer="nesterov", momentum=0), "momentum"),
    (dict(optimizer="adam", beta1=1.0), "beta1"),
    (dict(optimizer="adam", beta2=-0.1), "beta2"),
    (dict(optimizer="sgd", lr=-1), "lr"),
    (dict(optimizer="adadelta", rho=1.5), "rho"),
    (dict(optimizer="sgd", grads=[[1, 2], [1]]), "grads"),
    (dict(optimizer="adagrad", eps=0, grads=[[0, 1]]), "eps"),
    (dict(optimizer="lion"), "optimizer"),
])
def test_optimizer_steps_refuses_what_torch_optim_refuses(raw, param):
    base = dict(params=[1, 2], grads=[[1, 1]], lr=0.1)
    with pytest.raises(SolverInputError) as err:
        solve("optimizer_steps", **{**base, **raw})
    assert err.value.param == param


def test_optimizer_steps_requires_the_optimizer_and_lr():
    for missing in ("optimizer", "lr"):
        raw = dict(optimizer="sgd", params=[1], grads=[[1]], lr=0.1)
        del raw[missing]
        with pytest.raises(SolverInputError) as err:
            solve("optimizer_steps", **raw)
        assert err.value.param == missing


# ---------------------------------------------------------------- iterations per epoch


def test_iterations_per_epoch_match_len_of_torch_dataloader():
    rng = random.Random(10)
    for _ in range(DRAWS):
        n, batch = rng.randint(1, 3000), rng.randint(1, 600)
        drop_last = rng.random() < 0.5 and batch <= n
        epochs = rng.randint(1, 50)
        loader = torch.utils.data.DataLoader(range(n), batch_size=batch, drop_last=drop_last)
        got = solve("iterations_per_epoch", n_samples=n, batch_size=batch, epochs=epochs,
                    drop_last=drop_last)
        assert got["per_epoch"] == len(loader)
        assert got["total"] == len(loader) * epochs
        assert got["last_batch_size"] == len(list(loader)[-1])
        assert all(type(v) is int for v in got.values())


def test_iterations_per_epoch_reproduce_chollet_mnist_count():
    # Chollet, Deep Learning with Python §2.1/2.5: 60,000 MNIST images, batch_size=128,
    # 5 epochs: "2,345 gradient updates (469 per epoch)".
    got = solve("iterations_per_epoch", n_samples=60000, batch_size=128, epochs=5)
    assert (got["per_epoch"], got["total"], got["last_batch_size"]) == (469, 2345, 96)


def test_full_batch_and_sgd_are_the_extremes():
    assert solve("iterations_per_epoch", n_samples=500, batch_size=500)["per_epoch"] == 1
    assert solve("iterations_per_epoch", n_samples=500, batch_size=1)["per_epoch"] == 500
    with pytest.raises(SolverInputError) as err:
        solve("iterations_per_epoch", n_samples=10, batch_size=32, drop_last=True)
    assert err.value.param == "batch_size"


def test_rmsprop_alpha_above_one_is_bad_input_not_a_math_error():
    """Found by the fuzz test: alpha = 2 made the running mean of g² negative (sqrt of < 0)."""
    with pytest.raises(SolverInputError) as err:
        run_solver(get_solver("optimizer_steps"), {"optimizer": "rmsprop", "params": [0, 0, 0],
                                                   "grads": [[0, 0, 1]], "lr": 0, "alpha": 2})
    assert err.value.param == "alpha"
