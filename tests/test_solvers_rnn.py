"""RNN solvers against torch (nn.RNN/LSTM/GRU, the cells, clip_grad_*) and textbook answers."""

from __future__ import annotations

import math
import random

import pytest
import torch

from solvers import get_solver, run_solver
from solvers.fmt import num
from solvers.registry import SolverInputError

DRAWS = 200
TORCH_LAYERS = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
TORCH_CELLS = {"lstm": (torch.nn.LSTMCell, 4), "gru": (torch.nn.GRUCell, 3)}


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def steps_of(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].steps


def rand_vec(rng: random.Random, n: int) -> list[float]:
    return [rng.uniform(-2, 2) for _ in range(n)]


def rand_mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [rand_vec(rng, cols) for _ in range(rows)]


def assert_close(got: list[float], want: torch.Tensor) -> None:
    assert got == pytest.approx(want.detach().reshape(-1).tolist(), rel=1e-10, abs=1e-12)


def draw_cell(rng: random.Random, gates: int) -> dict:
    """A random cell problem; each bias is given or left to its zero default."""
    n_in, hidden = rng.randint(1, 5), rng.randint(1, 5)
    raw = {"x": rand_vec(rng, n_in), "h_prev": rand_vec(rng, hidden),
           "w_ih": rand_mat(rng, gates * hidden, n_in),
           "w_hh": rand_mat(rng, gates * hidden, hidden)}
    for name in ("b_ih", "b_hh"):
        if rng.random() < 0.7:
            raw[name] = rand_vec(rng, gates * hidden)
    return raw


def torch_cell(cell_cls, raw: dict, **kwargs) -> torch.nn.Module:
    """The torch cell of the same sizes, float64, with the draw's weights copied in."""
    n_in, hidden = len(raw["x"]), len(raw["h_prev"])
    cell = cell_cls(n_in, hidden, **kwargs).double()
    with torch.no_grad():
        for name in ("w_ih", "w_hh"):
            getattr(cell, "weight_" + name[2:]).copy_(torch.tensor(raw[name], dtype=torch.float64))
        for name in ("b_ih", "b_hh"):
            bias = getattr(cell, "bias_" + name[2:])
            bias.copy_(torch.tensor(raw[name], dtype=torch.float64) if name in raw
                       else torch.zeros_like(bias))
    return cell


def as_batch(v: list[float]) -> torch.Tensor:
    return torch.tensor([v], dtype=torch.float64)


# ---------------------------------------------------------------- rnn_params


def test_rnn_params_pytorch_matches_nn_rnn_lstm_gru_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        cell = rng.choice(["rnn", "lstm", "gru"])
        n_in, hidden = rng.randint(1, 12), rng.randint(1, 12)
        layers, bidirectional = rng.randint(1, 3), rng.random() < 0.5
        module = TORCH_LAYERS[cell](n_in, hidden, num_layers=layers,
                                    bidirectional=bidirectional)
        got = solve("rnn_params", cell=cell, input_size=n_in, hidden_size=hidden,
                    num_layers=layers, bidirectional=bidirectional)
        assert got["params"] == sum(t.numel() for t in module.parameters())


def test_rnn_params_keras_drops_one_bias_per_gate_for_rnn_lstm_but_not_gru():
    # Keras = PyTorch minus one bias vector (gates·H) per layer per direction for
    # SimpleRNN/LSTM; GRU (reset_after=True) keeps both, so equals PyTorch.
    rng = random.Random(1)
    for _ in range(DRAWS):
        cell = rng.choice(["rnn", "lstm", "gru"])
        n_in, hidden = rng.randint(1, 12), rng.randint(1, 12)
        layers, bidirectional = rng.randint(1, 3), rng.random() < 0.5
        module = TORCH_LAYERS[cell](n_in, hidden, num_layers=layers,
                                    bidirectional=bidirectional)
        torch_count = sum(t.numel() for t in module.parameters())
        gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
        dirs = 2 if bidirectional else 1
        dropped = 0 if cell == "gru" else gates * hidden * dirs * layers
        got = solve("rnn_params", cell=cell, input_size=n_in, hidden_size=hidden,
                    num_layers=layers, bidirectional=bidirectional, convention="keras")
        assert got["params"] == torch_count - dropped


@pytest.mark.parametrize("cell, n_in, hidden, bidirectional, published", [
    ("lstm", 10, 32, False, 5504),    # Keras LSTM(32) on 10-dim input
    ("rnn", 32, 32, False, 2080),     # SimpleRNN(32) after Embedding(10000, 32), Chollet DLwP
    ("gru", 10, 32, False, 4224),     # Keras GRU(32), reset_after=True (TF2 default)
    ("lstm", 10, 32, True, 11008),    # Bidirectional(LSTM(32)) doubles the LSTM
])
def test_rnn_params_keras_published_summaries(cell, n_in, hidden, bidirectional, published):
    got = solve("rnn_params", cell=cell, input_size=n_in, hidden_size=hidden,
                bidirectional=bidirectional, convention="keras")
    assert got["params"] == published


def test_rnn_params_is_an_int_and_defaults_to_pytorch():
    got = solve("rnn_params", cell="lstm", input_size=10, hidden_size=32)
    assert type(got["params"]) is int and got["params"] == 5632  # 5504 + 4·32 second biases


def test_rnn_params_steps_name_the_convention_and_the_bias_difference():
    pytorch = steps_of("rnn_params", cell="lstm", input_size=10, hidden_size=32)
    keras = steps_of("rnn_params", cell="lstm", input_size=10, hidden_size=32,
                     convention="keras")
    gru = steps_of("rnn_params", cell="gru", input_size=10, hidden_size=32,
                   convention="keras")
    assert "PyTorch" in pytorch[0].en and "b_ih" in pytorch[0].en and "PyTorch" in pytorch[0].zh
    assert "Keras" in keras[0].en and "ONE bias" in keras[0].en and "Keras" in keras[0].zh
    assert "reset_after=True" in gru[0].en and "reset_after=True" in gru[0].zh


def test_rnn_params_requires_cell_and_rejects_unknown_cell():
    with pytest.raises(SolverInputError) as err:
        solve("rnn_params", input_size=10, hidden_size=32)
    assert err.value.param == "cell"
    with pytest.raises(SolverInputError) as err:
        solve("rnn_params", cell="transformer", input_size=10, hidden_size=32)
    assert err.value.param == "cell"


# ---------------------------------------------------------------- cell steps


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_step_matches_nn_rnncell_over_random_draws(nonlinearity):
    rng = random.Random(2)
    for _ in range(DRAWS):
        raw = draw_cell(rng, 1)
        cell = torch_cell(torch.nn.RNNCell, raw, nonlinearity=nonlinearity)
        want = cell(as_batch(raw["x"]), as_batch(raw["h_prev"]))
        got = solve("rnn_step", nonlinearity=nonlinearity, **raw)
        assert_close(got["h"], want)


def test_lstm_step_matches_nn_lstmcell_gates_and_states_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        raw = draw_cell(rng, 4)
        raw["c_prev"] = rand_vec(rng, len(raw["h_prev"]))
        cell = torch_cell(torch.nn.LSTMCell, raw)
        x, h, c = (as_batch(raw[k]) for k in ("x", "h_prev", "c_prev"))
        want_h, want_c = cell(x, (h, c))
        pre = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
        a_i, a_f, a_g, a_o = pre.chunk(4, dim=1)
        got = solve("lstm_step", **raw)
        assert_close(got["h"], want_h)
        assert_close(got["c"], want_c)
        for name, want in (("i", torch.sigmoid(a_i)), ("f", torch.sigmoid(a_f)),
                           ("g", torch.tanh(a_g)), ("o", torch.sigmoid(a_o))):
            assert_close(got[name], want)


def test_gru_step_matches_nn_grucell_gates_and_state_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        raw = draw_cell(rng, 3)
        cell = torch_cell(torch.nn.GRUCell, raw)
        x, h = as_batch(raw["x"]), as_batch(raw["h_prev"])
        want_h = cell(x, h)
        x_r, x_z, x_n = (x @ cell.weight_ih.T + cell.bias_ih).chunk(3, dim=1)
        h_r, h_z, h_n = (h @ cell.weight_hh.T + cell.bias_hh).chunk(3, dim=1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        got = solve("gru_step", **raw)
        assert_close(got["h"], want_h)
        assert_close(got["r"], r)
        assert_close(got["z"], z)
        assert_close(got["n"], torch.tanh(x_n + r * h_n))


def test_gru_step_z_weights_the_old_state():
    # All weights zero, bias_z = +20: z ≈ 1, so h ≈ h_prev (PyTorch keeps the old state).
    got = solve("gru_step", x=[1.0], h_prev=[0.7], w_ih=[[0.0]] * 3, w_hh=[[0.0]] * 3,
                b_ih=[0.0, 20.0, 0.0])
    assert got["h"] == pytest.approx([0.7], abs=1e-6)
    steps = steps_of("gru_step", x=[1.0], h_prev=[0.7], w_ih=[[0.0]] * 3, w_hh=[[0.0]] * 3)
    assert "OLD state" in steps[0].en and "旧状态" in steps[0].zh


def test_lstm_step_hand_example_and_steps_show_the_numbers():
    # H = 1, x = [1], all weights 1, no bias, h_prev = 0, c_prev = 0:
    # a = 1 for every gate -> i = f = o = σ(1), g = tanh(1), c = σ(1)tanh(1), h = σ(1)tanh(c).
    raw = dict(x=[1.0], h_prev=[0.0], c_prev=[0.0], w_ih=[[1.0]] * 4, w_hh=[[1.0]] * 4)
    got = solve("lstm_step", **raw)
    s1 = 1 / (1 + math.exp(-1))
    c = s1 * math.tanh(1)
    assert got["c"] == pytest.approx([c], rel=1e-12)
    assert got["h"] == pytest.approx([s1 * math.tanh(c)], rel=1e-12)
    steps = steps_of("lstm_step", **raw)
    text_en = " ".join(s.en for s in steps)
    text_zh = " ".join(s.zh for s in steps)
    for value in (got["i"], got["g"], got["c"], got["h"]):
        assert num(value) in text_en and num(value) in text_zh
    assert "nn.LSTMCell" in steps[0].en and "i, f, g, o" in steps[0].zh


def test_every_cell_step_has_english_and_chinese_text_stating_the_convention():
    rng = random.Random(5)
    for name, gates in (("rnn_step", 1), ("lstm_step", 4), ("gru_step", 3)):
        raw = draw_cell(rng, gates)
        if name == "lstm_step":
            raw["c_prev"] = rand_vec(rng, len(raw["h_prev"]))
        steps = steps_of(name, **raw)
        assert all(step.en and step.zh for step in steps)
        assert "PyTorch" in steps[0].en and "约定" in steps[0].zh


@pytest.mark.parametrize("name, gates, bad, param", [
    ("rnn_step", 1, {"w_ih": [[1.0, 0.0]] * 2}, "w_ih"),
    ("rnn_step", 1, {"w_hh": [[1.0, 0.0]] * 3}, "w_hh"),
    ("rnn_step", 1, {"b_ih": [0.0, 0.0]}, "b_ih"),
    ("rnn_step", 1, {"b_hh": [0.0] * 4}, "b_hh"),
    ("lstm_step", 4, {"w_ih": [[1.0, 0.0]] * 3}, "w_ih"),  # H rows instead of 4H
    ("lstm_step", 4, {"w_hh": [[1.0] * 3] * 11}, "w_hh"),
    ("lstm_step", 4, {"c_prev": [0.0, 0.0]}, "c_prev"),
    ("lstm_step", 4, {"b_hh": [0.0] * 3}, "b_hh"),
    ("gru_step", 3, {"w_ih": [[1.0, 0.0, 0.0]] * 9}, "w_ih"),
    ("gru_step", 3, {"w_hh": [[1.0, 0.0]] * 9}, "w_hh"),
    ("gru_step", 3, {"b_ih": [0.0] * 12}, "b_ih"),
])
def test_cell_steps_reject_bad_shapes_naming_the_parameter(name, gates, bad, param):
    hidden, n_in = 3, 2
    raw = {"x": [1.0] * n_in, "h_prev": [0.0] * hidden,
           "w_ih": [[0.5] * n_in] * (gates * hidden), "w_hh": [[0.5] * hidden] * (gates * hidden)}
    if name == "lstm_step":
        raw["c_prev"] = [0.0] * hidden
    raw.update(bad)
    with pytest.raises(SolverInputError) as err:
        solve(name, **raw)
    assert err.value.param == param
    assert "expected" in err.value.message and "got" in err.value.message


def test_rnn_step_shape_message_says_hidden_x_input():
    with pytest.raises(SolverInputError) as err:
        solve("rnn_step", x=[1.0, 2.0], h_prev=[0.0] * 3, w_ih=[[1.0, 0.0]] * 2,
              w_hh=[[1.0] * 3] * 3)
    assert str(err.value) == "w_ih: expected 3 x 2 (hidden x input), got 2 x 2"


# ---------------------------------------------------------------- clip_grad


def test_clip_grad_norm_matches_clip_grad_norm_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        grads = [rng.uniform(-5, 5) for _ in range(rng.randint(1, 8))]
        max_norm = rng.uniform(0.1, 10)
        p = torch.zeros(len(grads), dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(grads, dtype=torch.float64)
        total = torch.nn.utils.clip_grad_norm_([p], max_norm)
        got = solve("clip_grad", grads=grads, max_norm=max_norm)
        assert_close(got["clipped"], p.grad)
        assert got["total_norm"] == pytest.approx(total.item(), rel=1e-12)


def test_clip_grad_value_matches_clip_grad_value_over_random_draws():
    rng = random.Random(7)
    for _ in range(DRAWS):
        grads = [rng.uniform(-5, 5) for _ in range(rng.randint(1, 8))]
        clip_value = rng.uniform(0.1, 5)
        p = torch.zeros(len(grads), dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(grads, dtype=torch.float64)
        norm_before = torch.linalg.vector_norm(p.grad).item()
        torch.nn.utils.clip_grad_value_([p], clip_value)
        got = solve("clip_grad", grads=grads, mode="value", clip_value=clip_value)
        assert_close(got["clipped"], p.grad)
        assert got["total_norm"] == pytest.approx(norm_before, rel=1e-12)


def test_clip_grad_norm_textbook_3_4_to_unit_norm():
    got = solve("clip_grad", grads=[3.0, 4.0], max_norm=1.0)
    assert got["total_norm"] == 5.0
    assert got["clipped"] == pytest.approx([0.6, 0.8], rel=1e-6)
    assert solve("clip_grad", grads=[3.0, 4.0], max_norm=10.0)["clipped"] == [3.0, 4.0]


@pytest.mark.parametrize("raw, param", [
    ({"grads": [1.0, 2.0]}, "max_norm"),
    ({"grads": [1.0, 2.0], "mode": "norm", "clip_value": 1.0}, "max_norm"),
    ({"grads": [1.0, 2.0], "mode": "value"}, "clip_value"),
    ({"grads": [1.0, 2.0], "max_norm": 0.0}, "max_norm"),
    ({"grads": [1.0, 2.0], "max_norm": -1.0}, "max_norm"),
    ({"grads": [1.0, 2.0], "mode": "value", "clip_value": 0}, "clip_value"),
    ({"grads": [], "max_norm": 1.0}, "grads"),
    ({"grads": [1.0], "mode": "both", "max_norm": 1.0}, "mode"),
])
def test_clip_grad_rejects_missing_or_non_positive_limits(raw, param):
    with pytest.raises(SolverInputError) as err:
        solve("clip_grad", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- rnn_gradient_bound

ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}


def _jacobian_norm(w: torch.Tensor, h0: torch.Tensor, xs: torch.Tensor, act: str) -> float:
    """‖∂h_n/∂h_0‖₂ of hₜ = act(W hₜ₋₁ + xₜ) over the steps of xs, by torch autograd."""
    def run(h):
        for x in xs:
            h = ACTIVATIONS[act](w @ h + x)
        return h
    jac = torch.autograd.functional.jacobian(run, h0)
    return torch.linalg.matrix_norm(jac, ord=2).item()


def test_rnn_gradient_bound_holds_for_autograd_jacobians_over_random_rnns():
    rng = random.Random(30)
    gen = torch.Generator().manual_seed(30)
    for _ in range(DRAWS):
        act = rng.choice(["tanh", "sigmoid", "relu"])
        hidden, steps = rng.randint(1, 4), rng.randint(1, 8)
        sigma = rng.uniform(0.1, 3.0)
        w = torch.randn(hidden, hidden, generator=gen, dtype=torch.float64)
        w *= sigma / torch.linalg.matrix_norm(w, ord=2)
        h0 = torch.randn(hidden, generator=gen, dtype=torch.float64)
        xs = torch.randn(steps, hidden, generator=gen, dtype=torch.float64)
        got = solve("rnn_gradient_bound", sigma_max=sigma, activation=act, steps=steps)
        assert got["factor"] == pytest.approx(got["gamma"] * sigma, rel=1e-12)
        assert _jacobian_norm(w, h0, xs, act) <= got["bound"] * (1 + 1e-9)


@pytest.mark.parametrize("act, gamma", [("tanh", 1.0), ("sigmoid", 0.25)])
def test_rnn_gradient_bound_is_attained_where_the_derivative_peaks(act, gamma):
    # W = σI and pre-activations held at 0 (tanh′(0) = 1, σ′(0) = 1/4): the Jacobian is
    # exactly (γσ)ⁿ I, so the bound is tight.
    sigma, steps, hidden = 1.3, 6, 3
    w = sigma * torch.eye(hidden, dtype=torch.float64)
    h0 = torch.zeros(hidden, dtype=torch.float64) + (0.5 if act == "sigmoid" else 0.0)
    xs = (-w @ h0).expand(steps, hidden)  # keeps every pre-activation at 0
    got = solve("rnn_gradient_bound", sigma_max=sigma, activation=act, steps=steps)
    assert got["gamma"] == gamma
    assert _jacobian_norm(w, h0, xs, act) == pytest.approx(got["bound"], rel=1e-12)


def test_rnn_gradient_bound_pascanu_vanishing_example():
    # Pascanu, Mikolov & Bengio (2013), §2.1: with tanh (γ = 1) and σ_max(W) < 1 the
    # long-term contribution vanishes exponentially: 0.9^50 ≈ 0.00515.
    got = solve("rnn_gradient_bound", sigma_max=0.9, steps=50)
    assert got["bound"] == pytest.approx(0.9 ** 50, rel=1e-12)
    assert round(got["bound"], 5) == 0.00515


def test_rnn_gradient_bound_refuses_an_overflowing_bound_naming_steps():
    with pytest.raises(SolverInputError) as err:
        solve("rnn_gradient_bound", sigma_max=10.0, steps=10000)
    assert err.value.param == "steps"


# ---------------------------------------------------------------- lstm_cell_path


def test_lstm_cell_path_matches_autograd_through_an_lstmcell_cell_path_over_random_draws():
    # A real nn.LSTMCell run over several steps with h detached (only the cell path
    # carries gradient): autograd's ∂c_T/∂c_0 is diagonal and equals the product of the
    # forget gates computed from the cell's own weights.
    rng = random.Random(31)
    for _ in range(DRAWS):
        n_in, hidden, steps = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 5)
        cell = torch.nn.LSTMCell(n_in, hidden).double()
        h = torch.randn(1, hidden, dtype=torch.float64)
        c0 = torch.randn(1, hidden, dtype=torch.float64, requires_grad=True)
        c, gates = c0, []
        for _ in range(steps):
            x = torch.randn(1, n_in, dtype=torch.float64)
            h_in = h.detach()
            pre = x @ cell.weight_ih.T + cell.bias_ih + h_in @ cell.weight_hh.T + cell.bias_hh
            gates.append(torch.sigmoid(pre.chunk(4, dim=1)[1])[0].tolist())
            h, c = cell(x, (h_in, c))
        jac = torch.stack([torch.autograd.grad(c[0, u], c0, retain_graph=True)[0][0]
                           for u in range(hidden)])
        got = solve("lstm_cell_path", forget=gates)["product"]
        torch.testing.assert_close(torch.diag(torch.tensor(got, dtype=torch.float64)), jac,
                                   rtol=1e-10, atol=1e-12)


def test_lstm_cell_path_constant_error_carousel():
    # Hochreiter & Schmidhuber (1997): with the forget gate at 1 (the original LSTM had
    # none) the error flows back unchanged; f = 0.5 halves it at every step.
    got = solve("lstm_cell_path", forget=[[1.0, 0.5]] * 10)["product"]
    assert got == [1.0, 0.5 ** 10]


@pytest.mark.parametrize("forget", [[[1.2]], [[-0.1]], [[0.5, 0.5], [0.5]]])
def test_lstm_cell_path_rejects_values_outside_the_unit_interval_or_ragged_steps(forget):
    with pytest.raises(SolverInputError) as err:
        solve("lstm_cell_path", forget=forget)
    assert err.value.param == "forget"


# ---------------------------------------------------------------- rnn_model_params


def test_rnn_model_params_match_torch_embedding_rnn_linear_over_random_draws():
    rng = random.Random(32)
    for _ in range(DRAWS):
        cell = rng.choice(["rnn", "lstm", "gru"])
        vocab, dim, units = rng.randint(1, 500), rng.randint(1, 16), rng.randint(1, 16)
        layers, bidirectional = rng.randint(1, 3), rng.random() < 0.5
        dense, convention = rng.randint(1, 5), rng.choice(["keras", "pytorch"])
        dirs = 2 if bidirectional else 1
        embedding = torch.nn.Embedding(vocab, dim, device="meta")
        recurrent = TORCH_LAYERS[cell](dim, units, num_layers=layers,
                                       bidirectional=bidirectional, device="meta")
        linear = torch.nn.Linear(units * dirs, dense, device="meta")
        dropped = 0
        if convention == "keras" and cell != "gru":  # Keras keeps one bias per gate
            dropped = {"rnn": 1, "lstm": 4}[cell] * units * dirs * layers
        got = solve("rnn_model_params", vocab_size=vocab, embedding_dim=dim, cell=cell,
                    units=units, num_layers=layers, bidirectional=bidirectional,
                    dense_units=dense, convention=convention)
        want = [sum(t.numel() for t in m.parameters()) for m in (embedding, recurrent, linear)]
        want[1] -= dropped
        assert [got["embedding"], got["recurrent"], got["dense"]] == want
        assert got["total"] == sum(want)


def test_rnn_model_params_chollet_imdb_models():
    # Chollet, Deep Learning with Python, §6.2: Embedding(10000, 32) + SimpleRNN(32) has
    # 322,080 parameters (model.summary()); the IMDB model adds Dense(1): 322,113. With
    # LSTM(32) instead: 320,000 + 8,320 + 33.
    rnn = solve("rnn_model_params", vocab_size=10000, embedding_dim=32, cell="rnn", units=32)
    assert rnn["embedding"] + rnn["recurrent"] == 322080
    assert rnn["total"] == 322113
    lstm = solve("rnn_model_params", vocab_size=10000, embedding_dim=32, cell="lstm", units=32)
    assert (lstm["recurrent"], lstm["total"]) == (8320, 328353)


# ---------------------------------------------------------------- the chapter's size


def test_rnn_chapter_reaches_the_sizes_of_issue_13():
    from drill.bank.load import bank_paths, validate_bank
    from drill.bank.model import NumericItem

    bank = next(validate_bank(p) for p in bank_paths() if p.stem == "rnn")
    items = bank.chapter.items
    numeric = sum(isinstance(item, NumericItem) for item in items)
    assert len(items) - numeric >= 45
    assert numeric >= 22
