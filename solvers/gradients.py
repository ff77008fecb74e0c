"""Gradients by hand: a finite-difference gradient check, and the gradient that survives a
chain of k one-unit layers (vanishing gradients, and the residual shortcut's 1 + …).

Closed-form arithmetic, plain Python, no numpy (see `SolverSpec.needs_numpy`). Derivatives
follow torch autograd (relu′(0) = 0). The full backward pass of a network is in
`backprop.py`.
"""

from __future__ import annotations

import math

from solvers.activations import apply_activation, sigmoid
from solvers.fmt import join_terms, latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_LAYERS = 1_000
EXP_LIMIT = 700.0  # e^700 ≈ 1e304 is still a float; e^710 is not


# ---------------------------------------------------------------- gradient check

# name -> (f, f′ as autograd gives it, text, LaTeX of f, LaTeX of f′)
FUNCTIONS = {
    "cube": (lambda x: x * x * x, lambda x: 3.0 * x * x, "f(x) = x³", "x^3", "3x^2"),
    "square": (lambda x: x * x, lambda x: 2.0 * x, "f(x) = x²", "x^2", "2x"),
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1.0 - sigmoid(x)), "f(x) = σ(x)",
                r"\sigma(x)", r"\sigma(x)(1 - \sigma(x))"),
    "tanh": (math.tanh, lambda x: 1.0 - math.tanh(x) * math.tanh(x), "f(x) = tanh(x)",
             r"\tanh x", r"1 - \tanh^2 x"),
    "exp": (math.exp, math.exp, "f(x) = e^x", "e^{x}", "e^{x}"),
    "log": (math.log, lambda x: 1.0 / x, "f(x) = ln x", r"\ln x", r"\frac{1}{x}"),
    "relu": (lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0,
             "f(x) = max(0, x) (relu′(0) = 0, as autograd)", r"\max(0, x)", r"[x > 0]"),
}


def _check_domain(function: str, x: float, eps: float, method: str) -> None:
    low = x - eps if method == "central" else x
    high = x + eps
    if function == "log" and low <= 0:
        raise SolverInputError("x", f"ln needs every point > 0, but the check evaluates "
                                    f"ln({num(low)})")
    if function == "exp" and high > EXP_LIMIT:
        raise SolverInputError("x", f"e^{num(high)} overflows")


@solver(
    topic="backprop",
    summary="Gradient check: a finite-difference derivative against the analytic one.",
    summary_zh="梯度检验：用有限差分得到的导数与解析导数比较。",
    params=[
        Param("function", "str", "the function f", doc_zh="函数 f", choices=tuple(FUNCTIONS)),
        Param("x", "float", "the point", doc_zh="求导的点"),
        Param("eps", "float", "the step h of the finite difference", doc_zh="有限差分的步长 h",
              default=0.01),
        Param("method", "str", "central (f(x+h) − f(x−h))/2h or forward (f(x+h) − f(x))/h",
              doc_zh="中心差分 (f(x+h) − f(x−h))/2h 或前向差分 (f(x+h) − f(x))/h",
              default="central", choices=("central", "forward")),
    ],
    answers=[
        Answer("numerical", "float", "the finite-difference estimate", doc_zh="有限差分估计值"),
        Answer("analytic", "float", "f′(x) from the formula (what backprop computes)",
               doc_zh="由公式得到的 f′(x)（即反向传播计算的值）"),
        Answer("abs_error", "float", "|numerical − analytic|", doc_zh="|数值 − 解析|"),
        Answer("rel_error", "float", "|numerical − analytic| / max(|numerical|, |analytic|) "
                                     "(0 when both are 0)",
               doc_zh="|数值 − 解析| / max(|数值|, |解析|)（两者都为 0 时取 0）"),
    ],
    examples=[
        # Ng, Deep Learning Specialization, course 2: f = θ³ at θ = 1, ε = 0.01 -> 3.0001.
        dict(function="cube", x=1, eps=0.01),
        dict(function="cube", x=1, eps=0.01, method="forward"),  # 3.0301: error O(h)
        dict(function="relu", x=0.001, eps=0.01),  # a kink inside [x − h, x + h]
    ],
)
def gradient_check(function, x, eps, method) -> Solution:
    """central: (f(x + h) − f(x − h)) / 2h, error O(h²); forward: (f(x + h) − f(x)) / h,
    error O(h). rel_error = |n − a| / max(|n|, |a|) (CS231n's relative error)."""
    if eps <= 0:
        raise SolverInputError("eps", f"must be > 0, got {num(eps)}")
    _check_domain(function, x, eps, method)
    f, df, text, f_tex, df_tex = FUNCTIONS[function]
    high = f(x + eps)
    if method == "central":
        low = f(x - eps)
        numerical = (high - low) / (2.0 * eps)
        diff_en = (f"Central difference (error O(h²)): (f({num(x + eps, 6)}) − f({num(x - eps, 6)}))"
                   f"/(2·{num(eps)}) = ({num(high, 8)} − {num(low, 8)})/{num(2 * eps)} = "
                   f"{num(numerical, 8)}")
        diff_zh = (f"中心差分（误差 O(h²)）：(f({num(x + eps, 6)}) − f({num(x - eps, 6)}))/(2·{num(eps)})"
                   f" = ({num(high, 8)} − {num(low, 8)})/{num(2 * eps)} = {num(numerical, 8)}")
        diff_tex = (r"\frac{f(x+h) - f(x-h)}{2h} = \frac{" + latex_num(high, 8) + " - "
                    + latex_paren(low) + "}{" + latex_num(2 * eps) + "} = "
                    + latex_num(numerical, 8))
    else:
        low = f(x)
        numerical = (high - low) / eps
        diff_en = (f"Forward difference (error O(h)): (f({num(x + eps, 6)}) − f({num(x)}))/"
                   f"{num(eps)} = ({num(high, 8)} − {num(low, 8)})/{num(eps)} = {num(numerical, 8)}")
        diff_zh = (f"前向差分（误差 O(h)）：(f({num(x + eps, 6)}) − f({num(x)}))/{num(eps)} = "
                   f"({num(high, 8)} − {num(low, 8)})/{num(eps)} = {num(numerical, 8)}")
        diff_tex = (r"\frac{f(x+h) - f(x)}{h} = \frac{" + latex_num(high, 8) + " - "
                    + latex_paren(low) + "}{" + latex_num(eps) + "} = " + latex_num(numerical, 8))
    analytic = df(x)
    abs_error = abs(numerical - analytic)
    scale = max(abs(numerical), abs(analytic))
    rel_error = abs_error / scale if scale > 0 else 0.0
    steps = [
        Step(f"Function {text}, x = {num(x)}, h = {num(eps)}, {method} difference.",
             f"函数 {text}，x = {num(x)}，h = {num(eps)}，{'中心' if method == 'central' else '前向'}差分。",
             f"f(x) = {f_tex}"),
        Step(diff_en, diff_zh, diff_tex, numerical),
        Step(f"Analytic derivative (what backprop computes): f′({num(x)}) = {num(analytic, 8)}",
             f"解析导数（反向传播计算的值）：f′({num(x)}) = {num(analytic, 8)}",
             f"f'(x) = {df_tex} = {latex_num(analytic, 8)}", analytic),
        Step(f"Absolute error {num(abs_error, 8)}; relative error |n − a|/max(|n|, |a|) = "
             f"{num(rel_error, 8)} (CS231n: below 1e-7 is good, above 1e-2 means a bug or a kink "
             f"inside [x − h, x + h])",
             f"绝对误差 {num(abs_error, 8)}；相对误差 |n − a|/max(|n|, |a|) = {num(rel_error, 8)}"
             f"（CS231n：小于 1e-7 很好，大于 1e-2 说明有错误，或 [x − h, x + h] 内有拐点）",
             r"\frac{|n - a|}{\max(|n|, |a|)} = " + latex_num(rel_error, 8), rel_error),
    ]
    return Solution({"numerical": numerical, "analytic": analytic, "abs_error": abs_error,
                     "rel_error": rel_error}, steps)


# ---------------------------------------------------------------- gradient through depth

MAX_DERIVATIVE = {"sigmoid": "0.25", "tanh": "1", "relu": "1"}


@solver(
    topic="backprop",
    summary="The gradient that reaches the first layer through a chain of k one-unit layers "
            "(vanishing gradients; the residual shortcut's 1 + …).",
    summary_zh="经过 k 个单神经元层传回第一层的梯度（梯度消失；残差捷径的 1 + … 项）。",
    params=[
        Param("x", "float", "the input a₀", doc_zh="输入 a₀"),
        Param("weights", "vec", "w₁ … w_k, one weight per layer (input side first)",
              doc_zh="w₁ … w_k，每层一个权重（从输入侧开始）"),
        Param("biases", "vec", "b₁ … b_k; zeros if not given", doc_zh="b₁ … b_k；未给出时取零",
              default=None),
        Param("activation", "str", "the activation of every layer", doc_zh="每一层的激活函数",
              default="sigmoid", choices=("sigmoid", "tanh", "relu")),
        Param("residual", "bool", "a_i = a_(i−1) + act(z_i) (a shortcut around every layer) "
                                  "instead of a_i = act(z_i)",
              doc_zh="a_i = a_(i−1) + act(z_i)（每层都有捷径连接），而不是 a_i = act(z_i)",
              default=False),
        Param("upstream", "float", "∂L/∂a_k, the gradient arriving at the last layer",
              doc_zh="∂L/∂a_k，到达最后一层的梯度", default=1.0),
    ],
    answers=[
        Answer("activations", "vec", "a₁ … a_k", doc_zh="各层激活值 a₁ … a_k"),
        Answer("local_derivatives", "vec", "act′(z_i) of every layer", doc_zh="各层的 act′(z_i)"),
        Answer("factors", "vec", "∂a_i/∂a_(i−1) = w_i·act′(z_i) (+ 1 with the shortcut)",
               doc_zh="∂a_i/∂a_(i−1) = w_i·act′(z_i)（有捷径时再加 1）"),
        Answer("grad_x", "float", "∂L/∂a₀ = upstream·Π factors", doc_zh="∂L/∂a₀ = upstream·Π 因子"),
        Answer("grad_w1", "float", "∂L/∂w₁, the gradient of the first layer's weight",
               doc_zh="∂L/∂w₁，第一层权重的梯度"),
    ],
    examples=[
        dict(x=1, weights=[1, 1, 1, 1]),  # σ′ ≤ 1/4 per layer: the gradient shrinks fast
        dict(x=1, weights=[1, 1, 1, 1], residual=True),  # each factor is 1 + w·σ′ > 1
        dict(x=0.5, weights=[2, -1, 3], biases=[0, 1, 0], activation="tanh"),
    ],
)
def chain_gradient(x, weights, biases, activation, residual, upstream) -> Solution:
    """z_i = w_i a_(i−1) + b_i; a_i = act(z_i), or a_(i−1) + act(z_i) with residual.

    ∂a_i/∂a_(i−1) = w_i act′(z_i) (+ 1 with the shortcut), so ∂L/∂a₀ = upstream·Π_i factor_i
    and ∂L/∂w₁ = upstream·Π_(i≥2) factor_i·act′(z₁)·a₀. Without the shortcut each factor is
    at most |w_i|/4 for the sigmoid, so k layers shrink the gradient like (|w|/4)^k.
    """
    k = len(weights)
    if k > MAX_LAYERS:
        raise SolverInputError("weights", f"at most {MAX_LAYERS} layers, got {k}")
    b = [0.0] * k if biases is None else biases
    if len(b) != k:
        raise SolverInputError("biases", f"has {len(b)} entries but there are {k} weights")
    a = x
    zs, acts, derivs, factors = [], [], [], []
    for w, bias in zip(weights, b):
        z = w * a + bias
        value, d = apply_activation(activation, z)
        a = a + value if residual else value
        zs.append(z)
        acts.append(a)
        derivs.append(d)
        factors.append((1.0 if residual else 0.0) + w * d)
    grad_x = upstream
    for f in factors:
        grad_x *= f
    grad_w1 = upstream * derivs[0] * x
    for f in factors[1:]:
        grad_w1 *= f
    grad_x, grad_w1 = grad_x + 0.0, grad_w1 + 0.0
    act_sym = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}[activation]
    act_tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}"}[activation]
    form_en = f"a_i = a_(i−1) + {act_sym}(z_i)" if residual else f"a_i = {act_sym}(z_i)"
    form_tex = (rf"a_i = a_{{i-1}} + {act_tex}(z_i)" if residual else rf"a_i = {act_tex}(z_i)")
    factor_en = "1 + w_i·act′(z_i)" if residual else "w_i·act′(z_i)"
    factor_tex = r"1 + w_i f'(z_i)" if residual else r"w_i f'(z_i)"
    note_en = ("no bias" if biases is None else f"biases {num(b)}")
    note_zh = ("无偏置" if biases is None else f"偏置 {num(b)}")
    steps = [
        Step(f"Chain of {k} one-unit layers: z_i = w_i·a_(i−1) + b_i, {form_en}; a₀ = {num(x)}, "
             f"weights {num(weights)}, {note_en}.",
             f"由 {k} 个单神经元层组成的链：z_i = w_i·a_(i−1) + b_i，{form_en}；a₀ = {num(x)}，"
             f"权重 {num(weights)}，{note_zh}。",
             r"z_i = w_i a_{i-1} + b_i,\quad " + form_tex),
        Step(f"Forward: z = {num(zs)}, a = {num(acts)}",
             f"前向：z = {num(zs)}，a = {num(acts)}",
             "z = " + latex_vec(zs) + r",\quad a = " + latex_vec(acts), acts),
        Step(f"Local derivatives act′(z_i) = {num(derivs)} (each at most "
             f"{MAX_DERIVATIVE[activation]} for {activation})",
             f"局部导数 act′(z_i) = {num(derivs)}（{activation} 的导数最大为 "
             f"{MAX_DERIVATIVE[activation]}）",
             act_tex + "'(z) = " + latex_vec(derivs), derivs),
        Step(f"Per-layer factors ∂a_i/∂a_(i−1) = {factor_en} = {num(factors)}",
             f"每层的因子 ∂a_i/∂a_(i−1) = {factor_en} = {num(factors)}",
             r"\frac{\partial a_i}{\partial a_{i-1}} = " + factor_tex + " = " + latex_vec(factors),
             factors),
        Step(f"∂L/∂a₀ = upstream·Π factors = {num(upstream)}·"
             + join_terms([paren(f) for f in factors], "·") + f" = {num(grad_x, 6)}",
             f"∂L/∂a₀ = upstream·Π 因子 = {num(upstream)}·"
             + join_terms([paren(f) for f in factors], "·") + f" = {num(grad_x, 6)}",
             r"\frac{\partial L}{\partial a_0} = " + latex_paren(upstream) + r" \cdot "
             + join_terms([latex_paren(f) for f in factors], r" \cdot ", r"\cdots")
             + " = " + latex_num(grad_x, 6), grad_x),
        Step(f"∂L/∂w₁ = upstream·(factors of layers 2…{k})·act′(z₁)·a₀ = {num(grad_w1, 6)}"
             + ("" if residual else
                f"; the bound (max act′)^k·Π|w| = {MAX_DERIVATIVE[activation]}^{k}·Π|w| shows how "
                f"fast it can vanish"),
             f"∂L/∂w₁ = upstream·（第 2…{k} 层的因子）·act′(z₁)·a₀ = {num(grad_w1, 6)}"
             + ("" if residual else
                f"；上界 (max act′)^k·Π|w| = {MAX_DERIVATIVE[activation]}^{k}·Π|w| 说明它消失得有多快"),
             r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial a_k}"
             r"\prod_{i=2}^{k} \frac{\partial a_i}{\partial a_{i-1}}\, f'(z_1)\, a_0 = "
             + latex_num(grad_w1, 6), grad_w1),
    ]
    return Solution({"activations": acts, "local_derivatives": derivs, "factors": factors,
                     "grad_x": grad_x, "grad_w1": grad_w1}, steps,
                    filled={"biases": b})
