"""Fully connected networks by hand: the forward pass, and one step of backpropagation (numpy).

Conventions follow PyTorch: weights are out x in (`nn.Linear`), z = W a + b; hidden layers use
sigmoid, tanh or relu (relu′(0) = 0, as autograd); the output layer sigmoid, identity or
softmax; losses half_sse = ½Σ(t − o)², mse and bce averaged over the outputs, ce = −Σ t ln o
(natural log). Every gradient is taken with the OLD weights (as autograd, then one
`optimizer.step()` of plain SGD); only then do all the weights move. Back-propagating through
an already-updated weight matrix is a classic slip of hand-worked examples, not the gradient.

The activation and loss formulas for single numbers, which need no numpy, are in
`activations.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solvers.fmt import MAX_SHOWN, latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.registry import KINDS, Answer, Param, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # layers multiply matrices
MAX_LAYERS = 20

HIDDEN = ("sigmoid", "tanh", "relu")
OUTPUT = ("sigmoid", "identity", "softmax")
LOSSES = ("half_sse", "mse", "bce", "ce")

LOSS_TEXT = {
    "half_sse": ("½SSE = ½Σ(t − o)² (summed)", "½SSE = ½Σ(t − o)²（求和）",
                 r"L = \frac{1}{2}\sum_i (t_i - o_i)^2"),
    "mse": ("MSE = (1/n)Σ(o − t)² (mean over the outputs)", "MSE = (1/n)Σ(o − t)²（对输出取平均）",
            r"L = \frac{1}{n}\sum_i (o_i - t_i)^2"),
    "bce": ("BCE = −(1/n)Σ[t ln o + (1 − t) ln(1 − o)] (mean, natural log)",
            "BCE = −(1/n)Σ[t ln o + (1 − t) ln(1 − o)]（取平均，自然对数）",
            r"L = -\frac{1}{n}\sum_i \left[t_i \ln o_i + (1 - t_i)\ln(1 - o_i)\right]"),
    "ce": ("CE = −Σ t ln o (natural log)", "CE = −Σ t ln o（自然对数）",
           r"L = -\sum_k t_k \ln o_k"),
}
ACT_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}",
           "identity": r"\mathrm{id}", "softmax": r"\mathrm{softmax}"}
DERIV_TEXT = {"sigmoid": "σ′(z{l}) = a{l}(1 − a{l})", "tanh": "tanh′(z{l}) = 1 − a{l}²",
              "relu": "relu′(z{l}) = [z{l} > 0]"}


# ---------------------------------------------------------------- the computation


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^−z), written through tanh so large |z| cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0) + 0.0
    if name == "softmax":
        e = np.exp(z - np.max(z))
        return e / np.sum(e)
    return z.copy()  # identity


def derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f′(z) of a hidden activation from z and a = f(z); relu′(0) = 0 as autograd."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    return (z > 0).astype(float)


def _xlogy(t: np.ndarray, o: np.ndarray) -> np.ndarray:
    """t·ln o with 0·ln 0 = 0."""
    safe = np.where(t == 0, 1.0, o)
    return np.where(t == 0, 0.0, t * np.log(safe))


def loss_and_delta(loss: str, out_act: str, o: np.ndarray,
                   t: np.ndarray) -> tuple[float, np.ndarray, str, str, str]:
    """(loss, δ = ∂L/∂z of the output layer, and how δ was found: en, zh, LaTeX).

    SolverInputError when the loss cannot take these outputs (ln of 0 or of a negative)."""
    n = o.size
    if loss in ("bce", "ce"):
        if np.any(o < 0) or np.any(o > 1):
            raise SolverInputError("output_activation", f"{loss} needs outputs in [0, 1]; "
                                   f"{out_act} gave {num(o.tolist())}")
        if np.any((o == 0) & (t != 0)) or (loss == "bce" and np.any((o == 1) & (t != 1))):
            raise SolverInputError("y", f"an output of exactly 0 or 1 meets a target it cannot "
                                        f"reach: {loss} is infinite (ln 0)")
    if loss == "half_sse":
        value, grad = 0.5 * float(np.sum((o - t) ** 2)), o - t
    elif loss == "mse":
        value, grad = float(np.mean((o - t) ** 2)), 2.0 * (o - t) / n
    elif loss == "bce":
        value = -float(np.sum(_xlogy(t, o) + _xlogy(1.0 - t, 1.0 - o))) / n
        grad = None  # found below: σ and BCE simplify, the other outputs divide by o(1 − o)
    else:
        value = -float(np.sum(_xlogy(t, o)))
        grad = np.where(t == 0, 0.0, -t / np.where(t == 0, 1.0, o))

    if out_act == "sigmoid" and loss == "bce":
        return (value, (o - t) / n, "δ = (o − t)/n (σ and BCE cancel)",
                "δ = (o − t)/n（σ 与 BCE 相消）", r"\delta = \frac{o - t}{n}")
    if out_act == "softmax" and loss == "ce":
        return (value, o * np.sum(t) - t,
                "δ = o·Σt − t = o − t for a one-hot t (softmax and CE cancel)",
                "δ = o·Σt − t，t 为 one-hot 时即 o − t（softmax 与 CE 相消）",
                r"\delta = o \textstyle\sum_k t_k - t")
    if grad is None:  # bce on identity or softmax outputs
        if np.any((o == 0) | (o == 1)):
            raise SolverInputError("output_activation", "bce's gradient needs outputs strictly "
                                                        "between 0 and 1")
        grad = (o - t) / (o * (1.0 - o)) / n
    if out_act == "identity":
        return (value, grad, "δ = ∂L/∂o (identity output)", "δ = ∂L/∂o（恒等输出）",
                r"\delta = \frac{\partial L}{\partial o}")
    if out_act == "sigmoid":
        return (value, grad * o * (1.0 - o), "δ = ∂L/∂o ⊙ o(1 − o)", "δ = ∂L/∂o ⊙ o(1 − o)",
                r"\delta = \frac{\partial L}{\partial o} \odot o(1 - o)")
    return (value, o * (grad - float(np.dot(o, grad))),  # softmax: J = diag(o) − o oᵀ
            "δ = o ⊙ (∂L/∂o − o·∂L/∂o) (softmax Jacobian)",
            "δ = o ⊙ (∂L/∂o − o·∂L/∂o)（softmax 的雅可比矩阵）",
            r"\delta = o \odot \left(\frac{\partial L}{\partial o} - "
            r"o^\top \frac{\partial L}{\partial o}\right)")


def check_network(x: list, weights: list, biases: list | None) -> tuple[list, list]:
    """Weights as float arrays (out x in, each layer's in = the previous layer's out) and
    biases (zeros where None); SolverInputError naming the parameter otherwise."""
    width = len(x)
    ws, bs = [], []
    for index, w in enumerate(weights):
        rows, cols = len(w), len(w[0])
        if cols != width:
            what = "the length of x" if index == 0 else f"the rows of layer {index}'s weights"
            raise SolverInputError("weights", f"layer {index + 1} is {rows} x {cols} (out x in) "
                                              f"but its input has {width} unit{'s' if width != 1 else ''} ({what})")
        ws.append(np.asarray(w, dtype=float))
        width = rows
    for index, w in enumerate(ws):
        b = None if biases is None else biases[index]
        if b is not None and len(b) != w.shape[0]:
            raise SolverInputError("biases", f"layer {index + 1} has {w.shape[0]} units but "
                                             f"{len(b)} biases")
        bs.append(np.zeros(w.shape[0]) if b is None else np.asarray(b, dtype=float))
    return ws, bs


def run_network(x, y, ws, bs, act, out_act, loss, lr) -> dict[str, Any]:
    """Forward pass, loss, backward pass with the old weights, and the SGD update."""
    a = np.asarray(x, dtype=float)
    acts, zs = [a], []
    for index, (w, b) in enumerate(zip(ws, bs)):
        z = w @ a + b
        a = activate(out_act if index == len(ws) - 1 else act, z)
        zs.append(z)
        acts.append(a)
    result: dict[str, Any] = {"zs": zs, "acts": acts}
    if y is None:
        return result
    t = np.asarray(y, dtype=float)
    value, delta, how_en, how_zh, how_tex = loss_and_delta(loss, out_act, acts[-1], t)
    deltas = [delta]
    for index in range(len(ws) - 1, 0, -1):  # hidden layers, back to front, OLD weights
        upstream = ws[index].T @ deltas[0]
        deltas.insert(0, upstream * derivative(act, zs[index - 1], acts[index]))
    grad_w = [np.outer(d, a_in) for d, a_in in zip(deltas, acts[:-1])]
    result.update(loss=value, deltas=deltas, grad_w=grad_w, grad_b=deltas,
                  new_w=[w - lr * g for w, g in zip(ws, grad_w)],
                  new_b=[b - lr * d for b, d in zip(bs, deltas)],
                  how=(how_en, how_zh, how_tex))
    return result


# ---------------------------------------------------------------- worked steps


def forward_steps(result: dict, ws: list, bs: list, act: str, out_act: str) -> list[Step]:
    steps = []
    last = len(ws)
    for index in range(last):
        layer = index + 1
        name = out_act if layer == last else act
        z, a_in, a = result["zs"][index], result["acts"][index], result["acts"][layer]
        prev = "x" if layer == 1 else f"a{layer - 1}"
        prev_tex = "x" if layer == 1 else f"a^{{({layer - 1})}}"
        where_en = "output layer" if layer == last else "hidden layer"
        where_zh = "输出层" if layer == last else "隐藏层"
        steps.append(Step(
            f"Layer {layer} ({where_en}): z{layer} = W{layer}·{prev} + b{layer} = "
            f"{mat_text(ws[index])}·{num(a_in.tolist())} + {num(bs[index].tolist())} = "
            f"{num(z.tolist())}; a{layer} = {name}(z{layer}) = {num(a.tolist())}",
            f"第 {layer} 层（{where_zh}）：z{layer} = W{layer}·{prev} + b{layer} = "
            f"{mat_text(ws[index], 'zh')}·{num(a_in.tolist())} + {num(bs[index].tolist())} = "
            f"{num(z.tolist())}；a{layer} = {name}(z{layer}) = {num(a.tolist())}",
            rf"z^{{({layer})}} = W^{{({layer})}} {prev_tex} + b^{{({layer})}} = "
            + latex_vec(z) + rf",\ a^{{({layer})}} = {ACT_TEX[name]}(z^{{({layer})}}) = "
            + latex_vec(a), a,
        ))
    return steps


def backprop_steps(result: dict, ws: list, act: str, loss: str, lr: float,
                   y: list) -> list[Step]:
    last = len(ws)
    how_en, how_zh, how_tex = result["how"]
    loss_en, loss_zh, loss_tex = LOSS_TEXT[loss]
    o = result["acts"][-1]
    steps = [
        Step(f"Loss {loss_en} with target t = {num(y)}, output o = {num(o.tolist())}: "
             f"L = {num(result['loss'], 6)}",
             f"损失 {loss_zh}，目标 t = {num(y)}，输出 o = {num(o.tolist())}：L = {num(result['loss'], 6)}",
             loss_tex + " = " + latex_num(result["loss"], 6), result["loss"]),
        Step(f"Output error δ{last} = ∂L/∂z{last}: {how_en} = {num(result['deltas'][-1].tolist(), 6)}",
             f"输出层误差 δ{last} = ∂L/∂z{last}：{how_zh} = {num(result['deltas'][-1].tolist(), 6)}",
             how_tex + " = " + latex_vec(result["deltas"][-1]), result["deltas"][-1]),
    ]
    for index in range(last - 2, -1, -1):
        layer = index + 1
        delta = result["deltas"][index]
        steps.append(Step(
            f"Hidden error δ{layer} = (W{layer + 1}ᵀ δ{layer + 1}) ⊙ {DERIV_TEXT[act].format(l=layer)}, with the OLD "
            f"W{layer + 1} = {mat_text(ws[layer])}: δ{layer} = {num(delta.tolist(), 6)}",
            f"隐藏层误差 δ{layer} = (W{layer + 1}ᵀ δ{layer + 1}) ⊙ {DERIV_TEXT[act].format(l=layer)}，用更新前的 "
            f"W{layer + 1} = {mat_text(ws[layer], 'zh')}：δ{layer} = {num(delta.tolist(), 6)}",
            rf"\delta^{{({layer})}} = \left(W^{{({layer + 1})\top}} \delta^{{({layer + 1})}}\right) "
            rf"\odot f'(z^{{({layer})}}) = " + latex_vec(delta), delta,
        ))
    for index in range(last):
        layer = index + 1
        g = result["grad_w"][index]
        prev = "xᵀ" if layer == 1 else f"a{layer - 1}ᵀ"
        prev_tex = r"x^\top" if layer == 1 else rf"a^{{({layer - 1})\top}}"
        steps.append(Step(
            f"Gradients of layer {layer}: ∂L/∂W{layer} = δ{layer}·{prev} = {mat_text(g)}; "
            f"∂L/∂b{layer} = δ{layer} = "
            f"{num(result['grad_b'][index].tolist(), 6)}",
            f"第 {layer} 层的梯度：∂L/∂W{layer} = δ{layer}·{prev} = {mat_text(g, 'zh')}；"
            f"∂L/∂b{layer} = δ{layer} = "
            f"{num(result['grad_b'][index].tolist(), 6)}",
            rf"\frac{{\partial L}}{{\partial W^{{({layer})}}}} = \delta^{{({layer})}} {prev_tex} = "
            + latex_matrix(g), g,
        ))
    for index in range(last):
        layer = index + 1
        new = result["new_w"][index]
        steps.append(Step(
            f"Update (lr = {num(lr)}): W{layer} ← W{layer} − {num(lr)}·∂L/∂W{layer} = "
            f"{mat_text(new)}; b{layer} ← {num(result['new_b'][index].tolist(), 6)}",
            f"更新（lr = {num(lr)}）：W{layer} ← W{layer} − {num(lr)}·∂L/∂W{layer} = "
            f"{mat_text(new, 'zh')}；b{layer} ← {num(result['new_b'][index].tolist(), 6)}",
            rf"W^{{({layer})}} \leftarrow W^{{({layer})}} - {latex_num(lr)}\,"
            rf"\frac{{\partial L}}{{\partial W^{{({layer})}}}} = " + latex_matrix(new), new,
        ))
    return steps


def convention_step(sizes: list[int], act: str, out_act: str, loss: str | None,
                    lr: float | None) -> Step:
    shape = "-".join(str(s) for s in sizes)
    if loss is None:
        return Step(
            f"Convention: a {shape} network, weights out x in (nn.Linear), z = W·a + b; hidden "
            f"activation {act}, output activation {out_act}.",
            f"约定：{shape} 网络，权重为 out x in（nn.Linear），z = W·a + b；隐藏层激活函数 {act}，"
            f"输出层激活函数 {out_act}。",
            r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)},\ a^{(l)} = f(z^{(l)})")
    return Step(
        f"Convention: a {shape} network, weights out x in (nn.Linear), z = W·a + b; hidden "
        f"{act}, output {out_act}, loss {loss}, lr = {num(lr)}. Every gradient uses the OLD "
        f"weights (as autograd); only then do all weights update (one SGD step). "
        f"Back-propagating through already-updated weights is a slip, not the gradient.",
        f"约定：{shape} 网络，权重为 out x in（nn.Linear），z = W·a + b；隐藏层 {act}，输出层 "
        f"{out_act}，损失 {loss}，lr = {num(lr)}。所有梯度都用更新前的旧权重计算（与自动求导一致），"
        f"然后才一起更新全部权重（一步 SGD）。用已经更新过的权重继续反向传播是错误做法，得到的不是梯度。",
        r"\delta^{(L)} = \frac{\partial L}{\partial z^{(L)}},\ "
        r"\delta^{(l)} = \left(W^{(l+1)\top}\delta^{(l+1)}\right) \odot f'(z^{(l)}),\ "
        r"\frac{\partial L}{\partial W^{(l)}} = \delta^{(l)} a^{(l-1)\top}")


def mat_text(m: Any, lang: str = "en") -> str:
    """A matrix in a step's text with 6 decimals (gradients are small), or its shape."""
    rows = m.tolist() if hasattr(m, "tolist") else m
    if len(rows) * len(rows[0]) <= MAX_SHOWN:
        return num(rows, 6)
    return matrix_text(rows, lang)


def _matrices(name: str, value: Any, what: str) -> list:
    """A non-empty list of at most MAX_LAYERS matrices (or vectors, `what` = 'vec')."""
    if not isinstance(value, list) or not value:
        raise SolverInputError(name, f"expected a non-empty list of {what}s, one per layer")
    if len(value) > MAX_LAYERS:
        raise SolverInputError(name, f"at most {MAX_LAYERS} layers, got {len(value)}")
    kind = "mat" if what == "matrix" else "vec"
    return [KINDS[kind](name, item) for item in value]


# ---------------------------------------------------------------- the solvers


NETWORK_PARAMS = [
    Param("activation", "str", "hidden-layer activation", doc_zh="隐藏层激活函数",
          default="sigmoid", choices=HIDDEN),
    Param("output_activation", "str", "output-layer activation", doc_zh="输出层激活函数",
          default="sigmoid", choices=OUTPUT),
]
TRAINING_PARAMS = [
    Param("loss", "str", "half_sse = ½Σ(t − o)², mse, bce (means over the outputs), ce = −Σ t ln o",
          doc_zh="half_sse = ½Σ(t − o)²，mse、bce（对输出取平均），ce = −Σ t ln o",
          default="half_sse", choices=LOSSES),
    Param("lr", "float", "learning rate of the SGD step", doc_zh="SGD 更新的学习率", default=0.5,
          min=0),
]


@solver(
    topic="backprop",
    summary="One full backpropagation step of a fully connected network: activations, loss, "
            "every gradient (old weights) and the updated weights.",
    summary_zh="全连接网络的一整步反向传播：各层激活值、损失、所有梯度（用旧权重）以及更新后的权重。",
    params=[
        Param("x", "vec", "the input", doc_zh="输入"),
        Param("y", "vec", "the target", doc_zh="目标值"),
        Param("weights", "json", "one weight matrix per layer, out x in, input side first",
              doc_zh="每层一个权重矩阵（out x in），从输入侧开始"),
        Param("biases", "json", "one bias vector per layer", doc_zh="每层一个偏置向量"),
        *NETWORK_PARAMS,
        *TRAINING_PARAMS,
    ],
    answers=[
        Answer("outputs", "list", "each layer's activations (x not included)",
               doc_zh="各层的激活值（不含输入 x）"),
        Answer("loss", "float", "the loss before the update", doc_zh="更新前的损失"),
        Answer("grad_weights", "list", "∂L/∂W for every layer", doc_zh="每层的 ∂L/∂W"),
        Answer("grad_biases", "list", "∂L/∂b for every layer", doc_zh="每层的 ∂L/∂b"),
        Answer("new_weights", "list", "W − lr·∂L/∂W", doc_zh="更新后的权重 W − lr·∂L/∂W"),
        Answer("new_biases", "list", "b − lr·∂L/∂b", doc_zh="更新后的偏置 b − lr·∂L/∂b"),
    ],
    examples=[
        # Mazur, "A Step by Step Backpropagation Example" (2015): 2-2-2 sigmoid, ½SSE,
        # lr 0.5: loss 0.298371109, w5 -> 0.35891648, w1 -> 0.149780716.
        dict(x=[0.05, 0.10], y=[0.01, 0.99], weights=[[[0.15, 0.20], [0.25, 0.30]],
                                                       [[0.40, 0.45], [0.50, 0.55]]],
             biases=[[0.35, 0.35], [0.60, 0.60]]),
        # The 2-2-1 sigmoid example of the Goodfellow reading notes (seed 003), lr 1.
        dict(x=[0.35, 0.9], y=[0.5], weights=[[[0.1, 0.8], [0.4, 0.6]], [[0.3, 0.9]]],
             biases=[[0, 0], [0]], lr=1),
        dict(x=[1, -1], y=[0, 1, 0], weights=[[[1, 0], [0.5, -1]], [[1, -1], [0, 1], [2, 0]]],
             biases=[[0, 0], [0, 0, 0]], activation="relu", output_activation="softmax",
             loss="ce", lr=0.1),
    ],
)
def mlp_backprop(x, y, weights, biases, activation, output_activation, loss, lr) -> Solution:
    """Forward z_l = W_l a_(l−1) + b_l, a_l = f(z_l); loss; δ_L = ∂L/∂z_L;
    δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ f′(z_l) with the OLD W_(l+1); ∂L/∂W_l = δ_l a_(l−1)ᵀ,
    ∂L/∂b_l = δ_l; then W_l ← W_l − lr·∂L/∂W_l, b_l ← b_l − lr·δ_l for every layer at once.

    half_sse = ½Σ(t − o)² and ce = −Σ t ln o sum; mse and bce average over the outputs.
    σ + bce gives δ_L = (o − t)/n and softmax + ce gives δ_L = o − t (one-hot t).
    """
    ws_raw = _matrices("weights", weights, "matrix")
    bs_raw = _matrices("biases", biases, "vec")
    if len(bs_raw) != len(ws_raw):
        raise SolverInputError("biases", f"{len(bs_raw)} bias vectors for {len(ws_raw)} layers")
    ws, bs = check_network(x, ws_raw, bs_raw)
    if len(y) != ws[-1].shape[0]:
        raise SolverInputError("y", f"has {len(y)} entries but the output layer has "
                                    f"{ws[-1].shape[0]} units")
    result = run_network(x, y, ws, bs, activation, output_activation, loss, lr)
    sizes = [len(x)] + [w.shape[0] for w in ws]
    steps = [convention_step(sizes, activation, output_activation, loss, lr),
             *forward_steps(result, ws, bs, activation, output_activation),
             *backprop_steps(result, ws, activation, loss, lr, y)]
    return Solution({
        "outputs": [a.tolist() for a in result["acts"][1:]],
        "loss": result["loss"],
        "grad_weights": [g.tolist() for g in result["grad_w"]],
        "grad_biases": [g.tolist() for g in result["grad_b"]],
        "new_weights": [w.tolist() for w in result["new_w"]],
        "new_biases": [b.tolist() for b in result["new_b"]],
    }, steps)


LAYER_PARAMS = [
    Param("w1", "mat", "hidden-layer weights, hidden x in", doc_zh="隐藏层权重，hidden x in"),
    Param("b1", "vec", "hidden-layer biases; zeros if not given", doc_zh="隐藏层偏置；未给出时取零",
          default=None),
    Param("w2", "mat", "output-layer weights, out x hidden", doc_zh="输出层权重，out x hidden"),
    Param("b2", "vec", "output-layer biases; zeros if not given", doc_zh="输出层偏置；未给出时取零",
          default=None),
]


@solver(
    topic="mlp",
    summary="Forward pass of a one-hidden-layer MLP by hand: z1, h, z2 and the output.",
    summary_zh="手算单隐藏层 MLP 的前向传播：z1、h、z2 和输出。",
    params=[Param("x", "vec", "the input", doc_zh="输入"), *LAYER_PARAMS, *NETWORK_PARAMS],
    answers=[
        Answer("z1", "vec", "hidden pre-activations W1·x + b1", doc_zh="隐藏层净输入 W1·x + b1"),
        Answer("h", "vec", "hidden activations f(z1)", doc_zh="隐藏层激活值 f(z1)"),
        Answer("z2", "vec", "output pre-activations (logits) W2·h + b2",
               doc_zh="输出层净输入（logits）W2·h + b2"),
        Answer("output", "vec", "the network's output g(z2)", doc_zh="网络输出 g(z2)"),
    ],
    examples=[
        dict(x=[1, 2], w1=[[1, -1], [0.5, 0.5]], b1=[0, 1], w2=[[1, 2]], activation="relu",
             output_activation="identity"),
        dict(x=[0.35, 0.9], w1=[[0.1, 0.8], [0.4, 0.6]], w2=[[0.3, 0.9]]),
    ],
)
def mlp_forward(x, w1, b1, w2, b2, activation, output_activation) -> Solution:
    """z1 = W1 x + b1, h = f(z1), z2 = W2 h + b2, output = g(z2); weights out x in."""
    ws, bs = _two_layers(x, w1, b1, w2, b2)
    result = run_network(x, None, ws, bs, activation, output_activation, "half_sse", 0.0)
    sizes = [len(x)] + [w.shape[0] for w in ws]
    steps = [convention_step(sizes, activation, output_activation, None, None),
             *forward_steps(result, ws, bs, activation, output_activation)]
    return Solution({"z1": result["zs"][0], "h": result["acts"][1], "z2": result["zs"][1],
                     "output": result["acts"][2]}, steps, filled={"b1": bs[0], "b2": bs[1]})


def _two_layers(x, w1, b1, w2, b2) -> tuple[list, list]:
    """check_network for the two-layer solvers, blaming w1, w2, b1, b2 by name."""
    try:
        ws, _ = check_network(x, [w1, w2], None)
    except SolverInputError as err:
        layer_two = "layer 2" in err.message
        raise SolverInputError("w2" if layer_two else "w1", err.message) from None
    bs = []
    for name, b, w in (("b1", b1, ws[0]), ("b2", b2, ws[1])):
        if b is not None and len(b) != w.shape[0]:
            raise SolverInputError(name, f"has {len(b)} entries but the layer has {w.shape[0]} "
                                         f"units")
        bs.append(np.zeros(w.shape[0]) if b is None else np.asarray(b, dtype=float))
    return ws, bs


@solver(
    topic="backprop",
    summary="One backpropagation step of a one-hidden-layer network, every quantity by name "
            "(δ's, gradients, updated weights).",
    summary_zh="单隐藏层网络的一步反向传播，每个量单独给出（δ、梯度、更新后的权重）。",
    params=[Param("x", "vec", "the input", doc_zh="输入"),
            Param("y", "vec", "the target", doc_zh="目标值"),
            *LAYER_PARAMS, *NETWORK_PARAMS, *TRAINING_PARAMS],
    answers=[
        Answer("h", "vec", "hidden activations", doc_zh="隐藏层激活值"),
        Answer("output", "vec", "the output o", doc_zh="输出 o"),
        Answer("loss", "float", "the loss before the update", doc_zh="更新前的损失"),
        Answer("delta_output", "vec", "δ2 = ∂L/∂z2", doc_zh="输出层误差 δ2 = ∂L/∂z2"),
        Answer("delta_hidden", "vec", "δ1 = (W2ᵀ δ2) ⊙ f′(z1), old W2", doc_zh="δ1 = (W2ᵀ δ2) ⊙ f′(z1)，用旧 W2"),
        Answer("grad_w2", "mat", "∂L/∂W2 = δ2 hᵀ", doc_zh="输出层权重的梯度 ∂L/∂W2 = δ2 hᵀ"),
        Answer("grad_b2", "vec", "∂L/∂b2 = δ2", doc_zh="输出层偏置的梯度 ∂L/∂b2 = δ2"),
        Answer("grad_w1", "mat", "∂L/∂W1 = δ1 xᵀ", doc_zh="隐藏层权重的梯度 ∂L/∂W1 = δ1 xᵀ"),
        Answer("grad_b1", "vec", "∂L/∂b1 = δ1", doc_zh="隐藏层偏置的梯度 ∂L/∂b1 = δ1"),
        Answer("new_w2", "mat", "W2 − lr·∂L/∂W2", doc_zh="更新后的 W2 − lr·∂L/∂W2"),
        Answer("new_b2", "vec", "b2 − lr·δ2", doc_zh="更新后的 b2 − lr·δ2"),
        Answer("new_w1", "mat", "W1 − lr·∂L/∂W1", doc_zh="更新后的 W1 − lr·∂L/∂W1"),
        Answer("new_b1", "vec", "b1 − lr·δ1", doc_zh="更新后的 b1 − lr·δ1"),
    ],
    examples=[
        dict(x=[0.35, 0.9], y=[0.5], w1=[[0.1, 0.8], [0.4, 0.6]], w2=[[0.3, 0.9]], lr=1),
        dict(x=[1, 0], y=[1], w1=[[1, -1], [2, 1]], b1=[0, -1], w2=[[1, -1]], activation="relu",
             output_activation="identity", lr=0.1),
    ],
)
def two_layer_backprop(x, y, w1, b1, w2, b2, activation, output_activation, loss,
                       lr) -> Solution:
    """mlp_backprop for a network with one hidden layer, each quantity its own answer:
    δ2 = ∂L/∂z2, δ1 = (W2ᵀ δ2) ⊙ f′(z1) with the OLD W2, ∂L/∂W2 = δ2 hᵀ, ∂L/∂W1 = δ1 xᵀ,
    then W ← W − lr·∂L/∂W and b ← b − lr·δ."""
    ws, bs = _two_layers(x, w1, b1, w2, b2)
    if len(y) != ws[1].shape[0]:
        raise SolverInputError("y", f"has {len(y)} entries but the output layer has "
                                    f"{ws[1].shape[0]} units")
    r = run_network(x, y, ws, bs, activation, output_activation, loss, lr)
    sizes = [len(x)] + [w.shape[0] for w in ws]
    steps = [convention_step(sizes, activation, output_activation, loss, lr),
             *forward_steps(r, ws, bs, activation, output_activation),
             *backprop_steps(r, ws, activation, loss, lr, y)]
    return Solution({
        "h": r["acts"][1], "output": r["acts"][2], "loss": r["loss"],
        "delta_output": r["deltas"][1], "delta_hidden": r["deltas"][0],
        "grad_w2": r["grad_w"][1], "grad_b2": r["grad_b"][1],
        "grad_w1": r["grad_w"][0], "grad_b1": r["grad_b"][0],
        "new_w2": r["new_w"][1], "new_b2": r["new_b"][1],
        "new_w1": r["new_w"][0], "new_b1": r["new_b"][0],
    }, steps, filled={"b1": bs[0], "b2": bs[1]})
