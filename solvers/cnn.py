"""Convolutional layers: output shapes and parameter counts (closed-form arithmetic).

Conventions follow PyTorch (`nn.Conv2d`, `nn.MaxPool2d`, `nn.Linear`): square kernels,
floor division in output sizes (ceil_mode=False), one bias per output channel / output
unit. Plain Python, no numpy: these are the solvers a quiz opens with, so they must
start fast (see `SolverSpec.needs_numpy`). The by-hand forward passes, which work on
arrays, are in `cnn_forward.py`.
"""

from __future__ import annotations

import math

from solvers.fmt import latex_num, latex_vec, num
from solvers.registry import (
    Answer,
    Param,
    SameAs,
    Solution,
    SolverInputError,
    Step,
    _show,
    solver,
)

MAX_SIDE = 100_000  # image height / width
MAX_CHANNELS = 100_000  # channels, filters, groups
MAX_WINDOW = 1_000  # kernel_size, stride, padding, dilation
MAX_FEATURES = 10_000_000  # a Dense layer on raw pixels: 224·224·3 = 150,528 inputs


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


def floor_latex(size: int, padding: int, span: str, stride: int, out: int) -> str:
    """⌊(n + 2p − span)/s⌋ + 1 = out in LaTeX, with the numbers; `span` is what the
    kernel takes away, as written in the step's text ('10 - 1' or '3')."""
    return (rf"\left\lfloor \frac{{{size} + 2 \cdot {padding} - {span}}}{{{stride}}} "
            rf"\right\rfloor + 1 = {out}")


@solver(
    topic="cnn",
    summary="Output size, parameter count and multiply-accumulates of a Conv2d layer.",
    summary_zh="二维卷积层的输出尺寸、参数量和乘加次数。",
    params=[
        Param("height", "int", "input height", doc_zh="输入高度", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", doc_zh="输入宽度", min=1, max=MAX_SIDE),
        Param("in_channels", "int", "input channels", doc_zh="输入通道数", min=1,
              max=MAX_CHANNELS),
        Param("out_channels", "int", "output channels (number of filters)",
              doc_zh="输出通道数（卷积核个数）", min=1, max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k", doc_zh="正方形卷积核的边长 k", min=1,
              max=MAX_WINDOW),
        Param("stride", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "zero padding p on each side", doc_zh="每一侧的零填充 p",
              default=0, min=0, max=MAX_WINDOW),
        Param("dilation", "int", "dilation d", doc_zh="空洞率（膨胀率）d", default=1, min=1,
              max=MAX_WINDOW),
        Param("groups", "int", "groups (in_channels for depthwise)",
              doc_zh="分组数（逐通道卷积时等于 in_channels）", default=1, min=1, max=MAX_CHANNELS),
        Param("bias", "bool", "one bias per output channel", doc_zh="每个输出通道一个偏置",
              default=True),
    ],
    answers=[
        Answer("out_height", "int", "output height", doc_zh="输出高度"),
        Answer("out_width", "int", "output width", doc_zh="输出宽度"),
        Answer("params", "int", "weights + biases", doc_zh="参数量（权重 + 偏置）"),
        Answer("macs", "int", "multiply-accumulates for one input",
               doc_zh="处理一个输入样本的乘加运算次数"),
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
            + floor_latex(height, padding, f"{k_eff - 1} - 1", stride, out_h),
            out_h,
        ),
        Step(
            f"Output width, same formula with W = {width}: {out_w}",
            f"输出宽度，同一公式，W = {width}：{out_w}",
            r"W_{out} = \left\lfloor \frac{W + 2p - d(k-1) - 1}{s} \right\rfloor + 1 = "
            + floor_latex(width, padding, f"{k_eff - 1} - 1", stride, out_w),
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
        Param("height", "int", "input height", doc_zh="输入高度", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", doc_zh="输入宽度", min=1, max=MAX_SIDE),
        Param("channels", "int", "input channels (pooling keeps them)",
              doc_zh="输入通道数（池化不改变通道数）", default=1, min=1, max=MAX_CHANNELS),
        Param("kernel_size", "int", "square window side k", doc_zh="正方形池化窗口的边长 k", min=1,
              max=MAX_WINDOW),
        Param("stride", "int", "stride s (PyTorch default: kernel_size)",
              doc_zh="步幅 s（PyTorch 默认等于 kernel_size）", default=SameAs("kernel_size"),
              min=1, max=MAX_WINDOW),
        Param("padding", "int", "implicit padding p on each side, at most k/2",
              doc_zh="每一侧的隐式填充 p，至多 k/2", default=0, min=0, max=MAX_WINDOW),
    ],
    answers=[
        Answer("out_height", "int", "output height", doc_zh="输出高度"),
        Answer("out_width", "int", "output width", doc_zh="输出宽度"),
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


@solver(
    topic="cnn",
    summary="Parameters of a depthwise-separable convolution vs a standard one.",
    summary_zh="深度可分离卷积与标准卷积的参数量对比。",
    params=[
        Param("in_channels", "int", "input channels C_in", doc_zh="输入通道数 C_in", min=1,
              max=MAX_CHANNELS),
        Param("out_channels", "int", "output channels C_out", doc_zh="输出通道数 C_out", min=1,
              max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k of the depthwise conv",
              doc_zh="逐通道卷积的正方形卷积核边长 k", min=1, max=MAX_WINDOW),
        Param("bias", "bool", "each conv has one bias per output channel",
              doc_zh="两个卷积都在每个输出通道上各有一个偏置", default=True),
    ],
    answers=[
        Answer("depthwise", "int", "params of Conv2d(C_in, C_in, k, groups=C_in)",
               doc_zh="逐通道卷积 Conv2d(C_in, C_in, k, groups=C_in) 的参数量"),
        Answer("pointwise", "int", "params of Conv2d(C_in, C_out, 1)",
               doc_zh="逐点卷积 Conv2d(C_in, C_out, 1) 的参数量"),
        Answer("total", "int", "depthwise + pointwise", doc_zh="逐通道卷积与逐点卷积的参数量之和"),
        Answer("standard", "int", "params of Conv2d(C_in, C_out, k)",
               doc_zh="标准卷积 Conv2d(C_in, C_out, k) 的参数量"),
        Answer("ratio", "float", "total / standard", doc_zh="合计参数量 / 标准卷积参数量"),
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
        Param("in_features", "int", "inputs per example", doc_zh="每个样本的输入特征数", min=1,
              max=MAX_FEATURES),
        Param("out_features", "int", "output units", doc_zh="输出单元数", min=1, max=MAX_FEATURES),
        Param("bias", "bool", "one bias per output unit", doc_zh="每个输出单元一个偏置",
              default=True),
    ],
    answers=[Answer("params", "int", "weights + biases", doc_zh="参数量（权重 + 偏置）")],
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
    params=[Param("s", "vec", "a capsule's total input vector s_j",
                  doc_zh="胶囊的总输入向量 s_j")],
    answers=[
        Answer("v", "vec", "the squashed output vector v_j", doc_zh="squash 压缩后的输出向量 v_j"),
        Answer("norm", "float", "its length |v_j| = |s|²/(1 + |s|²)",
               doc_zh="其长度 |v_j| = |s|²/(1 + |s|²)"),
    ],
    examples=[
        dict(s=[3, 4]),  # |s| = 5, so |v| = 25/26 along (0.6, 0.8)
        dict(s=[0, 0]),  # s = 0 gives v = 0
    ],
)
def squash(s) -> Solution:
    """v = (|s|² / (1 + |s|²)) · s / |s|  (Sabour et al. 2017, eq. 1); s = 0 gives v = 0."""
    squared = sum(x * x for x in s)  # |s|²; a product overflows to inf, never raises
    norm_s = math.sqrt(squared)
    scale = squared / (1 + squared)
    v = [x * (scale / norm_s) for x in s] if norm_s > 0 else [0.0] * len(s)
    steps = [
        Step(
            f"|s| = √(Σ s_i²) = {num(norm_s)}; |s|² = {num(squared)}",
            f"s 的长度 |s| = √(Σ s_i²) = {num(norm_s)}；|s|² = {num(squared)}",
            r"\lVert s \rVert = \sqrt{\textstyle\sum_i s_i^2} = " + latex_num(norm_s),
            norm_s,
        ),
        Step(
            f"Length of v = |s|²/(1 + |s|²) = {num(squared)}/{num(1 + squared)} = "
            f"{num(scale)} (short vectors shrink towards 0, long ones approach 1)",
            f"v 的长度 = |s|²/(1 + |s|²) = {num(squared)}/{num(1 + squared)} = "
            f"{num(scale)}（短向量被压向 0，长向量趋近 1）",
            r"\lVert v \rVert = \frac{\lVert s \rVert^2}{1 + \lVert s \rVert^2} = "
            rf"\frac{{{latex_num(squared)}}}{{{latex_num(1 + squared)}}} = "
            + latex_num(scale),
            scale,
        ),
        Step(
            f"Direction kept: v = {num(scale)} · s/|s| = {num(v)}"
            if norm_s > 0 else "s = 0, so v = 0 (no direction to keep)",
            f"方向不变：v = {num(scale)} · s/|s| = {num(v)}"
            if norm_s > 0 else "s = 0，因此 v = 0（没有方向可保持）",
            (r"v = \frac{\lVert s \rVert^2}{1 + \lVert s \rVert^2} \frac{s}{\lVert s \rVert} = "
             if norm_s > 0 else r"s = 0 \Rightarrow v = ") + latex_vec(v),
            v,
        ),
    ]
    return Solution({"v": v, "norm": scale}, steps)


# ---------------------------------------------------------------- layer lists (json)


def _whole(param: str, where: str, key: str, value, lo: int, hi: int) -> int:
    """A whole number lo..hi found at `where` inside a json parameter, or SolverInputError
    naming the parameter (bools and fractions are refused; 3.0 reads as 3)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok and isinstance(value, float):
        ok = math.isfinite(value) and value.is_integer()
    if not ok or not lo <= value <= hi:
        raise SolverInputError(
            param, f"{where}: {key} must be a whole number from {lo} to {hi:,}, got {_show(value)}")
    return int(value)


def _layer_dicts(param: str, layers, max_layers: int) -> list[dict]:
    """`layers` as a non-empty list of objects (at most max_layers), else SolverInputError."""
    if not isinstance(layers, list) or not layers:
        raise SolverInputError(param, f"expected a non-empty list of layer objects, got "
                                      f"{_show(layers)}")
    if len(layers) > max_layers:
        raise SolverInputError(param, f"{len(layers)} layers; at most {max_layers}")
    for index, layer in enumerate(layers, 1):
        if not isinstance(layer, dict):
            raise SolverInputError(param, f"layer {index} is {_show(layer)}, not an object "
                                          'like {"kernel_size": 3}')
    return layers


def _check_keys(param: str, where: str, layer: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in layer if key not in allowed)
    if unknown:
        raise SolverInputError(param, f"{where} has unknown key(s) {', '.join(unknown)} "
                                      f"(allowed: {', '.join(allowed)})")


# ---------------------------------------------------------------- receptive field

MAX_LAYERS = 64
RF_LIMIT = 10**12


@solver(
    topic="cnn",
    summary="Receptive field and jump (product of strides) after each layer of a conv/pool chain.",
    summary_zh="卷积/池化层链中每一层之后的感受野和跳距（步幅之积）。",
    params=[
        Param("layers", "json",
              'the layers, input side first: [{"kernel_size": 3, "stride": 1, '
              '"dilation": 1}, ...]; stride and dilation default to 1; a pooling layer is '
              "written the same way; padding does not move the receptive field",
              doc_zh='各层（从输入一侧开始）：[{"kernel_size": 3, "stride": 1, "dilation": 1}, ...]；'
                     "stride 与 dilation 默认为 1；池化层写法相同；填充不影响感受野"),
    ],
    answers=[
        Answer("rf", "vec", "receptive field after each layer, in input pixels (one side)",
               doc_zh="每一层之后的感受野（输入像素数，单边）"),
        Answer("jump", "vec", "after each layer, the product of the strides so far (input "
                              "pixels between adjacent outputs)",
               doc_zh="每一层之后到目前为止的步幅之积（相邻输出在输入上相隔的像素数）"),
    ],
    examples=[
        # CS231n: three stacked 3x3 convs (stride 1) see 7x7 of the input.
        dict(layers=[{"kernel_size": 3}, {"kernel_size": 3}, {"kernel_size": 3}]),
        # conv 3x3 -> max-pool 2x2 stride 2 -> conv 3x3: 3, 4, 8 (jumps 1, 2, 2).
        dict(layers=[{"kernel_size": 3}, {"kernel_size": 2, "stride": 2}, {"kernel_size": 3}]),
        # Dilated 3x3 convs with dilations 1, 2, 4 (Yu & Koltun 2016): 3, 7, 15.
        dict(layers=[{"kernel_size": 3, "dilation": 1}, {"kernel_size": 3, "dilation": 2},
                     {"kernel_size": 3, "dilation": 4}]),
    ],
)
def receptive_field(layers) -> Solution:
    """rf₀ = 1, jump₀ = 1;  rf_l = rf_{l−1} + (k_l − 1)·d_l·jump_{l−1},  jump_l = jump_{l−1}·s_l.

    One side of a square window, in input pixels (Araujo et al., Distill 2019; CS231n).
    A pooling layer counts like a conv with the same window and stride. Padding shifts
    where the window sits but not its size, so it is no key here; rf is not clipped to
    any image size.
    """
    layers = _layer_dicts("layers", layers, MAX_LAYERS)
    rf, jump = 1, 1
    rfs, jumps = [], []
    steps = [Step(
        "Start at the input: one pixel sees itself (rf₀ = 1) and neighbours are 1 pixel apart "
        "(jump₀ = 1). Each layer adds (k − 1)·d·jump_prev; its stride multiplies the jump "
        "(padding changes neither).",
        "从输入开始：一个像素只看到它自己（rf₀ = 1），相邻像素相距 1（jump₀ = 1）。每一层使感受野"
        "增加 (k − 1)·d·jump_prev；该层的步幅乘到跳距上（填充对两者都没有影响）。",
        r"r_0 = 1,\ j_0 = 1;\quad r_l = r_{l-1} + (k_l - 1)\,d_l\,j_{l-1},\quad "
        r"j_l = j_{l-1}\,s_l",
        [1, 1],
    )]
    for index, layer in enumerate(layers, 1):
        where = f"layer {index}"
        _check_keys("layers", where, layer, ("kernel_size", "stride", "dilation"))
        if "kernel_size" not in layer:
            raise SolverInputError("layers", f"{where} has no kernel_size")
        k = _whole("layers", where, "kernel_size", layer["kernel_size"], 1, MAX_WINDOW)
        s = _whole("layers", where, "stride", layer.get("stride", 1), 1, MAX_WINDOW)
        d = _whole("layers", where, "dilation", layer.get("dilation", 1), 1, MAX_WINDOW)
        new_rf = rf + (k - 1) * d * jump
        new_jump = jump * s
        if new_rf > RF_LIMIT or new_jump > RF_LIMIT:
            raise SolverInputError("layers", f"the receptive field passes 10^12 pixels at {where}")
        dil_en = f", dilation {d}" if d > 1 else ""
        dil_zh = f"，空洞率 {d}" if d > 1 else ""
        dil_text = f"·{d}" if d > 1 else ""
        dil_latex = rf" \cdot {d}" if d > 1 else ""
        if len(layers) <= 12 or index <= 9 or index > len(layers) - 2:
            steps.append(Step(
                f"Layer {index} ({k}×{k}, stride {s}{dil_en}): rf = {rf} + ({k} − 1){dil_text}·"
                f"{jump} = {new_rf}; jump = {jump}·{s} = {new_jump}",
                f"第 {index} 层（{k}×{k}，步幅 {s}{dil_zh}）：rf = {rf} + ({k} − 1){dil_text}·"
                f"{jump} = {new_rf}；jump = {jump}·{s} = {new_jump}",
                rf"r_{{{index}}} = {rf} + ({k} - 1){dil_latex} \cdot {jump} = {new_rf},\ "
                rf"j_{{{index}}} = {jump} \cdot {s} = {new_jump}",
                [new_rf, new_jump],
            ))
        rf, jump = new_rf, new_jump
        rfs.append(rf)
        jumps.append(jump)
    steps.append(Step(
        f"After the last layer one output sees {rf}×{rf} input pixels, and neighbouring outputs "
        f"are {jump} pixel(s) apart on the input",
        f"最后一层的一个输出在输入上看到 {rf}×{rf} 个像素，相邻输出在输入上相距 {jump} 个像素",
        rf"r_{{{len(layers)}}} = {rf},\ j_{{{len(layers)}}} = {jump}",
        [rf, jump],
    ))
    return Solution({"rf": rfs, "jump": jumps}, steps)


# ---------------------------------------------------------------- transposed convolution


@solver(
    topic="cnn",
    summary="Output size and parameter count of a ConvTranspose2d layer (upsampling).",
    summary_zh="转置卷积层 ConvTranspose2d 的输出尺寸与参数量（上采样）。",
    params=[
        Param("height", "int", "input height", doc_zh="输入高度", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", doc_zh="输入宽度", min=1, max=MAX_SIDE),
        Param("in_channels", "int", "input channels", doc_zh="输入通道数", min=1,
              max=MAX_CHANNELS),
        Param("out_channels", "int", "output channels", doc_zh="输出通道数", min=1,
              max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k", doc_zh="正方形卷积核的边长 k", min=1,
              max=MAX_WINDOW),
        Param("stride", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "int", "padding p: removes p rows/columns on each side of the output",
              doc_zh="填充 p：从输出的每一侧去掉 p 行/列", default=0, min=0, max=MAX_WINDOW),
        Param("output_padding", "int", "extra rows/columns added on one side of the output",
              doc_zh="在输出的一侧额外增加的行/列数", default=0, min=0, max=MAX_WINDOW),
        Param("dilation", "int", "dilation d", doc_zh="空洞率（膨胀率）d", default=1, min=1,
              max=MAX_WINDOW),
        Param("bias", "bool", "one bias per output channel", doc_zh="每个输出通道一个偏置",
              default=True),
    ],
    answers=[
        Answer("out_height", "int", "output height", doc_zh="输出高度"),
        Answer("out_width", "int", "output width", doc_zh="输出宽度"),
        Answer("params", "int", "weights + biases", doc_zh="参数量（权重 + 偏置）"),
    ],
    examples=[
        # DCGAN generator (PyTorch tutorial): ConvTranspose2d(512, 256, 4, 2, 1): 4x4 -> 8x8.
        dict(height=4, width=4, in_channels=512, out_channels=256, kernel_size=4, stride=2,
             padding=1, bias=False),
        # Dive into Deep Learning, "Transposed Convolution": 2x2 input, 2x2 kernel -> 3x3.
        dict(height=2, width=2, in_channels=1, out_channels=1, kernel_size=2),
        # A decoder step that exactly inverts a stride-2 3x3 conv on a 7x7 map: 4x4 -> 7x7.
        dict(height=4, width=4, in_channels=32, out_channels=16, kernel_size=3, stride=2,
             padding=1, output_padding=0),
    ],
)
def conv_transpose2d_shape(height, width, in_channels, out_channels, kernel_size, stride,
                           padding, output_padding, dilation, bias) -> Solution:
    """out = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1;  params = C_in·C_out·k² (+ C_out).

    As `torch.nn.ConvTranspose2d` (groups = 1): every input pixel stamps a k×k kernel
    into the output at stride s, then p rows and columns are cut from each side.
    output_padding must be smaller than the stride or the dilation (PyTorch's rule); it
    resolves which of the input sizes a stride-s conv maps onto the same size.
    """
    if output_padding >= stride and output_padding >= dilation:
        raise SolverInputError(
            "output_padding", f"must be smaller than the stride ({stride}) or the dilation "
                              f"({dilation}), as in PyTorch; got {output_padding}")
    span = dilation * (kernel_size - 1)
    sizes = []
    for name, n in (("height", height), ("width", width)):
        full = (n - 1) * stride + span + 1
        out = full - 2 * padding + output_padding
        if out < 1:
            raise SolverInputError("padding", f"padding {padding} leaves no output {name} "
                                              f"(the full output is only {full})")
        sizes.append((n, full, out))
    weights = in_channels * out_channels * kernel_size * kernel_size
    n_bias = out_channels if bias else 0
    params = weights + n_bias
    steps = [Step(
        "Convention: PyTorch nn.ConvTranspose2d. Each input pixel adds its value times the "
        "k×k kernel into the output at stride s (full output (n − 1)·s + d(k − 1) + 1), then "
        "padding p cuts p rows/columns on each side and output_padding adds rows on one side.",
        "约定：PyTorch nn.ConvTranspose2d。每个输入像素把“像素值 × k×k 卷积核”按步幅 s 叠加到输出上"
        "（完整输出 (n − 1)·s + d(k − 1) + 1），然后 padding p 从每一侧裁掉 p 行/列，"
        "output_padding 在一侧补上若干行/列。",
        r"H_{out} = (H - 1)s - 2p + d(k - 1) + \text{output\_padding} + 1",
    )]
    for (name, name_zh, symbol), (n, full, out) in zip(
            (("Output height", "输出高度", "H"), ("Output width", "输出宽度", "W")), sizes):
        steps.append(Step(
            f"{name} = ({n} − 1)·{stride} − 2·{padding} + {dilation}·({kernel_size} − 1) + "
            f"{output_padding} + 1 = {out}",
            f"{name_zh} = ({n} − 1)·{stride} − 2·{padding} + {dilation}·({kernel_size} − 1) + "
            f"{output_padding} + 1 = {out}",
            rf"{symbol}_{{out}} = ({n} - 1) \cdot {stride} - 2 \cdot {padding} + {dilation}"
            rf"({kernel_size} - 1) + {output_padding} + 1 = {out}",
            out,
        ))
    steps.append(Step(
        f"Parameters = C_in·C_out·k² + {'C_out biases' if bias else 'no bias'} = "
        f"{in_channels}·{out_channels}·{kernel_size}² + {n_bias} = {params} (the weight tensor "
        f"is (C_in, C_out, k, k), the transpose of Conv2d's layout)",
        f"参数量 = C_in·C_out·k² + {'C_out 个偏置' if bias else '无偏置'} = "
        f"{in_channels}·{out_channels}·{kernel_size}² + {n_bias} = {params}"
        f"（权重张量形状为 (C_in, C_out, k, k)，与 Conv2d 的排列相反）",
        r"C_{in} C_{out} k^2" + (r" + C_{out}" if bias else "")
        + rf" = {in_channels} \cdot {out_channels} \cdot {kernel_size}^2"
        + (f" + {n_bias}" if bias else "") + f" = {params}",
        params,
    ))
    return Solution({"out_height": sizes[0][2], "out_width": sizes[1][2], "params": params},
                    steps)


# ---------------------------------------------------------------- Keras padding


@solver(
    topic="cnn",
    summary="Output size and parameters of a Keras Conv2D with padding 'valid' or 'same'.",
    summary_zh="Keras Conv2D 在 padding='valid' 或 'same' 时的输出尺寸与参数量。",
    params=[
        Param("height", "int", "input height", doc_zh="输入高度", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", doc_zh="输入宽度", min=1, max=MAX_SIDE),
        Param("in_channels", "int", "input channels", doc_zh="输入通道数", min=1,
              max=MAX_CHANNELS),
        Param("filters", "int", "number of filters (output channels)",
              doc_zh="卷积核个数（输出通道数）", min=1, max=MAX_CHANNELS),
        Param("kernel_size", "int", "square kernel side k", doc_zh="正方形卷积核的边长 k", min=1,
              max=MAX_WINDOW),
        Param("strides", "int", "stride s", doc_zh="步幅 s", default=1, min=1, max=MAX_WINDOW),
        Param("padding", "str", "'valid' (no padding) or 'same' (output ⌈n/s⌉)",
              doc_zh="'valid'（不填充）或 'same'（输出 ⌈n/s⌉）", default="valid",
              choices=("valid", "same")),
        Param("use_bias", "bool", "one bias per filter", doc_zh="每个卷积核一个偏置",
              default=True),
    ],
    answers=[
        Answer("out_height", "int", "output height", doc_zh="输出高度"),
        Answer("out_width", "int", "output width", doc_zh="输出宽度"),
        Answer("params", "int", "weights + biases", doc_zh="参数量（权重 + 偏置）"),
    ],
    examples=[
        # Chollet, Deep Learning with Python, listing 5.1: Conv2D(32, (3, 3)) on 28x28x1.
        dict(height=28, width=28, in_channels=1, filters=32, kernel_size=3),
        # 'same' with stride 2 on an odd size: ⌈75/2⌉ = 38 (TensorFlow pads the extra row
        # at the bottom).
        dict(height=75, width=75, in_channels=3, filters=16, kernel_size=3, strides=2,
             padding="same"),
    ],
)
def conv2d_shape_keras(height, width, in_channels, filters, kernel_size, strides, padding,
                       use_bias) -> Solution:
    """'valid': out = ⌊(n − k)/s⌋ + 1;  'same': out = ⌈n/s⌉ (whatever k);
    params = filters·C_in·k² (+ filters).

    As `keras.layers.Conv2D` (TensorFlow): 'same' pads max((out − 1)·s + k − n, 0) zeros
    in total, the odd one at the bottom/right, so the padding may be asymmetric — which
    PyTorch's integer padding cannot express when s > 1.
    """
    sizes = []
    steps = [Step(
        f"Convention: Keras Conv2D, padding='{padding}'. 'valid' = no padding, "
        f"out = ⌊(n − k)/s⌋ + 1; 'same' pads so that out = ⌈n/s⌉ (TensorFlow puts the odd "
        f"padding row/column at the bottom/right).",
        f"约定：Keras Conv2D，padding='{padding}'。'valid' 表示不填充，out = ⌊(n − k)/s⌋ + 1；"
        f"'same' 通过填充使 out = ⌈n/s⌉（TensorFlow 把多出的一行/列填充放在下方/右侧）。",
        r"\text{valid: } \left\lfloor \frac{n - k}{s} \right\rfloor + 1, \quad "
        r"\text{same: } \left\lceil \frac{n}{s} \right\rceil",
    )]
    for name, name_zh, symbol, n in (("Output height", "输出高度", "H", height),
                                     ("Output width", "输出宽度", "W", width)):
        if padding == "same":
            out = -(-n // strides)
            pad = max((out - 1) * strides + kernel_size - n, 0)
            en = (f"{name} = ⌈{n}/{strides}⌉ = {out} (total padding "
                  f"max(({out} − 1)·{strides} + {kernel_size} − {n}, 0) = {pad}: {pad // 2} "
                  f"before, {pad - pad // 2} after)")
            zh = (f"{name_zh} = ⌈{n}/{strides}⌉ = {out}（总填充 "
                  f"max(({out} − 1)·{strides} + {kernel_size} − {n}, 0) = {pad}：前 {pad // 2}，"
                  f"后 {pad - pad // 2}）")
            latex = (rf"{symbol}_{{out}} = \left\lceil \frac{{{n}}}{{{strides}}} \right\rceil "
                     rf"= {out}")
        else:
            if kernel_size > n:
                raise SolverInputError("kernel_size", f"the kernel ({kernel_size}) is larger "
                                                      f"than the input ({n}) with 'valid'")
            out = (n - kernel_size) // strides + 1
            en = f"{name} = ⌊({n} − {kernel_size})/{strides}⌋ + 1 = {out}"
            zh = f"{name_zh} = ⌊({n} − {kernel_size})/{strides}⌋ + 1 = {out}"
            latex = (rf"{symbol}_{{out}} = \left\lfloor \frac{{{n} - {kernel_size}}}"
                     rf"{{{strides}}} \right\rfloor + 1 = {out}")
        sizes.append(out)
        steps.append(Step(en, zh, latex, out))
    n_bias = filters if use_bias else 0
    params = filters * in_channels * kernel_size * kernel_size + n_bias
    steps.append(Step(
        f"Parameters = filters·C_in·k² + {'filters (biases)' if use_bias else '0 (no bias)'} = "
        f"{filters}·{in_channels}·{kernel_size}² + {n_bias} = {params} (padding never changes "
        f"the count)",
        f"参数量 = filters·C_in·k² + {'filters（偏置）' if use_bias else '0（无偏置）'} = "
        f"{filters}·{in_channels}·{kernel_size}² + {n_bias} = {params}（填充不改变参数量）",
        rf"F \cdot C_{{in}} k^2" + (" + F" if use_bias else "")
        + rf" = {filters} \cdot {in_channels} \cdot {kernel_size}^2"
        + (f" + {n_bias}" if use_bias else "") + f" = {params}",
        params,
    ))
    return Solution({"out_height": sizes[0], "out_width": sizes[1], "params": params}, steps)


# ---------------------------------------------------------------- factorized convolutions


@solver(
    topic="cnn",
    summary="How many small convs replace one large conv (same receptive field), and their weights.",
    summary_zh="用多少个小卷积代替一个大卷积（感受野相同），以及两者的权重数。",
    params=[
        Param("channels", "int", "channels C in and out of every layer",
              doc_zh="每层的输入与输出通道数 C", min=1, max=MAX_CHANNELS),
        Param("kernel_size", "int", "side k of the single large kernel",
              doc_zh="单个大卷积核的边长 k", min=2, max=MAX_WINDOW),
        Param("small_kernel", "int", "side of each small kernel in the stack (stride 1)",
              doc_zh="堆叠中每个小卷积核的边长（步幅 1）", default=3, min=2, max=MAX_WINDOW),
        Param("bias", "bool", "count one bias per output channel of every layer",
              doc_zh="是否计入每层每个输出通道的一个偏置", default=False),
    ],
    answers=[
        Answer("num_layers", "int", "small layers with the same receptive field",
               doc_zh="感受野相同所需的小卷积层数"),
        Answer("single", "int", "parameters of the one large layer (C→C)",
               doc_zh="单个大卷积层（C→C）的参数量"),
        Answer("stack", "int", "parameters of the stack of small layers",
               doc_zh="小卷积层堆叠的参数量"),
        Answer("saving", "float", "1 − stack/single (fraction of the parameters saved)",
               doc_zh="1 − 堆叠/单层（节省的参数比例）"),
    ],
    examples=[
        # Simonyan & Zisserman (VGG), §2.3: three 3x3 layers (27C²) vs one 7x7 (49C²).
        dict(channels=64, kernel_size=7),
        # Szegedy et al., Inception-v3 §3.1: two 3x3 replace a 5x5, 28% fewer weights.
        dict(channels=32, kernel_size=5),
    ],
)
def factorized_conv_params(channels, kernel_size, small_kernel, bias) -> Solution:
    """L = (k − 1)/(k_s − 1) stacked k_s×k_s stride-1 layers see k×k, like one k×k layer.

    single = k²C² (+ C), stack = L·k_s²C² (+ L·C), saving = 1 − stack/single; every layer
    maps C channels to C. With bias=False and k_s = 3: VGG's 27C² vs 49C² for 7×7.
    """
    if kernel_size <= small_kernel or (kernel_size - 1) % (small_kernel - 1):
        raise SolverInputError(
            "kernel_size", f"a stack of {small_kernel}×{small_kernel} layers reaches "
                           f"{small_kernel}, {2 * small_kernel - 1}, {3 * small_kernel - 2}, ... "
                           f"pixels, never exactly {kernel_size}")
    layers = (kernel_size - 1) // (small_kernel - 1)
    c2 = channels * channels
    n_bias = channels if bias else 0
    single = kernel_size * kernel_size * c2 + n_bias
    one_small = small_kernel * small_kernel * c2 + n_bias
    stack = layers * one_small
    saving = 1 - stack / single
    bias_en = " + C" if bias else ""
    steps = [
        Step(f"Each stride-1 {small_kernel}×{small_kernel} layer adds {small_kernel - 1} to the "
             f"receptive field: L layers see 1 + {small_kernel - 1}L, so L = ({kernel_size} − 1)/"
             f"{small_kernel - 1} = {layers} layers see {kernel_size}×{kernel_size}",
             f"每个步幅为 1 的 {small_kernel}×{small_kernel} 层使感受野增加 {small_kernel - 1}："
             f"L 层看到 1 + {small_kernel - 1}L，所以 L = ({kernel_size} − 1)/{small_kernel - 1} = "
             f"{layers} 层看到 {kernel_size}×{kernel_size}",
             rf"1 + L({small_kernel} - 1) = {kernel_size} \Rightarrow L = "
             rf"\frac{{{kernel_size} - 1}}{{{small_kernel - 1}}} = {layers}",
             layers),
        Step(f"One {kernel_size}×{kernel_size} layer C→C: k²C²{bias_en} = {kernel_size}²·"
             f"{channels}²{' + ' + str(channels) if bias else ''} = {single}",
             f"一个 {kernel_size}×{kernel_size} 层（C→C）：k²C²{bias_en} = {kernel_size}²·"
             f"{channels}²{' + ' + str(channels) if bias else ''} = {single}",
             rf"k^2 C^2{' + C' if bias else ''} = {kernel_size}^2 \cdot {channels}^2"
             + (f" + {channels}" if bias else "") + f" = {single}",
             single),
        Step(f"The stack: L·k_s²C²{' + L·C' if bias else ''} = {layers}·{one_small} = {stack}",
             f"堆叠：L·k_s²C²{' + L·C' if bias else ''} = {layers}·{one_small} = {stack}",
             rf"L\,(k_s^2 C^2{' + C' if bias else ''}) = {layers} \cdot {one_small} = {stack}",
             stack),
        Step(f"Saving = 1 − {stack}/{single} = {num(saving)} (and {layers} nonlinearities "
             f"instead of 1)",
             f"节省比例 = 1 − {stack}/{single} = {num(saving)}（而且有 {layers} 个非线性而不是 1 个）",
             rf"1 - \frac{{{stack}}}{{{single}}} = {latex_num(saving)}",
             saving),
    ]
    return Solution({"num_layers": layers, "single": single, "stack": stack, "saving": saving},
                    steps)


# ---------------------------------------------------------------- whole networks

LAYER_KEYS = {
    "conv": ("type", "name", "out_channels", "kernel_size", "stride", "padding", "bias",
             "trainable"),
    "maxpool": ("type", "name", "kernel_size", "stride", "padding"),
    "avgpool": ("type", "name", "kernel_size", "stride", "padding"),
    "gap": ("type", "name"),
    "flatten": ("type", "name"),
    "dense": ("type", "name", "out_features", "bias", "trainable"),
}
LAYER_NAMES_ZH = {"conv": "卷积", "maxpool": "最大池化", "avgpool": "平均池化",
                  "gap": "全局平均池化", "flatten": "展平", "dense": "全连接"}


def _flag(where: str, key: str, value) -> bool:
    if not isinstance(value, bool):
        raise SolverInputError("layers", f"{where}: {key} must be true or false, got {_show(value)}")
    return value


def _same_or_int_padding(where: str, value, n: int, k: int, s: int) -> tuple[int, str, str, str]:
    """(out, text_en, text_zh, latex) for a conv side: padding an int (PyTorch) or 'same' /
    'valid' (Keras/TensorFlow: 'same' gives ⌈n/s⌉)."""
    if value == "same":
        out = -(-n // s)
        return (out, f"⌈{n}/{s}⌉ = {out} ('same')", f"⌈{n}/{s}⌉ = {out}（'same'）",
                rf"\left\lceil \frac{{{n}}}{{{s}}} \right\rceil = {out}")
    if value == "valid":
        value = 0
    if isinstance(value, str):
        raise SolverInputError("layers", f"{where}: padding must be a whole number, 'same' or "
                                         f"'valid', got {_show(value)}")
    p = _whole("layers", where, "padding", value, 0, MAX_WINDOW)
    if k > n + 2 * p:
        raise SolverInputError("layers", f"{where}: the {k}×{k} window does not fit the padded "
                                         f"input ({n} + 2·{p})")
    out = (n + 2 * p - k) // s + 1
    return (out, f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {out}",
            f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {out}", floor_latex(n, p, str(k), s, out))


@solver(
    topic="cnn",
    summary="Layer-by-layer output shapes, parameters and MACs of a small CNN (like model.summary()).",
    summary_zh="小型卷积网络逐层的输出形状、参数量与乘加次数（类似 model.summary()）。",
    params=[
        Param("height", "int", "input height", doc_zh="输入高度", min=1, max=MAX_SIDE),
        Param("width", "int", "input width", doc_zh="输入宽度", min=1, max=MAX_SIDE),
        Param("in_channels", "int", "input channels", doc_zh="输入通道数", min=1,
              max=MAX_CHANNELS),
        Param("layers", "json",
              'the layers in order, each an object with a "type": conv {out_channels, '
              "kernel_size, stride=1, padding=0 (or 'same'/'valid'), bias=true, "
              "trainable=true}, maxpool/avgpool {kernel_size, stride=kernel_size, padding=0}, "
              "gap (global average pooling), flatten, dense {out_features, bias=true, "
              'trainable=true}; an optional "name" labels the layer',
              doc_zh='按顺序排列的各层，每层是一个带 "type" 的对象：conv {out_channels, kernel_size, '
                     "stride=1, padding=0（或 'same'/'valid'）, bias=true, trainable=true}，"
                     "maxpool/avgpool {kernel_size, stride=kernel_size, padding=0}，"
                     "gap（全局平均池化），flatten（展平），dense {out_features, bias=true, "
                     'trainable=true}；可选的 "name" 为该层命名'),
    ],
    answers=[
        Answer("out_height", "vec", "output height of each layer (1 after flatten, gap, dense)",
               doc_zh="每层的输出高度（flatten、gap、dense 之后为 1）"),
        Answer("out_width", "vec", "output width of each layer", doc_zh="每层的输出宽度"),
        Answer("out_channels", "vec", "output channels (features after flatten/dense) of "
                                      "each layer",
               doc_zh="每层的输出通道数（flatten、dense 之后为特征数）"),
        Answer("params", "vec", "parameters of each layer", doc_zh="每层的参数量"),
        Answer("total_params", "int", "parameters of the whole network", doc_zh="整个网络的参数量"),
        Answer("trainable_params", "int", "parameters of the layers not frozen "
                                          "(trainable=false freezes a layer)",
               doc_zh="未冻结层的参数量（trainable=false 表示冻结）"),
        Answer("macs", "vec", "multiply-accumulates of each layer for one input",
               doc_zh="处理一个输入时每层的乘加次数"),
        Answer("total_macs", "int", "multiply-accumulates of the whole network",
               doc_zh="整个网络的乘加次数"),
        Answer("flops", "int", "floating-point operations = 2·total_macs",
               doc_zh="浮点运算次数 = 2·总乘加次数"),
    ],
    examples=[
        # Dive into Deep Learning, "LeNet": 28x28x1 input, 61,706 parameters in all.
        dict(height=28, width=28, in_channels=1, layers=[
            {"type": "conv", "name": "C1", "out_channels": 6, "kernel_size": 5, "padding": 2},
            {"type": "avgpool", "name": "S2", "kernel_size": 2},
            {"type": "conv", "name": "C3", "out_channels": 16, "kernel_size": 5},
            {"type": "avgpool", "name": "S4", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "name": "F5", "out_features": 120},
            {"type": "dense", "name": "F6", "out_features": 84},
            {"type": "dense", "name": "output", "out_features": 10}]),
        # Chollet, Deep Learning with Python, listing 5.2: the MNIST convnet, 93,322 params.
        dict(height=28, width=28, in_channels=1, layers=[
            {"type": "conv", "out_channels": 32, "kernel_size": 3},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "conv", "out_channels": 64, "kernel_size": 3},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "conv", "out_channels": 64, "kernel_size": 3},
            {"type": "flatten"},
            {"type": "dense", "out_features": 64},
            {"type": "dense", "out_features": 10}]),
    ],
)
def cnn_summary(height, width, in_channels, layers) -> Solution:
    """Per layer, PyTorch conventions (floor in sizes, one bias per output channel/unit):

    conv: out = ⌊(n + 2p − k)/s⌋ + 1 (padding 'same' as Keras: ⌈n/s⌉), params =
    C_out·C_in·k² (+ C_out), MACs = H_out·W_out·C_out·C_in·k²; max/avg pool: same size
    rule, no parameters, no MACs; gap: 1×1×C; flatten: H·W·C features; dense: params =
    in·out (+ out), MACs = in·out. FLOPs = 2·MACs (a multiply and an add); bias additions,
    comparisons and pooling sums are not counted. trainable=false freezes a layer (Keras
    `layer.trainable = False`): its parameters still count in total_params.
    """
    layers = _layer_dicts("layers", layers, MAX_LAYERS)
    h, w, c = height, width, in_channels
    flat = False
    heights, widths, channels, params, macs = [], [], [], [], []
    trainable = 0
    steps = [Step(
        f"Convention: PyTorch shapes (floor), one bias per output channel/unit; MACs = "
        f"multiply-accumulates, FLOPs = 2·MACs; pooling has no parameters. Input "
        f"{height}×{width}×{in_channels}.",
        f"约定：按 PyTorch 计算形状（向下取整），每个输出通道/单元一个偏置；MACs 为乘加次数，"
        f"FLOPs = 2·MACs；池化层没有参数。输入 {height}×{width}×{in_channels}。",
        r"\text{conv: } C_{out} C_{in} k^2 + C_{out};\ \text{dense: } n_{in} n_{out} + n_{out};"
        r"\ \text{FLOPs} = 2\,\text{MACs}",
        [height, width, in_channels],
    )]
    for index, layer in enumerate(layers, 1):
        kind = layer.get("type")
        if kind not in LAYER_KEYS:
            raise SolverInputError("layers", f"layer {index}: type must be one of "
                                             f"{', '.join(LAYER_KEYS)}, got {_show(kind)}")
        label = layer.get("name", f"layer {index}")
        if not isinstance(label, str) or len(label) > 40:
            raise SolverInputError("layers", f"layer {index}: name must be a short text")
        label_zh = layer.get("name", f"第 {index} 层")
        where = f"layer {index}"
        _check_keys("layers", where, layer, LAYER_KEYS[kind])
        before = f"{h}×{w}×{c}" if not flat else f"{c}"
        n_params = n_macs = 0
        frozen = False
        if kind == "conv":
            if flat:
                raise SolverInputError("layers", f"{where}: a conv cannot follow flatten/dense")
            for key in ("out_channels", "kernel_size"):
                if key not in layer:
                    raise SolverInputError("layers", f"{where} (conv) needs {key}")
            c_out = _whole("layers", where, "out_channels", layer["out_channels"], 1, MAX_CHANNELS)
            k = _whole("layers", where, "kernel_size", layer["kernel_size"], 1, MAX_WINDOW)
            s = _whole("layers", where, "stride", layer.get("stride", 1), 1, MAX_WINDOW)
            bias = _flag(where, "bias", layer.get("bias", True))
            frozen = not _flag(where, "trainable", layer.get("trainable", True))
            padding = layer.get("padding", 0)
            out_h, h_en, h_zh, h_latex = _same_or_int_padding(where, padding, h, k, s)
            out_w, _, _, w_latex = _same_or_int_padding(where, padding, w, k, s)
            per_filter = c * k * k
            n_params = c_out * per_filter + (c_out if bias else 0)
            n_macs = out_h * out_w * c_out * per_filter
            what_en = f"conv {k}×{k}, {c_out} filters, stride {s}, padding {padding}"
            what_zh = f"卷积 {k}×{k}，{c_out} 个卷积核，步幅 {s}，填充 {padding}"
            count_en = (f"params {c_out}·({c}·{k}²){' + ' + str(c_out) if bias else ''} = "
                        f"{n_params}; MACs {out_h}·{out_w}·{c_out}·{per_filter} = {n_macs}")
            count_zh = (f"参数 {c_out}·({c}·{k}²){' + ' + str(c_out) if bias else ''} = "
                        f"{n_params}；乘加 {out_h}·{out_w}·{c_out}·{per_filter} = {n_macs}")
            count_latex = (rf"{c_out} \cdot {c} \cdot {k}^2" + (f" + {c_out}" if bias else "")
                           + f" = {n_params}")
            size_latex = rf"H: {h_latex},\ W: {w_latex}"
            h, w, c = out_h, out_w, c_out
        elif kind in ("maxpool", "avgpool"):
            if flat:
                raise SolverInputError("layers", f"{where}: pooling cannot follow flatten/dense")
            if "kernel_size" not in layer:
                raise SolverInputError("layers", f"{where} ({kind}) needs kernel_size")
            k = _whole("layers", where, "kernel_size", layer["kernel_size"], 1, MAX_WINDOW)
            s = _whole("layers", where, "stride", layer.get("stride", k), 1, MAX_WINDOW)
            p = _whole("layers", where, "padding", layer.get("padding", 0), 0, MAX_WINDOW)
            if 2 * p > k:
                raise SolverInputError("layers", f"{where}: padding must be at most "
                                                 f"kernel_size/2 (PyTorch)")
            out_h, h_en, h_zh, h_latex = _same_or_int_padding(where, p, h, k, s)
            out_w, _, _, w_latex = _same_or_int_padding(where, p, w, k, s)
            what_en = f"{kind} {k}×{k}, stride {s}"
            what_zh = f"{LAYER_NAMES_ZH[kind]} {k}×{k}，步幅 {s}"
            count_en, count_zh = "no parameters, no MACs", "无参数，无乘加"
            count_latex = "0"
            size_latex = rf"H: {h_latex},\ W: {w_latex}"
            h, w = out_h, out_w
        elif kind == "gap":
            if flat:
                raise SolverInputError("layers", f"{where}: gap cannot follow flatten/dense")
            what_en, what_zh = "global average pooling", "全局平均池化"
            h_en = f"each channel's {h}×{w} map → 1 number"
            h_zh = f"每个通道的 {h}×{w} 特征图 → 1 个数"
            count_en, count_zh, count_latex = "no parameters", "无参数", "0"
            size_latex = rf"{h} \times {w} \times {c} \to 1 \times 1 \times {c}"
            h = w = 1
        elif kind == "flatten":
            what_en, what_zh = "flatten", "展平"
            features = h * w * c
            h_en = f"{h}·{w}·{c} = {features} features"
            h_zh = f"{h}·{w}·{c} = {features} 个特征"
            count_en, count_zh, count_latex = "no parameters", "无参数", "0"
            size_latex = rf"{h} \cdot {w} \cdot {c} = {features}"
            h = w = 1
            c = features
            flat = True
        else:  # dense
            if not flat and (h, w) != (1, 1):
                raise SolverInputError("layers", f"{where}: dense needs a flatten (or gap) "
                                                 f"before it; the input is still {h}×{w}×{c}")
            if "out_features" not in layer:
                raise SolverInputError("layers", f"{where} (dense) needs out_features")
            n_out = _whole("layers", where, "out_features", layer["out_features"], 1,
                           MAX_FEATURES)
            bias = _flag(where, "bias", layer.get("bias", True))
            frozen = not _flag(where, "trainable", layer.get("trainable", True))
            n_params = c * n_out + (n_out if bias else 0)
            n_macs = c * n_out
            what_en = f"dense {n_out}"
            what_zh = f"全连接 {n_out}"
            h_en = f"{c} → {n_out} features"
            h_zh = f"{c} → {n_out} 个特征"
            count_en = (f"params {c}·{n_out}{' + ' + str(n_out) if bias else ''} = {n_params}; "
                        f"MACs {c}·{n_out} = {n_macs}")
            count_zh = (f"参数 {c}·{n_out}{' + ' + str(n_out) if bias else ''} = {n_params}；"
                        f"乘加 {c}·{n_out} = {n_macs}")
            count_latex = rf"{c} \cdot {n_out}" + (f" + {n_out}" if bias else "") + \
                f" = {n_params}"
            size_latex = rf"{c} \to {n_out}"
            h = w = 1
            c = n_out
            flat = True
        after = f"{h}×{w}×{c}" if not flat else f"{c}"
        heights.append(h)
        widths.append(w)
        channels.append(c)
        params.append(n_params)
        macs.append(n_macs)
        if not frozen:
            trainable += n_params
        frozen_en = " (frozen: trainable=False)" if frozen else ""
        frozen_zh = "（已冻结：trainable=False）" if frozen else ""
        steps.append(Step(
            f"{label}, {what_en}: {before} → {after} ({h_en}); {count_en}{frozen_en}",
            f"{label_zh}，{what_zh}：{before} → {after}（{h_zh}）；{count_zh}{frozen_zh}",
            rf"\text{{{_latex_text(label)}}}:\ {size_latex};\ \text{{params}} = {count_latex}",
            [h, w, c, n_params, n_macs],
        ))
    total, total_macs = sum(params), sum(macs)
    steps.append(Step(
        f"Total parameters = {' + '.join(str(p) for p in params)} = {total}; trainable "
        f"{trainable}, frozen {total - trainable}",
        f"参数总数 = {' + '.join(str(p) for p in params)} = {total}；可训练 {trainable}，"
        f"冻结 {total - trainable}",
        r"\sum \text{params} = " + " + ".join(str(p) for p in params) + f" = {total}",
        total,
    ))
    steps.append(Step(
        f"Total MACs = {num(total_macs)}; FLOPs ≈ 2·MACs = {num(2 * total_macs)} (one multiply "
        f"and one add per MAC)",
        f"乘加总数 = {num(total_macs)}；FLOPs ≈ 2·MACs = {num(2 * total_macs)}（每次乘加包含一次乘法"
        f"和一次加法）",
        rf"\text{{MACs}} = {total_macs},\ \text{{FLOPs}} = 2 \cdot {total_macs} = "
        rf"{2 * total_macs}",
        2 * total_macs,
    ))
    return Solution(
        {"out_height": heights, "out_width": widths, "out_channels": channels,
         "params": params, "total_params": total, "trainable_params": trainable,
         "macs": macs, "total_macs": total_macs, "flops": 2 * total_macs},
        steps,
    )


def _latex_text(label: str) -> str:
    """A layer name for \\text{...}: LaTeX's special characters escaped."""
    for char in "\\{}$&#^_%~":
        label = label.replace(char, "\\" + char if char not in "\\^~" else " ")
    return label
