"""The tiny trained models against torch training loops (nn.Linear, the torch losses,
autograd, torch.optim.SGD), hand-written numpy loops, and the books' published runs.

The solvers are plain Python; torch is only the oracle here (see solvers/tiny_models.py)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
from torch import nn

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
T = torch.float64


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny float64 ops: a second intra-op thread only adds hand-off waits (seconds on a busy
    CI machine), so these tests run torch on one thread and then restore the setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def close(got, want, tol=1e-9):
    if isinstance(want, list) and want and isinstance(want[0], torch.Tensor):
        want = torch.stack(want)
    elif isinstance(want, list) and want and isinstance(want[0], np.ndarray):
        want = np.array(want)
    torch.testing.assert_close(torch.tensor(got, dtype=T), torch.as_tensor(want, dtype=T),
                               rtol=tol, atol=tol)


def _data(rng: random.Random, n: int, d: int, low=-2.0, high=2.0) -> list[list[float]]:
    if rng.random() < 0.4:
        return [[rng.randint(-3, 3) for _ in range(d)] for _ in range(n)]
    return [[round(rng.uniform(low, high), 2) for _ in range(d)] for _ in range(n)]


def _linear(d: int, w: list[float], b: float, bias: bool) -> nn.Linear:
    model = nn.Linear(d, 1, bias=bias).to(T)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([w], dtype=T))
        if bias:
            model.bias.fill_(b)
    return model


def _train(model: nn.Module, loss_fn, steps: int, lr: float):
    """The usual torch loop; returns the loss and the parameters after each step."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses, params = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss_fn().backward()
        opt.step()
        with torch.no_grad():
            losses.append(loss_fn().item())
        params.append([p.detach().clone() for p in model.parameters()])
    return losses, params


# ---------------------------------------------------------------- linear regression

LINREG_LOSSES = {
    "mse": lambda out, y: nn.MSELoss()(out, y),
    "half_mse": lambda out, y: 0.5 * nn.MSELoss()(out, y),
    "sse": lambda out, y: nn.MSELoss(reduction="sum")(out, y),
    "half_sse": lambda out, y: 0.5 * nn.MSELoss(reduction="sum")(out, y),
}


def test_linreg_train_matches_a_torch_sgd_loop_over_random_draws():
    rng = random.Random(0)
    checked = 0
    while checked < DRAWS:
        n, d = rng.randint(1, 6), rng.randint(1, 3)
        x, y = _data(rng, n, d), [round(rng.uniform(-3, 3), 1) for _ in range(n)]
        w, b = [round(rng.uniform(-1, 1), 1) for _ in range(d)], round(rng.uniform(-1, 1), 1)
        bias, loss = rng.random() < 0.7, rng.choice(list(LINREG_LOSSES))
        b = b if bias else 0.0
        if not bias and not any(v for row in x for v in row):
            continue  # nothing to learn: refused (test_linreg_refuses_all_zero_inputs...)
        lr, steps = rng.choice([0.001, 0.01, 0.05, 0.1]), rng.randint(1, 6)
        got = solve("linreg_train", x=x, y=y, w=w, b=b, lr=lr, steps=steps, loss=loss, bias=bias)
        model = _linear(d, w, b, bias)
        X, Y = torch.tensor(x, dtype=T), torch.tensor(y, dtype=T)[:, None]
        fn = lambda: LINREG_LOSSES[loss](model(X), Y)  # noqa: E731
        initial = fn()
        initial.backward()
        close(got["grad_w"], model.weight.grad[0])
        if bias:
            assert got["grad_b"] == pytest.approx(model.bias.grad.item(), rel=1e-9, abs=1e-12)
        model.zero_grad()
        assert got["initial_loss"] == pytest.approx(initial.item(), rel=1e-10, abs=1e-12)
        losses, params = _train(model, fn, steps, lr)
        close(got["losses"], losses)
        close(got["weights"], [p[0][0] for p in params])
        if bias:
            close(got["biases"], [p[1][0] for p in params])
        checked += 1


def test_linreg_lr_limit_is_2_over_the_largest_eigenvalue_of_the_autograd_hessian():
    rng = random.Random(1)
    checked = 0
    while checked < DRAWS:
        n, d = rng.randint(1, 6), rng.randint(1, 3)
        x, y = _data(rng, n, d), [rng.uniform(-3, 3) for _ in range(n)]
        bias, loss = rng.random() < 0.7, rng.choice(list(LINREG_LOSSES))
        if not bias and not any(v for row in x for v in row):
            continue
        got = solve("linreg_train", x=x, y=y, lr=0.001, loss=loss, bias=bias)
        X, Y = torch.tensor(x, dtype=T), torch.tensor(y, dtype=T)[:, None]

        def loss_of(theta):
            out = X @ theta[:d, None] + (theta[d] if bias else 0)
            return LINREG_LOSSES[loss](out, Y)

        hessian = torch.autograd.functional.hessian(loss_of, torch.zeros(d + 1, dtype=T))
        keep = d + 1 if bias else d
        top = np.linalg.eigvalsh(hessian[:keep, :keep].numpy()).max()
        assert got["lr_limit"] == pytest.approx(2 / top, rel=1e-9)
        checked += 1


def test_linreg_verdict_predicts_what_many_steps_do():
    # Just below 2/λ_max the loss shrinks; just above it grows without bound.
    rng = random.Random(2)
    for _ in range(40):
        x, y = _data(rng, 4, 1, 0.5, 2.0), [rng.uniform(-3, 3) for _ in range(4)]
        limit = solve("linreg_train", x=x, y=y, lr=0.001)["lr_limit"]
        below = solve("linreg_train", x=x, y=y, lr=0.9 * limit, steps=300)
        above = solve("linreg_train", x=x, y=y, lr=1.1 * limit, steps=300)
        assert below["verdict"] == "converges" and above["verdict"] == "diverges"
        assert below["final_loss"] < below["initial_loss"]
        assert above["final_loss"] > 100 * above["initial_loss"]


def test_linreg_grokking_ch5_multiple_inputs_published_run():
    # Trask, Grokking Deep Learning, ch. 5 ("gradient descent learning with multiple inputs"),
    # iamtrask/Grokking-Deep-Learning, Chapter5 notebook: weights [0.1, 0.2, -0.1], input
    # [8.5, 0.65, 1.2], true 1, alpha 0.01. The book's step is delta·input, the gradient of
    # ½(pred − true)², and it prints the error (pred − true)².
    got = solve("linreg_train", x=[[8.5, 0.65, 1.2]], y=[1], w=[0.1, 0.2, -0.1], lr=0.01,
                steps=3, loss="half_sse", bias=False)
    close(got["grad_w"], [-1.189999999999999, -0.09099999999999994, -0.16799999999999987], 1e-12)
    close(got["weights"][0], [0.1119, 0.20091, -0.09832], 1e-12)
    close(got["weights"][1], [0.11498061250000001, 0.20114557625, -0.09788509000000001], 1e-12)
    printed_errors = [0.01959999999999997, 0.0013135188062500048, 8.802712522307997e-05]
    assert 2 * got["initial_loss"] == pytest.approx(printed_errors[0], rel=1e-12)
    close([2 * v for v in got["losses"][:2]], printed_errors[1:], 1e-12)


def test_linreg_refuses_a_bias_value_without_a_bias():
    with pytest.raises(SolverInputError) as err:
        solve("linreg_train", x=[1, 2], y=[1, 2], b=1, lr=0.1, bias=False)
    assert err.value.param == "b"


def test_linreg_refuses_all_zero_inputs_without_a_bias():
    with pytest.raises(SolverInputError) as err:
        solve("linreg_train", x=[0, 0], y=[1, 2], lr=0.1, bias=False)
    assert err.value.param == "x"


def test_linreg_overflow_is_bad_input_naming_the_learning_rate():
    with pytest.raises(SolverInputError) as err:
        solve("linreg_train", x=[10, 20], y=[1, 2], lr=10, steps=5000)
    assert err.value.param in ("lr", "steps")


# ---------------------------------------------------------------- logistic regression


def test_logreg_train_matches_bce_with_logits_and_sgd_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        n, d = rng.randint(1, 6), rng.randint(1, 3)
        x, y = _data(rng, n, d), [rng.randint(0, 1) for _ in range(n)]
        w, b = [round(rng.uniform(-1, 1), 1) for _ in range(d)], round(rng.uniform(-1, 1), 1)
        bias, reduction = rng.random() < 0.7, rng.choice(["mean", "sum"])
        b = b if bias else 0.0
        lr, steps = rng.choice([0.05, 0.1, 0.5, 1.0]), rng.randint(1, 6)
        got = solve("logreg_train", x=x, y=y, w=w, b=b, lr=lr, steps=steps,
                    reduction=reduction, bias=bias)
        model = _linear(d, w, b, bias)
        X, Y = torch.tensor(x, dtype=T), torch.tensor(y, dtype=T)[:, None]
        fn = lambda: nn.BCEWithLogitsLoss(reduction=reduction)(model(X), Y)  # noqa: E731
        assert got["initial_loss"] == pytest.approx(fn().item(), rel=1e-10)
        losses, params = _train(model, fn, steps, lr)
        close(got["losses"], losses)
        close(got["weights"], [p[0][0] for p in params])
        with torch.no_grad():
            close(got["probs"], torch.sigmoid(model(X))[:, 0])


def test_logreg_jurafsky_martin_one_sgd_step():
    # Jurafsky & Martin, Speech and Language Processing (3rd ed.), ch. 5, "Working through
    # an example": x = (3, 2), y = 1, w = b = 0, η = 0.1: gradient (−1.5, −1.0, −0.5),
    # θ¹ = (0.15, 0.1, 0.05).
    got = solve("logreg_train", x=[[3, 2]], y=[1], lr=0.1)
    close(got["grad_w"], [-1.5, -1.0], 1e-15)
    assert got["grad_b"] == -0.5
    close(got["final_weights"], [0.15, 0.1], 1e-15)
    assert got["final_bias"] == pytest.approx(0.05, abs=1e-15)
    assert got["initial_loss"] == pytest.approx(math.log(2), rel=1e-15)


def test_logreg_refuses_labels_outside_0_1():
    with pytest.raises(SolverInputError) as err:
        solve("logreg_train", x=[1, 2], y=[0, 2], lr=0.1)
    assert err.value.param == "y"


# ---------------------------------------------------------------- perceptron


def _numpy_perceptron(x, y, w, b, lr, steps, order, bias):
    """A hand-written numpy perceptron: Rosenblatt's rule, one sample per step."""
    X, Y = np.array(x, float), np.array(y, float)
    w, b = np.array(w, float), float(b)
    out = []
    for t in range(steps):
        margins = Y * (X @ w + b)
        if order == "cyclic":
            i = t % len(Y)
        else:
            wrong = np.flatnonzero(margins <= 0)
            i = int(wrong[0]) if wrong.size else -1
        if i >= 0 and margins[i] <= 0:
            w = w + lr * Y[i] * X[i]
            b = b + lr * Y[i] if bias else b
        margins = Y * (X @ w + b)
        out.append((w.copy(), b, int((margins <= 0).sum()), float(-margins[margins <= 0].sum()),
                    i + 1))
    return out


def _torch_perceptron_step(w, b, x_i, y_i, lr, bias):
    """One step as SGD on the perceptron criterion −y(w·x + b) of the sample (autograd)."""
    tw = torch.tensor(w, dtype=T, requires_grad=True)
    tb = torch.tensor(b, dtype=T, requires_grad=bias)
    opt = torch.optim.SGD([tw, tb] if bias else [tw], lr=lr)
    (-y_i * (tw @ torch.tensor(x_i, dtype=T) + tb)).backward()
    opt.step()
    return tw.detach().tolist(), tb.item()


def test_perceptron_matches_numpy_and_autograd_on_the_criterion_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        n, d = rng.randint(1, 6), rng.randint(1, 3)
        x = _data(rng, n, d)
        y = [rng.choice([-1, 1]) for _ in range(n)]
        w, b = [rng.randint(-2, 2) for _ in range(d)], rng.randint(-2, 2)
        lr, steps = rng.choice([0.5, 1, 2]), rng.randint(1, 12)
        order, bias = rng.choice(["cyclic", "first_mistake"]), rng.random() < 0.8
        b = b if bias else 0
        got = solve("perceptron_train", x=x, y=y, w=w, b=b, lr=lr, steps=steps, order=order,
                    bias=bias)
        want = _numpy_perceptron(x, y, w, b, lr, steps, order, bias)
        close(got["weights"], [o[0] for o in want])
        close(got["biases"], [o[1] for o in want])
        assert got["errors"] == [o[2] for o in want]
        close(got["losses"], [o[3] for o in want])
        assert got["sample_used"] == [o[4] for o in want]
        # Every update is one SGD step on that sample's perceptron criterion.
        prev_w, prev_b = [float(v) for v in w], float(b)
        for t, i in enumerate(got["sample_used"]):
            if i and (got["weights"][t], got["biases"][t]) != (prev_w, prev_b):
                tw, tb = _torch_perceptron_step(prev_w, prev_b, x[i - 1], y[i - 1], lr, bias)
                close(got["weights"][t], tw)
                assert got["biases"][t] == pytest.approx(tb)
            prev_w, prev_b = got["weights"][t], got["biases"][t]


def test_perceptron_li_hang_example_2_1():
    # Li Hang, Statistical Learning Methods (统计学习方法), example 2.1 and table 2.1:
    # x1 = (3, 3), x2 = (4, 3) positive, x3 = (1, 1) negative, η = 1, w0 = 0, b0 = 0;
    # misclassified points chosen x1, x3, x3, x3, x1, x3, x3; w = (1, 1), b = −3.
    got = solve("perceptron_train", x=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1], steps=8,
                order="first_mistake")
    assert got["sample_used"] == [1, 3, 3, 3, 1, 3, 3, 0]
    assert got["weights"][:7] == [[3, 3], [2, 2], [1, 1], [0, 0], [3, 3], [2, 2], [1, 1]]
    assert got["biases"][:7] == [1, 0, -1, -2, -1, -2, -3]
    assert (got["final_weights"], got["final_bias"], got["final_errors"]) == ([1, 1], -3, 0)
    assert got["updates"] == 7


def test_perceptron_refuses_zero_one_labels():
    with pytest.raises(SolverInputError) as err:
        solve("perceptron_train", x=[1, 2], y=[0, 1])
    assert err.value.param == "y"


# ---------------------------------------------------------------- 2-2-1 network


ACTS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
        "identity": lambda t: t}


def test_xor_mlp_matches_a_torch_2_2_1_network_over_random_draws():
    rng = random.Random(5)
    xor_x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=T)
    xor_y = torch.tensor([[0], [1], [1], [0]], dtype=T)
    for _ in range(DRAWS):
        r = lambda: round(rng.uniform(-1.5, 1.5), 1)  # noqa: E731
        w1, w2 = [[r(), r()], [r(), r()]], [[r(), r()]]
        bias = rng.random() < 0.8
        b1, b2 = ([r(), r()], r()) if bias else ([0, 0], 0)
        act, out_act = rng.choice(["sigmoid", "tanh", "relu"]), rng.choice(["sigmoid", "identity"])
        loss = rng.choice(["half_sse", "mse"] + (["bce"] if out_act == "sigmoid" else []))
        lr, steps = rng.choice([0.1, 0.5, 1.0]), rng.randint(1, 5)
        got = solve("xor_mlp_train", w1=w1, b1=b1, w2=w2, b2=b2, activation=act,
                    output_activation=out_act, loss=loss, lr=lr, steps=steps, bias=bias)
        l1, l2 = nn.Linear(2, 2, bias=bias).to(T), nn.Linear(2, 1, bias=bias).to(T)
        with torch.no_grad():
            l1.weight.copy_(torch.tensor(w1, dtype=T))
            l2.weight.copy_(torch.tensor(w2, dtype=T))
            if bias:
                l1.bias.copy_(torch.tensor(b1, dtype=T))
                l2.bias.fill_(b2)
        net = nn.ModuleList([l1, l2])  # parameters in the history's order: w1, b1, w2, b2
        forward = lambda: ACTS[out_act](l2(ACTS[act](l1(xor_x))))  # noqa: E731
        fn = {"half_sse": lambda: 0.5 * ((forward() - xor_y) ** 2).sum(),
              "mse": lambda: nn.MSELoss()(forward(), xor_y),
              "bce": lambda: nn.BCELoss()(forward(), xor_y)}[loss]
        with torch.no_grad():
            close(got["initial_outputs"], forward()[:, 0])
        losses, params = _train(net, fn, steps, lr)
        close(got["losses"], losses)
        flat = [torch.cat([p.reshape(-1) for p in ps]) for ps in params]
        if not bias:  # the history keeps 9 slots: the biases stay 0
            flat = [torch.cat([f[:4], torch.zeros(2, dtype=T), f[4:], torch.zeros(1, dtype=T)])
                    for f in flat]
        close(got["history"], torch.stack(flat))
        with torch.no_grad():
            out = forward()[:, 0]
        close(got["outputs"], out)
        assert got["correct"] == int(((out - xor_y[:, 0]).abs() < 0.5).sum())


def test_xor_goodfellow_6_1_relu_solution_is_exact_and_stays_put():
    # Goodfellow, Bengio & Courville, Deep Learning §6.1: W = [[1, 1], [1, 1]], c = [0, −1],
    # w = [1, −2], b = 0 with ReLU and a linear output gives XOR exactly; MSE 0, gradient 0.
    got = solve("xor_mlp_train", w1=[[1, 1], [1, 1]], b1=[0, -1], w2=[[1, -2]], b2=0,
                activation="relu", output_activation="identity", loss="mse", steps=5)
    assert got["initial_outputs"] == [0, 1, 1, 0]
    assert got["losses"] == [0] * 5 and got["history"][-1] == [1, 1, 1, 1, 0, -1, 1, -2, 0]
    assert got["verdict"] == "solved"


def test_xor_symmetric_initialisation_never_breaks_symmetry():
    # Identical hidden units get identical gradients (Goodfellow §8.4: "break symmetry"),
    # so the network keeps one effective hidden unit and cannot represent XOR.
    got = solve("xor_mlp_train", w1=[[0.5, 0.5], [0.5, 0.5]], b1=[0.1, 0.1], w2=[[0.3, 0.3]],
                lr=2, steps=2000)
    assert all(h[0:2] == h[2:4] and h[4] == h[5] and h[6] == h[7] for h in got["history"])
    assert got["verdict"] == "not solved"


def test_xor_mlp_refuses_bce_on_a_linear_output():
    with pytest.raises(SolverInputError) as err:
        solve("xor_mlp_train", w1=[[1, 0], [0, 1]], w2=[[1, 1]], output_activation="identity",
              loss="bce")
    assert err.value.param == "loss"


# ---------------------------------------------------------------- hot and cold vs descent


def _trask_hot_cold(weight, input, goal, step_amount, iterations):
    """Trask's chapter-4 hot-and-cold loop, as printed in the book (errors before each
    iteration's move)."""
    errors, weights = [], []
    for _ in range(iterations):
        prediction = input * weight
        errors.append((prediction - goal) ** 2)
        up_error = (goal - input * (weight + step_amount)) ** 2
        down_error = (goal - input * (weight - step_amount)) ** 2
        if down_error < up_error:
            weight = weight - step_amount
        if down_error > up_error:
            weight = weight + step_amount
        weights.append(weight)
    return errors, weights


def test_hot_cold_and_gradient_descent_match_trask_loop_and_autograd_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        weight, x, goal = (round(rng.uniform(-1, 1), 2) for _ in range(3))
        step, alpha = rng.choice([0.001, 0.01, 0.1]), rng.choice([0.1, 0.5, 1.0])
        k = rng.randint(1, 30)
        got = solve("hot_cold_vs_gd", weight=weight, input=x, goal=goal, step_amount=step,
                    alpha=alpha, iterations=k)
        errors, weights = _trask_hot_cold(weight, x, goal, step, k + 1)
        close(got["hot_cold_errors"], errors[1:], 1e-12)
        close(got["hot_cold_weights"], weights[:-1], 1e-12)
        w = torch.tensor(weight, dtype=T, requires_grad=True)
        opt = torch.optim.SGD([w], lr=alpha)
        for t in range(k):  # GD on ½(x·w − goal)², whose gradient is Trask's delta·input
            opt.zero_grad()
            (0.5 * (x * w - goal) ** 2).backward()
            opt.step()
            assert got["gd_weights"][t] == pytest.approx(w.item(), rel=1e-12, abs=1e-12)
        assert got["gd_ratio"] == pytest.approx(1 - alpha * x * x)


def test_grokking_ch4_published_runs():
    # Trask, Grokking Deep Learning, ch. 4; iamtrask/Grokking-Deep-Learning, Chapter4 notebook.
    # The book prints the error before each update, so printed[i + 1] is our error after i + 1.
    hot = solve("hot_cold_vs_gd", iterations=1100)  # hot and cold, 1101 printed lines
    assert hot["initial_error"] == 0.30250000000000005
    close(hot["hot_cold_errors"][:2], [0.3019502500000001, 0.30140100000000003], 1e-15)
    assert hot["hot_cold_errors"][-1] == pytest.approx(1.0799505792475652e-27, rel=1e-6)
    gd = solve("hot_cold_vs_gd", iterations=19)  # gradient descent, 20 printed lines
    printed = [0.17015625000000004, 0.095712890625, 0.05383850097656251, 0.03028415679931642]
    close(gd["gd_errors"][:4], printed, 1e-15)
    assert gd["gd_errors"][-1] == pytest.approx(5.408208020258491e-06, rel=1e-12)
    broken = solve("hot_cold_vs_gd", input=2, iterations=3)  # "Now let's break it"
    close(broken["gd_errors"], [0.3599999999999998, 3.2399999999999984, 29.159999999999986],
          1e-12)
    assert broken["gd_verdict"] == "diverges" and broken["gd_ratio"] == -3
    fixed = solve("hot_cold_vs_gd", input=2, alpha=0.1, iterations=2)  # alpha = 0.1
    close(fixed["gd_errors"], [0.0144, 0.005183999999999993], 1e-12)
    assert fixed["gd_verdict"] == "converges"


def test_gradient_descent_overflow_is_bad_input_naming_the_iterations():
    with pytest.raises(SolverInputError) as err:
        solve("hot_cold_vs_gd", input=10, alpha=1, iterations=5000)
    assert err.value.param == "iterations"


# ---------------------------------------------------------------- no torch at run time


def test_the_tiny_models_import_neither_torch_nor_numpy(tmp_path):
    import subprocess
    import sys
    code = ("import sys\nfrom solvers import get_solver, run_solver\n"
            "for name in ['linreg_train', 'logreg_train', 'perceptron_train', 'xor_mlp_train',"
            " 'hot_cold_vs_gd']:\n"
            "    spec = get_solver(name)\n"
            "    [run_solver(spec, ex) for ex in spec.examples]\n"
            "print(sorted(m for m in ('torch', 'numpy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
