"""Normalization layers by hand: batch norm (training and inference), layer norm, and
the parameter count of a batch-norm layer (closed-form arithmetic).

Conventions follow PyTorch (`nn.BatchNorm1d`, `nn.LayerNorm`): the variance that
normalizes is the biased one (÷n); BatchNorm's running variance is updated with the
unbiased one (÷(n−1)); `momentum` is the weight of the new batch statistic,
running ← (1 − momentum)·running + momentum·batch (Keras' `momentum=0.99` is the weight
of the old value instead). Plain Python, no numpy: the tables are small and these
solvers must start fast (see `SolverSpec.needs_numpy`). `fsum` and `mean_and_variance`
are shared with `practice.py` and `regularization.py`.
"""

from __future__ import annotations

import math

from solvers.arith import fsum
from solvers.fmt import join_terms, latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.registry import KINDS, Answer, Param, Solution, SolverInputError, Step, solver

MAX_FEATURES = 10_000_000  # channels of a batch-norm layer in a parameter count


def mean_and_variance(values: list[float], ddof: int = 0) -> tuple[float, float]:
    """(mean, Σ(x − mean)²/(n − ddof)): ddof 0 is the biased (population) variance, ddof 1
    the unbiased (sample) one. Squares are written x·x so a huge value gives inf, not an
    OverflowError."""
    mean = fsum(values) / len(values)
    squares = fsum((v - mean) * (v - mean) for v in values)
    return mean, squares / (len(values) - ddof)


def rows_of(name: str, x) -> tuple[list[list[float]], bool]:
    """A vector or a matrix as a list of rows, and whether it was a vector (the caller
    decides what a vector means); SolverInputError naming `name` otherwise."""
    if isinstance(x, list) and x and all(isinstance(row, list) for row in x):
        return KINDS["mat"](name, x), False
    if isinstance(x, list) and x and not any(isinstance(v, list) for v in x):
        return [[v] for v in KINDS["vec"](name, x)], True
    raise SolverInputError(name, "expected a vector (a list of numbers) or a matrix (a list "
                                 "of rows of equal length)")


def per_feature(name: str, value, features: int) -> list[float]:
    """A number (the same for every feature) or a vector with one entry per feature."""
    if isinstance(value, list):
        if len(value) != features:
            raise SolverInputError(name, f"expected one value per feature ({features}), "
                                         f"got {len(value)}")
        return list(value)
    return [value] * features


def columns(rows: list[list[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*rows)]


def _show(value, vector: bool) -> str:
    """A value in a step's text: a scalar / vector as numbers, a matrix via matrix_text."""
    if vector or not isinstance(value, list) or not isinstance(value[0], list):
        return num(value)
    return matrix_text(value)


def _tex(value) -> str:
    if not isinstance(value, list):
        return latex_num(value)
    if isinstance(value[0], list):
        return latex_matrix(value)
    return latex_vec(value)


def _scalar_or_list(values: list[float], vector: bool):
    """A per-feature list as the answer: one number when x was a vector (one feature)."""
    return values[0] if vector else values


def _shape_back(rows: list[list[float]], vector: bool):
    """A batch x features result as the answer: a vector when x was a vector."""
    return [row[0] for row in rows] if vector else rows


def _sum_text(values: list[float]) -> str:
    return join_terms([num(v) for v in values], " + ").replace("+ -", "− ")


def _sum_tex(values: list[float]) -> str:
    return join_terms([latex_num(v) for v in values], " + ", r"\cdots").replace("+ -", "- ")


def _check_eps(var: list[float], eps: float) -> None:
    if any(v + eps <= 0 for v in var):
        raise SolverInputError("eps", "the variance is 0 and eps is 0: x̂ would divide by 0 "
                                      "(PyTorch's default eps is 1e-5)")


NORM_INPUT_DOC = ("a batch: a vector = one feature over the batch, or a matrix = batch x "
                  "features (statistics per feature, down each column)")
NORM_INPUT_DOC_ZH = "一个批次：向量 = 一个特征在整个批次上的取值；矩阵 = 批次 x 特征（按特征、沿每一列统计）"
AFFINE_PARAMS = [
    Param("gamma", "number_or_vec", "scale γ (weight): a number or one per feature",
          doc_zh="缩放参数 γ（weight）：一个数，或每个特征一个", default=1.0),
    Param("beta", "number_or_vec", "shift β (bias): a number or one per feature",
          doc_zh="平移参数 β（bias）：一个数，或每个特征一个", default=0.0),
    Param("eps", "float", "ε added to the variance under the square root",
          doc_zh="加在根号内方差上的 ε", default=1e-5, min=0.0),
]


# ---------------------------------------------------------------- batch norm, training


@solver(
    topic="normalization",
    summary="Batch normalization in training mode, as torch.nn.BatchNorm1d: batch mean and "
            "variance, x̂, y = γx̂ + β, and the updated running mean and variance.",
    summary_zh="训练模式下的批归一化（与 torch.nn.BatchNorm1d 相同）：批均值与方差、x̂、y = γx̂ + β，"
               "以及更新后的滑动均值和滑动方差。",
    params=[
        Param("x", "json", NORM_INPUT_DOC, doc_zh=NORM_INPUT_DOC_ZH),
        *AFFINE_PARAMS,
        Param("momentum", "float", "weight of the batch statistic in the running average",
              doc_zh="滑动平均中本批统计量的权重", default=0.1, min=0.0, max=1.0),
        Param("running_mean", "number_or_vec", "running mean before this batch",
              doc_zh="本批之前的滑动均值", default=0.0),
        Param("running_var", "number_or_vec", "running variance before this batch",
              doc_zh="本批之前的滑动方差", default=1.0),
    ],
    answers=[
        Answer("mean", "float", "batch mean μ_B (one per feature when x is a matrix)",
               doc_zh="批均值 μ_B（x 为矩阵时每个特征一个）"),
        Answer("var", "float", "biased batch variance σ²_B = Σ(x − μ)²/n, used to normalize",
               doc_zh="有偏批方差 σ²_B = Σ(x − μ)²/n，用于归一化"),
        Answer("x_hat", "vec", "(x − μ)/√(σ² + ε) (a matrix when x is a matrix)",
               doc_zh="x̂ = (x − μ)/√(σ² + ε)（x 为矩阵时为矩阵）"),
        Answer("y", "vec", "γx̂ + β (a matrix when x is a matrix)",
               doc_zh="输出 y = γx̂ + β（x 为矩阵时为矩阵）"),
        Answer("running_mean", "float", "(1 − momentum)·running_mean + momentum·μ",
               doc_zh="更新后的滑动均值 (1 − momentum)·running_mean + momentum·μ"),
        Answer("running_var", "float",
               "(1 − momentum)·running_var + momentum·Σ(x − μ)²/(n − 1) (unbiased, as PyTorch)",
               doc_zh="更新后的滑动方差 (1 − momentum)·running_var + momentum·Σ(x − μ)²/(n − 1)"
                      "（无偏方差，与 PyTorch 相同）"),
    ],
    examples=[
        dict(x=[1, 2, 3, 4]),  # μ 2.5, σ² 1.25, unbiased 5/3: running_var 1.0667
        # d2l.ai, Transformer, "Residual connection and layer normalization": per feature.
        dict(x=[[1, 2], [2, 3]]),
        dict(x=[[0, 4], [2, 8], [4, 6]], gamma=[2, 1], beta=[0, 1], momentum=0.5,
             running_mean=[1, 5], running_var=[2, 4]),
    ],
)
def batchnorm(x, gamma, beta, eps, momentum, running_mean, running_var) -> Solution:
    """Per feature j over the batch of n rows (PyTorch BatchNorm1d, training mode):
    μ = Σᵢ xᵢ/n; σ² = Σᵢ (xᵢ − μ)²/n (biased); x̂ = (x − μ)/√(σ² + ε); y = γx̂ + β;
    running_mean ← (1 − m)·running_mean + m·μ;
    running_var ← (1 − m)·running_var + m·σ²·n/(n − 1) (the unbiased variance).

    A batch of one is refused, as PyTorch refuses it in training mode (n − 1 = 0).
    """
    rows, vector = rows_of("x", x)
    n, d = len(rows), len(rows[0])
    if n < 2:
        raise SolverInputError("x", "a batch of 1: training-mode batch norm needs at least 2 "
                                    "values per feature (PyTorch refuses it too)")
    g, b = per_feature("gamma", gamma, d), per_feature("beta", beta, d)
    rm, rv = per_feature("running_mean", running_mean, d), per_feature("running_var",
                                                                         running_var, d)
    if any(v < 0 for v in rv):
        raise SolverInputError("running_var", "a variance cannot be negative")
    cols = columns(rows)
    stats = [mean_and_variance(col) for col in cols]
    mu, var = [s[0] for s in stats], [s[1] for s in stats]
    _check_eps(var, eps)
    unbiased = [v * n / (n - 1) for v in var]
    denom = [math.sqrt(v + eps) for v in var]
    x_hat = [[(row[j] - mu[j]) / denom[j] for j in range(d)] for row in rows]
    y = [[g[j] * row[j] + b[j] for j in range(d)] for row in x_hat]
    new_rm = [(1 - momentum) * rm[j] + momentum * mu[j] for j in range(d)]
    new_rv = [(1 - momentum) * rv[j] + momentum * unbiased[j] for j in range(d)]

    def out(values):
        return _scalar_or_list(values, vector)

    what_en = (f"one feature over a batch of n = {n}" if vector
               else f"a batch of n = {n} rows and {d} features, statistics down each column")
    what_zh = (f"一个特征、批大小 n = {n}" if vector
               else f"批大小 n = {n}、{d} 个特征，按列（每个特征）统计")
    steps = [
        Step(f"Convention: PyTorch BatchNorm1d in training mode, {what_en}. The biased variance "
             f"(÷n) normalizes; the running variance is updated with the unbiased one (÷(n−1)); "
             f"momentum m = {num(momentum)} is the weight of the new batch statistic.",
             f"约定：PyTorch BatchNorm1d 训练模式，{what_zh}。归一化用有偏方差（÷n）；滑动方差用无偏方差"
             f"（÷(n−1)）更新；momentum m = {num(momentum)} 是本批统计量的权重。",
             r"\mu_B = \frac{1}{n}\sum_i x_i,\quad \sigma_B^2 = \frac{1}{n}\sum_i (x_i - \mu_B)^2,"
             r"\quad \hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}},\quad "
             r"y_i = \gamma \hat{x}_i + \beta"),
    ]
    if vector:
        col = cols[0]
        steps.append(Step(
            f"Batch mean μ = ({_sum_text(col)})/{n} = {num(mu[0])}",
            f"批均值 μ = ({_sum_text(col)})/{n} = {num(mu[0])}",
            rf"\mu_B = \frac{{{_sum_tex(col)}}}{{{n}}} = {latex_num(mu[0])}", mu[0]))
        devs = [(v - mu[0]) * (v - mu[0]) for v in col]
        steps.append(Step(
            f"Batch variance (biased, ÷n) σ² = ({_sum_text(devs)})/{n} = {num(var[0])}",
            f"批方差（有偏，÷n）σ² = ({_sum_text(devs)})/{n} = {num(var[0])}",
            rf"\sigma_B^2 = \frac{{{_sum_tex(devs)}}}{{{n}}} = {latex_num(var[0])}", var[0]))
    else:
        steps.append(Step(f"Batch mean of each feature (column): μ = {num(mu)}",
                          f"每个特征（每列）的批均值：μ = {num(mu)}",
                          rf"\mu_B = {latex_vec(mu)}", mu))
        steps.append(Step(f"Biased variance of each column (÷n = ÷{n}): σ² = {num(var)}",
                          f"每列的有偏方差（÷n = ÷{n}）：σ² = {num(var)}",
                          rf"\sigma_B^2 = {latex_vec(var)}", var))
    steps += [
        Step(f"√(σ² + ε) with ε = {eps:g}: {num(out(denom))}",
             f"分母 √(σ² + ε)，其中 ε = {eps:g}：{num(out(denom))}",
             rf"\sqrt{{\sigma_B^2 + \epsilon}} = {_tex(out(denom))}", out(denom)),
        Step(f"Normalize: x̂ = (x − μ)/√(σ² + ε) = {_show(_shape_back(x_hat, vector), vector)}",
             f"归一化：x̂ = (x − μ)/√(σ² + ε) = {_show(_shape_back(x_hat, vector), vector)}",
             rf"\hat{{x}} = {_tex(_shape_back(x_hat, vector))}", _shape_back(x_hat, vector)),
        Step(f"Scale and shift with γ = {num(out(g))}, β = {num(out(b))}: "
             f"y = γx̂ + β = {_show(_shape_back(y, vector), vector)}",
             f"用 γ = {num(out(g))}、β = {num(out(b))} 缩放和平移：y = γx̂ + β = "
             f"{_show(_shape_back(y, vector), vector)}",
             rf"y = \gamma \hat{{x}} + \beta = {_tex(_shape_back(y, vector))}",
             _shape_back(y, vector)),
        Step(f"Running mean = (1 − m)·{num(out(rm))} + m·μ = {num(out(new_rm))}",
             f"滑动均值 = (1 − m)·{num(out(rm))} + m·μ = {num(out(new_rm))}",
             rf"\hat{{\mu}} \leftarrow (1 - {latex_num(momentum)})\,{_tex(out(rm))} + "
             rf"{latex_num(momentum)}\,\mu_B = {_tex(out(new_rm))}", out(new_rm)),
        Step(f"Unbiased variance for the running average: σ²·n/(n − 1) = σ²·{n}/{n - 1} = "
             f"{num(out(unbiased))}; running var = (1 − m)·{num(out(rv))} + m·{num(out(unbiased))}"
             f" = {num(out(new_rv))}",
             f"滑动平均用无偏方差：σ²·n/(n − 1) = σ²·{n}/{n - 1} = {num(out(unbiased))}；"
             f"滑动方差 = (1 − m)·{num(out(rv))} + m·{num(out(unbiased))} = {num(out(new_rv))}",
             rf"\hat{{\sigma}}^2 \leftarrow (1 - {latex_num(momentum)})\,{_tex(out(rv))} + "
             rf"{latex_num(momentum)} \cdot \frac{{{n}}}{{{n - 1}}}\sigma_B^2 = {_tex(out(new_rv))}",
             out(new_rv)),
    ]
    answers = {"mean": out(mu), "var": out(var), "x_hat": _shape_back(x_hat, vector),
               "y": _shape_back(y, vector), "running_mean": out(new_rm),
               "running_var": out(new_rv)}
    return Solution(answers, steps)


# ---------------------------------------------------------------- batch norm, inference


@solver(
    topic="normalization",
    summary="Batch normalization at inference (eval mode): normalize with the running mean "
            "and variance, as torch.nn.BatchNorm1d after model.eval().",
    summary_zh="推理阶段（eval 模式）的批归一化：用滑动均值和滑动方差归一化（与 model.eval() 后的 "
               "torch.nn.BatchNorm1d 相同）。",
    params=[
        Param("x", "json", "inputs: a vector = one feature, or a matrix = samples x features "
                           "(a single sample is fine)",
              doc_zh="输入：向量 = 一个特征的若干取值；矩阵 = 样本 x 特征（单个样本也可以）"),
        *AFFINE_PARAMS,
        Param("running_mean", "number_or_vec", "running mean learned in training",
              doc_zh="训练中得到的滑动均值", default=0.0),
        Param("running_var", "number_or_vec", "running variance learned in training",
              doc_zh="训练中得到的滑动方差", default=1.0),
    ],
    answers=[
        Answer("x_hat", "vec", "(x − running_mean)/√(running_var + ε) (a matrix for a matrix x)",
               doc_zh="x̂ = (x − 滑动均值)/√(滑动方差 + ε)（x 为矩阵时为矩阵）"),
        Answer("y", "vec", "γx̂ + β (a matrix for a matrix x)",
               doc_zh="输出 y = γx̂ + β（x 为矩阵时为矩阵）"),
        Answer("scale", "float", "a = γ/√(running_var + ε), so y = a·x + c (one per feature)",
               doc_zh="a = γ/√(滑动方差 + ε)，使 y = a·x + c（每个特征一个）"),
        Answer("shift", "float", "c = β − a·running_mean (one per feature)",
               doc_zh="c = β − a·滑动均值（每个特征一个）"),
    ],
    examples=[
        dict(x=[2, 6], gamma=2, beta=1, running_mean=4, running_var=3.99999),
        dict(x=[[1, 10]], running_mean=[0, 8], running_var=[4, 1], gamma=[1, 0.5]),
    ],
)
def batchnorm_inference(x, gamma, beta, eps, running_mean, running_var) -> Solution:
    """Eval mode: x̂ = (x − running_mean)/√(running_var + ε), y = γx̂ + β — the batch's own
    statistics are not used, so each sample's output depends on that sample alone.

    Equivalently y = a·x + c with a = γ/√(running_var + ε) and c = β − a·running_mean: a
    fixed affine map per feature, which can be folded into the preceding layer.
    """
    rows, vector = rows_of("x", x)
    d = len(rows[0])
    g, b = per_feature("gamma", gamma, d), per_feature("beta", beta, d)
    rm, rv = per_feature("running_mean", running_mean, d), per_feature("running_var",
                                                                         running_var, d)
    if any(v < 0 for v in rv):
        raise SolverInputError("running_var", "a variance cannot be negative")
    if any(v + eps <= 0 for v in rv):
        raise SolverInputError("eps", "running_var + eps is 0: x̂ would divide by 0")
    denom = [math.sqrt(v + eps) for v in rv]
    x_hat = [[(row[j] - rm[j]) / denom[j] for j in range(d)] for row in rows]
    y = [[g[j] * row[j] + b[j] for j in range(d)] for row in x_hat]
    scale = [g[j] / denom[j] for j in range(d)]
    shift = [b[j] - scale[j] * rm[j] for j in range(d)]

    def out(values):
        return _scalar_or_list(values, vector)

    steps = [
        Step("Convention: PyTorch BatchNorm in eval mode (model.eval()): the running statistics "
             "learned in training replace the batch statistics, and nothing is updated.",
             "约定：PyTorch 批归一化的 eval 模式（model.eval()）：用训练中得到的滑动统计量代替批统计量，"
             "且不再更新任何统计量。",
             r"\hat{x} = \frac{x - \hat{\mu}}{\sqrt{\hat{\sigma}^2 + \epsilon}},\quad "
             r"y = \gamma \hat{x} + \beta"),
        Step(f"√(running_var + ε) = √({num(out(rv))} + {eps:g}) = {num(out(denom))}",
             f"√(滑动方差 + ε) = √({num(out(rv))} + {eps:g}) = {num(out(denom))}",
             rf"\sqrt{{\hat{{\sigma}}^2 + \epsilon}} = {_tex(out(denom))}", out(denom)),
        Step(f"x̂ = (x − {num(out(rm))})/{num(out(denom))} = "
             f"{_show(_shape_back(x_hat, vector), vector)}",
             f"归一化：x̂ = (x − {num(out(rm))})/{num(out(denom))} = "
             f"{_show(_shape_back(x_hat, vector), vector)}",
             rf"\hat{{x}} = {_tex(_shape_back(x_hat, vector))}", _shape_back(x_hat, vector)),
        Step(f"y = γx̂ + β with γ = {num(out(g))}, β = {num(out(b))}: "
             f"{_show(_shape_back(y, vector), vector)}",
             f"缩放和平移：y = γx̂ + β，γ = {num(out(g))}，β = {num(out(b))}："
             f"{_show(_shape_back(y, vector), vector)}",
             rf"y = {_tex(_shape_back(y, vector))}", _shape_back(y, vector)),
        Step(f"As one affine map per feature: a = γ/√(running_var + ε) = {num(out(scale))}, "
             f"c = β − a·running_mean = {num(out(shift))}, y = a·x + c (foldable into the "
             f"preceding layer)",
             f"写成每个特征的一个仿射变换：a = γ/√(滑动方差 + ε) = {num(out(scale))}，"
             f"c = β − a·滑动均值 = {num(out(shift))}，y = a·x + c（可并入前一层）",
             rf"a = \frac{{\gamma}}{{\sqrt{{\hat{{\sigma}}^2 + \epsilon}}}} = {_tex(out(scale))},"
             rf"\quad c = \beta - a\hat{{\mu}} = {_tex(out(shift))}", [out(scale), out(shift)]),
    ]
    return Solution({"x_hat": _shape_back(x_hat, vector), "y": _shape_back(y, vector),
                     "scale": out(scale), "shift": out(shift)}, steps)


# ---------------------------------------------------------------- layer norm


@solver(
    topic="normalization",
    summary="Layer normalization, as torch.nn.LayerNorm over the last dimension: each sample "
            "normalized over its own features.",
    summary_zh="层归一化（与对最后一维做 torch.nn.LayerNorm 相同）：每个样本在自身的特征上归一化。",
    params=[
        Param("x", "json", "a vector = one sample's features, or a matrix = samples x features "
                           "(each row normalized on its own)",
              doc_zh="向量 = 一个样本的各个特征；矩阵 = 样本 x 特征（每一行各自归一化）"),
        *AFFINE_PARAMS,
    ],
    answers=[
        Answer("mean", "float", "mean over the features (one per row when x is a matrix)",
               doc_zh="在特征上的均值（x 为矩阵时每行一个）"),
        Answer("var", "float", "biased variance over the features (÷ number of features)",
               doc_zh="在特征上的有偏方差（÷ 特征个数）"),
        Answer("x_hat", "vec", "(x − mean)/√(var + ε) (a matrix when x is a matrix)",
               doc_zh="x̂ = (x − 均值)/√(方差 + ε)（x 为矩阵时为矩阵）"),
        Answer("y", "vec", "γ ⊙ x̂ + β (a matrix when x is a matrix)",
               doc_zh="输出 y = γ ⊙ x̂ + β（x 为矩阵时为矩阵）"),
    ],
    examples=[
        dict(x=[1, 2, 3, 4]),
        # d2l.ai, Transformer, "Residual connection and layer normalization": per sample.
        dict(x=[[1, 2], [2, 3]]),
        dict(x=[2, 4, 6], gamma=[1, 2, 0.5], beta=[0, 1, -1], eps=0),
    ],
)
def layernorm(x, gamma, beta, eps) -> Solution:
    """Per sample (row), over its d features (nn.LayerNorm(d)): μ = Σⱼ xⱼ/d;
    σ² = Σⱼ (xⱼ − μ)²/d (biased); x̂ = (x − μ)/√(σ² + ε); y = γ ⊙ x̂ + β (one γ, β per
    feature). No batch statistics and no running averages: train and test compute the same.
    """
    if isinstance(x, list) and x and not any(isinstance(v, list) for v in x):
        rows, vector = [KINDS["vec"]("x", x)], True
    else:
        rows, vector = rows_of("x", x)
        vector = False
    d = len(rows[0])
    g, b = per_feature("gamma", gamma, d), per_feature("beta", beta, d)
    stats = [mean_and_variance(row) for row in rows]
    mu, var = [s[0] for s in stats], [s[1] for s in stats]
    if any(v + eps <= 0 for v in var):
        raise SolverInputError("eps", "a row has variance 0 and eps is 0: x̂ would divide by 0 "
                                      "(PyTorch's default eps is 1e-5)")
    x_hat = [[(v - mu[i]) / math.sqrt(var[i] + eps) for v in row] for i, row in enumerate(rows)]
    y = [[g[j] * row[j] + b[j] for j in range(d)] for row in x_hat]

    def back(value):
        return value[0] if vector else value

    steps = [
        Step(f"Convention: PyTorch nn.LayerNorm({d}): each sample is normalized over its own "
             f"{d} features with the biased variance (÷{d}); γ and β have one entry per feature; "
             f"no batch statistics, so training and inference compute the same.",
             f"约定：PyTorch nn.LayerNorm({d})：每个样本在自身的 {d} 个特征上归一化，用有偏方差"
             f"（÷{d}）；γ、β 每个特征一个；不使用批统计量，因此训练和推理的计算相同。",
             r"\mu = \frac{1}{d}\sum_j x_j,\quad \sigma^2 = \frac{1}{d}\sum_j (x_j - \mu)^2,\quad "
             r"y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta"),
    ]
    if vector:
        row = rows[0]
        devs = [(v - mu[0]) * (v - mu[0]) for v in row]
        steps += [
            Step(f"Mean over the features μ = ({_sum_text(row)})/{d} = {num(mu[0])}",
                 f"在特征上的均值 μ = ({_sum_text(row)})/{d} = {num(mu[0])}",
                 rf"\mu = \frac{{{_sum_tex(row)}}}{{{d}}} = {latex_num(mu[0])}", mu[0]),
            Step(f"Variance (biased, ÷{d}) σ² = ({_sum_text(devs)})/{d} = {num(var[0])}",
                 f"方差（有偏，÷{d}）σ² = ({_sum_text(devs)})/{d} = {num(var[0])}",
                 rf"\sigma^2 = \frac{{{_sum_tex(devs)}}}{{{d}}} = {latex_num(var[0])}", var[0]),
        ]
    else:
        steps += [
            Step(f"Mean of each row (sample): μ = {num(mu)}", f"每一行（每个样本）的均值：μ = {num(mu)}",
                 rf"\mu = {latex_vec(mu)}", mu),
            Step(f"Biased variance of each row (÷{d}): σ² = {num(var)}",
                 f"每一行的有偏方差（÷{d}）：σ² = {num(var)}", rf"\sigma^2 = {latex_vec(var)}", var),
        ]
    steps += [
        Step(f"Normalize with ε = {eps:g}: x̂ = (x − μ)/√(σ² + ε) = {_show(back(x_hat), vector)}",
             f"以 ε = {eps:g} 归一化：x̂ = (x − μ)/√(σ² + ε) = {_show(back(x_hat), vector)}",
             rf"\hat{{x}} = {_tex(back(x_hat))}", back(x_hat)),
        Step(f"y = γ ⊙ x̂ + β with γ = {num(g)}, β = {num(b)}: {_show(back(y), vector)}",
             f"缩放和平移：y = γ ⊙ x̂ + β，γ = {num(g)}，β = {num(b)}：{_show(back(y), vector)}",
             rf"y = \gamma \odot \hat{{x}} + \beta = {_tex(back(y))}", back(y)),
    ]
    return Solution({"mean": back(mu), "var": back(var), "x_hat": back(x_hat), "y": back(y)},
                    steps)


# ---------------------------------------------------------------- parameter count


@solver(
    topic="normalization",
    summary="Parameters of a batch-norm layer: trainable γ and β, non-trainable running mean "
            "and variance (as Keras' model.summary() counts them).",
    summary_zh="批归一化层的参数量：可训练的 γ 和 β，不可训练的滑动均值和滑动方差（与 Keras 的 "
               "model.summary() 计数方式相同）。",
    params=[
        Param("num_features", "int", "features (Dense) or channels (conv) C",
              doc_zh="特征数（全连接层之后）或通道数（卷积层之后）C", min=1, max=MAX_FEATURES),
        Param("affine", "bool", "learn γ and β (PyTorch affine; Keras center and scale)",
              doc_zh="是否学习 γ 和 β（PyTorch 的 affine；Keras 的 center 与 scale）", default=True),
        Param("track_running_stats", "bool", "keep a running mean and variance",
              doc_zh="是否保存滑动均值和滑动方差", default=True),
    ],
    answers=[
        Answer("trainable", "int", "γ and β: 2C (0 without affine)",
               doc_zh="可训练参数 γ 和 β：2C（affine=False 时为 0）"),
        Answer("non_trainable", "int", "running mean and variance: 2C",
               doc_zh="不可训练参数（滑动均值和滑动方差）：2C"),
        Answer("total", "int", "trainable + non-trainable (Keras' 'Param #': 4C)",
               doc_zh="合计（Keras 的 'Param #'：4C）"),
    ],
    examples=[
        dict(num_features=64),  # Keras summary: 256 params, 128 of them non-trainable
        dict(num_features=4, affine=False),
    ],
)
def batchnorm_params(num_features, affine, track_running_stats) -> Solution:
    """trainable = 2C (γ and β, one per channel); non_trainable = 2C (running mean and
    variance, updated by averaging, not by gradients); total = 4C as Keras' summary shows.

    Per channel, not per position: a BatchNorm2d after a conv with C channels has the same
    count whatever the image size. PyTorch also stores `num_batches_tracked`, one integer
    counter, which is not a parameter and is not counted here.
    """
    c = num_features
    trainable = 2 * c if affine else 0
    non_trainable = 2 * c if track_running_stats else 0
    total = trainable + non_trainable
    steps = [
        Step(f"Trainable: γ and β, one of each per feature/channel: "
             f"{'2·' + str(c) + ' = ' + str(trainable) if affine else '0 (affine=False)'}",
             f"可训练：γ 和 β，每个特征/通道各一个："
             f"{'2·' + str(c) + ' = ' + str(trainable) if affine else '0（affine=False）'}",
             rf"|\gamma| + |\beta| = " + (rf"2 \cdot {c} = {trainable}" if affine else "0"),
             trainable),
        Step(f"Non-trainable: running mean and running variance, updated by a moving average "
             f"(not by gradients): "
             f"{'2·' + str(c) + ' = ' + str(non_trainable) if track_running_stats else '0'}"
             f"; PyTorch's num_batches_tracked counter is not counted",
             f"不可训练：滑动均值和滑动方差，由滑动平均更新（不靠梯度）："
             f"{'2·' + str(c) + ' = ' + str(non_trainable) if track_running_stats else '0'}"
             f"；PyTorch 的 num_batches_tracked 计数器不计入",
             rf"|\hat{{\mu}}| + |\hat{{\sigma}}^2| = "
             + (rf"2 \cdot {c} = {non_trainable}" if track_running_stats else "0"),
             non_trainable),
        Step(f"Total (Keras' Param #) = {trainable} + {non_trainable} = {total}; per channel, "
             f"so independent of the image size",
             f"合计（Keras 的 Param #）= {trainable} + {non_trainable} = {total}；按通道计数，与图像尺寸无关",
             rf"{trainable} + {non_trainable} = {total}", total),
    ]
    return Solution({"trainable": trainable, "non_trainable": non_trainable, "total": total},
                    steps)
