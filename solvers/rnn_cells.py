"""Recurrent cells: one step of an RNN, LSTM or GRU cell by hand (numpy).

Conventions follow PyTorch (`nn.RNNCell`, `nn.LSTMCell`, `nn.GRUCell`): weights are
out x in, two biases (b_ih and b_hh), gate rows in PyTorch's order. Parameter counts and
gradient clipping, which need no numpy, are in `rnn.py`.
"""

from __future__ import annotations

import numpy as np

from solvers.fmt import latex_vec, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # the cell steps multiply matrices


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
    Param("x", "vec", "input x_t (length in)", doc_zh="当前时间步的输入 x_t（长度为 in）"),
    Param("h_prev", "vec", "previous hidden state h_{t−1} (length H)",
          doc_zh="上一时间步的隐藏状态 h_{t−1}（长度为 H）"),
]


def _weight_params(rows: str, gate_rows: str) -> list[Param]:
    order = f", gate rows {gate_rows}" if gate_rows else ""
    order_zh = f"，各门的行顺序为 {gate_rows}" if gate_rows else ""
    return [
        Param("w_ih", "mat", f"input-to-hidden weights ({rows} x in{order})",
              doc_zh=f"输入到隐藏层的权重（{rows} x in{order_zh}）"),
        Param("w_hh", "mat", f"hidden-to-hidden weights ({rows} x H{order})",
              doc_zh=f"隐藏层到隐藏层（循环）的权重（{rows} x H{order_zh}）"),
        Param("b_ih", "vec", f"input-to-hidden bias ({rows}); zeros if not given", default=None,
              doc_zh=f"输入到隐藏层的偏置（长度 {rows}）；未给出时取零向量"),
        Param("b_hh", "vec", f"hidden-to-hidden bias ({rows}); zeros if not given",
              default=None, doc_zh=f"隐藏层到隐藏层的偏置（长度 {rows}）；未给出时取零向量"),
    ]


# ---------------------------------------------------------------- cell steps


@solver(
    topic="rnn",
    summary="One step of an Elman RNN cell, as torch.nn.RNNCell.",
    summary_zh="Elman RNN 单元的一步计算（与 torch.nn.RNNCell 相同）。",
    params=[
        *STATE_PARAMS,
        *_weight_params("H", ""),
        Param("nonlinearity", "str", "activation", doc_zh="激活函数（tanh 或 relu）",
              default="tanh", choices=("tanh", "relu")),
    ],
    answers=[Answer("h", "vec", "new hidden state h_t", doc_zh="新的隐藏状态 h_t")],
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
        Param("c_prev", "vec", "previous cell state c_{t−1} (length H)",
              doc_zh="上一时间步的单元状态 c_{t−1}（长度为 H）"),
        *_weight_params("4H", "i, f, g, o"),
    ],
    answers=[
        Answer("i", "vec", "input gate", doc_zh="输入门"),
        Answer("f", "vec", "forget gate", doc_zh="遗忘门"),
        Answer("g", "vec", "cell candidate", doc_zh="候选单元状态（候选记忆）"),
        Answer("o", "vec", "output gate", doc_zh="输出门"),
        Answer("c", "vec", "new cell state c_t", doc_zh="新的单元状态 c_t"),
        Answer("h", "vec", "new hidden state h_t", doc_zh="新的隐藏状态 h_t"),
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
        Answer("r", "vec", "reset gate", doc_zh="复位门（重置门）"),
        Answer("z", "vec", "update gate (weights the old state)",
               doc_zh="更新门（加权的是旧状态）"),
        Answer("n", "vec", "candidate state", doc_zh="候选隐藏状态"),
        Answer("h", "vec", "new hidden state h_t", doc_zh="新的隐藏状态 h_t"),
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
                   f"复位门（重置门），a_r = {num(x_r)} + {num(h_r)}"),
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
