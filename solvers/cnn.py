"""Convolutional layers: shapes, parameter counts, and small forward passes by hand.

Conventions follow PyTorch (`nn.Conv2d`, `F.conv2d`, `F.max_pool2d`, `nn.Linear`):
square kernels in the shape solvers, floor division in output sizes (ceil_mode=False),
cross-correlation (no kernel flip), one bias per output channel / output unit.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from solvers.fmt import (
    MAX_SHOWN,
    MAX_TERMS,
    join_terms,
    latex_matrix,
    latex_num,
    latex_paren,
    latex_vec,
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

MAX_SIDE = 100_000  # image height / width
MAX_CHANNELS = 100_000  # channels, filters, groups
MAX_WINDOW = 1_000  # kernel_size, stride, padding, dilation
MAX_FEATURES = 10_000_000  # a Dense layer on raw pixels: 224·224·3 = 150,528 inputs
# By-hand forward passes build the padded input and loop over the output in Python:
MAX_PADDED_CELLS = 20_000  # channels · padded height · padded width
MAX_OUTPUT_CELLS = 10_000  # output height · output width


def conv_output_size(size: int, kernel_size: int, stride: int, padding: int, dilation: int,
                     param: str, *, kernel_param: str = "kernel_size") -> int:
    """⌊(size + 2p − d(k−1) − 1) / s⌋ + 1, or SolverInputError when the kernel overhangs.

    `param` names the dimension (height/width) in the message; `kernel_param` is the
    parameter blamed when the kernel does not fit.
    """
    span = dilation * (kernel_size - 1) + 1
    padded = size + 2 * padding
    if span > padded:
        raise SolverInputError(
            kernel_param,
            f"the kernel spans {span} but the padded {param} is only {padded}",
        )
    return (padded - span) // stride + 1


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


def _floor_latex(size: int, padding: int, span: str, stride: int, out: int) -> str:
    """⌊(n + 2p − span)/s⌋ + 1 = out in LaTeX, with the numbers; `span` is what the
    kernel takes away, as written in the step's text ('10 - 1' or '3')."""
    return (rf"\left\lfloor \frac{{{size} + 2 \cdot {padding} - {span}}}{{{stride}}} "
            rf"\right\rfloor + 1 = {out}")


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


@solver(
    topic="cnn",
    summary="Output size, parameter count and multiply-accumulates of a Conv2d layer.",
    summary_zh="二维卷积层的输出尺寸、参数量和乘加次数。",
    params=[
        Param("height", "int", "input height", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", min=1, max=MAX_SIDE),
        Param("in_channels", "int", "input channels", min=1, max=MAX_CHANNELS),
        Param("out_channels", "int", "output channels (number of filters)", min=1,
              max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k", min=1, max=MAX_WINDOW),
        Param("stride", "int", "stride s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "zero padding p on each side", default=0, min=0,
              max=MAX_WINDOW),
        Param("dilation", "int", "dilation d", default=1, min=1, max=MAX_WINDOW),
        Param("groups", "int", "groups (in_channels for depthwise)", default=1, min=1,
              max=MAX_CHANNELS),
        Param("bias", "bool", "one bias per output channel", default=True),
    ],
    answers=[
        Answer("out_height", "int", "output height"),
        Answer("out_width", "int", "output width"),
        Answer("params", "int", "weights + biases"),
        Answer("macs", "int", "multiply-accumulates for one input"),
    ],
    examples=[
        # AlexNet conv1 (CS231n): 227x227x3, 96 filters 11x11, stride 4 -> 55x55x96.
        dict(height=227, width=227, in_channels=3, out_channels=96, kernel_size=11,
             stride=4),
        # VGG: a 3x3 conv with "same" padding keeps 224x224.
        dict(height=224, width=224, in_channels=64, out_channels=64, kernel_size=3,
             padding=1),
    ],
)
def conv2d_shape(height, width, in_channels, out_channels, kernel_size, stride, padding,
                 dilation, groups, bias) -> Solution:
    """out = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1; params = C_out·(C_in/g)·k² + C_out (bias).

    MACs = H_out·W_out·C_out·(C_in/g)·k² (bias additions not counted).
    """
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise SolverInputError(name, f"{channels} is not divisible by groups={groups}")
    out_h = conv_output_size(height, kernel_size, stride, padding, dilation, "height")
    out_w = conv_output_size(width, kernel_size, stride, padding, dilation, "width")
    per_filter = (in_channels // groups) * kernel_size * kernel_size
    n_bias = out_channels if bias else 0
    params = out_channels * per_filter + n_bias
    macs = out_h * out_w * out_channels * per_filter
    k_eff = dilation * (kernel_size - 1) + 1
    steps = [
        Step(
            f"Output height = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊({height} + 2·{padding} − "
            f"{k_eff - 1} − 1)/{stride}⌋ + 1 = {out_h}  (PyTorch floors)",
            f"输出高度 = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊({height} + 2·{padding} − "
            f"{k_eff - 1} − 1)/{stride}⌋ + 1 = {out_h}（PyTorch 向下取整）",
            r"H_{out} = \left\lfloor \frac{H + 2p - d(k-1) - 1}{s} \right\rfloor + 1 = "
            + _floor_latex(height, padding, f"{k_eff - 1} - 1", stride, out_h),
            out_h,
        ),
        Step(
            f"Output width, same formula with W = {width}: {out_w}",
            f"输出宽度，同一公式，W = {width}：{out_w}",
            r"W_{out} = \left\lfloor \frac{W + 2p - d(k-1) - 1}{s} \right\rfloor + 1 = "
            + _floor_latex(width, padding, f"{k_eff - 1} - 1", stride, out_w),
            out_w,
        ),
        Step(
            f"Weights per filter = (C_in/groups)·k² = {in_channels // groups}·{kernel_size}² = "
            f"{per_filter}",
            f"每个卷积核的权重数 = (C_in/groups)·k² = {in_channels // groups}·{kernel_size}² = "
            f"{per_filter}",
            rf"\frac{{C_{{in}}}}{{g}} k^2 = {in_channels // groups} \cdot {kernel_size}^2 = "
            rf"{per_filter}",
            per_filter,
        ),
        Step(
            f"Parameters = C_out·{per_filter} + {'C_out biases' if bias else 'no bias'} = "
            f"{out_channels}·{per_filter} + {n_bias} = {params}",
            f"参数量 = C_out·{per_filter} + {'C_out 个偏置' if bias else '无偏置'} = "
            f"{out_channels}·{per_filter} + {n_bias} = {params}",
            r"C_{out} \frac{C_{in}}{g} k^2" + (r" + C_{out}" if bias else "")
            + rf" = {out_channels} \cdot {per_filter}" + (f" + {n_bias}" if bias else "")
            + f" = {params}",
            params,
        ),
        Step(
            f"MACs = H_out·W_out·C_out·{per_filter} = {out_h}·{out_w}·{out_channels}·{per_filter}"
            f" = {num(macs)}",
            f"乘加次数 = H_out·W_out·C_out·{per_filter} = {out_h}·{out_w}·{out_channels}·"
            f"{per_filter} = {num(macs)}",
            rf"H_{{out}} W_{{out}} C_{{out}} \frac{{C_{{in}}}}{{g}} k^2 = {out_h} \cdot {out_w} "
            rf"\cdot {out_channels} \cdot {per_filter} = {macs}",
            macs,
        ),
    ]
    return Solution(
        {"out_height": out_h, "out_width": out_w, "params": params, "macs": macs}, steps
    )


@solver(
    topic="cnn",
    summary="Output size of a 2-D max/avg pooling layer.",
    summary_zh="二维最大/平均池化层的输出尺寸。",
    params=[
        Param("height", "int", "input height", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", min=1, max=MAX_SIDE),
        Param("channels", "int", "input channels (pooling keeps them)", default=1, min=1,
              max=MAX_CHANNELS),
        Param("kernel_size", "int", "square window side k", min=1, max=MAX_WINDOW),
        Param("stride", "int", "stride s (PyTorch default: kernel_size)",
              default=SameAs("kernel_size"), min=1, max=MAX_WINDOW),
        Param("padding", "int", "implicit padding p on each side, at most k/2", default=0,
              min=0, max=MAX_WINDOW),
    ],
    answers=[
        Answer("out_height", "int", "output height"),
        Answer("out_width", "int", "output width"),
    ],
    examples=[
        # AlexNet's overlapping pool (CS231n): 55x55x96, 3x3 window, stride 2 -> 27x27x96.
        dict(height=55, width=55, channels=96, kernel_size=3, stride=2),
        # VGG: a 2x2 max pool (stride = kernel_size by default) halves 224 to 112.
        dict(height=224, width=224, channels=64, kernel_size=2),
    ],
)
def pool2d_shape(height, width, channels, kernel_size, stride, padding) -> Solution:
    """out = ⌊(n + 2p − k)/s⌋ + 1 per spatial side, as `nn.MaxPool2d`/`nn.AvgPool2d`.

    PyTorch floors (ceil_mode=False), defaults stride to kernel_size and rejects
    padding > kernel_size/2. Channels pass through unchanged; pooling has no parameters.
    """
    if 2 * padding > kernel_size:
        raise SolverInputError(
            "padding",
            f"PyTorch requires padding <= kernel_size/2 = {num(kernel_size / 2)}, got {padding}",
        )
    out_h = conv_output_size(height, kernel_size, stride, padding, 1, "height")
    out_w = conv_output_size(width, kernel_size, stride, padding, 1, "width")
    steps = [
        Step(
            f"Pooling window k = {kernel_size}, stride s = {stride}, padding p = {padding} "
            f"(PyTorch: stride defaults to k, p ≤ k/2, floor i.e. ceil_mode=False)",
            f"池化窗口 k = {kernel_size}，步幅 s = {stride}，填充 p = {padding}"
            f"（PyTorch：步幅默认等于 k，要求 p ≤ k/2，向下取整即 ceil_mode=False）",
            r"H_{out} = \left\lfloor \frac{H + 2p - k}{s} \right\rfloor + 1",
        ),
        Step(
            f"Output height = ⌊(H + 2p − k)/s⌋ + 1 = ⌊({height} + 2·{padding} − {kernel_size})"
            f"/{stride}⌋ + 1 = {out_h}  (PyTorch floors)",
            f"输出高度 = ⌊(H + 2p − k)/s⌋ + 1 = ⌊({height} + 2·{padding} − {kernel_size})"
            f"/{stride}⌋ + 1 = {out_h}（PyTorch 向下取整）",
            rf"H_{{out}} = \left\lfloor \frac{{{height} + 2 \cdot {padding} - {kernel_size}}}"
            rf"{{{stride}}} \right\rfloor + 1 = {out_h}",
            out_h,
        ),
        Step(
            f"Output width = ⌊({width} + 2·{padding} − {kernel_size})/{stride}⌋ + 1 = {out_w}",
            f"输出宽度 = ⌊({width} + 2·{padding} − {kernel_size})/{stride}⌋ + 1 = {out_w}",
            rf"W_{{out}} = \left\lfloor \frac{{{width} + 2 \cdot {padding} - {kernel_size}}}"
            rf"{{{stride}}} \right\rfloor + 1 = {out_w}",
            out_w,
        ),
        Step(
            f"Each of the {channels} channel(s) is pooled on its own: output "
            f"{channels}×{out_h}×{out_w}; pooling has no trainable parameters",
            f"{channels} 个通道各自独立池化：输出 {channels}×{out_h}×{out_w}；池化层没有可训练参数",
            rf"C \times H_{{out}} \times W_{{out}} = {channels} \times {out_h} \times {out_w}",
            [channels, out_h, out_w],
        ),
    ]
    return Solution({"out_height": out_h, "out_width": out_w}, steps)


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
        Param("input", "mat_or_mats", "input: a matrix, or a list of matrices (channels)"),
        Param("kernel", "mat_or_mats", "kernel: a matrix, or one matrix per input channel"),
        Param("bias", "float", "bias added to every output cell", default=0.0),
        Param("stride", "int", "stride s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "zero padding p on each side", default=0, min=0,
              max=MAX_WINDOW),
    ],
    answers=[Answer("output", "mat", "the output feature map (one output channel)")],
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
        rf"{_floor_latex(height, padding, str(kh), stride, out_h)}, "
        rf"{_floor_latex(width, padding, str(kw), stride, out_w)}",
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
        Param("input", "mat", "input matrix (one channel)"),
        Param("kernel_size", "int", "square window side k", min=1, max=MAX_WINDOW),
        Param("stride", "int", "stride s (PyTorch default: kernel_size)",
              default=SameAs("kernel_size"), min=1, max=MAX_WINDOW),
        Param("mode", "str", "max or avg pooling", default="max", choices=("max", "avg")),
    ],
    answers=[Answer("output", "mat", "the pooled matrix")],
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


@solver(
    topic="cnn",
    summary="Parameters of a depthwise-separable convolution vs a standard one.",
    summary_zh="深度可分离卷积与标准卷积的参数量对比。",
    params=[
        Param("in_channels", "int", "input channels C_in", min=1, max=MAX_CHANNELS),
        Param("out_channels", "int", "output channels C_out", min=1, max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k of the depthwise conv", min=1,
              max=MAX_WINDOW),
        Param("bias", "bool", "each conv has one bias per output channel", default=True),
    ],
    answers=[
        Answer("depthwise", "int", "params of Conv2d(C_in, C_in, k, groups=C_in)"),
        Answer("pointwise", "int", "params of Conv2d(C_in, C_out, 1)"),
        Answer("total", "int", "depthwise + pointwise"),
        Answer("standard", "int", "params of Conv2d(C_in, C_out, k)"),
        Answer("ratio", "float", "total / standard"),
    ],
    examples=[
        # MobileNet's first separable block: 3x3 depthwise on 32 channels, then 1x1 to 64.
        dict(in_channels=32, out_channels=64, kernel_size=3, bias=False),
        dict(in_channels=3, out_channels=16, kernel_size=5),
    ],
)
def depthwise_separable_params(in_channels, out_channels, kernel_size, bias) -> Solution:
    """depthwise = C_in·k² (+ C_in), pointwise = C_in·C_out (+ C_out),
    standard = C_out·C_in·k² (+ C_out); ratio = total / standard.

    Bias: one per output channel of each conv, as PyTorch's Conv2d(bias=True). Without
    bias the ratio is MobileNet's 1/C_out + 1/k².
    """
    k2 = kernel_size * kernel_size
    dw_bias = in_channels if bias else 0
    pw_bias = out_channels if bias else 0
    depthwise = in_channels * k2 + dw_bias
    pointwise = in_channels * out_channels + pw_bias
    total = depthwise + pointwise
    standard = out_channels * in_channels * k2 + pw_bias
    ratio = total / standard
    bias_en = "bias: one per output channel (PyTorch)" if bias else "no bias"
    bias_zh = "偏置：每个输出通道一个（PyTorch）" if bias else "无偏置"
    steps = [
        Step(
            f"Depthwise Conv2d({in_channels}, {in_channels}, {kernel_size}, "
            f"groups={in_channels}): one {kernel_size}×{kernel_size} filter per channel = "
            f"{in_channels}·{k2} + {dw_bias} = {depthwise}; {bias_en}",
            f"逐通道卷积 Conv2d({in_channels}, {in_channels}, {kernel_size}, "
            f"groups={in_channels})：每个通道一个 {kernel_size}×{kernel_size} 卷积核 = "
            f"{in_channels}·{k2} + {dw_bias} = {depthwise}；{bias_zh}",
            r"C_{in} k^2" + (r" + C_{in}" if bias else "")
            + rf" = {in_channels} \cdot {k2}" + (f" + {dw_bias}" if bias else "")
            + f" = {depthwise}",
            depthwise,
        ),
        Step(
            f"Pointwise Conv2d({in_channels}, {out_channels}, 1): {in_channels}·{out_channels} "
            f"+ {pw_bias} = {pointwise}",
            f"逐点卷积 Conv2d({in_channels}, {out_channels}, 1)：{in_channels}·{out_channels} "
            f"+ {pw_bias} = {pointwise}",
            r"C_{in} C_{out}" + (r" + C_{out}" if bias else "")
            + rf" = {in_channels} \cdot {out_channels}" + (f" + {pw_bias}" if bias else "")
            + f" = {pointwise}",
            pointwise,
        ),
        Step(
            f"Depthwise separable total = {depthwise} + {pointwise} = {total}",
            f"深度可分离卷积合计 = {depthwise} + {pointwise} = {total}",
            rf"\text{{total}} = \text{{depthwise}} + \text{{pointwise}} = {depthwise} + "
            rf"{pointwise} = {total}",
            total,
        ),
        Step(
            f"Standard Conv2d({in_channels}, {out_channels}, {kernel_size}) = "
            f"{out_channels}·{in_channels}·{k2} + {pw_bias} = {standard}",
            f"标准卷积 Conv2d({in_channels}, {out_channels}, {kernel_size}) = "
            f"{out_channels}·{in_channels}·{k2} + {pw_bias} = {standard}",
            r"C_{out} C_{in} k^2" + (r" + C_{out}" if bias else "")
            + rf" = {out_channels} \cdot {in_channels} \cdot {k2}"
            + (f" + {pw_bias}" if bias else "") + f" = {standard}",
            standard,
        ),
        Step(
            f"Ratio = total / standard = {total}/{standard} = {num(ratio)}  (without bias "
            f"this is MobileNet's 1/C_out + 1/k² = 1/{out_channels} + 1/{k2} = "
            f"{num(1 / out_channels + 1 / k2)})",
            f"比值 = 合计 / 标准 = {total}/{standard} = {num(ratio)}（无偏置时即 MobileNet 的 "
            f"1/C_out + 1/k² = 1/{out_channels} + 1/{k2} = {num(1 / out_channels + 1 / k2)}）",
            rf"\frac{{\text{{total}}}}{{\text{{standard}}}} = \frac{{{total}}}{{{standard}}} = "
            rf"{latex_num(ratio)};\ \text{{without bias}}\ "
            r"\frac{C_{in} k^2 + C_{in} C_{out}}{C_{in} C_{out} k^2} = \frac{1}{C_{out}} "
            r"+ \frac{1}{k^2}",
            ratio,
        ),
    ]
    return Solution(
        {"depthwise": depthwise, "pointwise": pointwise, "total": total,
         "standard": standard, "ratio": ratio},
        steps,
    )


@solver(
    topic="cnn",
    summary="Parameter count of a fully connected (Dense / nn.Linear) layer.",
    summary_zh="全连接层（Dense / nn.Linear）的参数量。",
    params=[
        Param("in_features", "int", "inputs per example", min=1, max=MAX_FEATURES),
        Param("out_features", "int", "output units", min=1, max=MAX_FEATURES),
        Param("bias", "bool", "one bias per output unit", default=True),
    ],
    answers=[Answer("params", "int", "weights + biases")],
    examples=[
        # Softmax regression on MNIST: 784 pixels -> 10 classes = 7850 parameters.
        dict(in_features=784, out_features=10),
        # Chollet, Deep Learning with Python, ch. 2: Dense(512) on 28*28 inputs = 401,920.
        dict(in_features=784, out_features=512),
    ],
)
def dense_params(in_features, out_features, bias) -> Solution:
    """params = in·out + out (bias), as `nn.Linear` (weight out × in) and Keras Dense."""
    weights = in_features * out_features
    n_bias = out_features if bias else 0
    params = weights + n_bias
    steps = [
        Step(
            f"Weight matrix out × in (nn.Linear) = {out_features}·{in_features} = {weights}",
            f"权重矩阵 out × in（nn.Linear）= {out_features}·{in_features} = {weights}",
            rf"\text{{out}} \cdot \text{{in}} = {out_features} \cdot {in_features} = {weights}",
            weights,
        ),
        Step(
            f"Biases: {'one per output unit' if bias else 'none'} = {n_bias}; "
            f"params = {weights} + {n_bias} = {params}",
            f"偏置：{'每个输出单元一个' if bias else '无'} = {n_bias}；"
            f"参数量 = {weights} + {n_bias} = {params}",
            r"\text{in} \cdot \text{out}" + (r" + \text{out}" if bias else "")
            + f" = {weights}" + (f" + {n_bias}" if bias else "") + f" = {params}",
            params,
        ),
    ]
    return Solution({"params": params}, steps)


@solver(
    topic="cnn",
    summary="Capsule squash non-linearity: keep the direction, map the length into [0, 1).",
    summary_zh="胶囊网络的 squash 非线性：保持方向，把长度压缩到 [0, 1)。",
    params=[Param("s", "vec", "a capsule's total input vector s_j")],
    answers=[
        Answer("v", "vec", "the squashed output vector v_j"),
        Answer("norm", "float", "its length |v_j| = |s|²/(1 + |s|²)"),
    ],
    examples=[
        dict(s=[3, 4]),  # |s| = 5, so |v| = 25/26 along (0.6, 0.8)
        dict(s=[0, 0]),  # s = 0 gives v = 0
    ],
)
def squash(s) -> Solution:
    """v = (|s|² / (1 + |s|²)) · s / |s|  (Sabour et al. 2017, eq. 1); s = 0 gives v = 0."""
    vec = np.asarray(s, dtype=float)
    norm_s = float(np.linalg.norm(vec))
    scale = norm_s**2 / (1 + norm_s**2)
    v = vec * (scale / norm_s) if norm_s > 0 else np.zeros_like(vec)
    steps = [
        Step(
            f"|s| = √(Σ s_i²) = {num(norm_s)}; |s|² = {num(norm_s ** 2)}",
            f"s 的长度 |s| = √(Σ s_i²) = {num(norm_s)}；|s|² = {num(norm_s ** 2)}",
            r"\lVert s \rVert = \sqrt{\textstyle\sum_i s_i^2} = " + latex_num(norm_s),
            norm_s,
        ),
        Step(
            f"Length of v = |s|²/(1 + |s|²) = {num(norm_s ** 2)}/{num(1 + norm_s ** 2)} = "
            f"{num(scale)} (short vectors shrink towards 0, long ones approach 1)",
            f"v 的长度 = |s|²/(1 + |s|²) = {num(norm_s ** 2)}/{num(1 + norm_s ** 2)} = "
            f"{num(scale)}（短向量被压向 0，长向量趋近 1）",
            r"\lVert v \rVert = \frac{\lVert s \rVert^2}{1 + \lVert s \rVert^2} = "
            rf"\frac{{{latex_num(norm_s ** 2)}}}{{{latex_num(1 + norm_s ** 2)}}} = "
            + latex_num(scale),
            scale,
        ),
        Step(
            f"Direction kept: v = {num(scale)} · s/|s| = {num(v.tolist())}"
            if norm_s > 0 else "s = 0, so v = 0 (no direction to keep)",
            f"方向不变：v = {num(scale)} · s/|s| = {num(v.tolist())}"
            if norm_s > 0 else "s = 0，因此 v = 0（没有方向可保持）",
            (r"v = \frac{\lVert s \rVert^2}{1 + \lVert s \rVert^2} \frac{s}{\lVert s \rVert} = "
             if norm_s > 0 else r"s = 0 \Rightarrow v = ") + latex_vec(v),
            v.tolist(),
        ),
    ]
    return Solution({"v": v, "norm": scale}, steps)
