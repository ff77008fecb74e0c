"""Transformer arithmetic: multi-head attention parameter counts and sinusoidal
positional encodings (closed form, plain Python, no numpy).

Conventions: `torch.nn.MultiheadAttention` for the parameter count (query, key and value
projections of embed_dim rows each, then an output projection, all with biases unless
bias=False); Vaswani et al. (2017), §3.5, for the positional encoding, angles in radians.
The attention computations on matrices are in `attention.py`.
"""

from __future__ import annotations

import math

from solvers.fmt import join_terms, latex_num, latex_vec, num
from solvers.registry import Answer, Param, SameAs, Solution, SolverInputError, Step, solver

MAX_EMBED = 1_000_000  # embed_dim, kdim, vdim
MAX_HEADS = 10_000
MAX_POSITION = 1_000_000
MAX_D_MODEL = 10_000  # the encoding is listed number by number


@solver(
    topic="attention",
    summary="Parameters of a multi-head attention layer, as torch.nn.MultiheadAttention.",
    summary_zh="多头注意力层的参数量（与 torch.nn.MultiheadAttention 相同）。",
    params=[
        Param("embed_dim", "int", "model width E (query size and output size)",
              doc_zh="模型宽度 E（查询与输出的维度）", min=1, max=MAX_EMBED),
        Param("num_heads", "int", "heads h; E must be divisible by h",
              doc_zh="头数 h；E 必须能被 h 整除", min=1, max=MAX_HEADS),
        Param("bias", "bool", "biases on the four projections", doc_zh="四个投影是否带偏置",
              default=True),
        Param("kdim", "int", "key features (default E)", doc_zh="键的特征维度（默认等于 E）",
              default=SameAs("embed_dim"), min=1, max=MAX_EMBED),
        Param("vdim", "int", "value features (default E)", doc_zh="值的特征维度（默认等于 E）",
              default=SameAs("embed_dim"), min=1, max=MAX_EMBED),
    ],
    answers=[
        Answer("head_dim", "int", "E / h, the size of each head's query, key and value",
               doc_zh="E / h，每个头的查询、键、值的维度"),
        Answer("in_proj", "int", "parameters of the query, key and value projections",
               doc_zh="查询、键、值三个投影的参数量"),
        Answer("out_proj", "int", "parameters of the output projection",
               doc_zh="输出投影的参数量"),
        Answer("params", "int", "all parameters", doc_zh="总参数量"),
    ],
    examples=[
        # Vaswani et al. (2017), base model: d_model = 512, h = 8, d_k = d_v = 64.
        dict(embed_dim=512, num_heads=8),
        # BERT-base (Devlin et al. 2019): 768 wide, 12 heads.
        dict(embed_dim=768, num_heads=12),
        dict(embed_dim=8, num_heads=2, kdim=4, vdim=6, bias=False),
    ],
)
def multihead_attention_params(embed_dim, num_heads, bias, kdim, vdim) -> Solution:
    """params = E·E + E·kdim + E·vdim (+ 3E biases) + E·E (+ E bias) = 4E² + 4E when
    kdim = vdim = E.

    Head i has its own W_i^Q, W_i^K, W_i^V of E/h columns each; stacked over the h heads
    they are one E-row matrix per projection, so the count does not depend on h
    (torch stores them that way: in_proj_weight, 3E x E).
    """
    if embed_dim % num_heads:
        raise SolverInputError("num_heads", f"embed_dim {embed_dim} is not divisible by "
                                            f"{num_heads} heads (PyTorch requires it)")
    e = embed_dim
    head_dim = e // num_heads
    n_bias = 1 if bias else 0
    in_proj = e * e + e * kdim + e * vdim + 3 * e * n_bias
    out_proj = e * e + e * n_bias
    params = in_proj + out_proj
    bias_en = "with biases" if bias else "no biases"
    bias_zh = "带偏置" if bias else "无偏置"
    steps = [
        Step(f"Convention: torch.nn.MultiheadAttention ({bias_en}). Each of the {num_heads} "
             f"heads works in E/h = {e}/{num_heads} = {head_dim} dimensions; its W_i^Q, W_i^K, "
             f"W_i^V side by side make one E-row matrix per projection, so the count does "
             f"not depend on the number of heads.",
             f"约定：torch.nn.MultiheadAttention（{bias_zh}）。{num_heads} 个头各在 E/h = "
             f"{e}/{num_heads} = {head_dim} 维上计算；各头的 W_i^Q、W_i^K、W_i^V 拼在一起就是"
             f"每个投影的一个 E 行矩阵，所以参数量与头数无关。",
             rf"d_k = d_v = \frac{{E}}{{h}} = \frac{{{e}}}{{{num_heads}}} = {head_dim}",
             head_dim),
        Step(f"Query, key, value projections: E·E + E·kdim + E·vdim"
             + (" + 3E" if bias else "")
             + f" = {e}·{e} + {e}·{kdim} + {e}·{vdim}" + (f" + 3·{e}" if bias else "")
             + f" = {in_proj}",
             f"查询、键、值投影：E·E + E·kdim + E·vdim" + (" + 3E" if bias else "")
             + f" = {e}·{e} + {e}·{kdim} + {e}·{vdim}" + (f" + 3·{e}" if bias else "")
             + f" = {in_proj}",
             r"E^2 + E\,d_{kdim} + E\,d_{vdim}" + (" + 3E" if bias else "")
             + rf" = {e}^2 + {e} \cdot {kdim} + {e} \cdot {vdim}"
             + (rf" + 3 \cdot {e}" if bias else "") + f" = {in_proj}", in_proj),
        Step(f"Output projection (concatenated heads back to E): E·E" + (" + E" if bias else "")
             + f" = {e}·{e}" + (f" + {e}" if bias else "") + f" = {out_proj}",
             f"输出投影（把拼接后的各头映射回 E 维）：E·E" + (" + E" if bias else "")
             + f" = {e}·{e}" + (f" + {e}" if bias else "") + f" = {out_proj}",
             r"E^2" + (" + E" if bias else "") + f" = {e}^2" + (f" + {e}" if bias else "")
             + f" = {out_proj}", out_proj),
        Step(f"Total = {in_proj} + {out_proj} = {params}",
             f"总计 = {in_proj} + {out_proj} = {params}",
             f"{in_proj} + {out_proj} = {params}", params),
    ]
    return Solution({"head_dim": head_dim, "in_proj": in_proj, "out_proj": out_proj,
                     "params": params}, steps)


@solver(
    topic="attention",
    summary="Sinusoidal positional encoding of one position (Vaswani et al. 2017).",
    summary_zh="某个位置的正弦位置编码（Vaswani 等，2017）。",
    params=[
        Param("position", "int", "position pos in the sequence (the first is 0)",
              doc_zh="序列中的位置 pos（第一个为 0）", min=0, max=MAX_POSITION),
        Param("d_model", "int", "encoding size d", doc_zh="编码维度 d", min=1, max=MAX_D_MODEL),
        Param("base", "float", "the constant n in pos / n^(2i/d) (10000 in the paper)",
              doc_zh="pos / n^(2i/d) 中的常数 n（论文中为 10000）", default=10000.0,
              min=1.0, max=1e12),
    ],
    answers=[
        Answer("encoding", "vec", "PE(pos, 0 … d−1): sin at even indices, cos at odd ones",
               doc_zh="PE(pos, 0 … d−1)：偶数下标取 sin，奇数下标取 cos"),
        Answer("angles", "vec", "pos / n^(2i/d) for each index (radians)",
               doc_zh="每个下标对应的角度 pos / n^(2i/d)（弧度）"),
    ],
    examples=[
        # Saeed, "A Gentle Introduction to Positional Encoding in Transformer Models"
        # (Machine Learning Mastery, 2022): n = 100, d = 4, the word at position 1 gets
        # [0.84147098, 0.54030231, 0.09983342, 0.99500417].
        dict(position=1, d_model=4, base=100),
        dict(position=2, d_model=6),
    ],
)
def positional_encoding(position, d_model, base) -> Solution:
    """PE(pos, 2i) = sin(pos / n^(2i/d)),  PE(pos, 2i+1) = cos(pos / n^(2i/d)),  n = 10000.

    Index j uses i = ⌊j/2⌋, so indices 2i and 2i+1 share one angle (one frequency). Angles
    in radians. An odd d ends with a sine.
    """
    angles = [position / base ** (2 * (j // 2) / d_model) for j in range(d_model)]
    encoding = [math.sin(a) if j % 2 == 0 else math.cos(a) for j, a in enumerate(angles)]
    if not all(math.isfinite(a) for a in angles):
        raise SolverInputError("base", "the angles are not finite for this base")
    pairs = [(j, angles[j]) for j in range(0, d_model, 2)]
    shown = join_terms([f"i={j // 2}: {position}/{num(base)}^({j}/{d_model}) = {num(a)}"
                        for j, a in pairs], "; ")
    shown_latex = join_terms([rf"\frac{{{position}}}{{{latex_num(base)}^{{{j}/{d_model}}}}} = "
                              rf"{latex_num(a)}" for j, a in pairs], r", \; ", r"\cdots")
    values = join_terms([f"PE[{j}] = {'sin' if j % 2 == 0 else 'cos'}({num(a)}) = {num(v)}"
                         for j, (a, v) in enumerate(zip(angles, encoding))], ", ")
    steps = [
        Step(f"Convention: Vaswani et al. (2017): even index 2i gets sin, odd index 2i+1 gets "
             f"cos of the same angle pos / n^(2i/d), n = {num(base)}, angles in radians; "
             f"positions count from 0.",
             f"约定：Vaswani 等（2017）：偶数下标 2i 取 sin，奇数下标 2i+1 取同一角度的 cos，"
             f"角度为 pos / n^(2i/d)，n = {num(base)}，单位为弧度；位置从 0 开始计数。",
             r"PE_{(pos, 2i)} = \sin\left(\frac{pos}{n^{2i/d}}\right), \quad "
             r"PE_{(pos, 2i+1)} = \cos\left(\frac{pos}{n^{2i/d}}\right)"),
        Step(f"Angles ({len(pairs)} frequencies): {shown}",
             f"角度（{len(pairs)} 个频率）：{shown}",
             shown_latex, angles),
        Step(f"Encoding of position {position}: {values}",
             f"位置 {position} 的编码：{values}",
             rf"PE_{{{position}}} = {latex_vec(encoding)}", encoding),
    ]
    return Solution({"encoding": encoding, "angles": angles}, steps)
