"""Activation, softmax cross-entropy and loss solvers against torch.nn.functional and
autograd, plus published cases (CS231n, the ELU paper, Goodfellow)."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
TORCH_ACTIVATIONS = {
    "sigmoid": lambda x, slope, alpha: torch.sigmoid(x),
    "tanh": lambda x, slope, alpha: torch.tanh(x),
    "relu": lambda x, slope, alpha: F.relu(x),
    "leaky_relu": lambda x, slope, alpha: F.leaky_relu(x, slope),
    "elu": lambda x, slope, alpha: F.elu(x, alpha),
    "relu6": lambda x, slope, alpha: F.relu6(x),
    "softplus": lambda x, slope, alpha: F.softplus(x),
}
KINKS = [0.0, 6.0, 20.0, -0.0]  # relu/leaky/elu at 0, relu6 at 0 and 6, softplus threshold


def solve(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].answers


def steps_of(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].steps


def close(got, want, rel=1e-10, abs_=1e-12) -> bool:
    return got == pytest.approx(want, rel=rel, abs=abs_)


def torch_value_and_grad(name: str, xs: list[float], slope: float, alpha: float):
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    y = TORCH_ACTIVATIONS[name](x, slope, alpha)
    y.sum().backward()  # elementwise, so the gradient of the sum is each f′(x_i)
    return y.detach().tolist(), x.grad.tolist()


# ---------------------------------------------------------------- activation


@pytest.mark.parametrize("name", list(TORCH_ACTIVATIONS))
def test_activation_value_and_derivative_match_torch_functional_autograd(name):
    rng = random.Random(name)
    for _ in range(DRAWS):
        xs = [rng.choice(KINKS) if rng.random() < 0.2 else rng.uniform(-30, 30)
              for _ in range(rng.randint(1, 5))]
        slope, alpha = rng.uniform(0.001, 0.5), rng.uniform(0.1, 3.0)
        want_value, want_grad = torch_value_and_grad(name, xs, slope, alpha)
        got = solve("activation", name=name, x=xs, negative_slope=slope, alpha=alpha)
        assert close(got["value"], want_value), (xs, got["value"], want_value)
        assert close(got["derivative"], want_grad), (xs, got["derivative"], want_grad)
        scalar = solve("activation", name=name, x=xs[0], negative_slope=slope, alpha=alpha)
        assert close(scalar["value"], want_value[0]) and close(scalar["derivative"], want_grad[0])


@pytest.mark.parametrize("name, x, derivative", [
    ("relu", 0, 0.0), ("leaky_relu", 0, 0.01), ("elu", 0, 1.0), ("relu6", 0, 0.0),
    ("relu6", 6, 0.0), ("relu6", 3, 1.0), ("softplus", 25, 1.0),
])
def test_activation_derivative_at_kinks_is_the_one_pytorch_autograd_returns(name, x, derivative):
    assert solve("activation", name=name, x=x)["derivative"] == derivative
    _, want = torch_value_and_grad(name, [float(x)], 0.01, 1.0)
    assert want[0] == derivative


def test_sigmoid_derivative_peaks_at_one_quarter_and_tanh_at_one():
    # Goodfellow et al. §3.10 / §6.3.2: σ′ = σ(1 − σ) ≤ 1/4 (at 0); tanh′ = 1 − tanh² ≤ 1.
    assert solve("activation", name="sigmoid", x=0) == {"value": 0.5, "derivative": 0.25}
    assert solve("activation", name="tanh", x=0) == {"value": 0.0, "derivative": 1.0}
    grid = [k / 10 for k in range(-100, 101)]
    assert max(solve("activation", name="sigmoid", x=grid)["derivative"]) == 0.25


def test_elu_derivative_for_negative_input_is_elu_plus_alpha():
    # Clevert, Unterthiner & Hochreiter, ELU paper (ICLR 2016), eq. 2: f′(x) = f(x) + α, x ≤ 0.
    rng = random.Random(7)
    for _ in range(DRAWS):
        x, alpha = rng.uniform(-8, 0), rng.uniform(0.1, 3)
        got = solve("activation", name="elu", x=x, alpha=alpha)
        assert close(got["derivative"], got["value"] + alpha)


def test_activation_of_extreme_inputs_stays_finite():
    got = solve("activation", name="sigmoid", x=[-1e308, 1e308])
    assert got["value"] == [0.0, 1.0] and got["derivative"] == [0.0, 0.0]
    assert solve("activation", name="softplus", x=1e308)["value"] == 1e308
    assert solve("activation", name="elu", x=-1e308)["value"] == -1.0


def test_activation_steps_state_pytorch_convention_in_both_languages():
    steps = steps_of("activation", name="relu", x=0)
    assert "PyTorch" in steps[0].en and "PyTorch" in steps[0].zh
    assert "relu′(0) = 0" in steps[2].en and "relu′(0) = 0" in steps[2].zh


def test_activation_requires_a_known_name():
    for raw in ({"x": 1}, {"name": "swish", "x": 1}):
        with pytest.raises(SolverInputError) as err:
            solve("activation", **raw)
        assert err.value.param == "name"


# ---------------------------------------------------------------- softmax cross-entropy


def test_softmax_cross_entropy_matches_f_cross_entropy_and_autograd():
    rng = random.Random(11)
    for _ in range(DRAWS):
        n = rng.randint(2, 8)
        logits = [rng.uniform(-10, 10) for _ in range(n)]
        target = rng.randrange(n)
        z = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
        loss = F.cross_entropy(z, torch.tensor([target]))
        loss.backward()
        got = solve("softmax_cross_entropy", logits=logits, target=target)
        assert close(got["loss"], loss.item())
        assert close(got["probs"], torch.softmax(z, dim=1)[0].tolist())
        assert close(got["grad_logits"], z.grad[0].tolist())


def test_softmax_cross_entropy_reproduces_cs231n_example():
    # CS231n notes, "Linear classification", Softmax classifier: scores [-2.85, 0.86, 0.28],
    # correct class 2: probabilities [0.015, 0.631, 0.353], loss -ln 0.353 = 1.04.
    got = solve("softmax_cross_entropy", logits=[-2.85, 0.86, 0.28], target=2)
    assert [round(p, 3) for p in got["probs"]] == [0.015, 0.631, 0.353]
    assert round(got["loss"], 2) == 1.04


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    got = solve("softmax_cross_entropy", logits=[1000.0, 0.0, -1000.0], target=1)
    assert close(got["loss"], 1000.0) and got["probs"][0] == 1.0


def test_softmax_cross_entropy_rejects_a_class_that_does_not_exist():
    with pytest.raises(SolverInputError) as err:
        solve("softmax_cross_entropy", logits=[1, 2, 3], target=3)
    assert err.value.param == "target"


# ---------------------------------------------------------------- loss values


def torch_loss(loss: str, output: list[float], target: list[float]):
    """(loss, ∂loss/∂output) from torch: F.* losses, with autograd for the gradient."""
    o = torch.tensor(output, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(target, dtype=torch.float64)
    if loss == "mse":
        value = F.mse_loss(o, t)
    elif loss == "half_sse":
        value = 0.5 * F.mse_loss(o, t, reduction="sum")
    elif loss == "bce":
        value = F.binary_cross_entropy(o, t)
    elif loss == "ce":  # softmax(ln o) = o for a probability vector: F.cross_entropy's value
        value = -(t * torch.log(o)).sum()
        assert close(value.item(), F.cross_entropy(torch.log(o)[None], t[None]).item())
    elif loss == "hinge":
        value = F.relu(1 - t * o).mean()
    elif loss == "multiclass_hinge":  # torch divides by the number of classes; CS231n does not
        value = F.multi_margin_loss(o[None], t.argmax()[None]) * len(output)
    elif loss == "perceptron":
        value = F.relu(-t * o).mean()
    else:
        return (t * o <= 0).double().mean().item(), [0.0] * len(output)
    value.backward()
    return value.item(), o.grad.tolist()


def draw_loss_case(rng: random.Random, loss: str) -> tuple[list[float], list[float]]:
    n = rng.randint(1, 6)
    if loss in ("mse", "half_sse"):
        return [rng.uniform(-5, 5) for _ in range(n)], [rng.uniform(-5, 5) for _ in range(n)]
    if loss == "bce":
        return [rng.uniform(0.01, 0.99) for _ in range(n)], [rng.choice([0.0, 1.0, rng.random()])
                                                            for _ in range(n)]
    if loss in ("ce", "multiclass_hinge"):
        n = max(n, 2)
        onehot = [0.0] * n
        onehot[rng.randrange(n)] = 1.0
        if loss == "multiclass_hinge":
            return [rng.choice([rng.uniform(-4, 4), float(rng.randint(-2, 2))]) for _ in range(n)], \
                onehot
        raw = [rng.uniform(0.05, 1) for _ in range(n)]
        probs = [r / sum(raw) for r in raw]
        soft = [rng.random() for _ in range(n)]
        return probs, onehot if rng.random() < 0.5 else [s / sum(soft) for s in soft]
    scores = [rng.choice([rng.uniform(-3, 3), float(rng.randint(-2, 2))]) for _ in range(n)]
    return scores, [rng.choice([-1.0, 1.0]) for _ in range(n)]


@pytest.mark.parametrize("loss", ["mse", "half_sse", "bce", "ce", "hinge", "multiclass_hinge",
                                  "perceptron", "zero_one"])
def test_loss_value_and_gradient_match_torch_over_random_draws(loss):
    rng = random.Random(loss)
    for _ in range(DRAWS):
        output, target = draw_loss_case(rng, loss)
        want_value, want_grad = torch_loss(loss, output, target)
        got = solve("loss_value", loss=loss, output=output, target=target)
        assert close(got["value"], want_value), (output, target)
        assert close(got["grad"], want_grad), (output, target, got["grad"], want_grad)


def test_multiclass_hinge_reproduces_cs231n_svm_example():
    # CS231n lecture 3 (2017), multiclass SVM loss: cat image scores cat 3.2, car 5.1,
    # frog -1.7 -> max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9.
    got = solve("loss_value", loss="multiclass_hinge", output=[3.2, 5.1, -1.7], target=[1, 0, 0])
    assert close(got["value"], 2.9)
    # ... and the softmax loss of the same scores (CS231n notes): 2.04
    assert round(solve("softmax_cross_entropy", logits=[3.2, 5.1, -1.7], target=0)["loss"], 2) \
        == 2.04


def test_hinge_gradient_is_zero_at_the_kink_like_relu():
    got = solve("loss_value", loss="hinge", output=[1.0, 0.5], target=[1, 1])
    assert got["value"] == 0.25 and got["grad"] == [0.0, -0.5]


@pytest.mark.parametrize("loss, output, target, param", [
    ("bce", [1.2], [1], "output"),                # not a probability
    ("bce", [0.0], [1], "output"),                # ln 0: infinite loss
    ("bce", [0.5], [2], "target"),
    ("ce", [0.5, 0.2], [1, 0], "output"),         # does not sum to 1
    ("ce", [1.0, 0.0], [0, 1], "output"),         # ln 0
    ("hinge", [0.5], [0], "target"),              # labels must be ±1
    ("multiclass_hinge", [1, 2], [1, 1], "target"),
    ("mse", [1, 2], [1], "target"),               # lengths differ
])
def test_loss_value_refuses_impossible_inputs_naming_the_parameter(loss, output, target, param):
    with pytest.raises(SolverInputError) as err:
        solve("loss_value", loss=loss, output=output, target=target)
    assert err.value.param == param


def test_zero_one_loss_counts_a_zero_score_as_wrong_and_has_no_gradient():
    got = solve("loss_value", loss="zero_one", output=[2, -1, 0, 0.5], target=[1, 1, 1, -1])
    assert got["value"] == 0.75 and got["grad"] == [0.0] * 4
    assert math.isclose(solve("loss_value", loss="bce", output=[0.5], target=[1])["value"],
                        math.log(2))
