"""The unrolled RNN (forward pass and BPTT) against torch nn.RNN + nn.Linear with autograd."""

from __future__ import annotations

import random

import pytest
import torch

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def rand_vec(rng: random.Random, n: int) -> list[float]:
    return [rng.uniform(-1.5, 1.5) for _ in range(n)]


def rand_mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [rand_vec(rng, cols) for _ in range(rows)]


def t64(v) -> torch.Tensor:
    return torch.tensor(v, dtype=torch.float64)


def draw_net(rng: random.Random, with_output: bool = True) -> dict:
    """A random small RNN problem; optional parameters are given or left to their defaults."""
    n_in, hidden, steps = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 4)
    raw = {"xs": rand_mat(rng, steps, n_in), "w_ih": rand_mat(rng, hidden, n_in),
           "w_hh": rand_mat(rng, hidden, hidden),
           "nonlinearity": rng.choice(["tanh", "relu"])}
    for name in ("h0", "b_ih", "b_hh"):
        if rng.random() < 0.6:
            raw[name] = rand_vec(rng, hidden)
    if with_output:
        outputs = rng.randint(1, 3)
        raw["w_hy"] = rand_mat(rng, outputs, hidden)
        if rng.random() < 0.6:
            raw["b_y"] = rand_vec(rng, outputs)
    return raw


def torch_net(raw: dict) -> tuple[torch.nn.RNN, torch.nn.Linear | None, torch.Tensor]:
    """nn.RNN and nn.Linear (float64) holding the draw's weights, and h0 (1, 1, H)."""
    hidden, n_in = len(raw["w_ih"]), len(raw["xs"][0])
    rnn = torch.nn.RNN(n_in, hidden, nonlinearity=raw["nonlinearity"]).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(t64(raw["w_ih"]))
        rnn.weight_hh_l0.copy_(t64(raw["w_hh"]))
        rnn.bias_ih_l0.copy_(t64(raw.get("b_ih", [0.0] * hidden)))
        rnn.bias_hh_l0.copy_(t64(raw.get("b_hh", [0.0] * hidden)))
    linear = None
    if "w_hy" in raw:
        outputs = len(raw["w_hy"])
        linear = torch.nn.Linear(hidden, outputs).double()
        with torch.no_grad():
            linear.weight.copy_(t64(raw["w_hy"]))
            linear.bias.copy_(t64(raw.get("b_y", [0.0] * outputs)))
    h0 = t64(raw.get("h0", [0.0] * hidden)).reshape(1, 1, hidden)
    return rnn, linear, h0


def close(got, want: torch.Tensor) -> None:
    torch.testing.assert_close(t64(got), want.detach(), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- rnn_forward


def test_rnn_forward_matches_nn_rnn_then_linear_and_softmax_over_random_draws():
    rng = random.Random(40)
    for _ in range(DRAWS):
        raw = draw_net(rng, with_output=rng.random() < 0.8)
        output = rng.choice(["identity", "softmax"])
        rnn, linear, h0 = torch_net(raw)
        hs, _ = rnn(t64(raw["xs"])[:, None, :], h0)
        got = solve("rnn_forward", output=output, **raw)
        close(got["hs"], hs[:, 0, :])
        if linear is None:
            assert "ys" not in got  # the contract: no ys answer without w_hy
            continue
        ys = linear(hs[:, 0, :])
        close(got["ys"], torch.softmax(ys, dim=1) if output == "softmax" else ys)


def test_rnn_forward_roelants_counting_rnn():
    # Roelants, "How to implement a recurrent neural network, part 1": with input and
    # recurrent weights both 1 the state counts the ones seen so far.
    got = solve("rnn_forward", xs=[[1], [0], [1], [1], [0], [1]], w_ih=[[1]], w_hh=[[1]],
                nonlinearity="relu")
    assert got["hs"] == [[1], [1], [2], [3], [3], [4]]


@pytest.mark.parametrize("bad, param", [
    ({"w_ih": [[1.0, 2.0]]}, "w_ih"),            # 2 columns for 1-dim inputs
    ({"w_hh": [[1.0, 0.0]]}, "w_hh"),
    ({"h0": [0.0, 0.0]}, "h0"),
    ({"b_hh": [0.0, 0.0]}, "b_hh"),
    ({"xs": [[1.0], [1.0, 2.0]]}, "xs"),
    ({"w_hy": [[1.0, 2.0]]}, "w_hy"),
    ({"w_hy": [[1.0]], "b_y": [0.0, 1.0]}, "b_y"),
])
def test_rnn_forward_rejects_bad_shapes_naming_the_parameter(bad, param):
    raw = {"xs": [[1.0], [0.5]], "w_ih": [[0.5]], "w_hh": [[1.0]], **bad}
    with pytest.raises(SolverInputError) as err:
        solve("rnn_forward", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- rnn_bptt


def torch_bptt(raw: dict, loss: str, targets: list):
    """Loss and gradients by autograd on nn.RNN + nn.Linear; ∂L/∂hₜ in total by unrolling
    the same weights with nn.RNNCell and keeping each hₜ's gradient."""
    rnn, linear, h0 = torch_net(raw)
    h0 = h0.clone().requires_grad_()
    xs = t64(raw["xs"])
    hs, _ = rnn(xs[:, None, :], h0)
    ys = linear(hs[:, 0, :])
    if loss == "ce":
        value = torch.nn.functional.cross_entropy(ys, torch.tensor(targets), reduction="sum")
    else:
        value = 0.5 * ((ys - t64(targets)) ** 2).sum()
    params = [rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0,
              linear.weight, linear.bias, h0]
    grads = torch.autograd.grad(value, params)

    cell = torch.nn.RNNCell(xs.shape[1], h0.shape[2], nonlinearity=raw["nonlinearity"]).double()
    with torch.no_grad():
        for mine, theirs in (("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0"),
                             ("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")):
            getattr(cell, mine).copy_(getattr(rnn, theirs))
    h, states, outs = h0.detach()[0], [], []
    for x in xs:
        h = cell(x[None], h)
        h.retain_grad()
        states.append(h)
        outs.append(linear(h)[0])
    ys2 = torch.stack(outs)
    if loss == "ce":
        again = torch.nn.functional.cross_entropy(ys2, torch.tensor(targets), reduction="sum")
    else:
        again = 0.5 * ((ys2 - t64(targets)) ** 2).sum()
    again.backward()
    delta_h = torch.stack([s.grad[0] for s in states])
    return value, grads, delta_h


def test_rnn_bptt_matches_autograd_of_nn_rnn_and_linear_over_random_draws():
    rng = random.Random(41)
    for _ in range(DRAWS):
        raw = draw_net(rng)
        loss = rng.choice(["half_sse", "ce"])
        outputs, steps = len(raw["w_hy"]), len(raw["xs"])
        if loss == "ce":
            targets = [rng.randrange(outputs) for _ in range(steps)]
        else:
            targets = rand_mat(rng, steps, outputs)
        value, grads, delta_h = torch_bptt(raw, loss, targets)
        got = solve("rnn_bptt", targets=targets, loss=loss, **raw)
        assert got["loss"] == pytest.approx(value.item(), rel=1e-10, abs=1e-12)
        g_w_ih, g_w_hh, g_b_ih, g_b_hh, g_w_hy, g_b_y, g_h0 = grads
        close(got["grad_w_ih"], g_w_ih)
        close(got["grad_w_hh"], g_w_hh)
        close(got["grad_b"], g_b_ih)
        close(got["grad_b"], g_b_hh)
        close(got["grad_w_hy"], g_w_hy)
        close(got["grad_b_y"], g_b_y)
        close(got["grad_h0"], g_h0.reshape(-1))
        close(got["delta_h"], delta_h)


def test_rnn_bptt_d2l_linear_closed_form_for_the_hidden_state_gradients():
    # Dive into Deep Learning, "Backpropagation Through Time", eq. (9.7.14): for a linear
    # RNN hₜ = W_hx xₜ + W_hh hₜ₋₁, oₜ = W_qh hₜ,
    # ∂L/∂hₜ = Σ_{i=t}^{T} (W_hhᵀ)^{T−i} W_qhᵀ ∂L/∂o_{T+t−i}.
    # relu with positive weights and inputs keeps every unit in its linear part.
    rng = random.Random(42)
    xs = [[rng.uniform(0.1, 1) for _ in range(2)] for _ in range(4)]
    w_ih = [[rng.uniform(0.1, 1) for _ in range(2)] for _ in range(3)]
    w_hh = [[rng.uniform(0.05, 0.4) for _ in range(3)] for _ in range(3)]
    w_hy = [[rng.uniform(0.1, 1) for _ in range(3)] for _ in range(2)]
    targets = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(4)]
    got = solve("rnn_bptt", xs=xs, w_ih=w_ih, w_hh=w_hh, w_hy=w_hy, targets=targets,
                nonlinearity="relu")
    hs = solve("rnn_forward", xs=xs, w_ih=w_ih, w_hh=w_hh, nonlinearity="relu")["hs"]
    w_hh_t, w_qh_t = t64(w_hh).T, t64(w_hy).T
    d_o = t64(hs) @ t64(w_hy).T - t64(targets)  # ∂L/∂oₜ for ½Σ(o − y)²
    T = len(xs)
    for t in range(1, T + 1):
        want = sum(torch.linalg.matrix_power(w_hh_t, T - i) @ w_qh_t @ d_o[T + t - i - 1]
                   for i in range(t, T + 1))
        close(got["delta_h"][t - 1], want)


def test_rnn_bptt_roelants_counting_rnn_gradients_sum_over_time():
    # Roelants' counting RNN (weights 1, relu = identity here): states 1, 2 for inputs
    # 1, 1; targets 1, 1 miss the second step by 1. By hand: g = (0, 1), δh₂ = 1,
    # δh₁ = 0 + 1·1 = 1, so ∂L/∂W_ih = δa₁x₁ + δa₂x₂ = 2 and ∂L/∂W_hh = δa₁h₀ + δa₂h₁ = 1.
    got = solve("rnn_bptt", xs=[[1], [1]], w_ih=[[1]], w_hh=[[1]], w_hy=[[1]],
                nonlinearity="relu", targets=[[1], [1]])
    assert got["loss"] == 0.5
    assert got["delta_h"] == [[1.0], [1.0]]
    assert (got["grad_w_ih"], got["grad_w_hh"], got["grad_w_hy"]) == ([[2.0]], [[1.0]], [[2.0]])


@pytest.mark.parametrize("targets, loss", [
    ([[1.0]], "half_sse"),              # one target for two steps
    ([[1.0, 2.0], [0.0, 0.0]], "half_sse"),  # two numbers for one output
    ([0, 2], "ce"),                     # class 2 of 1 output
    ([0.5, 0], "ce"),
    ("a", "half_sse"),
])
def test_rnn_bptt_rejects_targets_that_do_not_fit_naming_targets(targets, loss):
    with pytest.raises(SolverInputError) as err:
        solve("rnn_bptt", xs=[[1.0], [0.5]], w_ih=[[0.5]], w_hh=[[1.0]], w_hy=[[1.0]],
              targets=targets, loss=loss)
    assert err.value.param == "targets"


def test_rnn_bptt_requires_w_hy():
    with pytest.raises(SolverInputError) as err:
        solve("rnn_bptt", xs=[[1.0]], w_ih=[[0.5]], w_hh=[[1.0]], targets=[[1.0]])
    assert err.value.param == "w_hy"


# ---------------------------------------------------------------- rnn_bptt_scalar


def test_rnn_bptt_scalar_matches_autograd_of_a_scalar_recurrence_over_random_draws():
    # Independent of nn.RNN: the one-unit recurrence written with scalar tensors.
    rng = random.Random(43)
    for _ in range(DRAWS):
        steps = rng.randint(1, 4)
        xs = [rng.uniform(-2, 2) for _ in range(steps)]
        targets = [rng.uniform(-1, 1) for _ in range(steps)]
        act = rng.choice(["tanh", "relu"])
        values = {name: rng.uniform(-1.5, 1.5) for name in ("h0", "w_ih", "w_hh", "b", "w_hy",
                                                              "b_y")}
        leaves = {name: torch.tensor(v, dtype=torch.float64, requires_grad=True)
                  for name, v in values.items()}
        h, hs, loss = leaves["h0"], [], 0.0
        for x, target in zip(xs, targets):
            a = leaves["w_ih"] * x + leaves["w_hh"] * h + leaves["b"]
            h = torch.tanh(a) if act == "tanh" else torch.relu(a)
            h.retain_grad()
            hs.append(h)
            loss = loss + 0.5 * (leaves["w_hy"] * h + leaves["b_y"] - target) ** 2
        loss.backward()
        got = solve("rnn_bptt_scalar", xs=xs, targets=targets, nonlinearity=act, **values)
        assert got["loss"] == pytest.approx(loss.item(), rel=1e-10, abs=1e-12)
        assert got["hs"] == pytest.approx([v.item() for v in hs], rel=1e-10, abs=1e-12)
        assert got["delta_h"] == pytest.approx([v.grad.item() for v in hs], rel=1e-10, abs=1e-12)
        for answer, leaf in (("grad_w_ih", "w_ih"), ("grad_w_hh", "w_hh"), ("grad_b", "b"),
                             ("grad_w_hy", "w_hy"), ("grad_b_y", "b_y"), ("grad_h0", "h0")):
            assert got[answer] == pytest.approx(leaves[leaf].grad.item(), rel=1e-10, abs=1e-12)


def test_rnn_bptt_scalar_roelants_counting_rnn_by_hand():
    # Roelants' counting RNN over three ones (states 1, 2, 3), targets 1, 2, 2: only the
    # last step errs (g₃ = 1) and w = 1 carries δ = 1 back to every step, so
    # ∂L/∂w = h₀ + h₁ + h₂ = 0 + 1 + 2 = 3 and ∂L/∂u = x₁ + x₂ + x₃ = 3.
    got = solve("rnn_bptt_scalar", xs=[1, 1, 1], w_ih=1, w_hh=1, nonlinearity="relu",
                targets=[1, 2, 2])
    assert got["delta_h"] == [1.0, 1.0, 1.0]
    assert (got["grad_w_hh"], got["grad_w_ih"], got["loss"]) == (3.0, 3.0, 0.5)


def test_rnn_bptt_scalar_needs_one_target_per_step():
    with pytest.raises(SolverInputError) as err:
        solve("rnn_bptt_scalar", xs=[1, 2], w_ih=1, w_hh=1, targets=[1])
    assert err.value.param == "targets"
