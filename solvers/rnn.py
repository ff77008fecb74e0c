"""Recurrent layers: parameter counts and gradient clipping (closed-form arithmetic).

Conventions follow PyTorch (`nn.RNN`, `nn.LSTM`, `nn.GRU`, `torch.nn.utils.clip_grad_*`)
unless a `convention` parameter says otherwise. Plain Python, no numpy: these solvers
must start fast (see `SolverSpec.needs_numpy`). The single cell steps, which multiply
matrices, are in `rnn_cells.py`.
"""

from __future__ import annotations

import math

from solvers.fmt import latex_num, latex_vec, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_FEATURES = 100_000  # input_size, hidden_size
MAX_LAYERS = 1_000

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
GATE_NAMES = {"rnn": "h", "lstm": "i, f, g, o", "gru": "r, z, n"}
CELL_NAMES = {
    "pytorch": {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"},
    "keras": {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"},
}


# ---------------------------------------------------------------- parameter counts


@solver(
    topic="rnn",
    summary="Parameter count of a (stacked, optionally bidirectional) RNN, LSTM or GRU.",
    summary_zh="（多层、可双向的）RNN、LSTM 或 GRU 的参数量。",
    params=[
        Param("cell", "str", "recurrent cell", doc_zh="循环单元类型（rnn、lstm 或 gru）",
              choices=("rnn", "lstm", "gru")),
        Param("input_size", "int", "features per time step", doc_zh="每个时间步的输入特征数",
              min=1, max=MAX_FEATURES),
        Param("hidden_size", "int", "hidden units H", doc_zh="隐藏单元数 H（隐藏状态的维度）",
              min=1, max=MAX_FEATURES),
        Param("num_layers", "int", "stacked layers", doc_zh="堆叠的层数", default=1, min=1,
              max=MAX_LAYERS),
        Param("bidirectional", "bool", "a forward and a backward direction",
              doc_zh="是否双向（正向、反向各一个方向）", default=False),
        Param("convention", "str", "whose bias layout",
              doc_zh="按哪个框架的偏置约定计数（pytorch 或 keras）", default="pytorch",
              choices=("pytorch", "keras")),
    ],
    answers=[Answer("params", "int", "weights + biases of all layers and directions",
                    doc_zh="所有层、所有方向的权重与偏置总数")],
    examples=[
        # Keras LSTM(32) on 10 features: model.summary() shows 5504.
        dict(cell="lstm", input_size=10, hidden_size=32, convention="keras"),
        # PyTorch nn.GRU(10, 20, num_layers=2, bidirectional=True).
        dict(cell="gru", input_size=10, hidden_size=20, num_layers=2, bidirectional=True),
    ],
)
def rnn_params(cell, input_size, hidden_size, num_layers, bidirectional,
               convention) -> Solution:
    """params = Σ_layers directions · gates·(H·in + H·H + biases·H).

    gates = 1 (RNN), 4 (LSTM), 3 (GRU); in = input_size for layer 1 and H·directions
    for the layers above it (a bidirectional layer passes both directions on).
    PyTorch keeps two biases per gate (b_ih and b_hh). Keras SimpleRNN and LSTM keep
    one; Keras GRU with TF2's default reset_after=True keeps two, as PyTorch.
    """
    gates, hidden = GATES[cell], hidden_size
    dirs = 2 if bidirectional else 1
    n_bias = 2 if convention == "pytorch" or cell == "gru" else 1
    layer_name = CELL_NAMES[convention][cell]

    if convention == "pytorch":
        why_en = (f"Convention: PyTorch ({layer_name}). Each gate has W_ih (H x in), W_hh "
                  f"(H x H) and two biases b_ih and b_hh: PyTorch keeps both although only "
                  f"their sum matters, so a gate has H·in + H·H + 2H parameters.")
        why_zh = (f"约定：PyTorch（{layer_name}）。每个门有 W_ih（H x in）、W_hh（H x H）和两个"
                  f"偏置 b_ih、b_hh：虽然只有两者之和起作用，PyTorch 仍保留两个，所以每个门有 "
                  f"H·in + H·H + 2H 个参数。")
    elif cell == "gru":
        why_en = ("Convention: Keras GRU with TF2's default reset_after=True: two biases per "
                  "gate (input and recurrent), as PyTorch, so a gate has H·in + H·H + 2H "
                  "parameters. (reset_after=False, the TF1 default, keeps one bias: H fewer.)")
        why_zh = ("约定：Keras GRU，采用 TF2 默认的 reset_after=True：每个门两个偏置（输入与循环），"
                  "与 PyTorch 相同，所以每个门有 H·in + H·H + 2H 个参数。"
                  "（TF1 默认的 reset_after=False 只有一个偏置，少 H 个。）")
    else:
        why_en = (f"Convention: Keras ({layer_name}). Each gate has a kernel (in x H), a "
                  f"recurrent kernel (H x H) and ONE bias, so a gate has H·in + H·H + H "
                  f"parameters — H fewer than PyTorch, which keeps both b_ih and b_hh.")
        why_zh = (f"约定：Keras（{layer_name}）。每个门有 kernel（in x H）、recurrent kernel"
                  f"（H x H）和一个偏置，所以每个门有 H·in + H·H + H 个参数——比保留 b_ih 与 "
                  f"b_hh 两个偏置的 PyTorch 少 H 个。")
    steps = [
        Step(why_en, why_zh, r"\text{gate} = H \cdot in + H \cdot H + " +
             ("2H" if n_bias == 2 else "H"), n_bias),
        Step(f"Gates: {gates} ({GATE_NAMES[cell]}), so the weight matrices stack {gates}·H = "
             f"{gates * hidden} rows.",
             f"门数：{gates}（{GATE_NAMES[cell]}），权重矩阵共 {gates}·H = {gates * hidden} 行。",
             r"\text{gates} = " + str(gates), gates),
    ]

    def per_direction(n_in: int) -> int:
        return gates * (hidden * n_in + hidden * hidden + n_bias * hidden)

    bias_text = f"{n_bias}·{hidden}"

    def layer_step(label_en: str, label_zh: str, n_in: int, in_en: str, in_zh: str,
                   latex: str) -> tuple[Step, int]:
        per = per_direction(n_in)
        formula = f"{gates}·({hidden}·{n_in} + {hidden}·{hidden} + {bias_text}) = {per}"
        both_en = f" × 2 directions = {per * dirs}" if dirs == 2 else ""
        both_zh = f" × 2 个方向 = {per * dirs}" if dirs == 2 else ""
        numbers = (rf"{gates}\,({hidden} \cdot {n_in} + {hidden}^2 + {n_bias} \cdot {hidden}) "
                   rf"\cdot {dirs} = {per * dirs}")
        return Step(f"{label_en}: in = {in_en}; per direction {formula}{both_en}",
                    f"{label_zh}：in = {in_zh}；每个方向 {formula}{both_zh}",
                    f"{latex} = {numbers}", per * dirs), per * dirs

    step, first = layer_step("Layer 1", "第 1 层", input_size,
                             f"input_size = {input_size}", f"input_size = {input_size}",
                             r"\text{gates}\,(H \cdot in + H^2 + b H) \cdot \text{dirs}")
    steps.append(step)
    total = first
    if num_layers > 1:
        upper_in = hidden * dirs
        span = "2" if num_layers == 2 else f"2–{num_layers}"
        step, upper = layer_step(
            f"Layer {span} (each)", f"第 {span} 层（每层）", upper_in,
            f"H·directions = {hidden}·{dirs} = {upper_in}",
            f"H·方向数 = {hidden}·{dirs} = {upper_in}",
            rf"in = H \cdot \text{{dirs}} = {upper_in}:\ "
            r"\text{gates}\,(H \cdot in + H^2 + b H) \cdot \text{dirs}")
        steps.append(step)
        total += upper * (num_layers - 1)
        steps.append(Step(
            f"Total = {first} + {num_layers - 1}·{upper} = {total}",
            f"总计 = {first} + {num_layers - 1}·{upper} = {total}",
            r"\text{params} = \sum_{\text{layers}} \text{layer params} = "
            rf"{first} + {num_layers - 1} \cdot {upper} = {total}",
            total,
        ))
    return Solution({"params": total}, steps)


# ---------------------------------------------------------------- gradient clipping


@solver(
    topic="rnn",
    summary="Gradient clipping by global norm or by value, as torch.nn.utils.",
    summary_zh="按全局范数或按数值裁剪梯度（与 torch.nn.utils 相同）。",
    params=[
        Param("grads", "vec", "gradient entries (all parameters, flattened)",
              doc_zh="梯度的各分量（所有参数的梯度展平成一个向量）"),
        Param("mode", "str", "clip the global L2 norm or each value",
              doc_zh="梯度裁剪方式：按全局 L2 范数（norm）或逐个数值（value）", default="norm",
              choices=("norm", "value")),
        Param("max_norm", "float", "largest allowed L2 norm (required for mode norm)",
              doc_zh="允许的最大 L2 范数（mode 为 norm 时必填）", default=None),
        Param("clip_value", "float", "largest allowed |g| (required for mode value)",
              doc_zh="允许的最大 |g|（mode 为 value 时必填）", default=None),
    ],
    answers=[
        Answer("clipped", "vec", "gradient after clipping", doc_zh="裁剪后的梯度"),
        Answer("total_norm", "float", "L2 norm of the gradient before clipping",
               doc_zh="裁剪前梯度的 L2 范数"),
    ],
    examples=[
        dict(grads=[3, 4], max_norm=1),  # ‖g‖ = 5, scaled to norm 1: [0.6, 0.8]
        dict(grads=[0.5, -2, 3], mode="value", clip_value=1),  # clamped to [0.5, -1, 1]
    ],
)
def clip_grad(grads, mode, max_norm, clip_value) -> Solution:
    """total_norm = ‖g‖₂ (before clipping, reported in both modes).

    norm (clip_grad_norm_): scale = max_norm / (total_norm + 1e-6); g ← g·scale only when
    scale < 1.  value (clip_grad_value_): g ← clamp(g, −clip_value, clip_value).
    """
    limit_name, limit = ("max_norm", max_norm) if mode == "norm" else ("clip_value", clip_value)
    if limit is None:
        raise SolverInputError(limit_name, f"required when mode={mode}")
    if limit <= 0:
        raise SolverInputError(limit_name, f"must be > 0, got {num(limit)}")
    squared = sum(x * x for x in grads)  # a product overflows to inf, never raises
    total = math.sqrt(squared)
    steps = [Step(
        f"Total norm before clipping ‖g‖₂ = √(Σ g²) = √{num(squared)} = {num(total)}",
        f"裁剪前的总范数 ‖g‖₂ = √(Σ g²) = √{num(squared)} = {num(total)}",
        r"\|g\|_2 = \sqrt{\textstyle\sum_k g_k^2} = " + latex_num(total), total,
    )]
    if mode == "norm":
        scale = limit / (total + 1e-6)
        clipped = [x * scale for x in grads] if scale < 1.0 else list(grads)
        if scale < 1.0:
            verdict_en = f"< 1, so every entry is multiplied by {num(scale, 8)}"
            verdict_zh = f"< 1，所以每个分量都乘以 {num(scale, 8)}"
        else:
            verdict_en, verdict_zh = "≥ 1, so the gradient is unchanged", "≥ 1，所以梯度不变"
        steps += [
            Step(f"Convention: torch.nn.utils.clip_grad_norm_. scale = max_norm / (‖g‖ + 1e-6)"
                 f" = {num(limit)} / ({num(total)} + 1e-6) = {num(scale, 8)} {verdict_en}.",
                 f"约定：torch.nn.utils.clip_grad_norm_。scale = max_norm / (‖g‖ + 1e-6) = "
                 f"{num(limit)} / ({num(total)} + 1e-6) = {num(scale, 8)} {verdict_zh}。",
                 r"s = \frac{\text{max\_norm}}{\|g\|_2 + 10^{-6}} = "
                 rf"\frac{{{latex_num(limit)}}}{{{latex_num(total)} + 10^{{-6}}}} = "
                 + latex_num(scale, 8), scale),
            Step(f"Clipped gradient = {num(clipped)}", f"裁剪后的梯度 = {num(clipped)}",
                 r"g \leftarrow g \cdot \min(s, 1) = " + latex_vec(clipped), clipped),
        ]
    else:
        clipped = [min(max(x, -limit), limit) for x in grads]
        changed = sum(abs(x) > limit for x in grads)
        steps.append(Step(
            f"Convention: torch.nn.utils.clip_grad_value_. Each entry is clamped to "
            f"[−{num(limit)}, {num(limit)}] ({changed} changed): {num(clipped)}. The reported "
            f"total norm is the one before clipping.",
            f"约定：torch.nn.utils.clip_grad_value_。每个分量截断到 [−{num(limit)}, "
            f"{num(limit)}]（改动 {changed} 个）：{num(clipped)}。报告的总范数是裁剪前的。",
            rf"g_k \leftarrow \mathrm{{clamp}}(g_k, -{latex_num(limit)}, {latex_num(limit)}):\ "
            rf"g = {latex_vec(clipped)}", clipped,
        ))
    return Solution({"clipped": clipped, "total_norm": total}, steps)


# ---------------------------------------------------------------- vanishing / exploding bound

GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}
MAX_STEPS = 10_000


@solver(
    topic="rnn",
    summary="Upper bound (γ·σ_max)^(t−k) on how much a gradient can grow or shrink over t − k steps.",
    summary_zh="梯度经过 t − k 个时间步后放大或缩小倍数的上界 (γ·σ_max)^(t−k)。",
    params=[
        Param("sigma_max", "float", "largest singular value of the recurrent matrix W (W_hh)",
              doc_zh="循环矩阵 W（W_hh）的最大奇异值", min=0),
        Param("activation", "str", "the hidden state's activation (γ = max|act′|)",
              doc_zh="隐藏状态的激活函数（γ = max|act′|）", default="tanh",
              choices=("tanh", "sigmoid", "relu")),
        Param("steps", "int", "time steps t − k the gradient travels back",
              doc_zh="梯度回传经过的时间步数 t − k", min=1, max=MAX_STEPS),
    ],
    answers=[
        Answer("gamma", "float", "γ = max |act′| (1 for tanh and relu, 1/4 for sigmoid)",
               doc_zh="γ = max |act′|（tanh 和 relu 为 1，sigmoid 为 1/4）"),
        Answer("factor", "float", "γ·σ_max, the bound for one step", doc_zh="单步的上界 γ·σ_max"),
        Answer("bound", "float", "(γ·σ_max)^(t−k), the bound on ‖∂hₜ/∂hₖ‖",
               doc_zh="(γ·σ_max)^(t−k)，即 ‖∂hₜ/∂hₖ‖ 的上界"),
    ],
    examples=[
        # Pascanu, Mikolov & Bengio (2013), §2.1: σ_max < 1/γ makes gradients vanish;
        # 0.9^50 ≈ 0.005.
        dict(sigma_max=0.9, steps=50),
        dict(sigma_max=3.0, activation="sigmoid", steps=20),  # 0.75^20 ≈ 0.003: still vanishes
    ],
)
def rnn_gradient_bound(sigma_max, activation, steps) -> Solution:
    """‖∂hₜ/∂hₖ‖₂ = ‖∏ⱼ diag(act′(aⱼ)) W‖₂ ≤ (γ·σ_max(W))^(t−k), γ = max |act′|.

    Pascanu, Mikolov & Bengio (2013): a factor below 1 is sufficient for the gradient
    to vanish exponentially; above 1 is necessary (not sufficient) for it to explode.
    γ = 1 for tanh and relu, 1/4 for the sigmoid. W is the recurrent matrix (W_hh).
    """
    gamma = GAMMA[activation]
    factor = gamma * sigma_max
    try:
        bound = factor ** steps
    except OverflowError:
        bound = math.inf
    if not math.isfinite(bound):
        raise SolverInputError("steps", f"({num(factor)})^{steps} overflows; the bound is "
                                        f"astronomically large")
    if factor < 1:
        verdict_en = "< 1: the gradient is guaranteed to vanish exponentially"
        verdict_zh = "< 1：梯度必然指数级消失"
    elif factor == 1:
        verdict_en = "= 1: the bound neither shrinks nor grows"
        verdict_zh = "= 1：上界既不缩小也不增大"
    else:
        verdict_en = "> 1: the gradient may explode (necessary, not sufficient)"
        verdict_zh = "> 1：梯度可能爆炸（必要而非充分条件）"
    steps_out = [
        Step(f"γ = max |{activation}′| = {num(gamma)}",
             f"γ = max |{activation}′| = {num(gamma)}（激活函数导数的最大值）",
             rf"\gamma = \max |\phi'| = {latex_num(gamma)}", gamma),
        Step(f"One step back: ∂hⱼ/∂hⱼ₋₁ = diag({activation}′(aⱼ))·W, whose norm is at most "
             f"γ·σ_max = {num(gamma)}·{num(sigma_max)} = {num(factor)} {verdict_en}",
             f"回传一步：∂hⱼ/∂hⱼ₋₁ = diag({activation}′(aⱼ))·W，其范数不超过 γ·σ_max = "
             f"{num(gamma)}·{num(sigma_max)} = {num(factor)} {verdict_zh}",
             r"\left\lVert \frac{\partial h_j}{\partial h_{j-1}} \right\rVert \le \gamma\, "
             rf"\sigma_{{max}}(W) = {latex_num(factor)}", factor),
        Step(f"Over t − k = {steps} steps the Jacobians multiply: ‖∂hₜ/∂hₖ‖ ≤ ({num(factor)})"
             f"^{steps} = {num(bound, 6)}",
             f"经过 t − k = {steps} 步，雅可比矩阵连乘：‖∂hₜ/∂hₖ‖ ≤ ({num(factor)})^{steps} = "
             f"{num(bound, 6)}",
             r"\left\lVert \frac{\partial h_t}{\partial h_k} \right\rVert \le "
             rf"(\gamma\,\sigma_{{max}})^{{t-k}} = {latex_num(factor)}^{{{steps}}} = "
             rf"{latex_num(bound, 6)}", bound),
    ]
    return Solution({"gamma": gamma, "factor": factor, "bound": bound}, steps_out)


# ---------------------------------------------------------------- the LSTM cell path

MAX_UNITS = 1_000


@solver(
    topic="rnn",
    summary="Gradient kept along the LSTM cell path: ∂cₜ/∂cₖ = ∏ f (forget gates), per unit.",
    summary_zh="沿 LSTM 单元状态路径保留的梯度：∂cₜ/∂cₖ = ∏ f（遗忘门之积），逐单元计算。",
    params=[
        Param("forget", "vecs", "forget gates f_(k+1) … f_t, one vector (one value per unit) "
                                "per step, each in [0, 1]",
              doc_zh="遗忘门 f_(k+1) … f_t，每个时间步一个向量（每个单元一个值），取值在 [0, 1]"),
    ],
    answers=[
        Answer("product", "vec", "∂cₜ/∂cₖ along the cell path, per unit",
               doc_zh="沿单元状态路径的 ∂cₜ/∂cₖ（逐单元）"),
    ],
    examples=[
        dict(forget=[[0.9], [0.8], [0.95]]),
        # Hochreiter & Schmidhuber's constant error carousel: f = 1 keeps the error intact.
        dict(forget=[[1, 0.5], [1, 0.5], [1, 0.5], [1, 0.5]]),
    ],
)
def lstm_cell_path(forget) -> Solution:
    """cⱼ = fⱼ ⊙ cⱼ₋₁ + iⱼ ⊙ gⱼ, so along the cell path ∂cⱼ/∂cⱼ₋₁ = diag(fⱼ) and
    ∂cₜ/∂cₖ = ∏_{j=k+1..t} fⱼ (elementwise): no weight matrix, no tanh′.

    This is the direct (additive) path only; the paths through hⱼ₋₁ and the gates are
    left out, as in the constant-error-carousel argument (Hochreiter & Schmidhuber 1997;
    forget gates: Gers, Schmidhuber & Cummins 2000).
    """
    units = len(forget[0])
    if any(len(f) != units for f in forget):
        raise SolverInputError("forget", "every step needs one gate value per unit (vectors "
                                         "of the same length)")
    if units > MAX_UNITS:
        raise SolverInputError("forget", f"{units} units; at most {MAX_UNITS:,}")
    if any(not 0 <= v <= 1 for f in forget for v in f):
        raise SolverInputError("forget", "gate values are sigmoids: each must lie in [0, 1]")
    product = [1.0] * units
    for f in forget:
        product = [p * v for p, v in zip(product, f)]
    n = len(forget)
    per_unit = [" · ".join(num(f[u]) for f in forget[:8]) + (" · …" if n > 8 else "")
                for u in range(min(units, 4))]
    steps = [
        Step("Cell update cⱼ = fⱼ ⊙ cⱼ₋₁ + iⱼ ⊙ gⱼ: along the cell path ∂cⱼ/∂cⱼ₋₁ = diag(fⱼ) — "
             "no recurrent matrix and no tanh′, unlike a vanilla RNN's diag(tanh′)·W",
             "单元状态更新 cⱼ = fⱼ ⊙ cⱼ₋₁ + iⱼ ⊙ gⱼ：沿单元状态路径 ∂cⱼ/∂cⱼ₋₁ = diag(fⱼ)——"
             "既没有循环矩阵也没有 tanh′，而普通 RNN 每步要乘 diag(tanh′)·W",
             r"\frac{\partial c_j}{\partial c_{j-1}} = \mathrm{diag}(f_j)"),
        Step(f"Over {n} step(s): ∂cₜ/∂cₖ = ∏ fⱼ per unit: "
             + "; ".join(f"unit {u}: {text} = {num(product[u], 6)}"
                         for u, text in enumerate(per_unit))
             + (" …" if units > 4 else ""),
             f"经过 {n} 步：逐单元 ∂cₜ/∂cₖ = ∏ fⱼ："
             + "；".join(f"单元 {u}：{text} = {num(product[u], 6)}"
                        for u, text in enumerate(per_unit))
             + (" …" if units > 4 else ""),
             r"\frac{\partial c_t}{\partial c_k} = \prod_{j=k+1}^{t} f_j = "
             + latex_vec(product), product),
        Step("Forget gates near 1 keep the gradient alive for many steps (the constant error "
             "carousel); the gates are learned, so the network decides what to remember",
             "遗忘门接近 1 时梯度能保持许多步（恒定误差传送带）；门是学出来的，由网络决定记住什么",
             r"f_j \approx 1 \Rightarrow \prod_j f_j \approx 1"),
    ]
    return Solution({"product": product}, steps)


# ---------------------------------------------------------------- whole sequence models


@solver(
    topic="rnn",
    summary="Parameters of Embedding → recurrent layer(s) → Dense, as model.summary() prints them.",
    summary_zh="Embedding → 循环层 → Dense 模型的参数量（与 model.summary() 一致）。",
    params=[
        Param("vocab_size", "int", "words in the vocabulary (Embedding input_dim)",
              doc_zh="词表大小（Embedding 的 input_dim）", min=1, max=10_000_000),
        Param("embedding_dim", "int", "embedding size (Embedding output_dim)",
              doc_zh="嵌入维度（Embedding 的 output_dim）", min=1, max=MAX_FEATURES),
        Param("cell", "str", "recurrent cell", doc_zh="循环单元类型（rnn、lstm 或 gru）",
              choices=("rnn", "lstm", "gru")),
        Param("units", "int", "hidden units of each recurrent layer",
              doc_zh="每个循环层的隐藏单元数", min=1, max=MAX_FEATURES),
        Param("num_layers", "int", "stacked recurrent layers", doc_zh="堆叠的循环层数", default=1,
              min=1, max=MAX_LAYERS),
        Param("bidirectional", "bool", "each recurrent layer wrapped in Bidirectional",
              doc_zh="每个循环层是否为双向（Bidirectional）", default=False),
        Param("dense_units", "int", "units of the Dense output layer", doc_zh="Dense 输出层的单元数",
              default=1, min=1, max=MAX_FEATURES),
        Param("convention", "str", "whose bias layout (Keras: one bias per gate, TF2 GRU two)",
              doc_zh="按哪个框架的偏置约定计数（keras：每门一个偏置，TF2 的 GRU 两个；pytorch：两个）",
              default="keras", choices=("keras", "pytorch")),
    ],
    answers=[
        Answer("embedding", "int", "parameters of the Embedding layer", doc_zh="嵌入层参数量"),
        Answer("recurrent", "int", "parameters of the recurrent layer(s)", doc_zh="循环层参数量"),
        Answer("dense", "int", "parameters of the Dense layer", doc_zh="全连接层参数量"),
        Answer("total", "int", "parameters of the whole model", doc_zh="整个模型的参数量"),
    ],
    examples=[
        # Chollet, Deep Learning with Python, §6.2: Embedding(10000, 32) + SimpleRNN(32)
        # = 322,080; + Dense(1) = 322,113.
        dict(vocab_size=10000, embedding_dim=32, cell="rnn", units=32),
        # Chollet §6.2.3: the same with LSTM(32): 320,000 + 8,320 + 33 = 328,353.
        dict(vocab_size=10000, embedding_dim=32, cell="lstm", units=32),
    ],
)
def rnn_model_params(vocab_size, embedding_dim, cell, units, num_layers, bidirectional,
                     dense_units, convention) -> Solution:
    """embedding = V·d (no bias); recurrent = `rnn_params`(cell, d, units, layers,
    bidirectional, convention); dense = in·out + out with in = units (×2 if bidirectional,
    the last layer's output); total = the sum. Keras by default (model.summary()).
    """
    embedding = vocab_size * embedding_dim
    recurrent_solution = rnn_params(cell, embedding_dim, units, num_layers, bidirectional,
                                    convention)
    recurrent = recurrent_solution.answers["params"]
    dense_in = units * (2 if bidirectional else 1)
    dense = dense_in * dense_units + dense_units
    total = embedding + recurrent + dense
    layer = CELL_NAMES[convention][cell]
    steps = [
        Step(f"Embedding({vocab_size}, {embedding_dim}): one {embedding_dim}-vector per word, "
             f"no bias: {vocab_size}·{embedding_dim} = {embedding}",
             f"Embedding({vocab_size}, {embedding_dim})：每个词一个 {embedding_dim} 维向量，无偏置："
             f"{vocab_size}·{embedding_dim} = {embedding}",
             rf"V \cdot d = {vocab_size} \cdot {embedding_dim} = {embedding}", embedding),
        *recurrent_solution.steps,
        Step(f"{layer}({units}){' × 2 directions' if bidirectional else ''}, {num_layers} "
             f"layer(s), reading {embedding_dim}-dimensional embeddings: {recurrent} parameters",
             f"{layer}({units}){'（双向 × 2）' if bidirectional else ''}，{num_layers} 层，读入 "
             f"{embedding_dim} 维嵌入：{recurrent} 个参数",
             rf"\text{{recurrent}} = {recurrent}", recurrent),
        Step(f"Dense({dense_units}) on the last state ({dense_in} features): "
             f"{dense_in}·{dense_units} + {dense_units} = {dense}",
             f"Dense({dense_units}) 作用于最后的状态（{dense_in} 个特征）："
             f"{dense_in}·{dense_units} + {dense_units} = {dense}",
             rf"{dense_in} \cdot {dense_units} + {dense_units} = {dense}", dense),
        Step(f"Total = {embedding} + {recurrent} + {dense} = {total}",
             f"总计 = {embedding} + {recurrent} + {dense} = {total}",
             rf"{embedding} + {recurrent} + {dense} = {total}", total),
    ]
    return Solution({"embedding": embedding, "recurrent": recurrent, "dense": dense,
                     "total": total}, steps)
