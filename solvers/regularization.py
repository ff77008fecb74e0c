"""Regularization by hand: dropout (one draw, and its expectation), the L1/L2 weight
penalty and one SGD step with weight decay (closed-form arithmetic).

Conventions: `p` is the probability of DROPPING a unit, as `torch.nn.Dropout` and Keras'
`Dropout(rate)` (Srivastava et al. 2014 write p for the probability of keeping one).
Inverted dropout (PyTorch, Keras) scales the kept units by 1/(1 − p) at training time
and does nothing at test time; the original paper's dropout keeps units unscaled and
multiplies by (1 − p) at test time. The penalty is Keras' L1L2, l1·Σ|w| + l2·Σw², with
no ½; PyTorch's `weight_decay` λ adds λ·w to the gradient, the gradient of (λ/2)·Σw².
Plain Python, no numpy (see `SolverSpec.needs_numpy`).
"""

from __future__ import annotations

from solvers.fmt import join_terms, latex_num, latex_vec, num, paren
from solvers.arith import fsum
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_UNITS = 64  # dropout_expectation counts 2^n sub-networks: at most 2^64, an exact int


def _check_mask(mask: list[float], n: int, p: float) -> list[int]:
    """The mask as 0/1 ints, of length n, consistent with p (p = 0 keeps every unit, p = 1
    drops every unit)."""
    if len(mask) != n:
        raise SolverInputError("mask", f"expected one 0/1 entry per unit of x ({n}), "
                                       f"got {len(mask)}")
    if any(m not in (0, 1) for m in mask):
        raise SolverInputError("mask", "entries must be 0 (dropped) or 1 (kept)")
    if p == 0 and 0 in mask:
        raise SolverInputError("mask", "p = 0 keeps every unit, but the mask drops some")
    if p == 1 and 1 in mask:
        raise SolverInputError("mask", "p = 1 drops every unit, but the mask keeps some")
    return [int(m) for m in mask]


@solver(
    topic="regularization",
    summary="One dropout draw with a given mask: inverted (scale kept units by 1/(1 − p), as "
            "torch.nn.functional.dropout in training) or the original unscaled form.",
    summary_zh="给定掩码的一次 dropout：反向（inverted）dropout 把保留的单元乘以 1/(1 − p)"
               "（与训练时的 torch.nn.functional.dropout 相同），或原始的不缩放形式。",
    params=[
        Param("x", "vec", "activations of the layer", doc_zh="该层的激活值"),
        Param("mask", "vec", "1 = unit kept, 0 = unit dropped (one per entry of x)",
              doc_zh="1 = 保留该单元，0 = 丢弃（与 x 一一对应）"),
        Param("p", "float", "probability of dropping a unit (torch / Keras rate)",
              doc_zh="丢弃一个单元的概率（torch / Keras 的 rate）", min=0.0, max=1.0),
        Param("inverted", "bool", "scale the kept units by 1/(1 − p) at training time",
              doc_zh="训练时是否把保留的单元乘以 1/(1 − p)（反向 dropout）", default=True),
    ],
    answers=[Answer("output", "vec", "the layer's output at training time",
                    doc_zh="训练时该层的输出")],
    examples=[
        # Trask, Grokking Deep Learning ch. 8: 50% dropout, kept activations doubled.
        dict(x=[0.4, 1.2, 0.8, 2.0], mask=[1, 0, 1, 0], p=0.5),
        dict(x=[1, -2, 3], mask=[1, 1, 0], p=0.2, inverted=False),
    ],
)
def dropout(x, mask, p, inverted) -> Solution:
    """output = x ⊙ mask / (1 − p) (inverted, PyTorch and Keras) or x ⊙ mask (the original
    form, which instead multiplies by 1 − p at test time). p = 1 gives zeros, as torch.
    """
    kept = _check_mask(mask, len(x), p)
    if p == 1:
        scale = 0.0
    else:
        scale = 1 / (1 - p) if inverted else 1.0
    output = [v * scale if m else 0.0 for v, m in zip(x, kept)]
    n_kept = sum(kept)
    if inverted:
        rule_en = (f"inverted dropout (PyTorch, Keras): kept units × 1/(1 − p) = 1/(1 − "
                   f"{num(p)}) = {num(scale)} at training time; nothing changes at test time")
        rule_zh = (f"反向 dropout（PyTorch、Keras）：训练时保留的单元 × 1/(1 − p) = 1/(1 − {num(p)}) = "
                   f"{num(scale)}；测试时不做任何改变")
    else:
        rule_en = ("original dropout (Srivastava et al.): kept units unchanged at training "
                   f"time; at test time every activation is multiplied by 1 − p = {num(1 - p)}")
        rule_zh = ("原始 dropout（Srivastava 等）：训练时保留的单元不变；测试时每个激活值乘以 "
                   f"1 − p = {num(1 - p)}")
    products = [f"{paren(v)}·{m}·{num(scale)}" for v, m in zip(x, kept)]
    steps = [
        Step(f"Convention: p = {num(p)} is the probability of dropping a unit; {rule_en}.",
             f"约定：p = {num(p)} 是丢弃一个单元的概率；{rule_zh}。",
             r"y_i = \frac{m_i\, x_i}{1 - p}" if inverted else r"y_i = m_i\, x_i"),
        Step(f"The mask keeps {n_kept} of {len(x)} units and zeroes the rest",
             f"掩码保留了 {len(x)} 个单元中的 {n_kept} 个，其余置零",
             rf"m = {latex_vec(kept)}", kept),
        Step(f"Output = x·mask·{num(scale)}: {join_terms(products, ', ')} = {num(output)}",
             f"输出 = x·mask·{num(scale)}：{join_terms(products, '，')} = {num(output)}",
             rf"y = {latex_num(scale)} \cdot (x \odot m) = {latex_vec(output)}", output),
    ]
    return Solution({"output": output}, steps)


@solver(
    topic="regularization",
    summary="What dropout does on average: the expected output and variance of each unit at "
            "training time, the test-time output, the expected number of kept units and the "
            "number of sub-networks.",
    summary_zh="dropout 的平均效果：训练时每个单元输出的期望与方差、测试时的输出、期望保留的单元数，以及子网络的个数。",
    params=[
        Param("x", "vec", f"activations of the layer (at most {MAX_UNITS} units)",
              doc_zh=f"该层的激活值（至多 {MAX_UNITS} 个单元）"),
        Param("p", "float", "probability of dropping a unit (torch / Keras rate), below 1",
              doc_zh="丢弃一个单元的概率（torch / Keras 的 rate），小于 1", min=0.0, max=1.0),
        Param("inverted", "bool", "inverted dropout (scale by 1/(1 − p) in training)",
              doc_zh="是否为反向 dropout（训练时乘以 1/(1 − p)）", default=True),
    ],
    answers=[
        Answer("scale", "float", "factor on a kept unit in training: 1/(1 − p), or 1",
               doc_zh="训练时保留单元乘的系数：1/(1 − p)，或 1"),
        Answer("train_mean", "vec", "E[output] of each unit in training",
               doc_zh="训练时每个单元输出的期望 E[output]"),
        Answer("train_var", "vec", "Var[output] of each unit in training",
               doc_zh="训练时每个单元输出的方差 Var[output]"),
        Answer("test_output", "vec", "output at test time (dropout off)",
               doc_zh="测试时（关闭 dropout）的输出"),
        Answer("expected_kept", "float", "expected number of kept units n(1 − p)",
               doc_zh="期望保留的单元数 n(1 − p)"),
        Answer("subnetworks", "int", "possible masks 2^n (the implicit ensemble)",
               doc_zh="可能的掩码个数 2^n（隐式集成的子网络数）"),
    ],
    examples=[
        dict(x=[2, 4, 6, 8], p=0.5),
        dict(x=[1, -2, 3], p=0.2, inverted=False),
    ],
)
def dropout_expectation(x, p, inverted) -> Solution:
    """Each unit is kept with probability q = 1 − p (mᵢ ~ Bernoulli(q), independent).

    Inverted: yᵢ = mᵢxᵢ/q, so E[yᵢ] = xᵢ and Var[yᵢ] = xᵢ²·p/q; at test time yᵢ = xᵢ.
    Original: yᵢ = mᵢxᵢ, so E[yᵢ] = q·xᵢ and Var[yᵢ] = xᵢ²·p·q; at test time yᵢ = q·xᵢ (the
    weight-scaling rule), which matches the training-time expectation either way.
    expected_kept = n·q; subnetworks = 2ⁿ (every unit kept or dropped).
    """
    if len(x) > MAX_UNITS:
        raise SolverInputError("x", f"at most {MAX_UNITS} units (2^n sub-networks is a count)")
    if p >= 1:
        raise SolverInputError("p", "must be below 1 (p = 1 drops every unit)")
    q = 1 - p
    n = len(x)
    if inverted:
        scale = 1 / q
        mean = list(x)
        var = [v * v * p / q for v in x]
        test = list(x)
    else:
        scale = 1.0
        mean = [q * v for v in x]
        var = [v * v * p * q for v in x]
        test = [q * v for v in x]
    kept = n * q
    subnetworks = 2 ** n
    if inverted:
        mean_en = f"E[y] = q·x/q = x = {num(mean)}"
        var_en = f"Var[y] = x²·q(1 − q)/q² = x²·p/q = x²·{num(p / q)} = {num(var)}"
        test_en = f"dropout is off and nothing is rescaled: y = x = {num(test)}"
        test_zh = f"关闭 dropout，也不再缩放：y = x = {num(test)}"
        mean_tex = r"E[y_i] = q \cdot \frac{x_i}{q} = x_i"
        var_tex = rf"\mathrm{{Var}}[y_i] = x_i^2 \frac{{p}}{{q}} = {latex_vec(var)}"
    else:
        mean_en = f"E[y] = q·x = {num(q)}·x = {num(mean)}"
        var_en = f"Var[y] = x²·p·q = x²·{num(p * q)} = {num(var)}"
        test_en = (f"every unit is kept and multiplied by q = {num(q)} "
                   f"(weight scaling): y = {num(test)}")
        test_zh = f"保留所有单元并乘以 q = {num(q)}（权重缩放）：y = {num(test)}"
        mean_tex = rf"E[y_i] = q\, x_i = {latex_vec(mean)}"
        var_tex = rf"\mathrm{{Var}}[y_i] = x_i^2\, p\, q = {latex_vec(var)}"
    steps = [
        Step(f"Convention: p = {num(p)} drops a unit, so each is kept with q = 1 − p = {num(q)}; "
             f"{'inverted dropout: kept units × 1/q = ' + num(scale) if inverted else 'original dropout: kept units unscaled'}"
             f" in training.",
             f"约定：p = {num(p)} 为丢弃概率，每个单元以 q = 1 − p = {num(q)} 的概率保留；"
             f"{'反向 dropout：训练时保留单元 × 1/q = ' + num(scale) if inverted else '原始 dropout：训练时保留单元不缩放'}。",
             r"m_i \sim \mathrm{Bernoulli}(q),\ q = 1 - p,\quad y_i = "
             + (r"\frac{m_i x_i}{q}" if inverted else r"m_i x_i")),
        Step(f"Expected training output: {mean_en}", f"训练时输出的期望：{mean_en}",
             mean_tex, mean),
        Step(f"Variance in training (the noise dropout injects): {var_en}",
             f"训练时的方差（dropout 注入的噪声）：{var_en}", var_tex, var),
        Step(f"Test time: {test_en} — the same as the training-time expectation",
             f"测试时：{test_zh}——与训练时的期望相同",
             rf"y^{{test}} = {latex_vec(test)}", test),
        Step(f"Expected kept units = n·q = {n}·{num(q)} = {num(kept)}",
             f"期望保留的单元数 = n·q = {n}·{num(q)} = {num(kept)}",
             rf"E\left[\sum_i m_i\right] = n q = {n} \cdot {latex_num(q)} = {latex_num(kept)}", kept),
        Step(f"Each of the n = {n} units is kept or dropped: 2^{n} = {subnetworks} sub-networks "
             f"share the weights (the implicit ensemble)",
             f"n = {n} 个单元各自保留或丢弃：共 2^{n} = {subnetworks} 个共享权重的子网络（隐式集成）",
             rf"2^{{{n}}} = {subnetworks}", subnetworks),
    ]
    return Solution({"scale": scale, "train_mean": mean, "train_var": var, "test_output": test,
                     "expected_kept": kept, "subnetworks": subnetworks}, steps)


@solver(
    topic="regularization",
    summary="L1/L2 weight penalty l1·Σ|w| + l2·Σw² (Keras' L1L2) and its gradient.",
    summary_zh="L1/L2 权重惩罚 l1·Σ|w| + l2·Σw²（Keras 的 L1L2）及其梯度。",
    params=[
        Param("w", "vec", "weights", doc_zh="权重"),
        Param("l1", "float", "L1 coefficient", doc_zh="L1 系数", default=0.0, min=0.0),
        Param("l2", "float", "L2 coefficient (no ½)", doc_zh="L2 系数（不带 ½）", default=0.0,
              min=0.0),
    ],
    answers=[
        Answer("penalty", "float", "l1·Σ|w| + l2·Σw²", doc_zh="惩罚项 l1·Σ|w| + l2·Σw²"),
        Answer("grad", "vec", "l1·sign(w) + 2·l2·w (sign(0) = 0, as autograd)",
               doc_zh="梯度 l1·sign(w) + 2·l2·w（sign(0) = 0，与自动求导相同）"),
    ],
    examples=[
        dict(w=[0.5, -1.0, 0.0, 2.0], l1=0.01, l2=0.01),
        dict(w=[3, -4], l2=0.5),
    ],
)
def weight_penalty(w, l1, l2) -> Solution:
    """penalty = l1·Σ|wᵢ| + l2·Σwᵢ² (Keras' L1L2 regularizer: no ½);
    ∂penalty/∂wᵢ = l1·sign(wᵢ) + 2·l2·wᵢ, with sign(0) = 0 (autograd's |w|′ at 0).

    L1's pull l1·sign(w) has the same size however small w is, so it drives weights to
    exactly 0 (sparsity); L2's pull 2·l2·w shrinks with w, so weights get small, not 0.
    """
    abs_sum = fsum(abs(v) for v in w)
    sq_sum = fsum(v * v for v in w)
    penalty = l1 * abs_sum + l2 * sq_sum

    def sign(v: float) -> int:
        return (v > 0) - (v < 0)

    grad = [l1 * sign(v) + 2 * l2 * v for v in w]
    steps = [
        Step("Convention: Keras' L1L2 regularizer, penalty = l1·Σ|w| + l2·Σw² with no ½; "
             "sign(0) = 0 in the L1 gradient (as autograd).",
             "约定：Keras 的 L1L2 正则项，惩罚 = l1·Σ|w| + l2·Σw²，不带 ½；L1 梯度中 sign(0) = 0（与自动求导相同）。",
             r"\Omega(w) = \lambda_1 \sum_i |w_i| + \lambda_2 \sum_i w_i^2"),
        Step(f"Σ|w| = {join_terms([num(abs(v)) for v in w], ' + ')} = {num(abs_sum)}; "
             f"Σw² = {join_terms([paren(v) + '²' for v in w], ' + ')} = {num(sq_sum)}",
             f"绝对值之和 Σ|w| = {join_terms([num(abs(v)) for v in w], ' + ')} = {num(abs_sum)}；"
             f"平方和 Σw² = {join_terms([paren(v) + '²' for v in w], ' + ')} = {num(sq_sum)}",
             rf"\sum_i |w_i| = {latex_num(abs_sum)},\quad \sum_i w_i^2 = {latex_num(sq_sum)}",
             [abs_sum, sq_sum]),
        Step(f"Penalty = {num(l1)}·{num(abs_sum)} + {num(l2)}·{num(sq_sum)} = {num(penalty)}",
             f"惩罚 = {num(l1)}·{num(abs_sum)} + {num(l2)}·{num(sq_sum)} = {num(penalty)}",
             rf"\Omega = {latex_num(l1)} \cdot {latex_num(abs_sum)} + {latex_num(l2)} \cdot "
             rf"{latex_num(sq_sum)} = {latex_num(penalty)}", penalty),
        Step(f"Gradient = l1·sign(w) + 2·l2·w = {num(l1)}·{num([sign(v) for v in w])} + "
             f"{num(2 * l2)}·w = {num(grad)} (L1's pull has constant size → exact zeros; L2's "
             f"shrinks with w)",
             f"梯度 = l1·sign(w) + 2·l2·w = {num(l1)}·{num([sign(v) for v in w])} + {num(2 * l2)}·w"
             f" = {num(grad)}（L1 的拉力大小恒定 → 权重恰好变为 0；L2 的拉力随 w 减小）",
             rf"\nabla_w \Omega = \lambda_1 \operatorname{{sign}}(w) + 2\lambda_2 w = "
             rf"{latex_vec(grad)}", grad),
    ]
    return Solution({"penalty": penalty, "grad": grad}, steps)


@solver(
    topic="regularization",
    summary="One SGD step with L2 weight decay, as torch.optim.SGD(lr, weight_decay=λ): "
            "w ← w − lr·(g + λw) = (1 − lr·λ)·w − lr·g.",
    summary_zh="带 L2 权重衰减的一步 SGD（与 torch.optim.SGD(lr, weight_decay=λ) 相同）："
               "w ← w − lr·(g + λw) = (1 − lr·λ)·w − lr·g。",
    params=[
        Param("w", "vec", "weights before the step", doc_zh="更新前的权重"),
        Param("grad", "vec", "gradient of the data loss (without the penalty)",
              doc_zh="数据损失的梯度（不含惩罚项）"),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", min=0.0),
        Param("weight_decay", "float", "λ (PyTorch's weight_decay)",
              doc_zh="λ（PyTorch 的 weight_decay）", default=0.0, min=0.0),
    ],
    answers=[
        Answer("total_grad", "vec", "g + λw", doc_zh="总梯度 g + λw"),
        Answer("new_w", "vec", "w − lr·(g + λw)", doc_zh="更新后的权重 w − lr·(g + λw)"),
        Answer("shrink", "float", "1 − lr·λ, the factor on w before the gradient step",
               doc_zh="收缩系数 1 − lr·λ（梯度步之前 w 乘的系数）"),
        Answer("penalty", "float", "(λ/2)·Σw², the penalty whose gradient is λw",
               doc_zh="惩罚项 (λ/2)·Σw²（其梯度为 λw）"),
    ],
    examples=[
        # Goodfellow et al. §7.1.1: w ← (1 − εα)w − ε∇J.
        dict(w=[1.0, -2.0], grad=[0.5, 0.5], lr=0.1, weight_decay=0.1),
        dict(w=[3.0], grad=[0.0], lr=0.5, weight_decay=0.2),
    ],
)
def weight_decay_step(w, grad, lr, weight_decay) -> Solution:
    """torch.optim.SGD with weight_decay λ (no momentum): g' = g + λw; w ← w − lr·g'
    = (1 − lr·λ)·w − lr·g (Goodfellow §7.1.1). λw is the gradient of (λ/2)·Σw², so
    weight_decay λ matches Keras' l2 = λ/2. For plain SGD, decoupled decay (AdamW's form)
    gives the same step; with adaptive optimizers the two differ.
    """
    if len(grad) != len(w):
        raise SolverInputError("grad", f"expected one entry per weight ({len(w)}), "
                                       f"got {len(grad)}")
    lam = weight_decay
    total = [g + lam * v for g, v in zip(grad, w)]
    new_w = [v - lr * t for v, t in zip(w, total)]
    shrink = 1 - lr * lam
    penalty = lam / 2 * fsum(v * v for v in w)
    steps = [
        Step(f"Convention: torch.optim.SGD(lr={num(lr)}, weight_decay={num(lam)}), no momentum: "
             f"λw is added to the gradient (the gradient of (λ/2)·Σw², i.e. Keras l2 = λ/2).",
             f"约定：torch.optim.SGD(lr={num(lr)}, weight_decay={num(lam)})，无动量：把 λw 加到梯度上"
             f"（它是 (λ/2)·Σw² 的梯度，即 Keras 的 l2 = λ/2）。",
             r"\tilde{J}(w) = J(w) + \frac{\lambda}{2}\|w\|^2,\quad "
             r"w \leftarrow w - \eta\,(\nabla J + \lambda w)"),
        Step(f"Total gradient g + λw = {num(grad)} + {num(lam)}·{num(w)} = {num(total)}",
             f"总梯度 g + λw = {num(grad)} + {num(lam)}·{num(w)} = {num(total)}",
             rf"g + \lambda w = {latex_vec(total)}", total),
        Step(f"New weights w − lr·(g + λw) = {num(w)} − {num(lr)}·{num(total)} = {num(new_w)}",
             f"新权重 w − lr·(g + λw) = {num(w)} − {num(lr)}·{num(total)} = {num(new_w)}",
             rf"w \leftarrow w - {latex_num(lr)}\,(g + \lambda w) = {latex_vec(new_w)}", new_w),
        Step(f"Same step as decay then gradient: (1 − lr·λ) = 1 − {num(lr)}·{num(lam)} = "
             f"{num(shrink)}, w ← {num(shrink)}·w − lr·g (the weights shrink every step)",
             f"等价于先衰减再走梯度步：(1 − lr·λ) = 1 − {num(lr)}·{num(lam)} = {num(shrink)}，"
             f"w ← {num(shrink)}·w − lr·g（每一步权重都被收缩）",
             rf"w \leftarrow (1 - \eta\lambda)\, w - \eta\, g,\quad 1 - \eta\lambda = "
             rf"{latex_num(shrink)}", shrink),
        Step(f"The penalty this decay minimizes: (λ/2)·Σw² = {num(lam / 2)}·{num(fsum(v * v for v in w))}"
             f" = {num(penalty)}",
             f"该衰减对应的惩罚项：(λ/2)·Σw² = {num(lam / 2)}·{num(fsum(v * v for v in w))} = {num(penalty)}",
             rf"\frac{{\lambda}}{{2}}\|w\|^2 = {latex_num(penalty)}", penalty),
    ]
    return Solution({"total_grad": total, "new_w": new_w, "shrink": shrink, "penalty": penalty},
                    steps)
