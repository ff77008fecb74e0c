"""Activation functions, softmax cross-entropy and loss values (closed-form arithmetic).

Conventions follow PyTorch (`torch.nn.functional`): derivatives at kinks are what autograd
returns (relu′(0) = 0, leaky_relu′(0) = negative_slope, elu′(0) = alpha, relu6′ = 0 at 0
and at 6), softplus has PyTorch's threshold 20, logs are natural logs. Plain Python, no
numpy: these solvers open the `mlp` chapter, so they must start fast (see
`SolverSpec.needs_numpy`). The forward and backward passes of whole networks, which
multiply matrices, are in `backprop.py`.
"""

from __future__ import annotations

import math
from typing import Callable

from solvers.arith import sigmoid, xlogy
from solvers.fmt import join_terms, latex_num, latex_vec, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_CLASSES = 10_000
SOFTPLUS_THRESHOLD = 20.0  # torch.nn.functional.softplus: x > 20 returns x itself
SUM_SLACK = 1e-6  # how far a probability vector's sum may be from 1


# ---------------------------------------------------------------- scalar functions


def _plus_zero(x: float) -> float:
    return x + 0.0  # -0.0 -> 0.0, so no answer shows "-0"


def _sigmoid(x, slope, alpha):
    s = sigmoid(x)
    return s, s * (1.0 - s)


def _tanh(x, slope, alpha):
    t = math.tanh(x)
    return t, 1.0 - t * t


def _relu(x, slope, alpha):
    return (x, 1.0) if x > 0 else (0.0, 0.0)


def _leaky_relu(x, slope, alpha):
    return (x, 1.0) if x > 0 else (slope * x, slope)


def _elu(x, slope, alpha):
    if x > 0:
        return x, 1.0
    e = math.exp(x)  # x <= 0, so no overflow
    return alpha * (e - 1.0), alpha * e


def _relu6(x, slope, alpha):
    if x <= 0:
        return 0.0, 0.0
    if x >= 6:
        return 6.0, 0.0
    return x, 1.0


def _softplus(x, slope, alpha):
    if x > SOFTPLUS_THRESHOLD:
        return x, 1.0
    return math.log1p(math.exp(x)), sigmoid(x)  # x <= 20: e^x is small enough


# name -> (function giving (value, derivative), value formula, derivative formula, its LaTeX)
ACTIVATIONS: dict[str, tuple[Callable, str, str, str, str]] = {
    "sigmoid": (_sigmoid, "σ(x) = 1/(1 + e^−x)", "σ′(x) = σ(x)(1 − σ(x)), at most 0.25 (at x = 0)",
                r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"),
    "tanh": (_tanh, "tanh(x) = (e^x − e^−x)/(e^x + e^−x)", "tanh′(x) = 1 − tanh²(x), at most 1",
             r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", r"\tanh'(x) = 1 - \tanh^2(x)"),
    "relu": (_relu, "relu(x) = max(0, x)", "relu′(x) = 1 if x > 0 else 0 (PyTorch: relu′(0) = 0)",
             r"\mathrm{relu}(x) = \max(0, x)", r"\mathrm{relu}'(x) = [x > 0]"),
    "leaky_relu": (_leaky_relu, "leaky_relu(x) = x if x > 0 else negative_slope·x",
                   "1 if x > 0 else negative_slope (PyTorch: negative_slope at 0)",
                   r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
                   r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}"),
    "elu": (_elu, "elu(x) = x if x > 0 else alpha·(e^x − 1)",
            "1 if x > 0 else alpha·e^x = elu(x) + alpha (PyTorch: alpha at 0)",
            r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}"),
    "relu6": (_relu6, "relu6(x) = min(max(0, x), 6)",
              "1 if 0 < x < 6 else 0 (PyTorch: 0 at both kinks)",
              r"\mathrm{relu6}(x) = \min(\max(0, x), 6)", r"f'(x) = [0 < x < 6]"),
    "softplus": (_softplus, "softplus(x) = ln(1 + e^x) (PyTorch returns x itself when x > 20)",
                 "softplus′(x) = σ(x)",
                 r"\mathrm{softplus}(x) = \ln(1 + e^{x})", r"\mathrm{softplus}'(x) = \sigma(x)"),
}

ACTIVATION_ZH = {
    "sigmoid": ("σ(x) = 1/(1 + e^−x)", "σ′(x) = σ(x)(1 − σ(x))，最大为 0.25（在 x = 0 处）"),
    "tanh": ("tanh(x) = (e^x − e^−x)/(e^x + e^−x)", "tanh′(x) = 1 − tanh²(x)，最大为 1"),
    "relu": ("relu(x) = max(0, x)", "x > 0 时 relu′(x) = 1，否则为 0（PyTorch 取 relu′(0) = 0）"),
    "leaky_relu": ("x > 0 时 leaky_relu(x) = x，否则为 negative_slope·x",
                   "x > 0 时导数为 1，否则为 negative_slope（PyTorch 在 0 处取 negative_slope）"),
    "elu": ("x > 0 时 elu(x) = x，否则为 alpha·(e^x − 1)",
            "x > 0 时导数为 1，否则为 alpha·e^x = elu(x) + alpha（PyTorch 在 0 处取 alpha）"),
    "relu6": ("relu6(x) = min(max(0, x), 6)", "0 < x < 6 时导数为 1，否则为 0（PyTorch 在两个拐点处都取 0）"),
    "softplus": ("softplus(x) = ln(1 + e^x)（x > 20 时 PyTorch 直接返回 x）", "softplus′(x) = σ(x)"),
}


def apply_activation(name: str, x: float, negative_slope: float = 0.01,
                     alpha: float = 1.0) -> tuple[float, float]:
    """(value, derivative) of activation `name` at x, as torch autograd gives them."""
    value, derivative = ACTIVATIONS[name][0](x, negative_slope, alpha)
    return _plus_zero(value), _plus_zero(derivative)


@solver(
    topic="mlp",
    summary="An activation function and its derivative at x (as torch.nn.functional).",
    summary_zh="激活函数在 x 处的值及其导数（与 torch.nn.functional 相同）。",
    params=[
        Param("name", "str", "activation", doc_zh="激活函数", choices=tuple(ACTIVATIONS)),
        Param("x", "number_or_vec", "input: a number or a vector (applied elementwise)",
              doc_zh="输入：一个数或一个向量（逐元素计算）"),
        Param("negative_slope", "float", "leaky_relu slope for x ≤ 0",
              doc_zh="leaky_relu 在 x ≤ 0 时的斜率", default=0.01),
        Param("alpha", "float", "elu scale for x ≤ 0", doc_zh="elu 在 x ≤ 0 时的系数",
              default=1.0),
    ],
    answers=[
        Answer("value", "float", "f(x) (a vector when x is a vector)",
               doc_zh="f(x)（x 为向量时是向量）"),
        Answer("derivative", "float", "f′(x), as autograd gives it at kinks",
               doc_zh="f′(x)，拐点处与自动求导的结果一致"),
    ],
    examples=[
        dict(name="sigmoid", x=0),  # σ(0) = 0.5 and the largest slope, σ′(0) = 0.25
        dict(name="relu", x=[-1, 0, 2]),  # relu′(0) = 0, as PyTorch
        dict(name="leaky_relu", x=-2, negative_slope=0.1),
        dict(name="elu", x=-1),
    ],
)
def activation(name, x, negative_slope, alpha) -> Solution:
    """f(x) and f′(x) elementwise for sigmoid, tanh, relu, leaky_relu, elu, relu6, softplus.

    σ′ = σ(1 − σ) ≤ 1/4; tanh′ = 1 − tanh² ≤ 1; at a kink the derivative is the one torch
    autograd returns: relu′(0) = 0, leaky_relu′(0) = negative_slope, elu′(0) = alpha,
    relu6′(0) = relu6′(6) = 0. softplus(x) = ln(1 + eˣ), or x itself for x > 20 (PyTorch's
    threshold), and softplus′ = σ.
    """
    _, value_en, deriv_en, value_tex, deriv_tex = ACTIVATIONS[name]
    value_zh, deriv_zh = ACTIVATION_ZH[name]
    is_vec = isinstance(x, list)
    pairs = [apply_activation(name, v, negative_slope, alpha) for v in (x if is_vec else [x])]
    values = [p[0] for p in pairs] if is_vec else pairs[0][0]
    derivs = [p[1] for p in pairs] if is_vec else pairs[0][1]
    tex = latex_vec if is_vec else latex_num
    extra = {"leaky_relu": f"negative_slope = {num(negative_slope)}",
             "elu": f"alpha = {num(alpha)}"}.get(name, "")
    steps = [
        Step(f"Convention: PyTorch's {name}: {value_en}{'; ' + extra if extra else ''}.",
             f"约定：PyTorch 的 {name}：{value_zh}{'；' + extra if extra else ''}。", value_tex),
        Step(f"Value at x = {num(x)}: {num(values)}", f"x = {num(x)} 处的值：{num(values)}",
             f"f({tex(x)}) = {tex(values)}", values),
        Step(f"Derivative: {deriv_en} → {num(derivs)}", f"导数：{deriv_zh} → {num(derivs)}",
             f"{deriv_tex} = {tex(derivs)}", derivs),
    ]
    return Solution({"value": values, "derivative": derivs}, steps)


# ---------------------------------------------------------------- softmax cross-entropy


@solver(
    topic="mlp",
    summary="Softmax, cross-entropy loss and its gradient for one example (F.cross_entropy).",
    summary_zh="单个样本的 softmax、交叉熵损失及其对 logits 的梯度（与 F.cross_entropy 相同）。",
    params=[
        Param("logits", "vec", "raw scores z (before the softmax)", doc_zh="原始得分 z（softmax 之前）"),
        Param("target", "int", "the correct class index (0-based)", doc_zh="正确类别的下标（从 0 开始）",
              min=0, max=MAX_CLASSES),
    ],
    answers=[
        Answer("probs", "vec", "softmax(z)", doc_zh="概率 softmax(z)"),
        Answer("loss", "float", "−ln p_target (natural log)", doc_zh="−ln p_target（自然对数）"),
        Answer("grad_logits", "vec", "∂loss/∂z = p − onehot(target)",
               doc_zh="对 logits 的梯度 ∂loss/∂z = p − onehot(target)"),
    ],
    examples=[
        # CS231n linear classification notes: scores [-2.85, 0.86, 0.28], class 2 -> 1.04.
        dict(logits=[-2.85, 0.86, 0.28], target=2),
        dict(logits=[2, 1, 0.1], target=0),
    ],
)
def softmax_cross_entropy(logits, target) -> Solution:
    """p = softmax(z), loss = −ln p_y = logsumexp(z) − z_y, ∂loss/∂z = p − onehot(y).

    Natural log, one example (no batch mean). Computed with the max subtracted from z,
    which changes no probability but keeps every e^z finite.
    """
    if target >= len(logits):
        raise SolverInputError("target", f"class {target} does not exist: there are "
                                         f"{len(logits)} logits (classes 0 to {len(logits) - 1})")
    top = max(logits)
    shifted = [z - top for z in logits]  # every exponent <= 0: no e^z can overflow
    exps = [math.exp(s) for s in shifted]
    total = sum(exps)
    probs = [e / total for e in exps]
    loss = top + math.log(total) - logits[target]  # logsumexp(z) − z_target
    grad = [_plus_zero(p - (1.0 if k == target else 0.0)) for k, p in enumerate(probs)]
    steps = [
        Step(f"Convention: PyTorch F.cross_entropy on one example: natural log, classes "
             f"numbered from 0, target = {target}. Subtract max(z) = {num(top)} first (the "
             f"softmax does not change): z − max = {num(shifted)}",
             f"约定：PyTorch F.cross_entropy，单个样本：自然对数，类别从 0 开始编号，目标类别 = "
             f"{target}。先减去 max(z) = {num(top)}（softmax 不变）：z − max = {num(shifted)}",
             r"z - \max_k z_k = " + latex_vec(shifted), shifted),
        Step(f"Exponentials e^(z − max) = {num(exps)}, sum = {num(total)}",
             f"指数 e^(z − max) = {num(exps)}，求和 = {num(total)}",
             r"e^{z_k - \max z} = " + latex_vec(exps) + r",\ \sum_k = " + latex_num(total), exps),
        Step(f"Probabilities p = e^(z − max)/sum = {num(probs)}",
             f"概率 p = e^(z − max)/求和 = {num(probs)}",
             r"p_k = \frac{e^{z_k}}{\sum_j e^{z_j}} = " + latex_vec(probs), probs),
        Step(f"Loss = −ln p_{target} = −ln {num(probs[target])} = {num(loss)}",
             f"损失 = −ln p_{target} = −ln {num(probs[target])} = {num(loss)}",
             rf"L = -\ln p_{{{target}}} = -\ln {latex_num(probs[target])} = {latex_num(loss)}",
             loss),
        Step(f"Gradient ∂L/∂z = p − onehot({target}) = {num(grad)} (sums to 0)",
             f"梯度 ∂L/∂z = p − onehot({target}) = {num(grad)}（各分量之和为 0）",
             r"\frac{\partial L}{\partial z} = p - e_{" + str(target) + "} = " + latex_vec(grad),
             grad),
    ]
    return Solution({"probs": probs, "loss": loss, "grad_logits": grad}, steps)


# ---------------------------------------------------------------- loss values


LOSSES = ("mse", "half_sse", "bce", "ce", "hinge", "multiclass_hinge", "perceptron", "zero_one")

LOSS_FORMULAS = {
    "mse": ("MSE = (1/n) Σ (o − t)² (mean over the outputs, as F.mse_loss)",
            "MSE = (1/n) Σ (o − t)²（对输出取平均，同 F.mse_loss）",
            r"L = \frac{1}{n}\sum_i (o_i - t_i)^2", r"\frac{\partial L}{\partial o_i} = \frac{2}{n}(o_i - t_i)"),
    "half_sse": ("½SSE = ½ Σ (o − t)² (summed, no mean)", "½SSE = ½ Σ (o − t)²（求和，不取平均）",
                 r"L = \frac{1}{2}\sum_i (t_i - o_i)^2", r"\frac{\partial L}{\partial o_i} = o_i - t_i"),
    "bce": ("BCE = −(1/n) Σ [t ln o + (1 − t) ln(1 − o)] (natural log, mean, as "
            "F.binary_cross_entropy)",
            "BCE = −(1/n) Σ [t ln o + (1 − t) ln(1 − o)]（自然对数，取平均，同 F.binary_cross_entropy）",
            r"L = -\frac{1}{n}\sum_i \left[t_i \ln o_i + (1 - t_i)\ln(1 - o_i)\right]",
            r"\frac{\partial L}{\partial o_i} = \frac{1}{n}\,\frac{o_i - t_i}{o_i (1 - o_i)}"),
    "ce": ("CE = −Σ t ln o on a probability vector o (natural log, summed over the classes)",
           "CE = −Σ t ln o，o 是概率向量（自然对数，对类别求和）",
           r"L = -\sum_k t_k \ln o_k", r"\frac{\partial L}{\partial o_k} = -\frac{t_k}{o_k}"),
    "hinge": ("hinge = (1/n) Σ max(0, 1 − t·s), labels t = ±1, raw scores s",
              "hinge = (1/n) Σ max(0, 1 − t·s)，标签 t = ±1，s 为原始得分",
              r"L = \frac{1}{n}\sum_i \max(0,\ 1 - t_i s_i)",
              r"\frac{\partial L}{\partial s_i} = -\frac{t_i}{n}\,[1 - t_i s_i > 0]"),
    "multiclass_hinge": ("multiclass hinge (CS231n SVM, margin 1) = Σ_(j≠y) max(0, s_j − s_y + 1), "
                         "target one-hot at the class y",
                         "多类 hinge（CS231n SVM，间隔 1）= Σ_(j≠y) max(0, s_j − s_y + 1)，目标为类别 y 的 one-hot",
                         r"L = \sum_{j \ne y} \max(0,\ s_j - s_y + 1)",
                         r"\frac{\partial L}{\partial s_j} = [s_j - s_y + 1 > 0],\ "
                         r"\frac{\partial L}{\partial s_y} = -\sum_{j \ne y} [s_j - s_y + 1 > 0]"),
    "perceptron": ("perceptron loss = (1/n) Σ max(0, −t·s), labels t = ±1",
                   "感知机损失 = (1/n) Σ max(0, −t·s)，标签 t = ±1",
                   r"L = \frac{1}{n}\sum_i \max(0,\ -t_i s_i)",
                   r"\frac{\partial L}{\partial s_i} = -\frac{t_i}{n}\,[-t_i s_i > 0]"),
    "zero_one": ("0-1 loss = fraction of examples with sign(s) ≠ t (t = ±1; s = 0 counts as "
                 "wrong)", "0-1 损失 = sign(s) ≠ t 的样本比例（t = ±1；s = 0 算作错误）",
                 r"L = \frac{1}{n}\sum_i [t_i s_i \le 0]",
                 r"\frac{\partial L}{\partial s_i} = 0 \text{ (wherever it exists)}"),
}


def _check_pm1(target: list[float]) -> None:
    if any(t not in (1.0, -1.0) for t in target):
        raise SolverInputError("target", "labels must be +1 or -1 for this loss")


def _check_probs(output: list[float], what: str) -> None:
    if any(not 0.0 <= o <= 1.0 for o in output):
        raise SolverInputError("output", f"{what} needs outputs in [0, 1] (probabilities)")


def loss_terms(loss: str, output: list[float], target: list[float]) -> tuple[float, list[float]]:
    """(loss value, ∂loss/∂output) for one example; SolverInputError for an impossible
    input or an infinite loss."""
    n = len(output)
    if loss == "half_sse":
        return 0.5 * sum((o - t) * (o - t) for o, t in zip(output, target)), \
            [o - t for o, t in zip(output, target)]
    if loss == "mse":
        return sum((o - t) * (o - t) for o, t in zip(output, target)) / n, \
            [2.0 * (o - t) / n for o, t in zip(output, target)]
    if loss == "bce":
        _check_probs(output, "bce")
        if any(not 0.0 <= t <= 1.0 for t in target):
            raise SolverInputError("target", "bce needs targets in [0, 1]")
        for o, t in zip(output, target):
            if (o == 0.0 and t != 0.0) or (o == 1.0 and t != 1.0):
                raise SolverInputError("output", f"o = {num(o)} with target {num(t)} gives an "
                                                 f"infinite loss (ln 0)")
        value = -sum(xlogy(t, o) + xlogy(1.0 - t, 1.0 - o) for o, t in zip(output, target)) / n
        grad = [0.0 if o in (0.0, 1.0) else (o - t) / (o * (1.0 - o)) / n
                for o, t in zip(output, target)]
        return value, grad
    if loss == "ce":
        _check_probs(output, "ce")
        if abs(sum(output) - 1.0) > SUM_SLACK:
            raise SolverInputError("output", f"ce needs a probability vector: the outputs sum to "
                                             f"{num(sum(output), 6)}, not 1")
        if any(t < 0 for t in target):
            raise SolverInputError("target", "ce needs targets ≥ 0 (one-hot or a distribution)")
        if any(o == 0.0 and t != 0.0 for o, t in zip(output, target)):
            raise SolverInputError("output", "a class with target > 0 has probability 0: the "
                                             "loss is infinite (ln 0)")
        return -sum(xlogy(t, o) for o, t in zip(output, target)), \
            [0.0 if t == 0 else -t / o for o, t in zip(output, target)]
    if loss == "multiclass_hinge":
        if sorted(target) != [0.0] * (n - 1) + [1.0]:
            raise SolverInputError("target", "multiclass_hinge needs a one-hot target (one 1, "
                                             "the rest 0)")
        y = target.index(1.0)
        margins = [0.0 if j == y else max(0.0, s - output[y] + 1.0) for j, s in enumerate(output)]
        grad = [0.0 if j == y else (1.0 if s - output[y] + 1.0 > 0 else 0.0)
                for j, s in enumerate(output)]
        grad[y] = -sum(grad)
        return sum(margins), [_plus_zero(g) for g in grad]
    _check_pm1(target)
    if loss == "hinge":
        return sum(max(0.0, 1.0 - t * s) for s, t in zip(output, target)) / n, \
            [_plus_zero(-t / n if 1.0 - t * s > 0 else 0.0) for s, t in zip(output, target)]
    if loss == "perceptron":
        return _plus_zero(sum(max(0.0, -t * s) for s, t in zip(output, target)) / n), \
            [_plus_zero(-t / n if -t * s > 0 else 0.0) for s, t in zip(output, target)]
    # zero_one
    return sum(1.0 for s, t in zip(output, target) if t * s <= 0) / n, [0.0] * n


@solver(
    topic="mlp",
    summary="The value and gradient of a loss: MSE, ½SSE, BCE, CE, hinge, multiclass hinge, "
            "perceptron or 0-1.",
    summary_zh="损失函数的值与梯度：MSE、½SSE、BCE、CE、hinge、多类 hinge、感知机损失或 0-1 损失。",
    params=[
        Param("loss", "str", "which loss", doc_zh="损失函数", choices=LOSSES),
        Param("output", "vec", "the network's outputs o (probabilities for bce/ce, raw scores "
                               "for the hinge, perceptron and 0-1 losses)",
              doc_zh="网络输出 o（bce/ce 为概率；hinge、感知机与 0-1 损失为原始得分）"),
        Param("target", "vec", "targets t (±1 labels for hinge, perceptron, zero_one; one-hot "
                               "for multiclass_hinge)",
              doc_zh="目标 t（hinge、感知机、0-1 损失用 ±1 标签；多类 hinge 用 one-hot）"),
    ],
    answers=[
        Answer("value", "float", "the loss value (natural logs)", doc_zh="损失值（自然对数）"),
        Answer("grad", "vec", "∂loss/∂output (0 at a hinge's kink, as relu′(0))",
               doc_zh="∂loss/∂output（hinge 拐点处取 0，同 relu′(0)）"),
    ],
    examples=[
        dict(loss="mse", output=[2.5, 0.0], target=[3.0, -0.5]),
        dict(loss="bce", output=[0.9, 0.2], target=[1, 0]),
        # CS231n lecture 3: cat scores [3.2, 5.1, -1.7], correct class cat -> SVM loss 2.9.
        dict(loss="multiclass_hinge", output=[3.2, 5.1, -1.7], target=[1, 0, 0]),
    ],
)
def loss_value(loss, output, target) -> Solution:
    """One example's loss and its gradient with respect to the outputs.

    mse = mean (o − t)² and bce = −mean[t ln o + (1 − t) ln(1 − o)] average over the outputs
    (as F.mse_loss and F.binary_cross_entropy); half_sse = ½Σ(o − t)² and ce = −Σ t ln o sum.
    hinge, perceptron and zero_one take ±1 labels and raw scores and average; multiclass
    hinge is CS231n's SVM loss Σ_(j≠y) max(0, s_j − s_y + 1), not averaged over classes.
    """
    if len(output) != len(target):
        raise SolverInputError("target", f"has {len(target)} entries but output has "
                                         f"{len(output)}")
    value, grad = loss_terms(loss, output, target)
    name_en, name_zh, value_tex, grad_tex = LOSS_FORMULAS[loss]
    terms = join_terms([f"({num(o)}, {num(t)})" for o, t in zip(output, target)], ", ")
    steps = [
        Step(f"Convention: {name_en}. Pairs (o, t): {terms}",
             f"约定：{name_zh}。各 (o, t)：{terms}", value_tex),
        Step(f"Loss = {num(value)}", f"损失 = {num(value)}", f"L = {latex_num(value)}", value),
        Step(f"Gradient with respect to the outputs: {num(grad)}"
             + (" — zero almost everywhere, which is why the 0-1 loss cannot be trained by "
                "gradient descent" if loss == "zero_one" else ""),
             f"对输出的梯度：{num(grad)}"
             + ("——几乎处处为 0，所以 0-1 损失无法用梯度下降训练" if loss == "zero_one" else ""),
             grad_tex + r",\quad \nabla_o L = " + latex_vec(grad), grad),
    ]
    return Solution({"value": value, "grad": grad}, steps)
