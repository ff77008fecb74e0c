"""Forward pass, backpropagation, gradient check and gradient-through-depth solvers against
torch autograd (and torch.optim.SGD for the update), plus published worked examples: seed
003's 2-2-1 sigmoid network (both its published numbers and the old-W1 convention), Mazur's
step-by-step example, Ng's gradient-check example and Nielsen's chain of sigmoid neurons."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
HIDDEN = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
OUTPUT = {"sigmoid": torch.sigmoid, "identity": lambda z: z,
          "softmax": lambda z: torch.softmax(z, dim=0)}


def solve(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].answers


def steps_of(solver_name: str, /, **raw):
    return run_solver(get_solver(solver_name), raw)[1].steps


def close(got, want, rel=1e-9, abs_=1e-12) -> bool:
    """Same nesting and every number within tolerance."""
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(close(g, w, rel, abs_) for g, w in zip(got, want)))
    return got == pytest.approx(want, rel=rel, abs=abs_)


def as_list(t: torch.Tensor) -> list:
    return t.detach().tolist()


# ---------------------------------------------------------------- the autograd oracle


def torch_step(x, y, weights, biases, activation, output_activation, loss, lr):
    """Forward in torch (float64), the loss, autograd, then one torch.optim.SGD step."""
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in biases]
    a = torch.tensor(x, dtype=torch.float64)
    outputs = []
    for index, (w, b) in enumerate(zip(ws, bs)):
        z = w @ a + b
        a = (OUTPUT[output_activation] if index == len(ws) - 1 else HIDDEN[activation])(z)
        outputs.append(a)
    o, t = outputs[-1], torch.tensor(y, dtype=torch.float64)
    if loss == "half_sse":
        value = 0.5 * F.mse_loss(o, t, reduction="sum")
    elif loss == "mse":
        value = F.mse_loss(o, t)
    elif loss == "bce":
        value = F.binary_cross_entropy(o, t)
    else:
        value = -(t * torch.log(o)).sum()
    value.backward()
    grads_w, grads_b = [as_list(w.grad) for w in ws], [as_list(b.grad) for b in bs]
    optimizer = torch.optim.SGD([*ws, *bs], lr=lr)
    optimizer.step()
    return {"outputs": [as_list(a) for a in outputs], "loss": value.item(),
            "grad_weights": grads_w, "grad_biases": grads_b,
            "new_weights": [as_list(w) for w in ws], "new_biases": [as_list(b) for b in bs]}


def draw_network(rng: random.Random, layers: int | None = None) -> dict:
    """A random valid mlp_backprop problem: sizes, weights, activations, loss and targets."""
    layers = layers or rng.randint(1, 3)
    sizes = [rng.randint(1, 4) for _ in range(layers + 1)]
    output_activation = rng.choice(list(OUTPUT))
    if output_activation == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    losses = {"identity": ["half_sse", "mse"], "sigmoid": ["half_sse", "mse", "bce", "ce"],
              "softmax": ["half_sse", "mse", "bce", "ce"]}[output_activation]
    loss = rng.choice(losses)
    number = (lambda: float(rng.randint(-2, 2))) if rng.random() < 0.2 else \
        (lambda: rng.uniform(-2, 2))
    weights = [[[number() for _ in range(sizes[i])] for _ in range(sizes[i + 1])]
               for i in range(layers)]
    biases = [[number() for _ in range(sizes[i + 1])] for i in range(layers)]
    n_out = sizes[-1]
    if loss in ("bce", "ce") or output_activation != "identity":
        y = [rng.choice([0.0, 1.0, rng.random()]) for _ in range(n_out)]
    else:
        y = [rng.uniform(-2, 2) for _ in range(n_out)]
    if loss == "ce" and output_activation == "softmax":
        y = [0.0] * n_out
        y[rng.randrange(n_out)] = 1.0
    return dict(x=[number() for _ in range(sizes[0])], y=y, weights=weights, biases=biases,
                activation=rng.choice(list(HIDDEN)), output_activation=output_activation,
                loss=loss, lr=rng.choice([0.1, 0.5, 1.0, rng.uniform(0, 2)]))


def assert_nested_close(got, want, what):
    assert close(got, want, rel=1e-9, abs_=1e-11), (what, got, want)


# ---------------------------------------------------------------- mlp_backprop


def test_mlp_backprop_matches_autograd_and_an_sgd_step_over_random_networks():
    rng = random.Random(0)
    for _ in range(DRAWS):
        raw = draw_network(rng)
        want = torch_step(**raw)
        got = solve("mlp_backprop", **raw)
        for key in ("outputs", "loss", "grad_weights", "grad_biases", "new_weights",
                    "new_biases"):
            assert_nested_close(got[key], want[key], (key, raw))


def test_mlp_backprop_softmax_ce_equals_f_cross_entropy_and_delta_is_o_minus_t():
    rng = random.Random(1)
    for _ in range(DRAWS):
        raw = draw_network(rng, layers=1)
        n_out = len(raw["weights"][0])
        if n_out < 2:
            continue
        target = rng.randrange(n_out)
        raw.update(output_activation="softmax", loss="ce",
                   y=[1.0 if k == target else 0.0 for k in range(n_out)])
        got = solve("mlp_backprop", **raw)
        z = torch.tensor(raw["weights"][0], dtype=torch.float64) @ \
            torch.tensor(raw["x"], dtype=torch.float64) + torch.tensor(raw["biases"][0],
                                                                       dtype=torch.float64)
        assert close(got["loss"], F.cross_entropy(z[None], torch.tensor([target])).item())
        assert close(got["grad_biases"][0],
                     [o - t for o, t in zip(got["outputs"][0], raw["y"])])


def test_mlp_backprop_defaults_are_sigmoid_sigmoid_half_sse_and_lr_one_half():
    inputs, _ = run_solver(get_solver("mlp_backprop"),
                           dict(x=[1], y=[0], weights=[[[1]]], biases=[[0]]))
    assert (inputs["activation"], inputs["output_activation"], inputs["loss"], inputs["lr"]) \
        == ("sigmoid", "sigmoid", "half_sse", 0.5)


SEED_003 = dict(x=[0.35, 0.9], y=[0.5], weights=[[[0.1, 0.8], [0.4, 0.6]], [[0.3, 0.9]]],
                biases=[[0.0, 0.0], [0.0]], lr=1.0)


def test_mlp_backprop_reproduces_seed_003_worked_example_published_numbers():
    # Seed 003 (reading notes on Goodfellow et al., "神经网络如何训练"): X = [0.35, 0.9],
    # y = 0.5, W0 = [[0.1, 0.8], [0.4, 0.6]], W1 = [[0.3, 0.9]], no bias, sigmoid,
    # Error = ½(y − o)², W += δ·input (lr 1). Its published hand computation (the handout it
    # follows; the same figures are in nathansamsel/simple_backpropagation_example) rounds as
    # it goes: h = 0.68, 0.6637; o = 0.69; δ = (t − o)o(1 − o) = −0.0406; new W1 =
    # [0.272392, 0.87305]; hidden δ −2.406e-3 and −7.916e-3, found with the UPDATED W1;
    # new W0 = [[0.09916, 0.7978], [0.3972, 0.5928]].
    got = solve("mlp_backprop", **SEED_003)
    (h1, h2), (o,) = got["outputs"]
    assert (round(h1, 2), round(h2, 4), round(o, 2)) == (0.68, 0.6637, 0.69)
    delta_out = got["grad_biases"][1][0]  # ∂L/∂z = −(published δ, which is written (t − o)…)
    assert -delta_out == pytest.approx(-0.0406, abs=1e-4)  # published from the rounded o = 0.69
    new_w1 = got["new_weights"][1][0]
    assert new_w1 == pytest.approx([0.272392, 0.87305], abs=1e-4)  # published δ and h rounded
    assert round(got["loss"], 4) == 0.0181

    # The published W0 back-propagates through the UPDATED W1; redoing that with the
    # solver's own numbers gives the published figures to their four decimals ...
    x, w0 = SEED_003["x"], SEED_003["weights"][0]
    hidden = [delta_out * w * h * (1 - h) for w, h in zip(new_w1, (h1, h2))]
    assert [-1e3 * d for d in hidden] == pytest.approx([-2.406, -7.916], abs=0.02)
    published_w0 = [[w0[i][j] - hidden[i] * x[j] for j in range(2)] for i in range(2)]
    assert published_w0[0] == pytest.approx([0.09916, 0.7978], abs=1e-4)
    assert published_w0[1] == pytest.approx([0.3972, 0.5928], abs=1e-4)

    # ... while backpropagation proper (and the seed's own code, which computes l1_error
    # before W1 += ...) uses the OLD W1, as autograd does: a different W0.
    old_w1 = [[0.09907093, 0.79761096], [0.39713992, 0.59264552]]
    assert close(got["new_weights"][0], old_w1, rel=0, abs_=1e-8)
    assert got["new_weights"][0][1][1] != pytest.approx(0.5928, abs=1e-4)
    assert_nested_close(got["new_weights"], torch_step(**SEED_003, activation="sigmoid",
                                                       output_activation="sigmoid",
                                                       loss="half_sse")["new_weights"], "seed")


def test_mlp_backprop_reproduces_mazur_step_by_step_example():
    # Matt Mazur, "A Step by Step Backpropagation Example" (2015): 2-2-2 sigmoid network,
    # E = ½Σ(target − out)², lr 0.5; the hidden weights are updated with the ORIGINAL w5…w8.
    got = solve("mlp_backprop", x=[0.05, 0.10], y=[0.01, 0.99],
                weights=[[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                biases=[[0.35, 0.35], [0.60, 0.60]], lr=0.5)
    assert got["outputs"][0] == pytest.approx([0.593269992, 0.596884378], abs=1e-9)
    assert got["outputs"][1] == pytest.approx([0.75136507, 0.772928465], abs=1e-8)
    assert got["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert close(got["new_weights"][1], [[0.35891648, 0.408666186], [0.511301270, 0.561370121]],
                 rel=0, abs_=1e-8)
    assert close(got["new_weights"][0], [[0.149780716, 0.19956143], [0.24975114, 0.29950229]],
                 rel=0, abs_=1e-8)


def test_mlp_backprop_steps_say_old_weights_in_both_languages():
    steps = steps_of("mlp_backprop", **SEED_003)
    assert "OLD" in steps[0].en and "旧权重" in steps[0].zh
    hidden = next(s for s in steps if s.en.startswith("Hidden error"))
    assert "OLD W2" in hidden.en and "更新前的 W2" in hidden.zh


@pytest.mark.parametrize("change, param", [
    ({"weights": [[[0.1, 0.8, 0.1]], [[0.3]]]}, "weights"),        # 3 inputs, x has 2
    ({"weights": [[[0.1, 0.8], [0.4, 0.6]], [[0.3]]]}, "weights"),  # layer 2 reads 2 units
    ({"biases": [[0.0], [0.0]]}, "biases"),
    ({"biases": [[0.0, 0.0]]}, "biases"),                          # one vector for two layers
    ({"y": [0.5, 0.5]}, "y"),
    ({"weights": []}, "weights"),
    ({"weights": None}, "weights"),
    ({"output_activation": "identity", "loss": "bce", "y": [1.0],
      "weights": [[[1, 1], [1, 1]], [[5, 5]]]}, "output_activation"),  # o > 1: no ln(1 − o)
])
def test_mlp_backprop_rejects_bad_shapes_and_impossible_losses_naming_the_parameter(change,
                                                                                     param):
    with pytest.raises(SolverInputError) as err:
        solve("mlp_backprop", **{**SEED_003, **change})
    assert err.value.param == param


def test_mlp_backprop_requires_biases_as_the_contract_lists_no_default():
    with pytest.raises(SolverInputError) as err:
        solve("mlp_backprop", x=[1], y=[0], weights=[[[1]]])
    assert err.value.param == "biases"


# ---------------------------------------------------------------- the two-layer solvers


def test_two_layer_backprop_matches_autograd_quantity_by_quantity():
    rng = random.Random(2)
    for _ in range(DRAWS):
        raw = draw_network(rng, layers=2)
        want = torch_step(**raw)
        (w1, w2), (b1, b2) = raw.pop("weights"), raw.pop("biases")
        given = {"b1": b1} if rng.random() < 0.7 else {}
        if not given:  # left out: zeros
            b1 = [0.0] * len(b1)
            want = torch_step(raw["x"], raw["y"], [w1, w2], [b1, b2], raw["activation"],
                              raw["output_activation"], raw["loss"], raw["lr"])
        got = solve("two_layer_backprop", w1=w1, w2=w2, b2=b2, **given, **raw)
        assert_nested_close(got["h"], want["outputs"][0], "h")
        assert_nested_close(got["output"], want["outputs"][1], "output")
        assert_nested_close(got["loss"], want["loss"], "loss")
        assert_nested_close(got["delta_output"], want["grad_biases"][1], "delta_output")
        assert_nested_close(got["delta_hidden"], want["grad_biases"][0], "delta_hidden")
        for name, index in (("w2", 1), ("w1", 0)):
            assert_nested_close(got["grad_" + name], want["grad_weights"][index], name)
            assert_nested_close(got["new_" + name], want["new_weights"][index], name)
        assert_nested_close(got["new_b1"], want["new_biases"][0], "b1")
        assert_nested_close(got["new_b2"], want["new_biases"][1], "b2")


def test_two_layer_backprop_reproduces_seed_003_example_with_old_w1():
    # The seed 003 2-2-1 example again (see above): published δ = −0.0406 (as (t − o)…),
    # new W1 = [0.272392, 0.87305] from rounded values; hidden δ with the OLD W1.
    got = solve("two_layer_backprop", x=[0.35, 0.9], y=[0.5], w1=[[0.1, 0.8], [0.4, 0.6]],
                w2=[[0.3, 0.9]], lr=1)
    assert -got["delta_output"][0] == pytest.approx(-0.0406, abs=1e-4)
    assert got["new_w2"][0] == pytest.approx([0.272392, 0.87305], abs=1e-4)
    assert got["delta_hidden"] == pytest.approx([0.0406811 * 0.3 * 0.680267 * 0.319733,
                                                0.0406811 * 0.9 * 0.663739 * 0.336261], rel=1e-5)
    assert close(got["new_w1"], [[0.09907093, 0.79761096], [0.39713992, 0.59264552]], rel=0,
                 abs_=1e-8)


def test_mlp_forward_matches_torch_linear_layers():
    rng = random.Random(3)
    for _ in range(DRAWS):
        raw = draw_network(rng, layers=2)
        (w1, w2), (b1, b2) = raw["weights"], raw["biases"]
        layer1 = torch.nn.Linear(len(raw["x"]), len(w1)).double()
        layer2 = torch.nn.Linear(len(w1), len(w2)).double()
        with torch.no_grad():
            for layer, w, b in ((layer1, w1, b1), (layer2, w2, b2)):
                layer.weight.copy_(torch.tensor(w, dtype=torch.float64))
                layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
        x = torch.tensor(raw["x"], dtype=torch.float64)
        z1 = layer1(x)
        h = HIDDEN[raw["activation"]](z1)
        z2 = layer2(h)
        out = OUTPUT[raw["output_activation"]](z2)
        got = solve("mlp_forward", x=raw["x"], w1=w1, b1=b1, w2=w2, b2=b2,
                    activation=raw["activation"], output_activation=raw["output_activation"])
        for key, want in (("z1", z1), ("h", h), ("z2", z2), ("output", out)):
            assert_nested_close(got[key], as_list(want), key)


def test_mlp_forward_fills_missing_biases_with_zeros_and_blames_the_right_matrix():
    inputs, solution = run_solver(get_solver("mlp_forward"),
                                  dict(x=[0.35, 0.9], w1=[[0.1, 0.8], [0.4, 0.6]], w2=[[0.3, 0.9]]))
    assert inputs["b1"] == [0.0, 0.0] and inputs["b2"] == [0.0]
    assert round(solution.answers["output"][0], 4) == 0.6903  # seed 003's o = 0.69
    for bad, param in (({"w1": [[1, 2, 3]]}, "w1"), ({"w2": [[1, 2, 3]]}, "w2"),
                       ({"b1": [1]}, "b1"), ({"b2": [1, 2]}, "b2")):
        with pytest.raises(SolverInputError) as err:
            solve("mlp_forward", **{"x": [0.35, 0.9], "w1": [[0.1, 0.8], [0.4, 0.6]],
                                    "w2": [[0.3, 0.9]], **bad})
        assert err.value.param == param


# ---------------------------------------------------------------- gradient check

TORCH_FUNCTIONS = {"cube": lambda x: x ** 3, "square": lambda x: x ** 2, "sigmoid": torch.sigmoid,
                   "tanh": torch.tanh, "exp": torch.exp, "log": torch.log, "relu": torch.relu}


def test_gradient_check_matches_torch_values_and_autograd():
    rng = random.Random(4)
    for _ in range(DRAWS):
        function = rng.choice(list(TORCH_FUNCTIONS))
        eps = rng.choice([0.1, 0.01, 1e-3, 1e-4])
        method = rng.choice(["central", "forward"])
        x = rng.uniform(0.5, 3) if function == "log" else rng.uniform(-3, 3)
        f = TORCH_FUNCTIONS[function]

        def value(v: float) -> float:
            return f(torch.tensor(v, dtype=torch.float64)).item()

        numerical = ((value(x + eps) - value(x - eps)) / (2 * eps) if method == "central"
                     else (value(x + eps) - value(x)) / eps)
        point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        f(point).backward()
        got = solve("gradient_check", function=function, x=x, eps=eps, method=method)
        assert close(got["numerical"], numerical, rel=1e-8, abs_=1e-10)
        assert close(got["analytic"], point.grad.item())
        assert close(got["abs_error"], abs(numerical - point.grad.item()), rel=1e-6, abs_=1e-10)


def test_gradient_check_reproduces_ng_two_sided_vs_one_sided_example():
    # Ng, Deep Learning Specialization, course 2, "Numerical approximation of gradients":
    # f(θ) = θ³ at θ = 1, ε = 0.01: two-sided 3.0001 (error 0.0001 = ε²), one-sided 3.0301
    # (error 0.03).
    central = solve("gradient_check", function="cube", x=1, eps=0.01)
    forward = solve("gradient_check", function="cube", x=1, eps=0.01, method="forward")
    assert round(central["numerical"], 6) == 3.0001 and central["analytic"] == 3.0
    assert round(central["abs_error"], 8) == 0.0001
    assert round(forward["numerical"], 6) == 3.0301 and round(forward["abs_error"], 4) == 0.0301


def test_gradient_check_flags_a_kink_and_refuses_impossible_points():
    kink = solve("gradient_check", function="relu", x=0.001, eps=0.01)
    assert kink["rel_error"] > 0.1  # CS231n: kinks make the check fail although backprop is right
    for raw, param in ((dict(function="log", x=0.005, eps=0.01), "x"),
                       (dict(function="exp", x=800), "x"),
                       (dict(function="cube", x=1, eps=0), "eps")):
        with pytest.raises(SolverInputError) as err:
            solve("gradient_check", **raw)
        assert err.value.param == param


# ---------------------------------------------------------------- gradient through depth


def torch_chain(x, weights, biases, activation, residual, upstream):
    w = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
    a0 = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    a, acts = a0, []
    for i in range(len(weights)):
        out = HIDDEN[activation](w[i] * a + biases[i])
        a = a + out if residual else out
        a.retain_grad()
        acts.append(a)
    (upstream * a).backward()
    return [v.item() for v in acts], a0.grad.item(), w.grad[0].item()


def test_chain_gradient_matches_autograd_with_and_without_shortcuts():
    rng = random.Random(5)
    for _ in range(DRAWS):
        k = rng.randint(1, 8)
        weights = [rng.uniform(-3, 3) for _ in range(k)]
        biases = [rng.uniform(-1, 1) for _ in range(k)]
        activation = rng.choice(list(HIDDEN))
        residual = rng.random() < 0.5
        x, upstream = rng.uniform(-2, 2), rng.uniform(-2, 2)
        acts, grad_x, grad_w1 = torch_chain(x, weights, biases, activation, residual, upstream)
        got = solve("chain_gradient", x=x, weights=weights, biases=biases, activation=activation,
                    residual=residual, upstream=upstream)
        assert close(got["activations"], acts)
        assert close(got["grad_x"], grad_x, abs_=1e-15)
        assert close(got["grad_w1"], grad_w1, abs_=1e-15)


def test_chain_gradient_is_nielsens_product_and_bounded_by_a_quarter_per_sigmoid_layer():
    # Nielsen, Neural Networks and Deep Learning, ch. 5: for a chain of single sigmoid
    # neurons ∂C/∂b₁ = σ′(z₁) w₂σ′(z₂) w₃σ′(z₃) w₄σ′(z₄) ∂C/∂a₄, and σ′ ≤ 1/4, so with
    # |w| ≤ 1 each layer shrinks the gradient at least fourfold (seed 002: sigmoid′ < 1).
    rng = random.Random(6)
    for _ in range(DRAWS):
        weights = [rng.uniform(-1, 1) for _ in range(4)]
        got = solve("chain_gradient", x=rng.uniform(-2, 2), weights=weights)
        d = got["local_derivatives"]
        grad_b1 = d[0] * weights[1] * d[1] * weights[2] * d[2] * weights[3] * d[3]
        assert close(got["grad_x"], weights[0] * grad_b1)
        assert abs(got["grad_x"]) <= 0.25 ** 4
    first = solve("chain_gradient", x=0, weights=[1])
    assert first["local_derivatives"] == [0.25]


def test_residual_shortcut_adds_one_to_every_factor():
    # Seed 002 (ResNet): ∂loss/∂x_l = ∂loss/∂x_L · (1 + ∂/∂x_l Σ F): the shortcut keeps a 1.
    plain = solve("chain_gradient", x=1, weights=[1, 1, 1, 1])
    skip = solve("chain_gradient", x=1, weights=[1, 1, 1, 1], residual=True)
    assert all(f < 0.25 + 1e-12 for f in plain["factors"])
    assert all(f > 1 for f in skip["factors"])
    assert plain["grad_x"] < 0.01 < 1 < skip["grad_x"]
    assert close(skip["grad_x"], math.prod(skip["factors"]))


def test_chain_gradient_rejects_biases_of_the_wrong_length():
    with pytest.raises(SolverInputError) as err:
        solve("chain_gradient", x=1, weights=[1, 1], biases=[0])
    assert err.value.param == "biases"
