"""Backpropagation through convolution and pooling by hand, on small matrices (numpy).

Conventions follow PyTorch autograd on `F.conv2d`, `F.max_pool2d` and `F.avg_pool2d`
(one channel, cross-correlation, no padding for pooling, floor in output sizes). Given
the upstream gradient δ = ∂L/∂Y:

- conv: ∂L/∂K is the cross-correlation of the (padded) input with δ, ∂L/∂X scatters
  δ·K back onto the input (a "full" convolution, i.e. a transposed convolution), and
  ∂L/∂b = Σ δ;
- max pooling: each window passes its δ to the position of its maximum only (the first
  maximum in row-major order on ties, as PyTorch's CPU kernel); average pooling spreads
  δ/k² over the window; overlapping windows add up.
"""

from __future__ import annotations

import numpy as np

from solvers.cnn import MAX_WINDOW, conv_output_size
from solvers.cnn_forward import check_forward_size
from solvers.fmt import latex_matrix, latex_num, matrix_text, num, paren
from solvers.registry import (
    Answer,
    Param,
    SameAs,
    Solution,
    SolverInputError,
    Step,
    solver,
)

NEEDS_NUMPY = True  # the gradients slide windows over arrays


def _check_grad_shape(grad: np.ndarray, out_h: int, out_w: int) -> None:
    if grad.shape != (out_h, out_w):
        raise SolverInputError(
            "grad_output", f"expected {out_h} x {out_w} (the shape of the layer's output), "
                           f"got {grad.shape[0]} x {grad.shape[1]}")


@solver(
    topic="cnn",
    summary="Gradients of a one-channel Conv2d by hand: ∂L/∂K, ∂L/∂X and ∂L/∂b from δ = ∂L/∂Y.",
    summary_zh="手算单通道二维卷积的梯度：由 δ = ∂L/∂Y 求 ∂L/∂K、∂L/∂X 和 ∂L/∂b。",
    params=[
        Param("input", "mat", "the layer's input X (one channel)", doc_zh="该层的输入 X（单通道）"),
        Param("kernel", "mat", "the kernel K", doc_zh="卷积核 K"),
        Param("grad_output", "mat", "the upstream gradient δ = ∂L/∂Y (the output's shape)",
              doc_zh="上游梯度 δ = ∂L/∂Y（形状与输出相同）"),
        Param("stride", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "zero padding p on each side", doc_zh="每一侧的零填充 p",
              default=0, min=0, max=MAX_WINDOW),
    ],
    answers=[
        Answer("grad_kernel", "mat", "∂L/∂K", doc_zh="损失对卷积核的梯度 ∂L/∂K"),
        Answer("grad_input", "mat", "∂L/∂X", doc_zh="损失对输入的梯度 ∂L/∂X"),
        Answer("grad_bias", "float", "∂L/∂b = Σ δ", doc_zh="损失对偏置的梯度 ∂L/∂b = Σ δ"),
    ],
    examples=[
        # 3x3 input, 2x2 kernel, upstream gradient of ones: ∂L/∂K = sums of the windows.
        dict(input=[[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel=[[0, 1], [2, 3]],
             grad_output=[[1, 1], [1, 1]]),
        dict(input=[[1, 0, 2, 1], [0, 1, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]],
             kernel=[[1, -1], [0, 2]], grad_output=[[1, 0], [-1, 2]], stride=2),
    ],
)
def conv2d_backward(input, kernel, grad_output, stride, padding) -> Solution:  # noqa: A002
    """Y[i][j] = Σ_mn X̃[is + m][js + n]·K[m][n] + b (X̃ = X zero-padded by p), so

    ∂L/∂K[m][n] = Σ_ij δ[i][j]·X̃[is + m][js + n]  (cross-correlation of X̃ with δ),
    ∂L/∂X̃[is + m][js + n] += δ[i][j]·K[m][n]  (δ scattered back through K; crop p),
    ∂L/∂b = Σ_ij δ[i][j].  As torch autograd on `F.conv2d` (one channel).
    """
    x = np.asarray(input, dtype=float)
    k = np.asarray(kernel, dtype=float)
    delta = np.asarray(grad_output, dtype=float)
    height, width = x.shape
    kh, kw = k.shape
    out_h = conv_output_size(height, kh, stride, padding, 1, "height", kernel_param="kernel")
    out_w = conv_output_size(width, kw, stride, padding, 1, "width", kernel_param="kernel")
    check_forward_size(1, height, width, padding, out_h, out_w)
    _check_grad_shape(delta, out_h, out_w)
    padded = np.pad(x, padding)
    grad_k = np.zeros_like(k)
    grad_padded = np.zeros_like(padded)
    for i in range(out_h):
        for j in range(out_w):
            rows = slice(i * stride, i * stride + kh)
            cols = slice(j * stride, j * stride + kw)
            grad_k += delta[i, j] * padded[rows, cols]
            grad_padded[rows, cols] += delta[i, j] * k
    grad_x = grad_padded[padding:padding + height, padding:padding + width] + 0.0
    grad_k = grad_k + 0.0
    grad_b = float(delta.sum()) + 0.0

    first = [f"{paren(delta[i, j])}·{paren(padded[i * stride, j * stride])}"
             for i in range(out_h) for j in range(out_w)][:6]
    steps = [
        Step(f"Convention: PyTorch F.conv2d (cross-correlation), stride {stride}, padding "
             f"{padding}. Y[i][j] = Σ X̃[i·s + m][j·s + n]·K[m][n] + b, so each weight K[m][n] "
             f"meets every output once: ∂L/∂K[m][n] = Σ_ij δ[i][j]·X̃[i·s + m][j·s + n]",
             f"约定：PyTorch F.conv2d（互相关），步幅 {stride}，填充 {padding}。Y[i][j] = "
             f"Σ X̃[i·s + m][j·s + n]·K[m][n] + b，每个权重 K[m][n] 在每个输出中出现一次："
             f"∂L/∂K[m][n] = Σ_ij δ[i][j]·X̃[i·s + m][j·s + n]",
             r"\frac{\partial L}{\partial K_{mn}} = \sum_{i,j} \delta_{ij}\, "
             r"\tilde{X}_{is+m,\,js+n}"),
        Step(f"∂L/∂K[0][0] = {' + '.join(first)}{' + …' if out_h * out_w > 6 else ''} = "
             f"{num(grad_k[0, 0])}; all of ∂L/∂K (the input cross-correlated with δ) = "
             f"{matrix_text(grad_k, 'en')}",
             f"∂L/∂K[0][0] = {' + '.join(first)}{' + …' if out_h * out_w > 6 else ''} = "
             f"{num(grad_k[0, 0])}；整个 ∂L/∂K（输入与 δ 做互相关）= {matrix_text(grad_k, 'zh')}",
             rf"\frac{{\partial L}}{{\partial K}} = \tilde{{X}} \star \delta = "
             rf"{latex_matrix(grad_k)}",
             grad_k.tolist()),
        Step(f"∂L/∂X: every δ[i][j] sends δ[i][j]·K back to the window it came from (overlaps "
             f"add up){', then the padding is cut off' if padding else ''}: "
             f"{matrix_text(grad_x, 'en')}",
             f"∂L/∂X：每个 δ[i][j] 把 δ[i][j]·K 送回它来自的窗口（重叠处相加）"
             f"{'，再去掉填充部分' if padding else ''}：{matrix_text(grad_x, 'zh')}",
             r"\frac{\partial L}{\partial \tilde{X}_{is+m,\,js+n}} \mathrel{+}= "
             rf"\delta_{{ij}} K_{{mn}} \Rightarrow \frac{{\partial L}}{{\partial X}} = "
             rf"{latex_matrix(grad_x)}",
             grad_x.tolist()),
        Step(f"∂L/∂b = Σ δ = {num(grad_b)} (the bias is added to every output)",
             f"∂L/∂b = Σ δ = {num(grad_b)}（偏置加到每个输出上）",
             rf"\frac{{\partial L}}{{\partial b}} = \sum_{{i,j}} \delta_{{ij}} = "
             rf"{latex_num(grad_b)}",
             grad_b),
    ]
    return Solution({"grad_kernel": grad_k, "grad_input": grad_x, "grad_bias": grad_b}, steps)


@solver(
    topic="cnn",
    summary="Gradient through max or average pooling by hand: δ goes to the argmax (max) or is spread (avg).",
    summary_zh="手算经过最大/平均池化的梯度：δ 只传给最大值位置（max）或平均分摊（avg）。",
    params=[
        Param("input", "mat", "the pooling layer's input (one channel)",
              doc_zh="池化层的输入（单通道）"),
        Param("grad_output", "mat", "the upstream gradient δ = ∂L/∂Y (the output's shape)",
              doc_zh="上游梯度 δ = ∂L/∂Y（形状与输出相同）"),
        Param("kernel_size", "int", "square window side k", doc_zh="正方形池化窗口的边长 k", min=1,
              max=MAX_WINDOW),
        Param("stride", "int", "stride s (PyTorch default: kernel_size)",
              doc_zh="步幅 s（PyTorch 默认等于 kernel_size）", default=SameAs("kernel_size"),
              min=1, max=MAX_WINDOW),
        Param("mode", "str", "max or avg pooling", doc_zh="最大池化（max）或平均池化（avg）",
              default="max", choices=("max", "avg")),
    ],
    answers=[Answer("grad_input", "mat", "∂L/∂X, the input's shape",
                    doc_zh="∂L/∂X（形状与输入相同）")],
    examples=[
        # CS231n "Pooling layer" figure (2x2, stride 2) with upstream gradient [[1, 2], [3, 4]]:
        # each δ lands where the 6, 8, 3 and 4 were.
        dict(input=[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]],
             grad_output=[[1, 2], [3, 4]], kernel_size=2),
        dict(input=[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]],
             grad_output=[[1, 2], [3, 4]], kernel_size=2, mode="avg"),
        # Overlapping 3x3 windows, stride 2: a shared maximum collects two gradients.
        dict(input=[[1, 2, 0, 1, 3], [0, 4, 1, 2, 1], [2, 1, 9, 0, 1], [1, 0, 2, 5, 0],
                    [3, 1, 0, 2, 1]], grad_output=[[1, 1], [1, 1]], kernel_size=3, stride=2),
    ],
)
def pool2d_backward(input, grad_output, kernel_size, stride, mode) -> Solution:  # noqa: A002
    """max: ∂L/∂X[r][c] = Σ over the windows whose (first, row-major) maximum is at (r, c)
    of their δ; avg: ∂L/∂X[r][c] = Σ over the windows that contain (r, c) of δ/k².

    As torch autograd on `F.max_pool2d` / `F.avg_pool2d` (no padding, floor mode). Pooling
    has no parameters, so this is the only gradient it has.
    """
    x = np.asarray(input, dtype=float)
    delta = np.asarray(grad_output, dtype=float)
    height, width = x.shape
    out_h = conv_output_size(height, kernel_size, stride, 0, 1, "height")
    out_w = conv_output_size(width, kernel_size, stride, 0, 1, "width")
    check_forward_size(1, height, width, 0, out_h, out_w)
    _check_grad_shape(delta, out_h, out_w)
    grad = np.zeros_like(x)
    routes = []
    area = kernel_size * kernel_size
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * stride, j * stride
            window = x[r0:r0 + kernel_size, c0:c0 + kernel_size]
            if mode == "max":
                m, n = divmod(int(np.argmax(window)), kernel_size)
                grad[r0 + m, c0 + n] += delta[i, j]
                routes.append((i, j, r0 + m, c0 + n, window[m, n]))
            else:
                grad[r0:r0 + kernel_size, c0:c0 + kernel_size] += delta[i, j] / area
    grad = grad + 0.0
    if mode == "max":
        shown = [f"δ[{i}][{j}] = {num(delta[i, j])} → X[{r}][{c}] (max {num(v)})"
                 for i, j, r, c, v in routes[:6]]
        shown_zh = [f"δ[{i}][{j}] = {num(delta[i, j])} → X[{r}][{c}]（最大值 {num(v)}）"
                    for i, j, r, c, v in routes[:6]]
        shown_latex = [rf"\delta_{{{i}{j}}} = {latex_num(delta[i, j])} \to X_{{{r}{c}}}"
                       for i, j, r, c, _ in routes[:6]]
        more = " …" if len(routes) > 6 else ""
        steps = [
            Step(f"Max pooling ({kernel_size}×{kernel_size}, stride {stride}, PyTorch): the "
                 f"output is the window's maximum, so its derivative is 1 at the argmax and 0 "
                 f"elsewhere; each δ goes to its window's argmax (first one on ties), "
                 f"overlapping windows add up",
                 f"最大池化（{kernel_size}×{kernel_size}，步幅 {stride}，PyTorch）：输出是窗口的最大值，"
                 f"其导数在最大值位置为 1，其余为 0；每个 δ 只传给所在窗口的最大值位置（并列时取第一个），"
                 f"重叠窗口的梯度相加",
                 r"\frac{\partial L}{\partial X_{rc}} = \sum_{(i,j):\ (r,c) = "
                 r"\arg\max \text{window}_{ij}} \delta_{ij}"),
            Step("Routes: " + "; ".join(shown) + more,
                 "梯度去向：" + "；".join(shown_zh) + more,
                 ",\\ ".join(shown_latex),
                 [[i, j, r, c] for i, j, r, c, _ in routes]),
        ]
    else:
        steps = [
            Step(f"Average pooling ({kernel_size}×{kernel_size}, stride {stride}, PyTorch): each "
                 f"output is the mean of {area} inputs, so each of them gets δ/{area}; "
                 f"overlapping windows add up",
                 f"平均池化（{kernel_size}×{kernel_size}，步幅 {stride}，PyTorch）：每个输出是 "
                 f"{area} 个输入的平均，所以每个输入得到 δ/{area}；重叠窗口的梯度相加",
                 rf"\frac{{\partial L}}{{\partial X_{{rc}}}} = \sum_{{(i,j) \ni (r,c)}} "
                 rf"\frac{{\delta_{{ij}}}}{{{area}}}"),
        ]
    steps.append(Step(
        f"∂L/∂X ({height}×{width}) = {matrix_text(grad, 'en')}; every other input gets 0"
        if mode == "max" else f"∂L/∂X ({height}×{width}) = {matrix_text(grad, 'en')}",
        f"∂L/∂X（{height}×{width}）= {matrix_text(grad, 'zh')}；其余输入的梯度为 0"
        if mode == "max" else f"∂L/∂X（{height}×{width}，平均分摊）= {matrix_text(grad, 'zh')}",
        rf"\frac{{\partial L}}{{\partial X}} = {latex_matrix(grad)}",
        grad.tolist(),
    ))
    return Solution({"grad_input": grad}, steps)
