"""Convolution and pooling forward passes by hand, on small matrices (numpy).

Conventions follow PyTorch (`F.conv2d`, `F.max_pool2d`, `F.avg_pool2d`): cross-correlation
(no kernel flip), floor division in output sizes (ceil_mode=False). The shape and count
solvers of the same chapter are in `cnn.py`, which needs no numpy.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from solvers.cnn import MAX_WINDOW, conv_output_size, floor_latex
from solvers.fmt import (
    MAX_SHOWN,
    MAX_TERMS,
    join_terms,
    latex_matrix,
    latex_num,
    latex_paren,
    matrix_text,
    num,
    paren,
)
from solvers.registry import (
    Answer,
    Param,
    SameAs,
    Solution,
    SolverInputError,
    Step,
    solver,
)

NEEDS_NUMPY = True  # the forward passes slide windows over arrays
# By-hand forward passes build the padded input and loop over the output in Python:
MAX_PADDED_CELLS = 20_000  # channels · padded height · padded width
MAX_OUTPUT_CELLS = 10_000  # output height · output width


# ------------------------------------------------------- sliding windows, shared


def _window(x: np.ndarray, i: int, j: int, kh: int, kw: int, stride: int) -> np.ndarray:
    """The kh×kw window of output cell (i, j) over the last two axes of x."""
    return x[..., i * stride:i * stride + kh, j * stride:j * stride + kw]


def _slide(x: np.ndarray, kh: int, kw: int, stride: int,
           reduce: Callable[[np.ndarray], float]) -> np.ndarray:
    """reduce(window) at every position of a kh×kw window moving by `stride` (no padding:
    pad x first). The caller has checked that the window fits."""
    out_h = (x.shape[-2] - kh) // stride + 1
    out_w = (x.shape[-1] - kw) // stride + 1
    return np.array(
        [[reduce(_window(x, i, j, kh, kw, stride)) for j in range(out_w)] for i in range(out_h)],
        dtype=float,
    )


def _shown_cells(out_h: int, out_w: int) -> list[tuple[int, int]]:
    """The cells worked out in the steps: the first two and the last, row-major."""
    flat = sorted({0, min(1, out_h * out_w - 1), out_h * out_w - 1})
    return [divmod(k, out_w) for k in flat]


def check_forward_size(channels: int, height: int, width: int, padding: int, out_h: int,
                       out_w: int) -> None:
    """SolverInputError before anything is allocated when the padded input would exceed
    MAX_PADDED_CELLS or the output MAX_OUTPUT_CELLS; blames padding when there is some."""
    blame = "padding" if padding else "input"
    padded = channels * (height + 2 * padding) * (width + 2 * padding)
    if padded > MAX_PADDED_CELLS:
        raise SolverInputError(
            blame, f"the padded input would have {padded:,} cells; this by-hand solver takes "
                   f"at most {MAX_PADDED_CELLS:,}",
        )
    if out_h * out_w > MAX_OUTPUT_CELLS:
        raise SolverInputError(
            blame, f"the output would have {out_h * out_w:,} cells; this by-hand solver "
                   f"gives at most {MAX_OUTPUT_CELLS:,}",
        )


def _whole_output_step(output: np.ndarray, unit: str, unit_zh: str) -> Step:
    """The closing step of a by-hand forward pass: the whole output matrix."""
    out_h, out_w = output.shape
    return Step(
        f"Every other {unit} the same way; output ({out_h}×{out_w}) = "
        f"{matrix_text(output, 'en')}",
        f"其余{unit_zh}同理；输出（{out_h}×{out_w}）= {matrix_text(output, 'zh')}",
        f"Y = {latex_matrix(output)}",
        output.tolist(),
    )


def _channels(x: list) -> np.ndarray:
    """A mat (one channel) or a list of mats as a C×H×W array."""
    a = np.asarray(x, dtype=float)
    return a[np.newaxis] if a.ndim == 2 else a


class Notation(NamedTuple):
    """How a worked-out cell is written: in a step's text or in its LaTeX."""

    cell: str  # the output cell, formatted with i and j
    times: str
    ellipsis: str
    factor: Callable[[float], str]  # a number inside a sum or product
    result: Callable[[float], str]  # the number after the last "="
    group: str  # one channel's products, formatted with the sum


TEXT = Notation("out[{i}][{j}]", "·", "…", paren, num, "({})")
LATEX = Notation("y_{{{i},{j}}}", r" \cdot ", r"\cdots", latex_paren, latex_num,
                 r"\left({}\right)")


def _conv_cell(i: int, j: int, window: np.ndarray, kernel: np.ndarray, bias: float,
               value: float, notation: Notation) -> str:
    """'out[i][j] = x·k + ... (+ b) [= per-channel sums] = value' for one output cell.

    With several channels (and at most MAX_TERMS products) each channel's products are
    grouped and their sums follow; longer sums are elided in the middle.
    """
    w = notation
    groups = [[f"{w.factor(a)}{w.times}{w.factor(b)}" for a, b in zip(x.ravel(), k.ravel())]
              for x, k in zip(window, kernel)]
    if len(groups) == 1 or sum(len(g) for g in groups) > MAX_TERMS:
        products = join_terms([t for g in groups for t in g], " + ", w.ellipsis)
    else:
        products = " + ".join(w.group.format(" + ".join(g)) for g in groups)
    bias_term = f" + {w.factor(bias)}" if bias else ""
    chain = [f"{w.cell.format(i=i, j=j)} = {products}{bias_term}"]
    if len(groups) > 1:
        sums = (window * kernel).sum(axis=(1, 2))
        chain.append(join_terms([w.factor(s) for s in sums], " + ", w.ellipsis) + bias_term)
    chain.append(w.result(value))
    return " = ".join(chain)


@solver(
    topic="cnn",
    summary="Forward pass of a single-filter Conv2d by hand (cross-correlation).",
    summary_zh="手算单个卷积核的二维卷积前向传播（互相关）。",
    params=[
        Param("input", "mat_or_mats", "input: a matrix, or a list of matrices (channels)",
              doc_zh="输入：一个矩阵，或多个矩阵组成的列表（每个矩阵一个输入通道）"),
        Param("kernel", "mat_or_mats", "kernel: a matrix, or one matrix per input channel",
              doc_zh="卷积核：一个矩阵，或每个输入通道一个矩阵"),
        Param("bias", "float", "bias added to every output cell",
              doc_zh="加到每个输出元素上的偏置", default=0.0),
        Param("stride", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "zero padding p on each side", doc_zh="每一侧的零填充 p",
              default=0, min=0, max=MAX_WINDOW),
    ],
    answers=[Answer("output", "mat", "the output feature map (one output channel)",
                    doc_zh="输出特征图（一个输出通道）")],
    examples=[
        # Dive into Deep Learning, "Cross-Correlation Operation": [[19, 25], [37, 43]].
        dict(input=[[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel=[[0, 1], [2, 3]]),
        # D2L, "Multiple Input Channels": two channels summed, [[56, 72], [104, 120]].
        dict(input=[[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]],
             kernel=[[[0, 1], [2, 3]], [[1, 2], [3, 4]]]),
        # Padding 1 and stride 2 with a bias and negative numbers.
        dict(input=[[1, -2, 0], [3, 4, -1], [0, 2, 1]], kernel=[[1, 0], [-1, 2]], bias=-0.5,
             stride=2, padding=1),
    ],
)
def conv2d_forward(input, kernel, bias, stride, padding) -> Solution:  # noqa: A002
    """out[i][j] = Σ_c Σ_m Σ_n x_c[i·s + m][j·s + n] · K_c[m][n] + b, as `F.conv2d`.

    Cross-correlation (the kernel is not flipped), zero padding p on every side,
    one output channel that sums over the input channels, output size
    ⌊(n + 2p − k)/s⌋ + 1 per side. Rectangular kernels are allowed. Worked by hand, so
    the padded input and the output are capped (MAX_PADDED_CELLS, MAX_OUTPUT_CELLS).
    """
    x = _channels(input)
    k = _channels(kernel)
    c, height, width = x.shape
    kc, kh, kw = k.shape
    if kc != c:
        raise SolverInputError(
            "kernel", f"has {kc} channel(s) but the input has {c}; give one kernel matrix "
                      "per input channel",
        )
    out_h = conv_output_size(height, kh, stride, padding, 1, "height", kernel_param="kernel")
    out_w = conv_output_size(width, kw, stride, padding, 1, "width", kernel_param="kernel")
    check_forward_size(c, height, width, padding, out_h, out_w)
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    output = _slide(padded, kh, kw, stride, lambda w: float(np.sum(w * k)) + bias)

    steps = [
        Step(
            f"Cross-correlation as PyTorch's F.conv2d (no kernel flip): slide the {kh}×{kw} "
            f"kernel with stride {stride}, multiply element-wise, sum over the {c} input "
            f"channel(s), add the bias b = {num(bias)}; indices from 0",
            f"按 PyTorch F.conv2d 做互相关（不翻转卷积核）：{kh}×{kw} 卷积核以步幅 {stride} "
            f"滑动，逐元素相乘，对 {c} 个输入通道求和，再加偏置 b = {num(bias)}；下标从 0 开始",
            r"y_{ij} = \sum_c \sum_{m,n} x_{c,\,is+m,\,js+n} K_{c,m,n} + b",
        ),
    ]
    if padding:
        steps.append(_padding_step(padded, height, width, padding))
    steps.append(Step(
        f"Output size = (⌊({height} + 2·{padding} − {kh})/{stride}⌋ + 1) × "
        f"(⌊({width} + 2·{padding} − {kw})/{stride}⌋ + 1) = {out_h}×{out_w}  (PyTorch floors)",
        f"输出尺寸 = (⌊({height} + 2·{padding} − {kh})/{stride}⌋ + 1) × "
        f"(⌊({width} + 2·{padding} − {kw})/{stride}⌋ + 1) = {out_h}×{out_w}（PyTorch 向下取整）",
        r"\left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1: "
        rf"{floor_latex(height, padding, str(kh), stride, out_h)}, "
        rf"{floor_latex(width, padding, str(kw), stride, out_w)}",
        [out_h, out_w],
    ))
    where = "padded input" if padding else "input"
    where_zh = "填充后输入" if padding else "输入"
    for i, j in _shown_cells(out_h, out_w):
        r0, c0 = i * stride, j * stride
        window = _window(padded, i, j, kh, kw, stride)
        cell = _conv_cell(i, j, window, k, bias, output[i, j], TEXT)
        steps.append(Step(
            f"Window rows {r0}–{r0 + kh - 1}, columns {c0}–{c0 + kw - 1} of the {where}, "
            f"times the kernel, {c}·{kh}·{kw} = {c * kh * kw} products summed: {cell}",
            f"取{where_zh}第 {r0}–{r0 + kh - 1} 行、第 {c0}–{c0 + kw - 1} 列的窗口，"
            f"与卷积核逐元素相乘，{c}·{kh}·{kw} = {c * kh * kw} 个乘积求和：{cell}",
            _conv_cell(i, j, window, k, bias, output[i, j], LATEX),
            float(output[i, j]),
        ))
    steps.append(_whole_output_step(output, "cell", "各格"))
    return Solution({"output": output}, steps)


def _padding_step(padded: np.ndarray, height: int, width: int, padding: int) -> Step:
    """The zero-padding step; a single small channel is shown padded in full."""
    c, padded_h, padded_w = padded.shape
    shown = c == 1 and padded[0].size <= MAX_SHOWN
    latex = rf"{c} \times {height} \times {width} \to {c} \times {padded_h} \times {padded_w}"
    if shown:
        latex += rf", \quad \tilde{{x}} = {latex_matrix(padded[0])}"
    return Step(
        f"Zero-pad {padding} on every side: each channel {height}×{width} → "
        f"{padded_h}×{padded_w}",
        f"四周各补 {padding} 圈零：每个通道 {height}×{width} → {padded_h}×{padded_w}",
        latex,
        padded[0].tolist() if shown else None,
    )


def _pool_cell(i: int, j: int, values: np.ndarray, mode: str, value: float) -> tuple[str, str]:
    """One pooled cell as (text, LaTeX): max(a, b, ...) or (a + b + ...)/n = value."""
    n = len(values)
    if mode == "max":
        text = f"max({join_terms([num(v) for v in values], ', ')})"
        terms = join_terms([latex_num(v) for v in values], ", ", r"\cdots")
        latex = rf"\max({terms})"
    else:
        text = f"({join_terms([paren(v) for v in values], ' + ')})/{n}"
        terms = join_terms([latex_paren(v) for v in values], " + ", r"\cdots")
        latex = rf"\frac{{{terms}}}{{{n}}}"
    return (f"out[{i}][{j}] = {text} = {num(value)}",
            f"y_{{{i},{j}}} = {latex} = {latex_num(value)}")


@solver(
    topic="cnn",
    summary="Forward pass of 2-D max or average pooling by hand.",
    summary_zh="手算二维最大池化或平均池化的前向传播。",
    params=[
        Param("input", "mat", "input matrix (one channel)", doc_zh="输入矩阵（单通道）"),
        Param("kernel_size", "int", "square window side k", doc_zh="正方形池化窗口的边长 k", min=1,
              max=MAX_WINDOW),
        Param("stride", "int", "stride s (PyTorch default: kernel_size)",
              doc_zh="步幅 s（PyTorch 默认等于 kernel_size）", default=SameAs("kernel_size"),
              min=1, max=MAX_WINDOW),
        Param("mode", "str", "max or avg pooling", doc_zh="最大池化（max）或平均池化（avg）",
              default="max", choices=("max", "avg")),
    ],
    answers=[Answer("output", "mat", "the pooled matrix", doc_zh="池化后的矩阵")],
    examples=[
        # CS231n "Pooling layer" figure: 2x2 max pool, stride 2 -> [[6, 8], [3, 4]].
        dict(input=[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], kernel_size=2),
        # Dive into Deep Learning, "Pooling": 2x2 average, stride 1 -> [[2, 3], [5, 6]].
        dict(input=[[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel_size=2, stride=1, mode="avg"),
    ],
)
def pool2d_forward(input, kernel_size, stride, mode) -> Solution:  # noqa: A002
    """out[i][j] = max (or mean) of the k×k window at rows i·s…, columns j·s…

    As `F.max_pool2d` / `F.avg_pool2d` with no padding and ceil_mode=False: output size
    ⌊(n − k)/s⌋ + 1 per side, stride defaults to kernel_size, the average divides by k².
    """
    x = np.asarray(input, dtype=float)
    height, width = x.shape
    out_h = conv_output_size(height, kernel_size, stride, 0, 1, "height")
    out_w = conv_output_size(width, kernel_size, stride, 0, 1, "width")
    check_forward_size(1, height, width, 0, out_h, out_w)
    reduce = np.max if mode == "max" else np.mean
    output = _slide(x, kernel_size, kernel_size, stride, lambda w: float(reduce(w)))

    name, name_zh = ("max", "最大") if mode == "max" else ("average", "平均")
    steps = [
        Step(
            f"{name.capitalize()} pooling as PyTorch: {kernel_size}×{kernel_size} window, "
            f"stride {stride}, no padding; output size (⌊({height} − {kernel_size})/{stride}⌋ "
            f"+ 1) × (⌊({width} − {kernel_size})/{stride}⌋ + 1) = {out_h}×{out_w} "
            f"(PyTorch floors); indices from 0",
            f"按 PyTorch 做{name_zh}池化：{kernel_size}×{kernel_size} 窗口，步幅 {stride}，"
            f"无填充；输出尺寸 (⌊({height} − {kernel_size})/{stride}⌋ + 1) × "
            f"(⌊({width} − {kernel_size})/{stride}⌋ + 1) = {out_h}×{out_w}"
            f"（PyTorch 向下取整）；下标从 0 开始",
            r"\left\lfloor \frac{n - k}{s} \right\rfloor + 1: "
            rf"\left\lfloor \frac{{{height} - {kernel_size}}}{{{stride}}} \right\rfloor + 1 "
            rf"= {out_h}, \left\lfloor \frac{{{width} - {kernel_size}}}{{{stride}}} "
            rf"\right\rfloor + 1 = {out_w}",
            [out_h, out_w],
        ),
    ]
    for i, j in _shown_cells(out_h, out_w):
        r0, c0 = i * stride, j * stride
        values = _window(x, i, j, kernel_size, kernel_size, stride).ravel()
        cell, cell_latex = _pool_cell(i, j, values, mode, output[i, j])
        r1, c1, n = r0 + kernel_size - 1, c0 + kernel_size - 1, kernel_size ** 2
        steps.append(Step(
            f"Window rows {r0}–{r1}, columns {c0}–{c1} ({n} values): {cell}",
            f"窗口第 {r0}–{r1} 行、第 {c0}–{c1} 列（{n} 个值）：{cell}",
            cell_latex,
            float(output[i, j]),
        ))
    steps.append(_whole_output_step(output, "window", "窗口"))
    return Solution({"output": output}, steps)


# ---------------------------------------------------------------- transposed convolution


@solver(
    topic="cnn",
    summary="Forward pass of a single-output-channel ConvTranspose2d by hand (scatter and add).",
    summary_zh="手算单输出通道转置卷积 ConvTranspose2d 的前向传播（逐元素散射再相加）。",
    params=[
        Param("input", "mat_or_mats", "input: a matrix, or a list of matrices (channels)",
              doc_zh="输入：一个矩阵，或多个矩阵组成的列表（每个矩阵一个输入通道）"),
        Param("kernel", "mat_or_mats",
              "kernel: a matrix, or one matrix per input channel (torch weight "
              "(in_channels, 1, kH, kW))",
              doc_zh="卷积核：一个矩阵，或每个输入通道一个矩阵（torch 权重形状 (in_channels, 1, kH, kW)）"),
        Param("bias", "float", "bias added to every output cell",
              doc_zh="加到每个输出元素上的偏置", default=0.0),
        Param("stride", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "rows/columns cut from each side of the full output",
              doc_zh="从完整输出的每一侧裁掉的行/列数", default=0, min=0, max=MAX_WINDOW),
    ],
    answers=[Answer("output", "mat", "the output feature map (one output channel)",
                    doc_zh="输出特征图（一个输出通道）")],
    examples=[
        # Dive into Deep Learning, "Transposed Convolution": [[0, 0, 1], [0, 4, 6], [4, 12, 9]].
        dict(input=[[0, 1], [2, 3]], kernel=[[0, 1], [2, 3]]),
        # The same with stride 2: [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]].
        dict(input=[[0, 1], [2, 3]], kernel=[[0, 1], [2, 3]], stride=2),
        # Two input channels, stride 2, padding 1 and a bias.
        dict(input=[[[1, -1], [0, 2]], [[2, 0], [1, 1]]],
             kernel=[[[1, 0, -1], [0, 1, 0], [1, 1, 0]], [[0, 1, 0], [1, 0, 1], [0, -1, 1]]],
             bias=0.5, stride=2, padding=1),
    ],
)
def conv_transpose2d_forward(input, kernel, bias, stride, padding) -> Solution:  # noqa: A002
    """full[i·s + m][j·s + n] += Σ_c x_c[i][j] · K_c[m][n];  output = full cut by p on each
    side, + b.  As `torch.nn.functional.conv_transpose2d` with weight (C_in, 1, kH, kW).

    Every input element stamps a copy of the kernel, scaled by its value, at stride s
    into a full output of side (n − 1)·s + k; overlapping stamps add up; padding p then
    removes p rows and columns on each side (it undoes the padding of the conv that this
    layer transposes). The kernel is not flipped. Worked by hand, so sizes are capped.
    """
    x = _channels(input)
    k = _channels(kernel)
    c, height, width = x.shape
    kc, kh, kw = k.shape
    if kc != c:
        raise SolverInputError(
            "kernel", f"has {kc} channel(s) but the input has {c}; give one kernel matrix "
                      "per input channel")
    full_h, full_w = (height - 1) * stride + kh, (width - 1) * stride + kw
    out_h, out_w = full_h - 2 * padding, full_w - 2 * padding
    if out_h < 1 or out_w < 1:
        raise SolverInputError("padding", f"padding {padding} on each side leaves no output "
                                          f"(the full output is {full_h}×{full_w})")
    blame = "stride" if stride > 1 else "input"
    if full_h * full_w > MAX_PADDED_CELLS:
        raise SolverInputError(blame, f"the full output would have {full_h * full_w:,} cells; "
                                      f"this by-hand solver takes at most {MAX_PADDED_CELLS:,}")
    full = np.zeros((full_h, full_w))
    for ch in range(c):
        for i in range(height):
            for j in range(width):
                full[i * stride:i * stride + kh, j * stride:j * stride + kw] += x[ch, i, j] * k[ch]
    output = full[padding:full_h - padding, padding:full_w - padding] + bias + 0.0  # no -0.0

    steps = [Step(
        f"Transposed convolution as PyTorch's F.conv_transpose2d: each input element x[i][j] "
        f"adds x[i][j]·K (the {kh}×{kw} kernel, not flipped) into the output at rows "
        f"i·{stride}…, columns j·{stride}…; overlaps add up; {c} input channel(s) summed; "
        f"indices from 0",
        f"按 PyTorch 的 F.conv_transpose2d 做转置卷积：每个输入元素 x[i][j] 把 x[i][j]·K"
        f"（{kh}×{kw} 卷积核，不翻转）加到输出的第 i·{stride}… 行、第 j·{stride}… 列；重叠处相加；"
        f"对 {c} 个输入通道求和；下标从 0 开始",
        r"Y_{is+m,\,js+n} \mathrel{+}= \sum_c x_{c,ij} K_{c,mn}",
    ), Step(
        f"Full output size = ((n − 1)·s + k) per side = ({height} − 1)·{stride} + {kh} = "
        f"{full_h} by ({width} − 1)·{stride} + {kw} = {full_w}",
        f"完整输出尺寸 = 每边 (n − 1)·s + k：({height} − 1)·{stride} + {kh} = {full_h}，"
        f"({width} − 1)·{stride} + {kw} = {full_w}",
        rf"({height} - 1) \cdot {stride} + {kh} = {full_h},\ ({width} - 1) \cdot {stride} + "
        rf"{kw} = {full_w}",
        [full_h, full_w],
    )]
    shown = [(ch, i, j) for ch in range(c) for i in range(height) for j in range(width)][:3]
    for ch, i, j in shown:
        stamp = x[ch, i, j] * k[ch]
        where_en = f" of channel {ch}" if c > 1 else ""
        where_zh = f"（通道 {ch}）" if c > 1 else ""
        steps.append(Step(
            f"x[{i}][{j}]{where_en} = {num(x[ch, i, j])} adds {num(x[ch, i, j])}·K = "
            f"{matrix_text(stamp, 'en')} at rows {i * stride}–{i * stride + kh - 1}, columns "
            f"{j * stride}–{j * stride + kw - 1}",
            f"x[{i}][{j}]{where_zh} = {num(x[ch, i, j])}：把 {num(x[ch, i, j])}·K = "
            f"{matrix_text(stamp, 'zh')} 加到第 {i * stride}–{i * stride + kh - 1} 行、第 "
            f"{j * stride}–{j * stride + kw - 1} 列",
            rf"{latex_num(x[ch, i, j])} \cdot K = {latex_matrix(stamp)} \to Y_{{{i * stride}:"
            rf"{i * stride + kh},\,{j * stride}:{j * stride + kw}}}",
            stamp.tolist(),
        ))
    steps.append(Step(
        f"All {c * height * width} stamps added: full output = {matrix_text(full, 'en')}",
        f"全部 {c * height * width} 个“印章”相加：完整输出 = {matrix_text(full, 'zh')}",
        f"Y_{{full}} = {latex_matrix(full)}",
        full.tolist(),
    ))
    if padding or bias:
        steps.append(Step(
            f"Cut {padding} row(s)/column(s) from each side ({full_h}×{full_w} → "
            f"{out_h}×{out_w}) and add the bias b = {num(bias)}",
            f"从每一侧裁掉 {padding} 行/列（{full_h}×{full_w} → {out_h}×{out_w}），再加偏置 "
            f"b = {num(bias)}",
            rf"Y = Y_{{full}}[{padding}:{full_h - padding},\,{padding}:{full_w - padding}] + "
            rf"{latex_paren(bias)}",
            [out_h, out_w],
        ))
    steps.append(Step(
        f"Output ({out_h}×{out_w}) = {matrix_text(output, 'en')}",
        f"输出（{out_h}×{out_w}）= {matrix_text(output, 'zh')}",
        f"Y = {latex_matrix(output)}",
        output.tolist(),
    ))
    return Solution({"output": output}, steps)
