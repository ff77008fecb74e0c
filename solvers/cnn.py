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
