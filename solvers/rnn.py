"""Recurrent layers: parameter counts, single cell steps, gradient clipping.

Conventions follow PyTorch (`nn.RNN`, `nn.LSTMCell`, `nn.GRUCell`) unless a
`convention` parameter says otherwise.
"""

from __future__ import annotations

import numpy as np

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


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1/(1 + e^−a), written through tanh so large |a| cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _shape_error(param: str, want: tuple, got: tuple, what: str) -> SolverInputError:
    """'w_ih: expected 3 x 2 (hidden x input), got 2 x 2'."""
    want_text, got_text = (" x ".join(map(str, dims)) for dims in (want, got))
    return SolverInputError(param, f"expected {want_text} ({what}), got {got_text}")


def check_cell_inputs(x, h_prev, w_ih, w_hh, b_ih, b_hh, gates: int, gate_rows: str,
                      extra_state: dict | None = None):
    """Validate one cell step's shapes; return float64 arrays with None biases as zeros.

    Sizes come from x (input) and h_prev (hidden H); weights must be (gates·H) x in and
    (gates·H) x H, biases gates·H, any extra state (c_prev) H.
    """
    n_in, hidden = len(x), len(h_prev)
    rows = gates * hidden
    label = "hidden" if gates == 1 else f"{gates}·hidden"
    suffix = "" if gates == 1 else f"; gate rows {gate_rows}"
    for name, mat, cols, col_label in (("w_ih", w_ih, n_in, "input"),
                                       ("w_hh", w_hh, hidden, "hidden")):
        got = (len(mat), len(mat[0]))
        if got != (rows, cols):
            raise _shape_error(name, (rows, cols), got, f"{label} x {col_label}{suffix}")
    biases = []
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is None:
            b = [0.0] * rows
        if len(b) != rows:
            raise _shape_error(name, (rows,), (len(b),), f"{label}{suffix}")
        biases.append(np.asarray(b, dtype=float))
    for name, v in (extra_state or {}).items():
        if len(v) != hidden:
            raise _shape_error(name, (hidden,), (len(v),), "hidden, the length of h_prev")
    arrays = [np.asarray(v, dtype=float) for v in (x, h_prev, w_ih, w_hh)]
    return (*arrays, *biases)


def _bias_note(b_ih, b_hh) -> tuple[str, str]:
    missing = [name for name, b in (("b_ih", b_ih), ("b_hh", b_hh)) if b is None]
    if not missing:
        return "", ""
    return (f" {' and '.join(missing)} not given: zeros.",
            f"未给出 {' 和 '.join(missing)}：取零向量。")


STATE_PARAMS = [
    Param("x", "vec", "input x_t (length in)"),
    Param("h_prev", "vec", "previous hidden state h_{t−1} (length H)"),
]


def _weight_params(rows: str, gate_rows: str) -> list[Param]:
    order = f", gate rows {gate_rows}" if gate_rows else ""
    return [
        Param("w_ih", "mat", f"input-to-hidden weights ({rows} x in{order})"),
        Param("w_hh", "mat", f"hidden-to-hidden weights ({rows} x H{order})"),
        Param("b_ih", "vec", f"input-to-hidden bias ({rows}); zeros if not given", default=None),
        Param("b_hh", "vec", f"hidden-to-hidden bias ({rows}); zeros if not given",
              default=None),
    ]


# ---------------------------------------------------------------- parameter counts


@solver(
    topic="rnn",
    summary="Parameter count of a (stacked, optionally bidirectional) RNN, LSTM or GRU.",
    summary_zh="（多层、可双向的）RNN、LSTM 或 GRU 的参数量。",
    params=[
        Param("cell", "str", "recurrent cell", choices=("rnn", "lstm", "gru")),
        Param("input_size", "int", "features per time step", min=1, max=MAX_FEATURES),
        Param("hidden_size", "int", "hidden units H", min=1, max=MAX_FEATURES),
        Param("num_layers", "int", "stacked layers", default=1, min=1, max=MAX_LAYERS),
        Param("bidirectional", "bool", "a forward and a backward direction", default=False),
        Param("convention", "str", "whose bias layout", default="pytorch",
              choices=("pytorch", "keras")),
    ],
    answers=[Answer("params", "int", "weights + biases of all layers and directions")],
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


# ---------------------------------------------------------------- cell steps


@solver(
    topic="rnn",
    summary="One step of an Elman RNN cell, as torch.nn.RNNCell.",
    summary_zh="Elman RNN 单元的一步计算（与 torch.nn.RNNCell 相同）。",
    params=[
        *STATE_PARAMS,
        *_weight_params("H", ""),
        Param("nonlinearity", "str", "activation", default="tanh", choices=("tanh", "relu")),
    ],
    answers=[Answer("h", "vec", "new hidden state h_t")],
    examples=[
        dict(x=[1, 0], h_prev=[0.5, -0.5], w_ih=[[0.5, -1], [1, 0.5]],
             w_hh=[[1, 0], [0, 1]], b_ih=[0, 0.1], b_hh=[0.1, 0]),
        dict(x=[2], h_prev=[1], w_ih=[[0.5]], w_hh=[[-1]], nonlinearity="relu"),
    ],
)
def rnn_step(x, h_prev, w_ih, w_hh, b_ih, b_hh, nonlinearity) -> Solution:
    """h_t = act(W_ih x + b_ih + W_hh h_{t−1} + b_hh), act = tanh or relu (nn.RNNCell).

    Weights are out x in (H x in, H x H); missing biases are zeros.
    """
    x_, h_, w_ih_, w_hh_, b_ih_, b_hh_ = check_cell_inputs(x, h_prev, w_ih, w_hh, b_ih,
                                                          b_hh, 1, "")
    from_x = w_ih_ @ x_ + b_ih_
    from_h = w_hh_ @ h_ + b_hh_
    pre = from_x + from_h
    h = np.tanh(pre) if nonlinearity == "tanh" else np.maximum(pre, 0.0)
    note_en, note_zh = _bias_note(b_ih, b_hh)
    steps = [
        Step(f"Convention: PyTorch nn.RNNCell, h = {nonlinearity}(W_ih x + b_ih + W_hh h_prev"
             f" + b_hh), two biases; input size {len(x)}, hidden size {len(h_prev)}.{note_en}",
             f"约定：PyTorch nn.RNNCell，h = {nonlinearity}(W_ih x + b_ih + W_hh h_prev + b_hh)，"
             f"两个偏置；输入维度 {len(x)}，隐藏维度 {len(h_prev)}。{note_zh}",
             r"h_t = \phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})"),
        Step(f"From the input: W_ih x + b_ih = {num(from_x)}",
             f"输入部分：W_ih x + b_ih = {num(from_x)}",
             rf"W_{{ih}} x_t + b_{{ih}} = {latex_vec(from_x)}", from_x),
        Step(f"From the previous state: W_hh h_prev + b_hh = {num(from_h)}",
             f"上一状态部分：W_hh h_prev + b_hh = {num(from_h)}",
             rf"W_{{hh}} h_{{t-1}} + b_{{hh}} = {latex_vec(from_h)}", from_h),
        Step(f"Pre-activation a = {num(from_x)} + {num(from_h)} = {num(pre)}",
             f"激活前 a = {num(from_x)} + {num(from_h)} = {num(pre)}",
             rf"a = (W_{{ih}} x_t + b_{{ih}}) + (W_{{hh}} h_{{t-1}} + b_{{hh}}) = "
             rf"{latex_vec(pre)}", pre),
        Step(f"New hidden state h = {nonlinearity}(a) = {nonlinearity}({num(pre)}) = {num(h)}",
             f"新隐藏状态 h = {nonlinearity}(a) = {nonlinearity}({num(pre)}) = {num(h)}",
             (r"h_t = \tanh(a)" if nonlinearity == "tanh" else r"h_t = \max(a, 0)")
             + f" = {latex_vec(h)}", h),
    ]
    return Solution({"h": h}, steps, filled={"b_ih": b_ih_, "b_hh": b_hh_})


def _gate_step(name: str, act: str, pre: np.ndarray, value: np.ndarray, en: str,
               zh: str) -> Step:
    """'Input gate: i = σ(a_i) = value', the gate `name` from its pre-activation."""
    symbol = "σ" if act == "sigmoid" else "tanh"
    function = r"\sigma" if act == "sigmoid" else r"\tanh"
    latex = (rf"{name} = {function}(a_{name}) = {function}\left({latex_vec(pre)}\right) = "
             + latex_vec(value))
    return Step(f"{en}: {name} = {symbol}({num(pre)}) = {num(value)}",
                f"{zh}：{name} = {symbol}({num(pre)}) = {num(value)}", latex, value)


@solver(
    topic="rnn",
    summary="One step of an LSTM cell, as torch.nn.LSTMCell (gate rows i, f, g, o).",
    summary_zh="LSTM 单元的一步计算（与 torch.nn.LSTMCell 相同，门顺序 i, f, g, o）。",
    params=[
        *STATE_PARAMS,
        Param("c_prev", "vec", "previous cell state c_{t−1} (length H)"),
        *_weight_params("4H", "i, f, g, o"),
    ],
    answers=[
        Answer("i", "vec", "input gate"),
        Answer("f", "vec", "forget gate"),
        Answer("g", "vec", "cell candidate"),
        Answer("o", "vec", "output gate"),
        Answer("c", "vec", "new cell state c_t"),
        Answer("h", "vec", "new hidden state h_t"),
    ],
    examples=[
        # H = 1, every weight 1, no bias, zero state: i = f = o = σ(1), g = tanh(1).
        dict(x=[1], h_prev=[0], c_prev=[0], w_ih=[[1], [1], [1], [1]],
             w_hh=[[1], [1], [1], [1]]),
        dict(x=[1, -1], h_prev=[0.5], c_prev=[-0.5], w_ih=[[1, 0], [0, 1], [0.5, 0.5], [1, -1]],
             w_hh=[[0.5], [-0.5], [1], [0]], b_ih=[0, 1, 0, 0], b_hh=[0.1, 0, 0, 0.1]),
    ],
)
def lstm_step(x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh) -> Solution:
    """a = W_ih x + b_ih + W_hh h_{t−1} + b_hh, split into four H-blocks in order i, f, g, o.

    i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o);
    c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)  (PyTorch nn.LSTMCell; no peepholes).
    """
    x_, h_, w_ih_, w_hh_, b_ih_, b_hh_ = check_cell_inputs(
        x, h_prev, w_ih, w_hh, b_ih, b_hh, 4, "i, f, g, o", {"c_prev": c_prev})
    c_ = np.asarray(c_prev, dtype=float)
    pre = w_ih_ @ x_ + b_ih_ + w_hh_ @ h_ + b_hh_
    a_i, a_f, a_g, a_o = np.split(pre, 4)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c = f * c_ + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    note_en, note_zh = _bias_note(b_ih, b_hh)
    steps = [
        Step(f"Convention: PyTorch nn.LSTMCell. The rows of w_ih, w_hh and the biases are "
             f"four blocks of H = {len(h_prev)} in the order i, f, g, o; both biases are "
             f"added.{note_en}",
             f"约定：PyTorch nn.LSTMCell。w_ih、w_hh 与偏置的行按 i, f, g, o 顺序分成四块，"
             f"每块 H = {len(h_prev)} 行；两个偏置都要加上。{note_zh}",
             r"a = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}"),
        Step(f"Pre-activations a = W_ih x + b_ih + W_hh h_prev + b_hh = {num(pre)}",
             f"激活前 a = W_ih x + b_ih + W_hh h_prev + b_hh = {num(pre)}",
             rf"a = [a_i; a_f; a_g; a_o] = {latex_vec(pre)}", pre),
        _gate_step("i", "sigmoid", a_i, i, "Input gate", "输入门"),
        _gate_step("f", "sigmoid", a_f, f, "Forget gate", "遗忘门"),
        _gate_step("g", "tanh", a_g, g, "Cell candidate", "候选记忆"),
        _gate_step("o", "sigmoid", a_o, o, "Output gate", "输出门"),
        Step(f"New cell state c = f ⊙ c_prev + i ⊙ g = {num(f)} ⊙ {num(c_)} + {num(i)} ⊙ "
             f"{num(g)} = {num(c)}",
             f"新记忆单元 c = f ⊙ c_prev + i ⊙ g = {num(f)} ⊙ {num(c_)} + {num(i)} ⊙ "
             f"{num(g)} = {num(c)}",
             rf"c_t = f \odot c_{{t-1}} + i \odot g = {latex_vec(c)}", c),
        Step(f"New hidden state h = o ⊙ tanh(c) = {num(o)} ⊙ {num(tanh_c)} = {num(h)}",
             f"新隐藏状态 h = o ⊙ tanh(c) = {num(o)} ⊙ {num(tanh_c)} = {num(h)}",
             rf"h_t = o \odot \tanh(c_t) = {latex_vec(h)}", h),
    ]
    return Solution({"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}, steps,
                    filled={"b_ih": b_ih_, "b_hh": b_hh_})


@solver(
    topic="rnn",
    summary="One step of a GRU cell, as torch.nn.GRUCell (gate rows r, z, n).",
    summary_zh="GRU 单元的一步计算（与 torch.nn.GRUCell 相同，门顺序 r, z, n）。",
    params=[*STATE_PARAMS, *_weight_params("3H", "r, z, n")],
    answers=[
        Answer("r", "vec", "reset gate"),
        Answer("z", "vec", "update gate (weights the old state)"),
        Answer("n", "vec", "candidate state"),
        Answer("h", "vec", "new hidden state h_t"),
    ],
    examples=[
        # All weights zero, update-gate bias +20: z ≈ 1 keeps the old state (PyTorch's z).
        dict(x=[1], h_prev=[0.7], w_ih=[[0], [0], [0]], w_hh=[[0], [0], [0]],
             b_ih=[0, 20, 0]),
        dict(x=[1, 2], h_prev=[0.5], w_ih=[[0.5, -0.5], [1, 0], [0, 1]],
             w_hh=[[1], [-1], [0.5]]),
    ],
)
def gru_step(x, h_prev, w_ih, w_hh, b_ih, b_hh) -> Solution:
    """r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.

    PyTorch nn.GRUCell: rows in order r, z, n; r multiplies W_hn h + b_hn (reset after
    the matrix product); z weights the OLD state (some textbooks swap z and 1 − z).
    """
    x_, h_, w_ih_, w_hh_, b_ih_, b_hh_ = check_cell_inputs(x, h_prev, w_ih, w_hh, b_ih,
                                                          b_hh, 3, "r, z, n")
    from_x = w_ih_ @ x_ + b_ih_
    from_h = w_hh_ @ h_ + b_hh_
    x_r, x_z, x_n = np.split(from_x, 3)
    h_r, h_z, h_n = np.split(from_h, 3)
    a_r, a_z = x_r + h_r, x_z + h_z
    r, z = sigmoid(a_r), sigmoid(a_z)
    a_n = x_n + r * h_n
    n = np.tanh(a_n)
    h = (1.0 - z) * n + z * h_
    note_en, note_zh = _bias_note(b_ih, b_hh)
    steps = [
        Step(f"Convention: PyTorch nn.GRUCell. The rows of w_ih, w_hh and the biases are "
             f"three blocks of H = {len(h_prev)} in the order r, z, n. PyTorch's z weights "
             f"the OLD state: h = (1 − z) ⊙ n + z ⊙ h_prev (some textbooks swap z and "
             f"1 − z).{note_en}",
             f"约定：PyTorch nn.GRUCell。w_ih、w_hh 与偏置的行按 r, z, n 顺序分成三块，每块 "
             f"H = {len(h_prev)} 行。PyTorch 的 z 加权的是旧状态：h = (1 − z) ⊙ n + z ⊙ h_prev"
             f"（有些教材把 z 与 1 − z 对调）。{note_zh}",
             r"h_t = (1 - z) \odot n + z \odot h_{t-1}"),
        Step(f"W_ih x + b_ih = {num(from_x)}; W_hh h_prev + b_hh = {num(from_h)}",
             f"输入部分 W_ih x + b_ih = {num(from_x)}；上一状态部分 W_hh h_prev + b_hh = "
             f"{num(from_h)}",
             rf"W_{{ih}} x_t + b_{{ih}} = {latex_vec(from_x)},\; "
             rf"W_{{hh}} h_{{t-1}} + b_{{hh}} = {latex_vec(from_h)}", [from_x, from_h]),
        _gate_step("r", "sigmoid", a_r, r, f"Reset gate, a_r = {num(x_r)} + {num(h_r)}",
                   f"重置门，a_r = {num(x_r)} + {num(h_r)}"),
        _gate_step("z", "sigmoid", a_z, z, f"Update gate, a_z = {num(x_z)} + {num(h_z)}",
                   f"更新门，a_z = {num(x_z)} + {num(h_z)}"),
        Step(f"Candidate: n = tanh(W_in x + b_in + r ⊙ (W_hn h_prev + b_hn)) = tanh({num(x_n)}"
             f" + {num(r)} ⊙ {num(h_n)}) = tanh({num(a_n)}) = {num(n)}",
             f"候选状态：n = tanh(W_in x + b_in + r ⊙ (W_hn h_prev + b_hn)) = tanh({num(x_n)}"
             f" + {num(r)} ⊙ {num(h_n)}) = tanh({num(a_n)}) = {num(n)}",
             r"n = \tanh(W_{in} x_t + b_{in} + r \odot (W_{hn} h_{t-1} + b_{hn})) = "
             + latex_vec(n), n),
        Step(f"New hidden state h = (1 − z) ⊙ n + z ⊙ h_prev = {num(1.0 - z)} ⊙ {num(n)} + "
             f"{num(z)} ⊙ {num(h_)} = {num(h)}",
             f"新隐藏状态 h = (1 − z) ⊙ n + z ⊙ h_prev = {num(1.0 - z)} ⊙ {num(n)} + "
             f"{num(z)} ⊙ {num(h_)} = {num(h)}",
             rf"h_t = (1 - z) \odot n + z \odot h_{{t-1}} = {latex_vec(h)}", h),
    ]
    return Solution({"r": r, "z": z, "n": n, "h": h}, steps,
                    filled={"b_ih": b_ih_, "b_hh": b_hh_})


# ---------------------------------------------------------------- gradient clipping


@solver(
    topic="rnn",
    summary="Gradient clipping by global norm or by value, as torch.nn.utils.",
    summary_zh="按全局范数或按数值裁剪梯度（与 torch.nn.utils 相同）。",
    params=[
        Param("grads", "vec", "gradient entries (all parameters, flattened)"),
        Param("mode", "str", "clip the global L2 norm or each value", default="norm",
              choices=("norm", "value")),
        Param("max_norm", "float", "largest allowed L2 norm (required for mode norm)",
              default=None),
        Param("clip_value", "float", "largest allowed |g| (required for mode value)",
              default=None),
    ],
    answers=[
        Answer("clipped", "vec", "gradient after clipping"),
        Answer("total_norm", "float", "L2 norm of the gradient before clipping"),
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
    g = np.asarray(grads, dtype=float)
    total = float(np.sqrt(np.sum(g * g)))
    steps = [Step(
        f"Total norm before clipping ‖g‖₂ = √(Σ g²) = √{num(total * total)} = {num(total)}",
        f"裁剪前的总范数 ‖g‖₂ = √(Σ g²) = √{num(total * total)} = {num(total)}",
        r"\|g\|_2 = \sqrt{\textstyle\sum_k g_k^2} = " + latex_num(total), total,
    )]
    if mode == "norm":
        scale = limit / (total + 1e-6)
        clipped = g * scale if scale < 1.0 else g.copy()
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
        clipped = np.clip(g, -limit, limit)
        changed = int(np.sum(np.abs(g) > limit))
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
