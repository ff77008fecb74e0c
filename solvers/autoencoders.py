"""Autoencoders, VAEs and RBMs by hand: reconstruction losses, the sparsity and
contractive penalties, the VAE's KL term, reparameterization and loss, and the RBM's
energy and conditionals (closed-form arithmetic).

Conventions follow PyTorch where it has the same thing (`F.mse_loss`,
`F.binary_cross_entropy` with its log clamped at −100, the VAE loss of
pytorch/examples); logarithms are natural (nats). Weight matrices are out x in, as in
`nn.Linear`: an encoder's W is hidden x input, an RBM's W is hidden x visible. Plain
Python, no numpy: these are small vectors and must start fast.
"""

from __future__ import annotations

import math

from solvers.arith import fsum, sigmoid
from solvers.fmt import latex_matrix, latex_num, latex_paren, latex_vec, matrix_text, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_LOGVAR = 700.0  # e^700 ≈ 1e304: beyond it e^logvar overflows a float
LOG_CLAMP = -100.0  # F.binary_cross_entropy clamps each log at −100


def _same_length(name: str, v: list, n: int, what: str) -> None:
    if len(v) != n:
        raise SolverInputError(name, f"expected {n} entries ({what}), got {len(v)}")


def _check_logvar(logvar: list[float]) -> None:
    for value in logvar:
        if value > MAX_LOGVAR:
            raise SolverInputError("logvar", f"{num(value)} is too large: e^logvar overflows "
                                   f"(at most {num(MAX_LOGVAR)})")


def _terms_latex(terms: list[str]) -> str:
    return " + ".join(terms) if len(terms) <= 12 else " + ".join(terms[:10]) + r" + \cdots"


# ---------------------------------------------------------------- reconstruction


def _bce_term(target: float, p: float) -> float:
    """−[x·log p + (1 − x)·log(1 − p)] with each log clamped at −100 (as PyTorch)."""
    log_p = max(math.log(p), LOG_CLAMP) if p > 0 else LOG_CLAMP
    log_q = max(math.log(1.0 - p), LOG_CLAMP) if p < 1 else LOG_CLAMP
    return -(target * log_p + (1.0 - target) * log_q)


def reconstruction_terms(x: list[float], x_hat: list[float], loss: str) -> list[float]:
    """Per-element terms: (x̂ − x)² for mse, the binary cross-entropy for bce."""
    if loss == "mse":
        # (b − a)·(b − a), not ** 2: a float power raises OverflowError where a product gives inf
        return [(b - a) * (b - a) for a, b in zip(x, x_hat)]
    return [_bce_term(a, b) for a, b in zip(x, x_hat)]


def _check_bce_inputs(x: list[float], x_hat: list[float]) -> None:
    if any(not 0.0 <= v <= 1.0 for v in x_hat):
        raise SolverInputError("x_hat", "for bce every reconstruction must lie in [0, 1] "
                               "(a sigmoid output)")
    if any(not 0.0 <= v <= 1.0 for v in x):
        raise SolverInputError("x", "for bce every target must lie in [0, 1]")


@solver(
    topic="autoencoders",
    summary="Reconstruction loss of an autoencoder: MSE or binary cross-entropy, mean or sum.",
    summary_zh="自编码器的重构损失：均方误差或二元交叉熵，取平均或求和。",
    params=[
        Param("x", "vec", "the input x (the target of the reconstruction), flattened",
              doc_zh="输入 x（重构的目标），展平成向量"),
        Param("x_hat", "vec", "the reconstruction x̂, flattened", doc_zh="重构结果 x̂，展平成向量"),
        Param("loss", "str", "mse: (x̂ − x)²; bce: −[x log x̂ + (1 − x) log(1 − x̂)]",
              doc_zh="损失类型：mse 为 (x̂ − x)²；bce 为 −[x log x̂ + (1 − x) log(1 − x̂)]", default="mse",
              choices=("mse", "bce")),
        Param("reduction", "str", "average the terms (PyTorch's default) or add them up",
              doc_zh="对各项取平均（PyTorch 默认）或求和", default="mean",
              choices=("mean", "sum")),
    ],
    answers=[
        Answer("loss", "float", "the reconstruction loss", doc_zh="重构损失"),
        Answer("terms", "vec", "the loss of each element", doc_zh="每个元素的损失项"),
    ],
    examples=[
        dict(x=[1, 0, 1, 0], x_hat=[0.9, 0.2, 0.6, 0.1]),
        dict(x=[1, 0, 1], x_hat=[0.8, 0.1, 0.5], loss="bce"),
    ],
)
def reconstruction_loss(x, x_hat, loss, reduction) -> Solution:
    """mse: (1/n)·Σ (x̂ᵢ − xᵢ)² (F.mse_loss); bce: −(1/n)·Σ [xᵢ log x̂ᵢ + (1 − xᵢ) log(1 − x̂ᵢ)]
    (F.binary_cross_entropy: natural log, each log clamped at −100); reduction sum drops
    the 1/n."""
    _same_length("x_hat", x_hat, len(x), "one per input element")
    if loss == "bce":
        _check_bce_inputs(x, x_hat)
    terms = reconstruction_terms(x, x_hat, loss)
    n = len(terms)
    total = fsum(terms)
    value = total / n if reduction == "mean" else total
    if loss == "mse":
        rule_en = ("Convention: squared error per element (x̂ᵢ − xᵢ)², as "
                   "torch.nn.functional.mse_loss")
        rule_zh = "约定：每个元素的平方误差 (x̂ᵢ − xᵢ)²，与 torch.nn.functional.mse_loss 相同"
        rule_latex = r"\ell_i = (\hat x_i - x_i)^2"
        shown = "; ".join(f"({num(b)} − {paren(a)})² = {num(t)}" for a, b, t in
                          zip(x[:10], x_hat[:10], terms[:10]))
    else:
        rule_en = ("Convention: binary cross-entropy per element "
                   "−[xᵢ·ln x̂ᵢ + (1 − xᵢ)·ln(1 − x̂ᵢ)] (natural log, each log clamped at "
                   "−100), as torch.nn.functional.binary_cross_entropy")
        rule_zh = ("约定：每个元素的二元交叉熵 −[xᵢ·ln x̂ᵢ + (1 − xᵢ)·ln(1 − x̂ᵢ)]（自然对数，"
                   "每个 log 最小截断为 −100），与 torch.nn.functional.binary_cross_entropy 相同")
        rule_latex = r"\ell_i = -\big[x_i \ln \hat x_i + (1 - x_i) \ln(1 - \hat x_i)\big]"
        shown = "; ".join(f"x = {num(a)}, x̂ = {num(b)}: {num(t)}" for a, b, t in
                          zip(x[:10], x_hat[:10], terms[:10]))
    if n > 10:
        shown += "; …"
    if reduction == "mean":
        red_en = f"mean over the {n} elements: {num(total)} / {n} = {num(value)}"
        red_zh = f"对 {n} 个元素取平均：{num(total)} / {n} = {num(value)}"
        red_latex = rf"L = \frac{{1}}{{{n}}} \sum_i \ell_i = \frac{{{latex_num(total)}}}{{{n}}} = "
    else:
        red_en = f"sum over the {n} elements: {num(value)}"
        red_zh = f"对 {n} 个元素求和：{num(value)}"
        red_latex = r"L = \sum_i \ell_i = "
    steps = [
        Step(f"{rule_en}, reduction = {reduction}.", f"{rule_zh}，reduction = {reduction}。",
             rule_latex),
        Step(f"Per element: {shown}", f"逐元素：{shown}",
             rf"\ell = {latex_vec(terms)}", terms),
        Step(f"Loss = {red_en}", f"损失 = {red_zh}", red_latex + latex_num(value), value),
    ]
    return Solution({"loss": value, "terms": terms}, steps)


# ---------------------------------------------------------------- sparse autoencoder


def bernoulli_kl(rho: float, rho_hat: float) -> float:
    """KL(ρ ‖ ρ̂) = ρ ln(ρ/ρ̂) + (1 − ρ) ln((1 − ρ)/(1 − ρ̂)) between Bernoulli variables."""
    return rho * math.log(rho / rho_hat) + (1.0 - rho) * math.log((1.0 - rho) / (1.0 - rho_hat))


@solver(
    topic="autoencoders",
    summary="Sparse autoencoder penalty: average activations ρ̂ⱼ and β·Σ KL(ρ ‖ ρ̂ⱼ).",
    summary_zh="稀疏自编码器的惩罚项：平均激活 ρ̂ⱼ 与 β·Σ KL(ρ ‖ ρ̂ⱼ)。",
    params=[
        Param("activations", "mat", "hidden activations in (0, 1): one row per training "
              "sample, one column per hidden unit",
              doc_zh="隐藏层激活值，取值在 (0, 1)：每个训练样本一行，每个隐藏单元一列"),
        Param("rho", "float", "target sparsity ρ", doc_zh="目标稀疏度 ρ", default=0.05,
              min=1e-9, max=1 - 1e-9),
        Param("beta", "float", "weight β of the penalty", doc_zh="惩罚项的权重 β", default=1.0,
              min=0, max=1e6),
    ],
    answers=[
        Answer("rho_hat", "vec", "average activation ρ̂ⱼ of each hidden unit",
               doc_zh="每个隐藏单元的平均激活 ρ̂ⱼ"),
        Answer("kl", "vec", "KL(ρ ‖ ρ̂ⱼ) of each hidden unit", doc_zh="每个隐藏单元的 KL(ρ ‖ ρ̂ⱼ)"),
        Answer("penalty", "float", "β·Σⱼ KL(ρ ‖ ρ̂ⱼ)", doc_zh="稀疏惩罚项 β·Σⱼ KL(ρ ‖ ρ̂ⱼ)"),
    ],
    examples=[
        dict(activations=[[0.1, 0.5], [0.3, 0.7]], rho=0.1),
        dict(activations=[[0.2, 0.05, 0.4]], rho=0.05, beta=3),
    ],
)
def sparsity_penalty(activations, rho, beta) -> Solution:
    """ρ̂ⱼ = (1/m)·Σᵢ aⱼ(xᵢ) over the m samples; penalty = β·Σⱼ KL(ρ ‖ ρ̂ⱼ) with the KL
    between Bernoulli(ρ) and Bernoulli(ρ̂ⱼ) in nats (Ng, CS294A sparse autoencoder notes)."""
    m, n_hidden = len(activations), len(activations[0])
    rho_hat = [fsum(row[j] for row in activations) / m for j in range(n_hidden)]
    for j, value in enumerate(rho_hat):
        if not 0.0 < value < 1.0:
            raise SolverInputError("activations", f"the average activation of unit {j} is "
                                   f"{num(value)}: it must lie strictly between 0 and 1 "
                                   "(KL is infinite at 0 and 1)")
    kl = [bernoulli_kl(rho, r) for r in rho_hat]
    penalty = beta * fsum(kl)
    j0 = 0
    steps = [
        Step(f"Convention: ρ̂ⱼ = mean activation of hidden unit j over the {m} sample(s); KL "
             f"between Bernoulli(ρ) and Bernoulli(ρ̂ⱼ) in nats; penalty = β·Σⱼ KL, ρ = "
             f"{num(rho)}, β = {num(beta)}.",
             f"约定：ρ̂ⱼ = 隐藏单元 j 在 {m} 个样本上的平均激活；KL 为 Bernoulli(ρ) 与 "
             f"Bernoulli(ρ̂ⱼ) 之间的 KL 散度（自然对数）；惩罚项 = β·Σⱼ KL，ρ = {num(rho)}，"
             f"β = {num(beta)}。",
             r"\hat\rho_j = \frac{1}{m} \sum_{i=1}^m a_j(x_i),\quad "
             r"\mathrm{KL}(\rho \| \hat\rho_j) = \rho \ln\frac{\rho}{\hat\rho_j} + (1-\rho) "
             r"\ln\frac{1-\rho}{1-\hat\rho_j}"),
        Step(f"Average activations (column means): ρ̂ = {num(rho_hat)}",
             f"平均激活（按列求平均）：ρ̂ = {num(rho_hat)}",
             rf"\hat\rho = {latex_vec(rho_hat)}", rho_hat),
        Step(f"Unit {j0}: KL = {num(rho)}·ln({num(rho)}/{num(rho_hat[j0])}) + "
             f"{num(1 - rho)}·ln({num(1 - rho)}/{num(1 - rho_hat[j0])}) = {num(kl[j0])}; "
             f"every unit: {num(kl)}",
             f"单元 {j0}：KL = {num(rho)}·ln({num(rho)}/{num(rho_hat[j0])}) + "
             f"{num(1 - rho)}·ln({num(1 - rho)}/{num(1 - rho_hat[j0])}) = {num(kl[j0])}；"
             f"所有单元：{num(kl)}",
             rf"\mathrm{{KL}}(\rho \| \hat\rho_j) = {latex_vec(kl)}", kl),
        Step(f"Penalty = β·Σ KL = {num(beta)}·{num(fsum(kl))} = {num(penalty)}",
             f"惩罚项 = β·Σ KL = {num(beta)}·{num(fsum(kl))} = {num(penalty)}",
             rf"\beta \sum_j \mathrm{{KL}}(\rho \| \hat\rho_j) = {latex_num(beta)} \cdot "
             rf"{latex_num(fsum(kl))} = {latex_num(penalty)}", penalty),
    ]
    return Solution({"rho_hat": rho_hat, "kl": kl, "penalty": penalty}, steps)


# ---------------------------------------------------------------- contractive autoencoder


_ACTIVATIONS = {
    # name: (f(a), f'(a) from a and f(a), f' as text)
    "sigmoid": (sigmoid, lambda a, h: h * (1.0 - h), "h(1 − h)"),
    "tanh": (math.tanh, lambda a, h: 1.0 - h * h, "1 − h²"),
    "linear": (lambda a: a, lambda a, h: 1.0, "1"),
}


@solver(
    topic="autoencoders",
    summary="Contractive autoencoder penalty: the encoder's Jacobian J = ∂h/∂x and λ‖J‖_F².",
    summary_zh="收缩自编码器的惩罚项：编码器的雅可比矩阵 J = ∂h/∂x 与 λ‖J‖_F²。",
    params=[
        Param("x", "vec", "the input x", doc_zh="输入 x"),
        Param("weight", "mat", "encoder weights W (hidden x input, as nn.Linear)",
              doc_zh="编码器权重 W（隐藏 x 输入，与 nn.Linear 相同）"),
        Param("bias", "vec", "encoder bias b (zeros if not given)",
              doc_zh="编码器偏置 b（未给出时为 0）", default=None),
        Param("activation", "str", "encoder activation: h = f(Wx + b)",
              doc_zh="编码器激活函数：h = f(Wx + b)", default="sigmoid",
              choices=("sigmoid", "tanh", "linear")),
        Param("lam", "float", "weight λ of the penalty", doc_zh="惩罚项的权重 λ", default=1.0,
              min=0, max=1e6),
    ],
    answers=[
        Answer("h", "vec", "the code h = f(Wx + b)", doc_zh="编码 h = f(Wx + b)"),
        Answer("jacobian", "mat", "J = ∂h/∂x = diag(f′(a))·W (hidden x input)",
               doc_zh="J = ∂h/∂x = diag(f′(a))·W（隐藏 x 输入）"),
        Answer("frobenius_norm", "float", "‖J‖_F = √(Σ J²)",
               doc_zh="雅可比矩阵的 Frobenius 范数 ‖J‖_F = √(Σ J²)"),
        Answer("penalty", "float", "λ·‖J‖_F²", doc_zh="收缩惩罚项 λ·‖J‖_F²"),
    ],
    examples=[
        dict(x=[1, -1], weight=[[0.5, -0.5], [1, 0]]),
        dict(x=[0, 0], weight=[[1, 2], [3, 4]], activation="linear", lam=0.1),
    ],
)
def contractive_penalty(x, weight, bias, activation, lam) -> Solution:
    """h = f(a), a = Wx + b; J = ∂h/∂x = diag(f′(a))·W, so Jⱼᵢ = f′(aⱼ)·Wⱼᵢ;
    ‖J‖_F² = Σⱼᵢ Jⱼᵢ² = Σⱼ f′(aⱼ)²·Σᵢ Wⱼᵢ² (Rifai et al. 2011); penalty = λ·‖J‖_F².
    f′ = h(1 − h) for the sigmoid, 1 − h² for tanh, 1 for linear."""
    n_hidden, n_in = len(weight), len(weight[0])
    _same_length("x", x, n_in, "one per column of weight")
    b = [0.0] * n_hidden if bias is None else bias
    _same_length("bias", b, n_hidden, "one per row of weight")
    f, df, df_text = _ACTIVATIONS[activation]
    pre = [fsum(w * xi for w, xi in zip(row, x)) + bj for row, bj in zip(weight, b)]
    h = [f(a) for a in pre]
    slopes = [df(a, hj) for a, hj in zip(pre, h)]
    jac = [[s * w for w in row] for s, row in zip(slopes, weight)]
    sq = fsum(v * v for row in jac for v in row)
    norm = math.sqrt(sq)
    penalty = lam * sq
    steps = [
        Step(f"Convention: h = {activation}(Wx + b) with W hidden x input (nn.Linear); "
             f"J = ∂h/∂x = diag(f′(a))·W with f′ = {df_text}; penalty = λ‖J‖_F², λ = {num(lam)}.",
             f"约定：h = {activation}(Wx + b)，W 为隐藏 x 输入（nn.Linear）；J = ∂h/∂x = "
             f"diag(f′(a))·W，其中 f′ = {df_text}；惩罚项 = λ‖J‖_F²，λ = {num(lam)}。",
             r"J = \frac{\partial h}{\partial x} = \mathrm{diag}\big(f'(a)\big)\, W,\quad "
             r"\|J\|_F^2 = \sum_{j,i} J_{ji}^2"),
        Step(f"Pre-activation a = Wx + b = {num(pre)}; code h = {num(h)}",
             f"激活前 a = Wx + b = {num(pre)}；编码 h = {num(h)}",
             rf"a = {latex_vec(pre)},\ h = {latex_vec(h)}", h),
        Step(f"Slopes f′(a) = {df_text} = {num(slopes)}; J = rows of W scaled by them = "
             f"{matrix_text(jac)}",
             f"斜率 f′(a) = {df_text} = {num(slopes)}；J = W 的各行分别乘以对应斜率 = "
             f"{matrix_text(jac, 'zh')}",
             rf"J = {latex_matrix(jac)}", jac),
        Step(f"‖J‖_F² = sum of the squared entries = {num(sq)}; ‖J‖_F = {num(norm)}",
             f"‖J‖_F² = 各元素平方和 = {num(sq)}；‖J‖_F = {num(norm)}",
             rf"\|J\|_F^2 = {latex_num(sq)},\ \|J\|_F = {latex_num(norm)}", norm),
        Step(f"Penalty λ‖J‖_F² = {num(lam)}·{num(sq)} = {num(penalty)}",
             f"惩罚项 λ‖J‖_F² = {num(lam)}·{num(sq)} = {num(penalty)}",
             rf"\lambda \|J\|_F^2 = {latex_num(lam)} \cdot {latex_num(sq)} = "
             rf"{latex_num(penalty)}", penalty),
    ]
    return Solution({"h": h, "jacobian": jac, "frobenius_norm": norm, "penalty": penalty},
                    steps, filled={"bias": b})


# ---------------------------------------------------------------- VAE


def _kl_terms(mu: list[float], logvar: list[float]) -> list[float]:
    return [-0.5 * (1.0 + lv - m * m - math.exp(lv)) for m, lv in zip(mu, logvar)]


@solver(
    topic="autoencoders",
    summary="VAE KL term KL(N(μ, diag e^logvar) ‖ N(0, I)), summed over the latent dimensions.",
    summary_zh="VAE 的 KL 项 KL(N(μ, diag e^logvar) ‖ N(0, I))，对各潜变量维度求和。",
    params=[
        Param("mu", "vec", "encoder means μ", doc_zh="编码器输出的均值 μ"),
        Param("logvar", "vec", "encoder log-variances log σ²", doc_zh="编码器输出的对数方差 log σ²"),
    ],
    answers=[Answer("kl", "float", "KL(N(μ, σ²) ‖ N(0, I)) in nats, summed over dimensions",
                    doc_zh="KL(N(μ, σ²) ‖ N(0, I))（自然对数），对各维度求和")],
    examples=[
        dict(mu=[0.5, -1], logvar=[0, 0.5]),
        dict(mu=[0], logvar=[0]),  # q equals the prior: KL = 0
    ],
)
def vae_kl(mu, logvar) -> Solution:
    """KL = −½·Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²), σⱼ² = e^logvarⱼ (Kingma & Welling 2014,
    appendix B), natural log, summed over the latent dimensions (as pytorch/examples VAE)."""
    _same_length("logvar", logvar, len(mu), "one per entry of mu")
    _check_logvar(logvar)
    terms = _kl_terms(mu, logvar)
    kl = fsum(terms)
    var = [math.exp(lv) for lv in logvar]
    inner = [1.0 + lv - m * m - v for m, lv, v in zip(mu, logvar, var)]
    shown = "; ".join(f"1 + {paren(lv)} − {paren(m)}² − {num(v)} = {num(i)}"
                      for m, lv, v, i in zip(mu[:8], logvar[:8], var[:8], inner[:8]))
    steps = [
        Step("Convention: closed form for a diagonal Gaussian against N(0, I), natural log, "
             "summed over the latent dimensions: KL = −½·Σ (1 + log σ² − μ² − σ²).",
             "约定：对角高斯相对于 N(0, I) 的解析式，自然对数，对各潜变量维度求和："
             "KL = −½·Σ (1 + log σ² − μ² − σ²)。",
             r"\mathrm{KL} = -\frac{1}{2} \sum_j \big(1 + \log\sigma_j^2 - \mu_j^2 - "
             r"\sigma_j^2\big)"),
        Step(f"Variances σ² = e^logvar = {num(var)}", f"方差 σ² = e^logvar = {num(var)}",
             rf"\sigma^2 = e^{{\log\sigma^2}} = {latex_vec(var)}", var),
        Step(f"Per dimension 1 + log σ² − μ² − σ²: {shown}",
             f"逐维 1 + log σ² − μ² − σ²：{shown}",
             rf"1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2 = {latex_vec(inner)}", inner),
        Step(f"KL = −½·{paren(fsum(inner))} = {num(kl)} (each dimension: {num(terms)})",
             f"KL = −½·{paren(fsum(inner))} = {num(kl)}（各维：{num(terms)}）",
             rf"\mathrm{{KL}} = -\frac{{1}}{{2}} \cdot {latex_paren(fsum(inner))} = "
             rf"{latex_num(kl)}", kl),
    ]
    return Solution({"kl": kl}, steps)


@solver(
    topic="autoencoders",
    summary="The reparameterization trick: z = μ + σ ⊙ ε for a given ε ~ N(0, I).",
    summary_zh="重参数化技巧：对给定的 ε ~ N(0, I)，z = μ + σ ⊙ ε。",
    params=[
        Param("mu", "vec", "encoder means μ", doc_zh="编码器输出的均值 μ"),
        Param("logvar", "vec", "encoder log-variances log σ²", doc_zh="编码器输出的对数方差 log σ²"),
        Param("eps", "vec", "the noise ε drawn from N(0, I)", doc_zh="从 N(0, I) 采样的噪声 ε"),
    ],
    answers=[
        Answer("sigma", "vec", "σ = e^(logvar/2)", doc_zh="标准差 σ = e^(logvar/2)"),
        Answer("z", "vec", "the sample z = μ + σ ⊙ ε", doc_zh="样本 z = μ + σ ⊙ ε"),
    ],
    examples=[dict(mu=[0.5, -1], logvar=[0, 1.3863], eps=[1.2, -0.5])],
)
def reparameterize(mu, logvar, eps) -> Solution:
    """σ = e^(½·logvar) (the encoder outputs log σ²), z = μ + σ ⊙ ε with ε ~ N(0, I) drawn
    outside the network, so ∂z/∂μ = 1 and ∂z/∂σ = ε (Kingma & Welling 2014, §2.4)."""
    _same_length("logvar", logvar, len(mu), "one per entry of mu")
    _same_length("eps", eps, len(mu), "one per entry of mu")
    _check_logvar(logvar)
    sigma = [math.exp(0.5 * lv) for lv in logvar]
    z = [m + s * e for m, s, e in zip(mu, sigma, eps)]
    steps = [
        Step("Convention: the encoder outputs μ and log σ²; σ = e^(log σ² / 2); the noise ε ~ "
             "N(0, I) is drawn outside the network, so z is a differentiable function of μ and σ.",
             "约定：编码器输出 μ 和 log σ²；σ = e^(log σ² / 2)；噪声 ε ~ N(0, I) 在网络之外采样，"
             "因此 z 是 μ 和 σ 的可微函数。",
             r"z = \mu + \sigma \odot \varepsilon,\quad \sigma = e^{\frac{1}{2}\log\sigma^2},\quad "
             r"\varepsilon \sim \mathcal{N}(0, I)"),
        Step(f"σ = e^(logvar/2) = {num(sigma)}", f"标准差 σ = e^(logvar/2) = {num(sigma)}",
             rf"\sigma = {latex_vec(sigma)}", sigma),
        Step("z = μ + σ·ε: " + "; ".join(f"{num(m)} + {num(s)}·{paren(e)} = {num(v)}"
                                          for m, s, e, v in zip(mu, sigma, eps, z)),
             "样本 z = μ + σ·ε：" + "；".join(f"{num(m)} + {num(s)}·{paren(e)} = {num(v)}"
                                         for m, s, e, v in zip(mu, sigma, eps, z)),
             rf"z = {latex_vec(z)}", z),
    ]
    return Solution({"sigma": sigma, "z": z}, steps)


@solver(
    topic="autoencoders",
    summary="VAE loss (the negative ELBO): reconstruction (summed) + β·KL to N(0, I).",
    summary_zh="VAE 损失（负的 ELBO）：重构项（求和）+ β·到 N(0, I) 的 KL。",
    params=[
        Param("x", "vec", "the input x, flattened", doc_zh="输入 x，展平成向量"),
        Param("x_hat", "vec", "the decoder's reconstruction x̂, flattened",
              doc_zh="解码器的重构 x̂，展平成向量"),
        Param("mu", "vec", "encoder means μ", doc_zh="编码器输出的均值 μ"),
        Param("logvar", "vec", "encoder log-variances log σ²", doc_zh="编码器输出的对数方差 log σ²"),
        Param("recon", "str", "bce: summed binary cross-entropy (Bernoulli decoder); sse: "
              "summed squared error", doc_zh="bce：求和的二元交叉熵（伯努利解码器）；sse：平方误差之和",
              default="bce", choices=("bce", "sse")),
        Param("beta", "float", "weight β of the KL term (1: the plain VAE)",
              doc_zh="KL 项的权重 β（1 即普通 VAE）", default=1.0, min=0, max=1e6),
    ],
    answers=[
        Answer("recon", "float", "the reconstruction term", doc_zh="重构项"),
        Answer("kl", "float", "KL(q(z|x) ‖ N(0, I))", doc_zh="KL 项 KL(q(z|x) ‖ N(0, I))"),
        Answer("loss", "float", "recon + β·KL = −ELBO (for β = 1)",
               doc_zh="损失 recon + β·KL = −ELBO（β = 1 时）"),
    ],
    examples=[
        dict(x=[1, 0, 1], x_hat=[0.8, 0.2, 0.6], mu=[0.5, -0.5], logvar=[0, 0]),
        dict(x=[0.5, 1], x_hat=[0.4, 0.7], mu=[1], logvar=[-1], recon="sse", beta=4),
    ],
)
def vae_loss(x, x_hat, mu, logvar, recon, beta) -> Solution:
    """loss = recon + β·KL: recon = −Σ [x ln x̂ + (1 − x) ln(1 − x̂)] (bce, summed, as the
    VAE of pytorch/examples) or Σ (x̂ − x)² (sse); KL = −½·Σ (1 + log σ² − μ² − σ²). With
    β = 1 this is −ELBO, ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) (Kingma & Welling 2014)."""
    _same_length("x_hat", x_hat, len(x), "one per input element")
    _same_length("logvar", logvar, len(mu), "one per entry of mu")
    _check_logvar(logvar)
    if recon == "bce":
        _check_bce_inputs(x, x_hat)
    terms = reconstruction_terms(x, x_hat, "bce" if recon == "bce" else "mse")
    rec = fsum(terms)
    kl = fsum(_kl_terms(mu, logvar))
    loss = rec + beta * kl
    rec_text = ("−Σ [x ln x̂ + (1 − x) ln(1 − x̂)] (binary cross-entropy, summed)"
                if recon == "bce" else "Σ (x̂ − x)² (squared error, summed)")
    rec_zh = ("−Σ [x ln x̂ + (1 − x) ln(1 − x̂)]（二元交叉熵，求和）"
              if recon == "bce" else "Σ (x̂ − x)²（平方误差，求和）")
    steps = [
        Step(f"Convention: loss = −ELBO = reconstruction + β·KL, the reconstruction {rec_text} "
             f"over the elements as in pytorch/examples' VAE, natural log, β = {num(beta)}.",
             f"约定：损失 = −ELBO = 重构项 + β·KL，重构项为 {rec_zh}（与 pytorch/examples 的 VAE "
             f"相同，对元素求和），自然对数，β = {num(beta)}。",
             r"\mathcal{L} = -\mathbb{E}_{q(z|x)}[\log p(x|z)] + \beta\,"
             r"\mathrm{KL}\big(q(z|x) \,\|\, \mathcal{N}(0,I)\big)"),
        Step(f"Reconstruction: terms {num(terms)}, sum = {num(rec)}",
             f"重构项：各项 {num(terms)}，求和 = {num(rec)}",
             rf"\text{{recon}} = {_terms_latex([latex_num(t) for t in terms])} = {latex_num(rec)}",
             rec),
        Step(f"KL = −½·Σ (1 + log σ² − μ² − σ²) = {num(kl)}",
             f"KL 项 = −½·Σ (1 + log σ² − μ² − σ²) = {num(kl)}",
             rf"\mathrm{{KL}} = -\frac{{1}}{{2}} \sum_j (1 + \log\sigma_j^2 - \mu_j^2 - "
             rf"\sigma_j^2) = {latex_num(kl)}", kl),
        Step(f"Loss = {num(rec)} + {num(beta)}·{num(kl)} = {num(loss)}",
             f"损失 = {num(rec)} + {num(beta)}·{num(kl)} = {num(loss)}",
             rf"\mathcal{{L}} = {latex_num(rec)} + {latex_num(beta)} \cdot {latex_num(kl)} = "
             rf"{latex_num(loss)}", loss),
    ]
    return Solution({"recon": rec, "kl": kl, "loss": loss}, steps)


# ---------------------------------------------------------------- RBM


def _binary(name: str, v: list[float]) -> list[float]:
    if any(value not in (0.0, 1.0) for value in v):
        raise SolverInputError(name, "a binary RBM's units are 0 or 1")
    return v


@solver(
    topic="autoencoders",
    summary="Binary RBM: the energy E(v, h) of a state and the conditionals p(h=1|v), "
            "p(v=1|h).",
    summary_zh="二值 RBM：状态的能量 E(v, h) 以及条件概率 p(h=1|v)、p(v=1|h)。",
    params=[
        Param("v", "vec", "visible state (0/1)", doc_zh="可见层状态（0/1）"),
        Param("h", "vec", "hidden state (0/1)", doc_zh="隐藏层状态（0/1）"),
        Param("weight", "mat", "W: hidden x visible (h = W v direction, as nn.Linear)",
              doc_zh="W：隐藏 x 可见（与 nn.Linear 相同，W v 得到隐藏层输入）"),
        Param("visible_bias", "vec", "visible biases b (zeros if not given)",
              doc_zh="可见层偏置 b（未给出时为 0）", default=None),
        Param("hidden_bias", "vec", "hidden biases c (zeros if not given)",
              doc_zh="隐藏层偏置 c（未给出时为 0）", default=None),
    ],
    answers=[
        Answer("energy", "float", "E(v, h) = −bᵀv − cᵀh − hᵀWv",
               doc_zh="能量 E(v, h) = −bᵀv − cᵀh − hᵀWv"),
        Answer("p_h", "vec", "p(hⱼ = 1 | v) = σ(cⱼ + (Wv)ⱼ)",
               doc_zh="给定 v 时隐藏单元的条件概率 p(hⱼ = 1 | v) = σ(cⱼ + (Wv)ⱼ)"),
        Answer("p_v", "vec", "p(vᵢ = 1 | h) = σ(bᵢ + (Wᵀh)ᵢ)",
               doc_zh="给定 h 时可见单元的条件概率 p(vᵢ = 1 | h) = σ(bᵢ + (Wᵀh)ᵢ)"),
    ],
    examples=[
        dict(v=[1, 0, 1], h=[1, 0], weight=[[1, -1, 0.5], [-0.5, 1, 1]],
             visible_bias=[0.1, 0, -0.1], hidden_bias=[0, 0.5]),
        dict(v=[0, 0], h=[0], weight=[[2, -3]]),  # the all-zero state has energy 0
    ],
)
def rbm_energy(v, h, weight, visible_bias, hidden_bias) -> Solution:
    """E(v, h) = −Σᵢ bᵢvᵢ − Σⱼ cⱼhⱼ − Σⱼᵢ hⱼWⱼᵢvᵢ; with no links inside a layer the units of
    one layer are independent given the other: p(hⱼ=1|v) = σ(cⱼ + Σᵢ Wⱼᵢvᵢ) and
    p(vᵢ=1|h) = σ(bᵢ + Σⱼ Wⱼᵢhⱼ) (Hinton, A Practical Guide to Training RBMs, 2010)."""
    n_hidden, n_visible = len(weight), len(weight[0])
    _same_length("v", v, n_visible, "one per column of weight")
    _same_length("h", h, n_hidden, "one per row of weight")
    _binary("v", v)
    _binary("h", h)
    b = [0.0] * n_visible if visible_bias is None else visible_bias
    c = [0.0] * n_hidden if hidden_bias is None else hidden_bias
    _same_length("visible_bias", b, n_visible, "one per visible unit")
    _same_length("hidden_bias", c, n_hidden, "one per hidden unit")
    bv = fsum(bi * vi for bi, vi in zip(b, v))
    ch = fsum(cj * hj for cj, hj in zip(c, h))
    wv = [fsum(w * vi for w, vi in zip(row, v)) for row in weight]
    hwv = fsum(hj * x for hj, x in zip(h, wv))
    energy = -bv - ch - hwv
    pre_h = [cj + x for cj, x in zip(c, wv)]
    p_h = [sigmoid(a) for a in pre_h]
    wth = [fsum(weight[j][i] * h[j] for j in range(n_hidden)) for i in range(n_visible)]
    pre_v = [bi + x for bi, x in zip(b, wth)]
    p_v = [sigmoid(a) for a in pre_v]
    steps = [
        Step("Convention: binary RBM, W hidden x visible, E(v, h) = −bᵀv − cᵀh − hᵀWv "
             "(b visible biases, c hidden biases); p(v, h) ∝ e^(−E), so lower energy = more "
             "probable.",
             "约定：二值 RBM，W 为隐藏 x 可见，E(v, h) = −bᵀv − cᵀh − hᵀWv（b 为可见层偏置，"
             "c 为隐藏层偏置）；p(v, h) ∝ e^(−E)，能量越低概率越大。",
             r"E(v,h) = -b^\top v - c^\top h - h^\top W v"),
        Step(f"bᵀv = {num(bv)}; cᵀh = {num(ch)}; Wv = {num(wv)}, hᵀWv = {num(hwv)}",
             f"各项：bᵀv = {num(bv)}；cᵀh = {num(ch)}；Wv = {num(wv)}，hᵀWv = {num(hwv)}",
             rf"b^\top v = {latex_num(bv)},\ c^\top h = {latex_num(ch)},\ h^\top W v = "
             rf"{latex_num(hwv)}", wv),
        Step(f"Energy E = −{paren(bv)} − {paren(ch)} − {paren(hwv)} = {num(energy)}",
             f"能量 E = −{paren(bv)} − {paren(ch)} − {paren(hwv)} = {num(energy)}",
             rf"E = -{latex_paren(bv)} - {latex_paren(ch)} - {latex_paren(hwv)} = "
             rf"{latex_num(energy)}", energy),
        Step(f"p(h = 1 | v) = σ(c + Wv) = σ({num(pre_h)}) = {num(p_h)} (hidden units are "
             "independent given v)",
             f"p(h = 1 | v) = σ(c + Wv) = σ({num(pre_h)}) = {num(p_h)}（给定 v 时各隐藏单元相互独立）",
             rf"p(h_j = 1 \mid v) = \sigma(c_j + W_j v) = {latex_vec(p_h)}", p_h),
        Step(f"p(v = 1 | h) = σ(b + Wᵀh) = σ({num(pre_v)}) = {num(p_v)}",
             f"给定 h 时：p(v = 1 | h) = σ(b + Wᵀh) = σ({num(pre_v)}) = {num(p_v)}",
             rf"p(v_i = 1 \mid h) = \sigma(b_i + (W^\top h)_i) = {latex_vec(p_v)}", p_v),
    ]
    return Solution({"energy": energy, "p_h": p_h, "p_v": p_v}, steps,
                    filled={"visible_bias": b, "hidden_bias": c})
