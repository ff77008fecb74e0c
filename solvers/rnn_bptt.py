"""A vanilla RNN unrolled by hand: the forward pass over a few steps and BPTT (numpy).

Conventions follow `torch.nn.RNN` (weights out × in, two biases b_ih and b_hh) with a
`torch.nn.Linear` output layer applied at every step:

    hₜ = act(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh),   yₜ = W_hy hₜ + b_y,

act = tanh or relu (relu′(0) = 0, as autograd). In the course's notation
hₜ = tanh(W hₜ₋₁ + U xₜ + b), oₜ = V hₜ + c: U = W_ih (input), W = W_hh (recurrent),
V = W_hy, b = b_ih + b_hh, c = b_y. Losses are summed over the steps, never averaged:
`half_sse` = ½ Σₜ Σ (yₜ − targetₜ)², `ce` = Σₜ −log softmax(yₜ)[classₜ]. Every shared
matrix gets the sum over time of its per-step gradients (BPTT).
"""

from __future__ import annotations

import numpy as np

from solvers.fmt import latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # the steps multiply matrices
MAX_STEPS = 100  # time steps of a by-hand unrolling
SHOWN_STEPS = 6  # time steps written out in the worked steps (the values hold them all)
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(t: int) -> str:
    """t as Unicode subscript digits: 12 -> '₁₂'."""
    return str(t).translate(_SUBSCRIPTS)


def _shape_error(param: str, want: tuple, got: tuple, what: str) -> SolverInputError:
    want_text, got_text = (" x ".join(map(str, dims)) for dims in (want, got))
    return SolverInputError(param, f"expected {want_text} ({what}), got {got_text}")


def _vector(param: str, value, size: int, what: str) -> np.ndarray:
    """A given vector of length `size`, or zeros when it is None."""
    if value is None:
        return np.zeros(size)
    if len(value) != size:
        raise _shape_error(param, (size,), (len(value),), what)
    return np.asarray(value, dtype=float)


class Unrolled:
    """The checked inputs and the forward pass of one RNN unrolled over T steps."""

    def __init__(self, xs, h0, w_ih, w_hh, b_ih, b_hh, w_hy, b_y, nonlinearity):
        if len(xs) > MAX_STEPS:
            raise SolverInputError("xs", f"{len(xs)} time steps; this by-hand solver takes at "
                                         f"most {MAX_STEPS}")
        n_in = len(xs[0])
        if any(len(x) != n_in for x in xs):
            raise SolverInputError("xs", "every time step needs an input vector of the same "
                                         "length")
        hidden = len(w_ih)
        if len(w_ih[0]) != n_in:
            raise _shape_error("w_ih", (hidden, n_in), (hidden, len(w_ih[0])),
                               "hidden x input, the length of each x")
        if (len(w_hh), len(w_hh[0])) != (hidden, hidden):
            raise _shape_error("w_hh", (hidden, hidden), (len(w_hh), len(w_hh[0])),
                               "hidden x hidden, hidden = the rows of w_ih")
        self.xs = np.asarray(xs, dtype=float)
        self.w_ih = np.asarray(w_ih, dtype=float)
        self.w_hh = np.asarray(w_hh, dtype=float)
        self.b_ih = _vector("b_ih", b_ih, hidden, "hidden")
        self.b_hh = _vector("b_hh", b_hh, hidden, "hidden")
        self.h0 = _vector("h0", h0, hidden, "hidden, the rows of w_ih")
        self.w_hy = None if w_hy is None else np.asarray(w_hy, dtype=float)
        if self.w_hy is not None:
            if self.w_hy.shape[1] != hidden:
                raise _shape_error("w_hy", (self.w_hy.shape[0], hidden), self.w_hy.shape,
                                   "outputs x hidden")
            self.b_y = _vector("b_y", b_y, self.w_hy.shape[0], "outputs, the rows of w_hy")
        self.relu = nonlinearity == "relu"
        self.act = nonlinearity
        # forward pass
        self.pre, self.hs, self.ys = [], [], []
        h = self.h0
        for x in self.xs:
            a = self.w_ih @ x + self.b_ih + self.w_hh @ h + self.b_hh
            h = np.maximum(a, 0.0) if self.relu else np.tanh(a)
            self.pre.append(a)
            self.hs.append(h)
            if self.w_hy is not None:
                self.ys.append(self.w_hy @ h + self.b_y)

    @property
    def steps_count(self) -> int:
        return len(self.xs)

    def h_prev(self, t: int) -> np.ndarray:
        """hₜ₋₁ for t = 1 … T (h₀ for t = 1)."""
        return self.h0 if t == 1 else self.hs[t - 2]

    def derivative(self, t: int) -> np.ndarray:
        """act′(aₜ): 1 − hₜ² for tanh, 1 where aₜ > 0 for relu (relu′(0) = 0)."""
        if self.relu:
            return (self.pre[t - 1] > 0).astype(float)
        return 1.0 - self.hs[t - 1] ** 2


def tidy(a: np.ndarray) -> np.ndarray:
    """a with rounding noise (|x| < 1e-12, e.g. W_hyᵀ g when g sums to 0) set to 0."""
    return np.where(np.abs(a) < 1e-12, 0.0, a) + 0.0


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def shown_steps(count: int) -> list[int]:
    """The time steps 1 … count written out: all of them, or the first few and the last."""
    if count <= SHOWN_STEPS:
        return list(range(1, count + 1))
    return [*range(1, SHOWN_STEPS), count]


def convention_step(net: Unrolled, with_output: bool) -> Step:
    act = "relu" if net.relu else "tanh"
    out_en = "; yₜ = W_hy hₜ + b_y (V = W_hy, c = b_y)" if with_output else ""
    out_zh = "；yₜ = W_hy hₜ + b_y（V = W_hy，c = b_y）" if with_output else ""
    return Step(
        f"Convention: PyTorch nn.RNN{' + nn.Linear' if with_output else ''}: hₜ = {act}(W_ih xₜ"
        f" + b_ih + W_hh hₜ₋₁ + b_hh){out_en}. In the course's notation hₜ = {act}(W hₜ₋₁ + "
        f"U xₜ + b): U = W_ih (input matrix), W = W_hh (recurrent matrix). Hidden size "
        f"{len(net.h0)}, {net.steps_count} steps, h₀ = {num(net.h0)}.",
        f"约定：PyTorch nn.RNN{' + nn.Linear' if with_output else ''}：hₜ = {act}(W_ih xₜ + b_ih "
        f"+ W_hh hₜ₋₁ + b_hh){out_zh}。按课程记号 hₜ = {act}(W hₜ₋₁ + U xₜ + b)：U = W_ih"
        f"（输入矩阵），W = W_hh（循环矩阵）。隐藏维度 {len(net.h0)}，共 {net.steps_count} 个时间步，"
        f"h₀ = {num(net.h0)}。",
        rf"h_t = \{act}(W_{{ih}} x_t + b_{{ih}} + W_{{hh}} h_{{t-1}} + b_{{hh}})"
        .replace(r"\relu", r"\mathrm{relu}")
        + (r",\quad y_t = W_{hy} h_t + b_y" if with_output else ""),
        net.h0.tolist(),
    )


def forward_steps(net: Unrolled, softmax_out: bool) -> list[Step]:
    act = "relu" if net.relu else "tanh"
    act_latex = r"\mathrm{relu}" if net.relu else r"\tanh"
    steps = []
    for t in shown_steps(net.steps_count):
        a, h = net.pre[t - 1], net.hs[t - 1]
        en = (f"t = {t}: a{sub(t)} = W_ih x{sub(t)} + b_ih + W_hh h{sub(t - 1)} + b_hh = "
              f"W_ih·{num(net.xs[t - 1])} + b_ih + W_hh·{num(net.h_prev(t))} + b_hh = {num(a)}; "
              f"h{sub(t)} = {act}(a{sub(t)}) = {num(h)}")
        zh = (f"第 {t} 步：a{sub(t)} = W_ih x{sub(t)} + b_ih + W_hh h{sub(t - 1)} + b_hh = "
              f"W_ih·{num(net.xs[t - 1])} + b_ih + W_hh·{num(net.h_prev(t))} + b_hh = {num(a)}；"
              f"h{sub(t)} = {act}(a{sub(t)}) = {num(h)}")
        latex = (rf"a_{{{t}}} = {latex_vec(a)},\ h_{{{t}}} = {act_latex}(a_{{{t}}}) = "
                 rf"{latex_vec(h)}")
        if net.ys:
            y = net.ys[t - 1]
            en += f"; y{sub(t)} = W_hy h{sub(t)} + b_y = {num(y)}"
            zh += f"；y{sub(t)} = W_hy h{sub(t)} + b_y = {num(y)}"
            latex += rf",\ y_{{{t}}} = {latex_vec(y)}"
            if softmax_out:
                p = softmax(y)
                en += f"; softmax(y{sub(t)}) = {num(p)}"
                zh += f"；softmax(y{sub(t)}) = {num(p)}"
                latex += rf",\ \mathrm{{softmax}}(y_{{{t}}}) = {latex_vec(p)}"
        steps.append(Step(en, zh, latex, h.tolist()))
    if net.steps_count > SHOWN_STEPS:
        steps.append(Step(
            f"Steps {SHOWN_STEPS}–{net.steps_count - 1} the same way (every hₜ is in the answer)",
            f"第 {SHOWN_STEPS}–{net.steps_count - 1} 步同理（每个 hₜ 都在答案中）",
            r"h_t = \phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})",
        ))
    return steps


RNN_PARAMS = [
    Param("xs", "vecs", "the inputs x₁ … x_T, one vector per time step",
          doc_zh="输入 x₁ … x_T，每个时间步一个向量"),
    Param("h0", "vec", "initial hidden state h₀ (length H); zeros if not given",
          doc_zh="初始隐藏状态 h₀（长度为 H）；未给出时取零向量", default=None),
    Param("w_ih", "mat", "input-to-hidden weights W_ih (H x in) — the course's U",
          doc_zh="输入到隐藏层的权重 W_ih（H x in），即课程记号中的 U"),
    Param("w_hh", "mat", "hidden-to-hidden weights W_hh (H x H) — the course's W",
          doc_zh="隐藏层到隐藏层（循环）的权重 W_hh（H x H），即课程记号中的 W"),
    Param("b_ih", "vec", "input-to-hidden bias (H); zeros if not given",
          doc_zh="输入到隐藏层的偏置（长度 H）；未给出时取零向量", default=None),
    Param("b_hh", "vec", "hidden-to-hidden bias (H); zeros if not given",
          doc_zh="隐藏层到隐藏层的偏置（长度 H）；未给出时取零向量", default=None),
]
NONLINEARITY = Param("nonlinearity", "str", "activation of the hidden state",
                     doc_zh="隐藏状态的激活函数（tanh 或 relu）", default="tanh",
                     choices=("tanh", "relu"))


@solver(
    topic="rnn",
    summary="Forward pass of a vanilla RNN over a few steps (nn.RNN, then a Linear and softmax).",
    summary_zh="普通 RNN 在若干时间步上的前向传播（nn.RNN，再接 Linear 与 softmax）。",
    params=[
        *RNN_PARAMS,
        Param("w_hy", "mat", "hidden-to-output weights W_hy (O x H) — the course's V; "
                             "without it there are no outputs",
              doc_zh="隐藏层到输出的权重 W_hy（O x H），即课程记号中的 V；不给出则没有输出 y",
              default=None),
        Param("b_y", "vec", "output bias (O); zeros if not given",
              doc_zh="输出偏置（长度 O）；未给出时取零向量", default=None),
        NONLINEARITY,
        Param("output", "str", "yₜ as it is (identity) or softmax(yₜ)",
              doc_zh="输出 yₜ 本身（identity）或 softmax(yₜ)", default="identity",
              choices=("identity", "softmax")),
    ],
    answers=[
        Answer("hs", "mat", "hidden states h₁ … h_T (one row per step)",
               doc_zh="隐藏状态 h₁ … h_T（每个时间步一行）"),
        Answer("ys", "mat", "outputs y₁ … y_T (softmax probabilities with output=softmax); "
                            "absent without w_hy",
               doc_zh="输出 y₁ … y_T（output=softmax 时为 softmax 概率）；没有 w_hy 时不给出",
               optional=True),
    ],
    examples=[
        # Roelants, "How to implement a RNN" (part 1): with both weights 1 the RNN counts the
        # ones in its input (relu keeps it linear on these inputs): h = 1, 1, 2, 3.
        dict(xs=[[1], [0], [1], [1]], w_ih=[[1]], w_hh=[[1]], nonlinearity="relu"),
        # Two hidden units, three steps, a 2-class softmax output at every step.
        dict(xs=[[1], [0], [-1]], w_ih=[[0.5], [-1]], w_hh=[[0.5, 0], [1, -0.5]],
             b_ih=[0, 0.1], w_hy=[[1, -1], [0.5, 0.5]], output="softmax"),
    ],
)
def rnn_forward(xs, h0, w_ih, w_hh, b_ih, b_hh, w_hy, b_y, nonlinearity, output) -> Solution:
    """hₜ = act(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) for t = 1 … T, then yₜ = W_hy hₜ + b_y
    (softmax(yₜ) with output=softmax), as `nn.RNN` followed by `nn.Linear` at every step.

    H is the number of rows of w_ih; hs and ys start at step 1 (h₀ is not included).
    Without w_hy there are no outputs: no ys answer, and b_y, output are unused.
    """
    net = Unrolled(xs, h0, w_ih, w_hh, b_ih, b_hh, w_hy, b_y, nonlinearity)
    softmax_out = output == "softmax" and net.w_hy is not None
    steps = [convention_step(net, net.w_hy is not None), *forward_steps(net, softmax_out)]
    hs = np.array(net.hs)
    ys = [softmax(y) if softmax_out else y for y in net.ys]
    steps.append(Step(
        f"Hidden states h₁ … h{sub(net.steps_count)} = {matrix_text(hs, 'en')}"
        + (f"; outputs = {matrix_text(np.array(ys), 'en')}" if ys else ""),
        f"隐藏状态 h₁ … h{sub(net.steps_count)} = {matrix_text(hs, 'zh')}"
        + (f"；输出 = {matrix_text(np.array(ys), 'zh')}" if ys else ""),
        rf"H = {latex_matrix(hs)}" + (rf",\ Y = {latex_matrix(np.array(ys))}" if ys else ""),
        hs.tolist(),
    ))
    filled = {"h0": net.h0, "b_ih": net.b_ih, "b_hh": net.b_hh}
    if net.w_hy is not None:
        filled["b_y"] = net.b_y
    answers = {"hs": hs, "ys": [y.tolist() for y in ys]} if net.w_hy is not None else {"hs": hs}
    return Solution(answers, steps, filled=filled)


def _targets(targets, loss: str, steps: int, outputs: int) -> list:
    """The targets checked against the loss: T vectors of O numbers (half_sse) or T class
    indices 0 … O − 1 (ce)."""
    if not isinstance(targets, list) or len(targets) != steps:
        raise SolverInputError("targets", f"expected one target per time step ({steps}), got "
                                          f"{type(targets).__name__ if not isinstance(targets, list) else len(targets)}")
    if loss == "ce":
        out = []
        for value in targets:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok or value != int(value) or not 0 <= value < outputs:
                raise SolverInputError("targets", f"with loss ce each target is a class index "
                                                  f"0 … {outputs - 1}")
            out.append(int(value))
        return out
    out = []
    for value in targets:
        if not (isinstance(value, list) and len(value) == outputs
                and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                        and np.isfinite(v) for v in value)):
            raise SolverInputError("targets", f"with loss half_sse each target is a vector of "
                                              f"{outputs} numbers (the rows of w_hy)")
        out.append(np.asarray(value, dtype=float))
    return out


@solver(
    topic="rnn",
    summary="Backpropagation through time for a vanilla RNN with an output layer (as autograd).",
    summary_zh="带输出层的普通 RNN 的时间反向传播（BPTT，与 autograd 一致）。",
    params=[
        *RNN_PARAMS,
        Param("w_hy", "mat", "hidden-to-output weights W_hy (O x H) — the course's V",
              doc_zh="隐藏层到输出的权重 W_hy（O x H），即课程记号中的 V"),
        Param("b_y", "vec", "output bias (O); zeros if not given",
              doc_zh="输出偏置（长度 O）；未给出时取零向量", default=None),
        NONLINEARITY,
        Param("targets", "json", "one target per step: a vector of O numbers (half_sse) or a "
                                 "class index (ce)",
              doc_zh="每个时间步一个目标：O 个数的向量（half_sse）或类别下标（ce）"),
        Param("loss", "str", "half_sse = ½ Σₜ Σ (yₜ − targetₜ)², ce = Σₜ cross-entropy of "
                             "softmax(yₜ)",
              doc_zh="half_sse = ½ Σₜ Σ (yₜ − targetₜ)²；ce = Σₜ softmax(yₜ) 的交叉熵",
              default="half_sse", choices=("half_sse", "ce")),
    ],
    answers=[
        Answer("loss", "float", "the loss, summed over the steps", doc_zh="损失（对各时间步求和）"),
        Answer("grad_w_ih", "mat", "∂L/∂W_ih (∂L/∂U), summed over time",
               doc_zh="∂L/∂W_ih（即 ∂L/∂U），对时间求和"),
        Answer("grad_w_hh", "mat", "∂L/∂W_hh (∂L/∂W), summed over time",
               doc_zh="∂L/∂W_hh（即 ∂L/∂W），对时间求和"),
        Answer("grad_b", "vec", "∂L/∂b_ih (equal to ∂L/∂b_hh)", doc_zh="∂L/∂b_ih（等于 ∂L/∂b_hh）"),
        Answer("grad_w_hy", "mat", "∂L/∂W_hy (∂L/∂V)", doc_zh="∂L/∂W_hy（即 ∂L/∂V）"),
        Answer("grad_b_y", "vec", "∂L/∂b_y", doc_zh="损失对输出偏置的梯度 ∂L/∂b_y"),
        Answer("grad_h0", "vec", "∂L/∂h₀", doc_zh="损失对初始隐藏状态的梯度 ∂L/∂h₀"),
        Answer("delta_h", "mat", "∂L/∂hₜ in total (through yₜ and every later step), "
                                 "t = 1 … T",
               doc_zh="∂L/∂hₜ 的总梯度（经由 yₜ 和之后的所有时间步），t = 1 … T"),
    ],
    examples=[
        # Scalar state, two steps, y = h, ½(y − target)² at every step.
        dict(xs=[[1], [2]], w_ih=[[0.5]], w_hh=[[1]], w_hy=[[1]], targets=[[0.5], [1]]),
        # Roelants' counting RNN (relu, weights 1): h = 1, 2, and the targets 1, 1 miss the
        # second count by 1, so every gradient is 1 or 2.
        dict(xs=[[1], [1]], w_ih=[[1]], w_hh=[[1]], w_hy=[[1]], nonlinearity="relu",
             targets=[[1], [1]]),
        # Two hidden units, two steps, 2-class cross-entropy at every step.
        dict(xs=[[1, 0], [0, 1]], w_ih=[[0.5, -0.5], [1, 0]], w_hh=[[0, 1], [-1, 0.5]],
             w_hy=[[1, 0], [0, 1]], targets=[0, 1], loss="ce"),
    ],
)
def rnn_bptt(xs, h0, w_ih, w_hh, b_ih, b_hh, w_hy, b_y, nonlinearity, targets,
             loss) -> Solution:
    """Forward as `rnn_forward`; then, from t = T down to 1,

    gₜ = ∂L/∂yₜ = yₜ − targetₜ (half_sse) or softmax(yₜ) − onehot (ce),
    δhₜ = W_hyᵀ gₜ + W_hhᵀ δaₜ₊₁ (δa_{T+1} = 0),  δaₜ = δhₜ ⊙ act′(aₜ),
    ∂L/∂W_ih = Σₜ δaₜ xₜᵀ, ∂L/∂W_hh = Σₜ δaₜ hₜ₋₁ᵀ, ∂L/∂b = Σₜ δaₜ,
    ∂L/∂W_hy = Σₜ gₜ hₜᵀ, ∂L/∂b_y = Σₜ gₜ, ∂L/∂h₀ = W_hhᵀ δa₁.
    As torch autograd on `nn.RNN` + `nn.Linear` with the loss summed over the steps.
    """
    net = Unrolled(xs, h0, w_ih, w_hh, b_ih, b_hh, w_hy, b_y, nonlinearity)
    T = net.steps_count
    outputs = net.w_hy.shape[0]
    goals = _targets(targets, loss, T, outputs)
    grads_y, losses = [], []
    for y, goal in zip(net.ys, goals):
        if loss == "ce":
            p = softmax(y)
            losses.append(float(-(y[goal] - y.max() - np.log(np.exp(y - y.max()).sum()))))
            g = p.copy()
            g[goal] -= 1.0
        else:
            g = y - goal
            losses.append(float(0.5 * np.sum(g * g)))
        grads_y.append(g)
    total = float(sum(losses))

    hidden = len(net.h0)
    grad_w_ih = np.zeros_like(net.w_ih)
    grad_w_hh = np.zeros_like(net.w_hh)
    grad_b = np.zeros(hidden)
    grad_w_hy = np.zeros_like(net.w_hy)
    grad_b_y = np.zeros(outputs)
    delta_h = [None] * T
    delta_a_next = np.zeros(hidden)
    backward = []
    for t in range(T, 0, -1):
        g = grads_y[t - 1]
        from_y = tidy(net.w_hy.T @ g)
        from_next = tidy(net.w_hh.T @ delta_a_next)
        dh = tidy(from_y + from_next)
        da = tidy(dh * net.derivative(t))
        delta_h[t - 1] = dh
        grad_w_ih += np.outer(da, net.xs[t - 1])
        grad_w_hh += np.outer(da, net.h_prev(t))
        grad_b += da
        grad_w_hy += np.outer(g, net.hs[t - 1])
        grad_b_y += g
        backward.append((t, g, from_y, from_next, dh, da))
        delta_a_next = da
    grad_h0 = tidy(net.w_hh.T @ delta_a_next)
    grad_w_ih, grad_w_hh, grad_b = tidy(grad_w_ih), tidy(grad_w_hh), tidy(grad_b)
    grad_w_hy, grad_b_y = tidy(grad_w_hy), tidy(grad_b_y)

    act_d = "relu′(aₜ) = 1[aₜ > 0]" if net.relu else "tanh′(aₜ) = 1 − hₜ²"
    act_d_latex = r"\mathbb{1}[a_t > 0]" if net.relu else r"(1 - h_t^2)"
    if loss == "ce":
        loss_en = "L = Σₜ −log softmax(yₜ)[classₜ] (summed, natural log)"
        loss_zh = "L = Σₜ −log softmax(yₜ)[classₜ]（求和，自然对数）"
        loss_latex = r"L = -\sum_t \log \mathrm{softmax}(y_t)_{c_t}"
        g_en, g_zh = "gₜ = softmax(yₜ) − onehot(classₜ)", "gₜ = softmax(yₜ) − onehot(classₜ)"
    else:
        loss_en = "L = ½ Σₜ Σ (yₜ − targetₜ)² (summed over steps and outputs)"
        loss_zh = "L = ½ Σₜ Σ (yₜ − targetₜ)²（对时间步和输出求和）"
        loss_latex = r"L = \tfrac{1}{2} \sum_t \lVert y_t - \hat{y}_t \rVert^2"
        g_en, g_zh = "gₜ = yₜ − targetₜ", "gₜ = yₜ − targetₜ"
    steps = [convention_step(net, True), *forward_steps(net, loss == "ce"), Step(
        f"Loss: {loss_en} = {' + '.join(num(v) for v in losses[:SHOWN_STEPS])}"
        f"{' + …' if T > SHOWN_STEPS else ''} = {num(total)}",
        f"损失：{loss_zh} = {' + '.join(num(v) for v in losses[:SHOWN_STEPS])}"
        f"{' + …' if T > SHOWN_STEPS else ''} = {num(total)}",
        f"{loss_latex} = {latex_num(total)}",
        total,
    ), Step(
        f"Backward from t = {T} down to 1 (BPTT): {g_en}; δhₜ = W_hyᵀ gₜ + W_hhᵀ δaₜ₊₁ (the "
        f"total gradient of hₜ: through yₜ and through hₜ₊₁); δaₜ = δhₜ ⊙ {act_d}",
        f"从 t = {T} 反向到 1（BPTT）：{g_zh}；δhₜ = W_hyᵀ gₜ + W_hhᵀ δaₜ₊₁（hₜ 的总梯度：经由 yₜ "
        f"和经由 hₜ₊₁）；δaₜ = δhₜ ⊙ {act_d}",
        r"\delta h_t = W_{hy}^\top g_t + W_{hh}^\top \delta a_{t+1},\quad \delta a_t = "
        rf"\delta h_t \odot {act_d_latex}",
    )]
    shown = set(shown_steps(T))
    for t, g, from_y, from_next, dh, da in backward:
        if t not in shown:
            continue
        part_hh = tidy(np.outer(da, net.h_prev(t)))
        part_ih = tidy(np.outer(da, net.xs[t - 1]))
        steps.append(Step(
            f"t = {t}: g{sub(t)} = {num(g)}; δh{sub(t)} = W_hyᵀg{sub(t)} + W_hhᵀδa{sub(t + 1)} = "
            f"{num(from_y)} + {num(from_next)} = {num(dh)}; δa{sub(t)} = {num(da)}; this step adds "
            f"δa{sub(t)}h{sub(t - 1)}ᵀ = {matrix_text(part_hh, 'en')} to ∂L/∂W_hh and "
            f"δa{sub(t)}x{sub(t)}ᵀ = {matrix_text(part_ih, 'en')} to ∂L/∂W_ih",
            f"第 {t} 步：g{sub(t)} = {num(g)}；δh{sub(t)} = W_hyᵀg{sub(t)} + W_hhᵀδa{sub(t + 1)} = "
            f"{num(from_y)} + {num(from_next)} = {num(dh)}；δa{sub(t)} = {num(da)}；这一步给 ∂L/∂W_hh "
            f"贡献 δa{sub(t)}h{sub(t - 1)}ᵀ = {matrix_text(part_hh, 'zh')}，给 ∂L/∂W_ih 贡献 "
            f"δa{sub(t)}x{sub(t)}ᵀ = {matrix_text(part_ih, 'zh')}",
            rf"g_{{{t}}} = {latex_vec(g)},\ \delta h_{{{t}}} = {latex_vec(dh)},\ "
            rf"\delta a_{{{t}}} = {latex_vec(da)},\ \delta a_{{{t}}} h_{{{t - 1}}}^\top = "
            rf"{latex_matrix(part_hh)}",
            dh.tolist(),
        ))
    steps += [
        Step(f"Shared weights get the sum over time: ∂L/∂W_hh = Σₜ δaₜ hₜ₋₁ᵀ = "
             f"{matrix_text(grad_w_hh, 'en')}; ∂L/∂W_ih = Σₜ δaₜ xₜᵀ = "
             f"{matrix_text(grad_w_ih, 'en')}; ∂L/∂b = Σₜ δaₜ = {num(grad_b)}",
             f"共享权重的梯度是对时间求和：∂L/∂W_hh = Σₜ δaₜ hₜ₋₁ᵀ = "
             f"{matrix_text(grad_w_hh, 'zh')}；∂L/∂W_ih = Σₜ δaₜ xₜᵀ = "
             f"{matrix_text(grad_w_ih, 'zh')}；∂L/∂b = Σₜ δaₜ = {num(grad_b)}",
             rf"\frac{{\partial L}}{{\partial W_{{hh}}}} = \sum_t \delta a_t h_{{t-1}}^\top = "
             rf"{latex_matrix(grad_w_hh)},\ \frac{{\partial L}}{{\partial W_{{ih}}}} = "
             rf"\sum_t \delta a_t x_t^\top = {latex_matrix(grad_w_ih)}",
             grad_w_hh.tolist()),
        Step(f"Output layer: ∂L/∂W_hy = Σₜ gₜ hₜᵀ = {matrix_text(grad_w_hy, 'en')}; ∂L/∂b_y = "
             f"Σₜ gₜ = {num(grad_b_y)}; and ∂L/∂h₀ = W_hhᵀ δa₁ = {num(grad_h0)}",
             f"输出层：∂L/∂W_hy = Σₜ gₜ hₜᵀ = {matrix_text(grad_w_hy, 'zh')}；∂L/∂b_y = Σₜ gₜ = "
             f"{num(grad_b_y)}；∂L/∂h₀ = W_hhᵀ δa₁ = {num(grad_h0)}",
             rf"\frac{{\partial L}}{{\partial W_{{hy}}}} = \sum_t g_t h_t^\top = "
             rf"{latex_matrix(grad_w_hy)},\ \frac{{\partial L}}{{\partial h_0}} = "
             rf"W_{{hh}}^\top \delta a_1 = {latex_vec(grad_h0)}",
             grad_w_hy.tolist()),
    ]
    filled = {"h0": net.h0, "b_ih": net.b_ih, "b_hh": net.b_hh, "b_y": net.b_y}
    return Solution(
        {"loss": total, "grad_w_ih": grad_w_ih + 0.0, "grad_w_hh": grad_w_hh + 0.0,
         "grad_b": grad_b + 0.0, "grad_w_hy": grad_w_hy + 0.0, "grad_b_y": grad_b_y + 0.0,
         "grad_h0": grad_h0 + 0.0, "delta_h": np.array(delta_h) + 0.0},
        steps, filled=filled)


@solver(
    topic="rnn",
    summary="BPTT by hand for a one-unit RNN (scalar input, state and output), ½ Σ (yₜ − targetₜ)².",
    summary_zh="单个隐藏单元 RNN（标量输入、状态和输出）的手算 BPTT，损失 ½ Σ (yₜ − targetₜ)²。",
    params=[
        Param("xs", "vec", "the inputs x₁ … x_T (one number per step)",
              doc_zh="输入 x₁ … x_T（每个时间步一个数）"),
        Param("h0", "float", "initial state h₀", doc_zh="初始状态 h₀", default=0.0),
        Param("w_ih", "float", "input weight (the course's u)", doc_zh="输入权重（课程记号中的 u）"),
        Param("w_hh", "float", "recurrent weight (the course's w)", doc_zh="循环权重（课程记号中的 w）"),
        Param("b", "float", "hidden bias b", doc_zh="隐藏层偏置 b", default=0.0),
        Param("w_hy", "float", "output weight (the course's v)", doc_zh="输出权重（课程记号中的 v）",
              default=1.0),
        Param("b_y", "float", "output bias", doc_zh="输出偏置", default=0.0),
        NONLINEARITY,
        Param("targets", "vec", "one target per step", doc_zh="每个时间步一个目标值"),
    ],
    answers=[
        Answer("hs", "vec", "states h₁ … h_T", doc_zh="状态 h₁ … h_T"),
        Answer("ys", "vec", "outputs y₁ … y_T", doc_zh="输出 y₁ … y_T"),
        Answer("loss", "float", "½ Σₜ (yₜ − targetₜ)²", doc_zh="损失 ½ Σₜ (yₜ − targetₜ)²"),
        Answer("delta_h", "vec", "∂L/∂hₜ in total, t = 1 … T", doc_zh="∂L/∂hₜ 的总梯度，t = 1 … T"),
        Answer("grad_w_ih", "float", "∂L/∂u (input weight), summed over time",
               doc_zh="∂L/∂u（输入权重），对时间求和"),
        Answer("grad_w_hh", "float", "∂L/∂w (recurrent weight), summed over time",
               doc_zh="∂L/∂w（循环权重），对时间求和"),
        Answer("grad_b", "float", "∂L/∂b", doc_zh="损失对隐藏层偏置的梯度 ∂L/∂b"),
        Answer("grad_w_hy", "float", "∂L/∂v (output weight)", doc_zh="∂L/∂v（输出权重）"),
        Answer("grad_b_y", "float", "∂L/∂b_y", doc_zh="损失对输出偏置的梯度 ∂L/∂b_y"),
        Answer("grad_h0", "float", "∂L/∂h₀", doc_zh="损失对初始状态的梯度 ∂L/∂h₀"),
    ],
    examples=[
        dict(xs=[1, 2], w_ih=0.5, w_hh=1, targets=[0.5, 1]),
        # Roelants' counting RNN: relu, weights 1, states 1, 2, 3 for three ones.
        dict(xs=[1, 1, 1], w_ih=1, w_hh=1, nonlinearity="relu", targets=[1, 2, 2]),
    ],
)
def rnn_bptt_scalar(xs, h0, w_ih, w_hh, b, w_hy, b_y, nonlinearity, targets) -> Solution:
    """The one-unit case of `rnn_bptt`: hₜ = act(u xₜ + w hₜ₋₁ + b), yₜ = v hₜ + b_y,
    L = ½ Σₜ (yₜ − targetₜ)²; every answer a plain number (or one number per step).

    Backward: gₜ = yₜ − targetₜ, δhₜ = v gₜ + w δaₜ₊₁, δaₜ = δhₜ·act′(aₜ), ∂L/∂w = Σₜ δaₜ hₜ₋₁,
    ∂L/∂u = Σₜ δaₜ xₜ, ∂L/∂b = Σₜ δaₜ, ∂L/∂v = Σₜ gₜ hₜ, ∂L/∂h₀ = w δa₁ (as torch autograd).
    """
    if len(targets) != len(xs):
        raise SolverInputError("targets", f"expected one target per step ({len(xs)}), got "
                                          f"{len(targets)}")
    full = rnn_bptt(xs=[[x] for x in xs], h0=[h0], w_ih=[[w_ih]], w_hh=[[w_hh]], b_ih=[b],
                    b_hh=None, w_hy=[[w_hy]], b_y=[b_y], nonlinearity=nonlinearity,
                    targets=[[t] for t in targets], loss="half_sse")
    net = Unrolled([[x] for x in xs], [h0], [[w_ih]], [[w_hh]], [b], None, [[w_hy]], [b_y],
                   nonlinearity)
    a = full.answers
    steps = [Step(
        f"One unit: hₜ = {nonlinearity}(u·xₜ + w·hₜ₋₁ + b) with u = W_ih = {num(w_ih)}, "
        f"w = W_hh = {num(w_hh)}, b = {num(b)}; yₜ = v·hₜ + b_y with v = {num(w_hy)}, "
        f"b_y = {num(b_y)}; L = ½ Σₜ (yₜ − targetₜ)². The general steps follow (b_ih = b, "
        f"b_hh = 0).",
        f"单个单元：hₜ = {nonlinearity}(u·xₜ + w·hₜ₋₁ + b)，u = W_ih = {num(w_ih)}，w = W_hh = "
        f"{num(w_hh)}，b = {num(b)}；yₜ = v·hₜ + b_y，v = {num(w_hy)}，b_y = {num(b_y)}；"
        f"L = ½ Σₜ (yₜ − targetₜ)²。下面是一般形式的步骤（b_ih = b，b_hh = 0）。",
        r"h_t = \phi(u x_t + w h_{t-1} + b),\quad y_t = v h_t + b_y,\quad "
        r"L = \tfrac{1}{2}\sum_t (y_t - \hat{y}_t)^2",
    ), *full.steps[1:]]
    return Solution({
        "hs": [float(h[0]) for h in net.hs], "ys": [float(y[0]) for y in net.ys],
        "loss": a["loss"], "delta_h": [float(d[0]) for d in a["delta_h"]],
        "grad_w_ih": float(a["grad_w_ih"][0][0]), "grad_w_hh": float(a["grad_w_hh"][0][0]),
        "grad_b": float(a["grad_b"][0]), "grad_w_hy": float(a["grad_w_hy"][0][0]),
        "grad_b_y": float(a["grad_b_y"][0]), "grad_h0": float(a["grad_h0"][0]),
    }, steps)
