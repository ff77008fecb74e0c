"""Point estimators (Goodfellow §5.4–5.6): the sample mean and variance, the bias and
variance of the classic estimators, maximum likelihood for a Bernoulli or Gaussian
sample, and the MAP estimate of a Gaussian mean (closed-form arithmetic).

Conventions: "biased" variance divides by n (the MLE, numpy.var, torch.var(unbiased=
False)), "unbiased" by n − 1 (Bessel's correction, torch.var's default); logarithms are
natural. Plain Python, no numpy: these solvers must start fast (see
`SolverSpec.needs_numpy`).
"""

from __future__ import annotations

import math

from solvers.arith import fsum
from solvers.fmt import join_terms, latex_num, latex_paren, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_SAMPLES = 1_000_000  # m in the estimator formulas


ESTIMATORS = ("variance_biased", "variance_unbiased", "gaussian_mean", "bernoulli_mean")


def _finite(name: str, value: float) -> float:
    if not math.isfinite(value):
        raise SolverInputError(name, "numbers too large: the result overflows")
    return value


def squared_deviations(x: list[float]) -> tuple[float, list[float], float]:
    """(mean, deviations xᵢ − mean, Σ (xᵢ − mean)²), in float64 with fsum."""
    mean = _finite("x", fsum(x) / len(x))
    dev = [v - mean for v in x]
    ss = _finite("x", fsum(d * d for d in dev))
    return mean, dev, ss


@solver(
    topic="basics",
    summary="Sample mean and variance of a list of numbers, both biased (÷n) and unbiased (÷(n−1)).",
    summary_zh="一组数的样本均值与方差：有偏（÷n）和无偏（÷(n−1)）两种。",
    params=[Param("x", "vec", "the sample (at least 2 numbers)", doc_zh="样本（至少 2 个数）")],
    answers=[
        Answer("mean", "float", "x̄ = Σxᵢ / n", doc_zh="样本均值 x̄ = Σxᵢ / n"),
        Answer("var_biased", "float", "Σ(xᵢ − x̄)² / n (the MLE, numpy.var)",
               doc_zh="Σ(xᵢ − x̄)² / n（极大似然估计，numpy.var）"),
        Answer("var_unbiased", "float", "Σ(xᵢ − x̄)² / (n − 1) (torch.var default)",
               doc_zh="Σ(xᵢ − x̄)² / (n − 1)（torch.var 的默认）"),
        Answer("std_biased", "float", "√var_biased", doc_zh="有偏标准差 √var_biased"),
        Answer("std_unbiased", "float", "√var_unbiased", doc_zh="无偏方差的平方根 √var_unbiased"),
    ],
    examples=[
        dict(x=[2, 4, 4, 4, 5, 5, 7, 9]),  # Wikipedia "Standard deviation": σ = 2 (÷n)
        dict(x=[1, 2, 3, 4]),
    ],
)
def sample_variance(x) -> Solution:
    """x̄ = Σxᵢ/n; σ̂² = Σ(xᵢ − x̄)²/n is biased (E[σ̂²] = (n−1)/n·σ²) because x̄ is fitted to
    the same data; s² = Σ(xᵢ − x̄)²/(n − 1) (Bessel's correction) is unbiased. The square
    roots are the corresponding standard deviations (s itself is still slightly biased).
    """
    n = len(x)
    if n < 2:
        raise SolverInputError("x", "needs at least 2 numbers (n − 1 would be 0)")
    mean, dev, ss = squared_deviations(x)
    vb, vu = ss / n, ss / (n - 1)
    sum_terms = join_terms([num(v) for v in x], " + ")
    dev_terms = join_terms([f"{paren(d)}²" for d in dev], " + ")
    latex_dev = join_terms([f"{latex_paren(d)}^2" for d in dev], " + ", r"\cdots")
    steps = [
        Step(f"Mean x̄ = ({sum_terms}) / {n} = {num(mean)}",
             f"均值 x̄ = ({sum_terms}) / {n} = {num(mean)}",
             rf"\bar{{x}} = \frac{{1}}{{n}} \sum_i x_i = \frac{{{latex_num(fsum(x))}}}{{{n}}} = "
             rf"{latex_num(mean)}", mean),
        Step(f"Sum of squared deviations Σ(xᵢ − x̄)² = {dev_terms} = {num(ss)}",
             f"离差平方和 Σ(xᵢ − x̄)² = {dev_terms} = {num(ss)}",
             rf"\sum_i (x_i - \bar{{x}})^2 = {latex_dev} = {latex_num(ss)}", ss),
        Step(f"Biased (÷n, the MLE): σ̂² = {num(ss)}/{n} = {num(vb)}, σ̂ = {num(math.sqrt(vb))}",
             f"有偏（÷n，即极大似然估计）：σ̂² = {num(ss)}/{n} = {num(vb)}，σ̂ = {num(math.sqrt(vb))}",
             rf"\hat\sigma^2 = \frac{{{latex_num(ss)}}}{{{n}}} = {latex_num(vb)}", vb),
        Step(f"Unbiased (÷(n − 1), Bessel's correction): s² = {num(ss)}/{n - 1} = {num(vu)}, "
             f"s = {num(math.sqrt(vu))}",
             f"无偏（÷(n − 1)，贝塞尔校正）：s² = {num(ss)}/{n - 1} = {num(vu)}，s = {num(math.sqrt(vu))}",
             rf"s^2 = \frac{{{latex_num(ss)}}}{{{n - 1}}} = {latex_num(vu)}", vu),
    ]
    return Solution({"mean": mean, "var_biased": vb, "var_unbiased": vu,
                     "std_biased": math.sqrt(vb), "std_unbiased": math.sqrt(vu)}, steps)


@solver(
    topic="basics",
    summary="Expectation, bias, variance and MSE of a classic estimator from m i.i.d. samples.",
    summary_zh="由 m 个独立同分布样本得到的经典估计量的期望、偏差、方差与均方误差。",
    params=[
        Param("estimator", "str", "which estimator", choices=ESTIMATORS, doc_zh="哪个估计量"),
        Param("m", "int", "number of samples", min=1, max=MAX_SAMPLES, doc_zh="样本数"),
        Param("sigma2", "float", "true variance σ² of the Gaussian (variance and gaussian_mean)",
              default=None, doc_zh="高斯分布的真实方差 σ²（variance_* 与 gaussian_mean 需要）"),
        Param("mu", "float", "true mean μ (gaussian_mean)", default=0.0,
              doc_zh="真实均值 μ（gaussian_mean 使用）"),
        Param("theta", "float", "true success probability θ (bernoulli_mean)", default=None,
              min=0, max=1, doc_zh="真实成功概率 θ（bernoulli_mean 需要）"),
    ],
    answers=[
        Answer("expected", "float", "E[estimate]", doc_zh="E[估计值]"),
        Answer("bias", "float", "E[estimate] − true value", doc_zh="E[估计值] − 真值"),
        Answer("variance", "float", "Var[estimate]", doc_zh="Var[估计值]"),
        Answer("mse", "float", "bias² + variance", doc_zh="偏差² + 方差"),
    ],
    examples=[
        dict(estimator="variance_biased", m=10, sigma2=4),  # bias −0.4
        dict(estimator="variance_unbiased", m=10, sigma2=4),  # bias 0, variance 32/9
        dict(estimator="bernoulli_mean", m=100, theta=0.3),  # Goodfellow §5.4.2: θ(1−θ)/m
    ],
)
def estimator_bias_variance(estimator, m, sigma2, mu, theta) -> Solution:
    """For m i.i.d. samples (Goodfellow §5.4):
    bernoulli_mean θ̂ = x̄: E = θ, bias 0, Var = θ(1 − θ)/m;
    gaussian_mean μ̂ = x̄: E = μ, bias 0, Var = σ²/m (standard error σ/√m);
    variance_biased σ̂² = Σ(xᵢ − x̄)²/m: E = (m − 1)σ²/m, bias −σ²/m, Var = 2(m − 1)σ⁴/m²;
    variance_unbiased s² = Σ(xᵢ − x̄)²/(m − 1): E = σ², bias 0, Var = 2σ⁴/(m − 1).
    The two variance formulas assume Gaussian data ((m − 1)s²/σ² ~ χ²ₘ₋₁). MSE = bias² + Var;
    the biased σ̂² has the smaller MSE — unbiased is not the same as best.
    """
    if estimator == "bernoulli_mean":
        if theta is None:
            raise SolverInputError("theta", "required for estimator=bernoulli_mean")
        truth, expected = theta, theta
        variance = theta * (1 - theta) / m
        what_en = f"Bernoulli(θ = {num(theta)}) sample mean θ̂ = x̄ over m = {m} samples"
        what_zh = f"Bernoulli(θ = {num(theta)}) 的样本均值 θ̂ = x̄（m = {m} 个样本）"
        e_latex, v_latex = r"E[\hat\theta] = \theta", r"\frac{\theta(1 - \theta)}{m}"
        v_text = f"θ(1 − θ)/m = {num(theta)}·{num(1 - theta)}/{m}"
    else:
        if sigma2 is None:
            raise SolverInputError("sigma2", f"required for estimator={estimator}")
        if sigma2 <= 0:
            raise SolverInputError("sigma2", f"a variance must be > 0, got {num(sigma2)}")
        s4 = _finite("sigma2", sigma2 * sigma2)
        if estimator == "gaussian_mean":
            truth, expected, variance = mu, mu, sigma2 / m
            what_en = f"Gaussian sample mean μ̂ = x̄ over m = {m} samples (σ² = {num(sigma2)})"
            what_zh = f"高斯样本均值 μ̂ = x̄（m = {m} 个样本，σ² = {num(sigma2)}）"
            e_latex, v_latex = r"E[\hat\mu] = \mu", r"\frac{\sigma^2}{m}"
            v_text = f"σ²/m = {num(sigma2)}/{m}"
        else:
            if m < 2:
                raise SolverInputError("m", "a sample variance needs m ≥ 2")
            truth = sigma2
            if estimator == "variance_biased":
                expected = (m - 1) * sigma2 / m
                variance = 2 * (m - 1) * s4 / (m * m)
                what_en = (f"biased sample variance σ̂² = Σ(xᵢ − x̄)²/m (÷m, the MLE), m = {m} "
                           f"Gaussian samples, σ² = {num(sigma2)}")
                what_zh = (f"有偏样本方差 σ̂² = Σ(xᵢ − x̄)²/m（÷m，即极大似然估计），m = {m} 个"
                           f"高斯样本，σ² = {num(sigma2)}")
                e_latex, v_latex = r"E[\hat\sigma^2] = \frac{m-1}{m}\sigma^2", r"\frac{2(m-1)\sigma^4}{m^2}"
                v_text = f"2(m − 1)σ⁴/m² = 2·{m - 1}·{num(s4)}/{m}²"
            else:
                expected = sigma2
                variance = 2 * s4 / (m - 1)
                what_en = (f"unbiased sample variance s² = Σ(xᵢ − x̄)²/(m − 1) (Bessel), m = {m} "
                           f"Gaussian samples, σ² = {num(sigma2)}")
                what_zh = (f"无偏样本方差 s² = Σ(xᵢ − x̄)²/(m − 1)（贝塞尔校正），m = {m} 个"
                           f"高斯样本，σ² = {num(sigma2)}")
                e_latex, v_latex = r"E[s^2] = \sigma^2", r"\frac{2\sigma^4}{m - 1}"
                v_text = f"2σ⁴/(m − 1) = 2·{num(s4)}/{m - 1}"
    bias = expected - truth + 0.0
    variance = _finite("sigma2", variance)
    mse = _finite("sigma2", bias * bias + variance)
    steps = [
        Step(f"Estimator: {what_en}. Its expectation: E = {num(expected)} (true value "
             f"{num(truth)}).",
             f"估计量：{what_zh}。其期望：E = {num(expected)}（真值为 {num(truth)}）。",
             rf"{e_latex} = {latex_num(expected)}", expected),
        Step(f"Bias = E[estimate] − true value = {num(expected)} − {paren(truth)} = {num(bias)}"
             + (" (unbiased)" if bias == 0 else " (biased: it underestimates on average)"),
             f"偏差 = E[估计值] − 真值 = {num(expected)} − {paren(truth)} = {num(bias)}"
             + ("（无偏）" if bias == 0 else "（有偏：平均而言偏小）"),
             rf"\mathrm{{bias}} = {latex_num(expected)} - {latex_paren(truth)} = {latex_num(bias)}",
             bias),
        Step(f"Variance = {v_text} = {num(variance)}",
             f"方差 = {v_text} = {num(variance)}",
             rf"\mathrm{{Var}} = {v_latex} = {latex_num(variance)}", variance),
        Step(f"MSE = bias² + variance = {paren(bias)}² + {num(variance)} = {num(mse)}",
             f"均方误差 MSE = 偏差² + 方差 = {paren(bias)}² + {num(variance)} = {num(mse)}",
             rf"\mathrm{{MSE}} = \mathrm{{bias}}^2 + \mathrm{{Var}} = {latex_paren(bias)}^2 + "
             rf"{latex_num(variance)} = {latex_num(mse)}", mse),
    ]
    return Solution({"expected": expected + 0.0, "bias": bias, "variance": variance, "mse": mse},
                    steps)


@solver(
    topic="basics",
    summary="Maximum-likelihood estimate of a Bernoulli or Gaussian from a sample, and its log-likelihood.",
    summary_zh="由样本求伯努利或高斯分布的极大似然估计及其对数似然。",
    params=[
        Param("distribution", "str", "the model", choices=("bernoulli", "gaussian"), doc_zh="模型"),
        Param("x", "vec", "the sample (0/1 outcomes for bernoulli)", doc_zh="样本（bernoulli 时为 0/1 结果）"),
    ],
    answers=[
        Answer("mean", "float", "θ̂ (bernoulli) or μ̂ (gaussian) = x̄", doc_zh="θ̂（伯努利）或 μ̂（高斯）= x̄"),
        Answer("variance", "float", "the variance of the fitted model: θ̂(1 − θ̂), or σ̂² = Σ(xᵢ − x̄)²/n",
               doc_zh="拟合模型的方差：θ̂(1 − θ̂)，或 σ̂² = Σ(xᵢ − x̄)²/n"),
        Answer("log_likelihood", "float", "Σ log p(xᵢ) at the estimate (natural log)",
               doc_zh="估计值处的 Σ log p(xᵢ)（自然对数）"),
    ],
    examples=[
        dict(distribution="bernoulli", x=[1, 0, 1, 1, 0, 1, 1, 0, 1, 1]),  # θ̂ = 0.7
        dict(distribution="gaussian", x=[2, 4, 4, 4, 5, 5, 7, 9]),  # μ̂ = 5, σ̂² = 4
    ],
)
def mle(distribution, x) -> Solution:
    """Bernoulli: L(θ) = θᵏ(1 − θ)ⁿ⁻ᵏ with k successes; d/dθ log L = 0 gives θ̂ = k/n.
    Gaussian: maximizing Σ log N(xᵢ; μ, σ²) gives μ̂ = x̄ and σ̂² = Σ(xᵢ − x̄)²/n — the
    biased variance (÷n), not ÷(n − 1). Maximizing the likelihood = minimizing the
    negative log-likelihood = the cross-entropy between the data and the model.
    log-likelihoods are natural logs; 0·log 0 = 0 (a Bernoulli sample of all 0s or all 1s
    has θ̂ = 0 or 1 and log-likelihood 0). A Gaussian sample with no spread has σ̂² = 0 and
    an infinite likelihood: bad input.
    """
    n = len(x)
    if distribution == "bernoulli":
        if any(v not in (0, 1) for v in x):
            raise SolverInputError("x", "a Bernoulli sample holds only 0s and 1s")
        k = int(sum(x))
        theta = k / n
        ll = (k * math.log(theta) if k else 0.0) + ((n - k) * math.log(1 - theta) if n - k else 0.0)
        var = theta * (1 - theta)
        steps = [
            Step(f"Likelihood of {k} ones in n = {n}: L(θ) = θ^{k}·(1 − θ)^{n - k}; "
                 f"log L = {k}·ln θ + {n - k}·ln(1 − θ) (natural log)",
                 f"n = {n} 次中有 {k} 个 1 的似然：L(θ) = θ^{k}·(1 − θ)^{n - k}；"
                 f"log L = {k}·ln θ + {n - k}·ln(1 − θ)（自然对数）",
                 rf"\log L(\theta) = {k} \ln \theta + {n - k} \ln (1 - \theta)", None),
            Step(f"Set the derivative to 0: k/θ − (n − k)/(1 − θ) = 0 ⇒ θ̂ = k/n = {k}/{n} = {num(theta)}",
                 f"令导数为 0：k/θ − (n − k)/(1 − θ) = 0 ⇒ θ̂ = k/n = {k}/{n} = {num(theta)}",
                 rf"\frac{{k}}{{\theta}} - \frac{{n - k}}{{1 - \theta}} = 0 \Rightarrow \hat\theta = "
                 rf"\frac{{{k}}}{{{n}}} = {latex_num(theta)}", theta),
            Step(f"Fitted variance θ̂(1 − θ̂) = {num(var)}; log-likelihood at θ̂ = {num(ll)} "
                 f"(0·ln 0 = 0)",
                 f"拟合后的方差 θ̂(1 − θ̂) = {num(var)}；θ̂ 处的对数似然 = {num(ll)}（0·ln 0 = 0）",
                 rf"\log L(\hat\theta) = {latex_num(ll)}", ll),
        ]
        return Solution({"mean": theta, "variance": var, "log_likelihood": ll + 0.0}, steps)
    if n < 2:
        raise SolverInputError("x", "a Gaussian fit needs at least 2 numbers")
    mean, dev, ss = squared_deviations(x)
    var = ss / n
    if var <= 0 or var * n == 0:
        raise SolverInputError("x", "all values are equal: σ̂² = 0 and the likelihood is infinite")
    ll = _finite("x", -0.5 * n * (math.log(2 * math.pi * var) + 1))
    steps = [
        Step("Log-likelihood of N(μ, σ²): Σ log p(xᵢ) = −(n/2)·ln(2πσ²) − Σ(xᵢ − μ)²/(2σ²) "
             "(natural log)",
             "N(μ, σ²) 的对数似然：Σ log p(xᵢ) = −(n/2)·ln(2πσ²) − Σ(xᵢ − μ)²/(2σ²)（自然对数）",
             r"\ell(\mu, \sigma^2) = -\frac{n}{2}\ln(2\pi\sigma^2) - \frac{\sum_i (x_i - \mu)^2}"
             r"{2\sigma^2}", None),
        Step(f"∂ℓ/∂μ = 0 ⇒ μ̂ = x̄ = {num(fsum(x))}/{n} = {num(mean)}",
             f"令 ∂ℓ/∂μ = 0 ⇒ μ̂ = x̄ = {num(fsum(x))}/{n} = {num(mean)}",
             rf"\hat\mu = \bar{{x}} = {latex_num(mean)}", mean),
        Step(f"∂ℓ/∂σ² = 0 ⇒ σ̂² = Σ(xᵢ − x̄)²/n = {num(ss)}/{n} = {num(var)} — the biased "
             f"variance (÷n), not ÷(n − 1)",
             f"令 ∂ℓ/∂σ² = 0 ⇒ σ̂² = Σ(xᵢ − x̄)²/n = {num(ss)}/{n} = {num(var)}——有偏方差（÷n），"
             f"不是 ÷(n − 1)",
             rf"\hat\sigma^2 = \frac{{1}}{{n}}\sum_i (x_i - \bar x)^2 = \frac{{{latex_num(ss)}}}{{{n}}}"
             rf" = {latex_num(var)}", var),
        Step(f"At the estimate the squared term is n/2, so ℓ = −(n/2)(ln(2πσ̂²) + 1) = {num(ll)}",
             f"在估计值处平方项等于 n/2，所以 ℓ = −(n/2)(ln(2πσ̂²) + 1) = {num(ll)}",
             rf"\ell(\hat\mu, \hat\sigma^2) = -\frac{{{n}}}{{2}}\left(\ln(2\pi \cdot {latex_num(var)})"
             rf" + 1\right) = {latex_num(ll)}", ll),
    ]
    return Solution({"mean": mean, "variance": var, "log_likelihood": ll}, steps)


@solver(
    topic="basics",
    summary="MAP estimate of a Gaussian mean under a Gaussian prior (= L2-regularized fit).",
    summary_zh="高斯先验下高斯均值的 MAP 估计（等价于 L2 正则化的拟合）。",
    params=[
        Param("x", "vec", "the sample", doc_zh="样本"),
        Param("sigma2", "float", "known noise variance σ² of each xᵢ", doc_zh="每个 xᵢ 已知的噪声方差 σ²"),
        Param("prior_mean", "float", "prior mean μ₀", default=0.0, doc_zh="先验均值 μ₀"),
        Param("prior_var", "float", "prior variance τ²", doc_zh="先验方差 τ²"),
    ],
    answers=[
        Answer("mle", "float", "x̄ (the maximum-likelihood estimate)", doc_zh="x̄（极大似然估计）"),
        Answer("map", "float", "the posterior mode of μ", doc_zh="μ 的后验众数"),
        Answer("weight", "float", "the weight of the data: map = w·x̄ + (1 − w)·μ₀",
               doc_zh="数据的权重：map = w·x̄ + (1 − w)·μ₀"),
    ],
    examples=[
        dict(x=[2, 4, 6], sigma2=4, prior_var=2),  # x̄ = 4, w = 0.6, map = 2.4
        dict(x=[1, 3], sigma2=1, prior_mean=5, prior_var=0.5),
    ],
)
def map_gaussian_mean(x, sigma2, prior_mean, prior_var) -> Solution:
    """MAP = argmax_μ [Σ log N(xᵢ; μ, σ²) + log N(μ; μ₀, τ²)]
    = argmin_μ [Σ(xᵢ − μ)²/(2σ²) + (μ − μ₀)²/(2τ²)]: the prior is an L2 penalty pulling μ
    towards μ₀ (weight decay when μ₀ = 0). Setting the derivative to 0:
    μ_MAP = (n x̄/σ² + μ₀/τ²) / (n/σ² + 1/τ²) = w x̄ + (1 − w) μ₀, w = nτ²/(nτ² + σ²).
    More data (n ↑) or a vaguer prior (τ² ↑) moves it towards the MLE x̄.
    """
    for name, v in (("sigma2", sigma2), ("prior_var", prior_var)):
        if v <= 0:
            raise SolverInputError(name, f"a variance must be > 0, got {num(v)}")
    n = len(x)
    mean = _finite("x", fsum(x) / n)
    data_precision, prior_precision = n / sigma2, 1 / prior_var
    total = _finite("sigma2", data_precision + prior_precision)
    if total == 0 or not math.isfinite(data_precision) or not math.isfinite(prior_precision):
        raise SolverInputError("sigma2", "variances too small or too large to invert")
    w = data_precision / total
    map_ = _finite("x", w * mean + (1 - w) * prior_mean)
    steps = [
        Step(f"MLE: x̄ = {num(fsum(x))}/{n} = {num(mean)}",
             f"极大似然估计：x̄ = {num(fsum(x))}/{n} = {num(mean)}",
             rf"\hat\mu_{{ML}} = \bar x = {latex_num(mean)}", mean),
        Step("MAP = argmin Σ(xᵢ − μ)²/(2σ²) + (μ − μ₀)²/(2τ²): the log-prior is an L2 penalty "
             "pulling μ towards μ₀. Setting the derivative to 0 weights each source by its "
             "precision (1/variance).",
             "MAP = argmin Σ(xᵢ − μ)²/(2σ²) + (μ − μ₀)²/(2τ²)：对数先验相当于把 μ 拉向 μ₀ 的 L2 "
             "惩罚项。令导数为 0，各信息来源按其精度（方差的倒数）加权。",
             r"\hat\mu_{MAP} = \frac{n\bar x/\sigma^2 + \mu_0/\tau^2}{n/\sigma^2 + 1/\tau^2}", None),
        Step(f"w = (n/σ²) / (n/σ² + 1/τ²) = {num(data_precision)} / ({num(data_precision)} + "
             f"{num(prior_precision)}) = {num(w)}",
             f"w = (n/σ²) / (n/σ² + 1/τ²) = {num(data_precision)} / ({num(data_precision)} + "
             f"{num(prior_precision)}) = {num(w)}（数据的权重）",
             rf"w = \frac{{{latex_num(data_precision)}}}{{{latex_num(data_precision)} + "
             rf"{latex_num(prior_precision)}}} = {latex_num(w)}", w),
        Step(f"MAP = w·x̄ + (1 − w)·μ₀ = {num(w)}·{paren(mean)} + {num(1 - w)}·{paren(prior_mean)} = "
             f"{num(map_)} (shrunk from x̄ towards μ₀)",
             f"MAP = w·x̄ + (1 − w)·μ₀ = {num(w)}·{paren(mean)} + {num(1 - w)}·{paren(prior_mean)} = "
             f"{num(map_)}（从 x̄ 向 μ₀ 收缩）",
             rf"\hat\mu_{{MAP}} = {latex_num(w)} \cdot {latex_paren(mean)} + {latex_num(1 - w)} \cdot "
             rf"{latex_paren(prior_mean)} = {latex_num(map_)}", map_),
    ]
    return Solution({"mle": mean, "map": map_, "weight": w}, steps)
