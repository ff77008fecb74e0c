"""GANs by hand: the losses from discriminator outputs (both generator forms), the optimal
discriminator and V(D*, G), the 1-D Wasserstein (earth mover's) distance and CycleGAN's
cycle-consistency loss (closed-form arithmetic).

Conventions: Goodfellow et al. (2014) for the minimax game, V(D, G) =
E_x[log D(x)] + E_z[log(1 − D(G(z)))], estimated by averages over the batch; natural
logarithms throughout; the discriminator loss is PyTorch's BCELoss with label 1 for real
and 0 for fake (each half averaged, as the DCGAN tutorial). Plain Python, no numpy.
"""

from __future__ import annotations

import math

from solvers.arith import fsum, xlogy as _xlogy
from solvers.fmt import latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

PROB_SLACK = 1e-6  # probability vectors must sum to 1 within this
LOG4 = math.log(4.0)


def _open_unit(name: str, values: list[float]) -> None:
    for v in values:
        if not 0.0 < v < 1.0:
            raise SolverInputError(name, f"discriminator outputs must lie strictly between 0 "
                                   f"and 1 (log 0 is infinite); got {num(v)}")


def _mean(values: list[float]) -> float:
    return fsum(values) / len(values)


def _logs_text(values: list[float], inner: str) -> str:
    """'ln(0.8) + ln(0.6)' (or with 1 − d) for a step, at most six terms written out."""
    terms = [f"ln({inner.format(num(v))})" for v in values[:6]]
    return " + ".join(terms) + (" + …" if len(values) > 6 else "")


# ---------------------------------------------------------------- losses


@solver(
    topic="gan",
    summary="GAN losses from discriminator outputs: V(D, G), the discriminator's BCE and "
            "both generator losses, with their gradients at the logits.",
    summary_zh="由判别器输出计算 GAN 的各项损失：V(D, G)、判别器的 BCE 损失和两种生成器损失，"
               "以及它们对 logit 的梯度。",
    params=[
        Param("d_real", "vec", "D(x) on the real samples, each in (0, 1)",
              doc_zh="判别器在真实样本上的输出 D(x)，均在 (0, 1) 内"),
        Param("d_fake", "vec", "D(G(z)) on the generated samples, each in (0, 1)",
              doc_zh="判别器在生成样本上的输出 D(G(z))，均在 (0, 1) 内"),
    ],
    answers=[
        Answer("value", "float", "V(D, G) = mean ln D(x) + mean ln(1 − D(G(z)))",
               doc_zh="价值函数 V(D, G) = mean ln D(x) + mean ln(1 − D(G(z)))"),
        Answer("d_loss", "float", "discriminator loss −mean ln D(x) − mean ln(1 − D(G(z))) "
               "(= −V)", doc_zh="判别器损失 −mean ln D(x) − mean ln(1 − D(G(z)))（= −V）"),
        Answer("g_loss_saturating", "float", "minimax generator loss mean ln(1 − D(G(z))), "
               "which G minimizes", doc_zh="极小极大（饱和）生成器损失 mean ln(1 − D(G(z)))，G 使其最小"),
        Answer("g_loss_nonsaturating", "float", "non-saturating generator loss −mean ln D(G(z))",
               doc_zh="非饱和生成器损失 −mean ln D(G(z))"),
        Answer("grad_saturating", "vec", "∂(saturating loss)/∂(logit of each D(G(z))) = −D/n",
               doc_zh="饱和损失对每个 D(G(z)) 的 logit 的梯度 = −D/n"),
        Answer("grad_nonsaturating", "vec", "∂(non-saturating loss)/∂(logit of each D(G(z))) "
               "= −(1 − D)/n", doc_zh="非饱和损失对每个 D(G(z)) 的 logit 的梯度 = −(1 − D)/n"),
    ],
    examples=[
        dict(d_real=[0.9, 0.8], d_fake=[0.1, 0.3]),
        # Goodfellow et al. 2014, Theorem 1: at the optimum D = 1/2 and V = −log 4.
        dict(d_real=[0.5], d_fake=[0.5]),
    ],
)
def gan_losses(d_real, d_fake) -> Solution:
    """V = (1/m)·Σ ln D(xᵢ) + (1/n)·Σ ln(1 − D(G(zₖ))); d_loss = −V (BCE with labels 1 and 0,
    each half averaged); saturating generator loss (1/n)·Σ ln(1 − D(G(z))) and
    non-saturating −(1/n)·Σ ln D(G(z)) (Goodfellow et al. 2014, §3). With D = σ(a), the
    gradients with respect to the logit a of each fake sample are −D/n and −(1 − D)/n:
    the first vanishes when D(G(z)) → 0, early in training, the second does not."""
    _open_unit("d_real", d_real)
    _open_unit("d_fake", d_fake)
    n = len(d_fake)
    real_term = _mean([math.log(d) for d in d_real])
    fake_term = _mean([math.log(1.0 - d) for d in d_fake])
    value = real_term + fake_term
    g_sat = fake_term
    g_ns = -_mean([math.log(d) for d in d_fake])
    grad_sat = [-d / n for d in d_fake]
    grad_ns = [-(1.0 - d) / n for d in d_fake]
    steps = [
        Step("Convention: V(D, G) = E[ln D(x)] + E[ln(1 − D(G(z)))], each expectation a batch "
             "mean, natural log (Goodfellow et al. 2014); D maximizes V, so its loss is −V "
             "(BCE with label 1 for real, 0 for fake).",
             "约定：V(D, G) = E[ln D(x)] + E[ln(1 − D(G(z)))]，每个期望取批均值，自然对数"
             "（Goodfellow 等 2014）；D 最大化 V，因此其损失为 −V（真实标签 1、生成标签 0 的 BCE）。",
             r"V(D,G) = \mathbb{E}_{x}[\ln D(x)] + \mathbb{E}_{z}[\ln(1 - D(G(z)))]"),
        Step(f"Real part: mean of {_logs_text(d_real, '{}')} = {num(real_term)}",
             f"真实样本部分：{_logs_text(d_real, '{}')} 的均值 = {num(real_term)}",
             rf"\frac{{1}}{{{len(d_real)}}} \sum \ln D(x) = {latex_num(real_term)}", real_term),
        Step(f"Fake part: mean of {_logs_text(d_fake, '1 − {}')} = {num(fake_term)}",
             f"生成样本部分：{_logs_text(d_fake, '1 − {}')} 的均值 = {num(fake_term)}",
             rf"\frac{{1}}{{{n}}} \sum \ln(1 - D(G(z))) = {latex_num(fake_term)}", fake_term),
        Step(f"V = {num(real_term)} + {paren(fake_term)} = {num(value)}; discriminator loss "
             f"= −V = {num(-value)}",
             f"V = {num(real_term)} + {paren(fake_term)} = {num(value)}；判别器损失 = −V = "
             f"{num(-value)}",
             rf"V = {latex_num(value)},\ L_D = -V = {latex_num(-value)}", value),
        Step(f"Generator, minimax (saturating) form: minimize mean ln(1 − D(G(z))) = {num(g_sat)}",
             f"生成器，极小极大（饱和）形式：最小化 mean ln(1 − D(G(z))) = {num(g_sat)}",
             rf"L_G^{{\text{{sat}}}} = \frac{{1}}{{{n}}} \sum \ln(1 - D(G(z))) = "
             rf"{latex_num(g_sat)}", g_sat),
        Step(f"Generator, non-saturating form: minimize −mean ln D(G(z)) = −mean of "
             f"{_logs_text(d_fake, '{}')} = {num(g_ns)}",
             f"生成器，非饱和形式：最小化 −mean ln D(G(z)) = −（{_logs_text(d_fake, '{}')}）的均值 "
             f"= {num(g_ns)}",
             rf"L_G^{{\text{{ns}}}} = -\frac{{1}}{{{n}}} \sum \ln D(G(z)) = {latex_num(g_ns)}",
             g_ns),
        Step(f"Gradients at the logits a (D = σ(a)): saturating −D/n = {num(grad_sat)}, "
             f"non-saturating −(1 − D)/n = {num(grad_ns)}; where D(G(z)) ≈ 0 the first "
             f"vanishes and the second does not.",
             f"对 logit a 的梯度（D = σ(a)）：饱和形式 −D/n = {num(grad_sat)}，非饱和形式 "
             f"−(1 − D)/n = {num(grad_ns)}；当 D(G(z)) ≈ 0 时前者消失，后者不会。",
             rf"\frac{{\partial L^{{\text{{sat}}}}}}{{\partial a}} = {latex_vec(grad_sat)},\ "
             rf"\frac{{\partial L^{{\text{{ns}}}}}}{{\partial a}} = {latex_vec(grad_ns)}", grad_ns),
    ]
    return Solution({"value": value, "d_loss": -value, "g_loss_saturating": g_sat,
                     "g_loss_nonsaturating": g_ns, "grad_saturating": grad_sat,
                     "grad_nonsaturating": grad_ns}, steps)


# ---------------------------------------------------------------- optimal discriminator


def _check_distribution(name: str, p: list[float]) -> None:
    for value in p:
        if value < 0:
            raise SolverInputError(name, f"probabilities cannot be negative, got {num(value)}")
    total = fsum(p)
    if abs(total - 1.0) > PROB_SLACK:
        raise SolverInputError(name, f"probabilities sum to {num(total, 6)}, not 1")


@solver(
    topic="gan",
    summary="Optimal discriminator D* = p_data/(p_data + p_g) on a discrete support, "
            "V(D*, G) and the JS divergence.",
    summary_zh="离散支撑集上的最优判别器 D* = p_data/(p_data + p_g)、V(D*, G) 与 JS 散度。",
    params=[
        Param("p_data", "vec", "data distribution over the points (sums to 1)",
              doc_zh="各点上的真实数据分布（和为 1）"),
        Param("p_g", "vec", "generator's distribution over the same points (sums to 1)",
              doc_zh="生成器在相同各点上的分布（和为 1）"),
    ],
    answers=[
        Answer("d_star", "vec", "D*(x) = p_data/(p_data + p_g) at each point (½ where both "
               "are 0)", doc_zh="每个点的 D*(x) = p_data/(p_data + p_g)（两者都为 0 时取 ½）"),
        Answer("value", "float", "V(D*, G) = −ln 4 + 2·JS(p_data ‖ p_g)",
               doc_zh="最优判别器下的价值 V(D*, G) = −ln 4 + 2·JS(p_data ‖ p_g)"),
        Answer("js", "float", "JS(p_data ‖ p_g) in nats", doc_zh="JS(p_data ‖ p_g)（自然对数）"),
    ],
    examples=[
        dict(p_data=[0.5, 0.5, 0], p_g=[0.25, 0.25, 0.5]),
        dict(p_data=[0.2, 0.8], p_g=[0.2, 0.8]),  # p_g = p_data: D* = 1/2, V = −ln 4
    ],
)
def optimal_discriminator(p_data, p_g) -> Solution:
    """For a fixed G the discriminator that maximizes V is D*(x) = p_data(x)/(p_data(x) +
    p_g(x)), and V(D*, G) = Σ p_data ln D* + Σ p_g ln(1 − D*) = −ln 4 + 2·JS(p_data ‖ p_g)
    (Goodfellow et al. 2014, Prop. 1 and Thm. 1), 0·ln 0 = 0, natural log. JS is computed
    from its definition ½KL(p_data ‖ m) + ½KL(p_g ‖ m), m = (p_data + p_g)/2."""
    if len(p_g) != len(p_data):
        raise SolverInputError("p_g", f"expected {len(p_data)} entries (the points of p_data), "
                               f"got {len(p_g)}")
    _check_distribution("p_data", p_data)
    _check_distribution("p_g", p_g)
    d_star = [pd / (pd + pg) if pd + pg > 0 else 0.5 for pd, pg in zip(p_data, p_g)]
    real = fsum(_xlogy(pd, d) for pd, d in zip(p_data, d_star))
    fake = fsum(_xlogy(pg, 1.0 - d) for pg, d in zip(p_g, d_star))
    value = real + fake
    mix = [(pd + pg) / 2 for pd, pg in zip(p_data, p_g)]
    js = 0.5 * fsum(_xlogy(pd, pd / m) for pd, m in zip(p_data, mix) if pd > 0) + \
        0.5 * fsum(_xlogy(pg, pg / m) for pg, m in zip(p_g, mix) if pg > 0)
    steps = [
        Step("Convention: for a fixed G, D*(x) = p_data(x)/(p_data(x) + p_g(x)) maximizes V "
             "pointwise; V(D*, G) = Σ p_data ln D* + Σ p_g ln(1 − D*), 0·ln 0 = 0, natural log.",
             "约定：固定 G 时，D*(x) = p_data(x)/(p_data(x) + p_g(x)) 逐点最大化 V；V(D*, G) = "
             "Σ p_data ln D* + Σ p_g ln(1 − D*)，约定 0·ln 0 = 0，自然对数。",
             r"D^*(x) = \frac{p_{\text{data}}(x)}{p_{\text{data}}(x) + p_g(x)}"),
        Step("D* = " + "; ".join(f"{num(pd)}/({num(pd)} + {num(pg)}) = {num(d)}"
                                 for pd, pg, d in zip(p_data[:8], p_g[:8], d_star[:8])),
             "最优判别器 D* = " + "；".join(f"{num(pd)}/({num(pd)} + {num(pg)}) = {num(d)}"
                                for pd, pg, d in zip(p_data[:8], p_g[:8], d_star[:8])),
             rf"D^* = {latex_vec(d_star)}", d_star),
        Step(f"V(D*, G) = Σ p_data ln D* + Σ p_g ln(1 − D*) = {num(real)} + {paren(fake)} = "
             f"{num(value)}",
             f"最优判别器下的价值 V(D*, G) = Σ p_data ln D* + Σ p_g ln(1 − D*) = {num(real)} + "
             f"{paren(fake)} = {num(value)}",
             rf"V(D^*, G) = {latex_num(real)} + {latex_paren(fake)} = {latex_num(value)}", value),
        Step(f"JS from its definition, m = (p_data + p_g)/2 = {num(mix)}: JS = ½KL(p_data‖m) + "
             f"½KL(p_g‖m) = {num(js)}; check: −ln 4 + 2·JS = {num(-LOG4 + 2 * js)} = V",
             f"按定义计算 JS，m = (p_data + p_g)/2 = {num(mix)}：JS = ½KL(p_data‖m) + ½KL(p_g‖m) "
             f"= {num(js)}；验证：−ln 4 + 2·JS = {num(-LOG4 + 2 * js)} = V",
             rf"\mathrm{{JS}} = {latex_num(js)},\ -\ln 4 + 2\,\mathrm{{JS}} = "
             rf"{latex_num(-LOG4 + 2 * js)}", js),
    ]
    return Solution({"d_star": d_star, "value": value, "js": js}, steps)


# ---------------------------------------------------------------- Wasserstein


@solver(
    topic="gan",
    summary="1-D Wasserstein-1 (earth mover's) distance between two histograms on the same "
            "points.",
    summary_zh="同一组点上两个直方图之间的一维 Wasserstein-1（推土机）距离。",
    params=[
        Param("p", "vec", "weights of the first histogram (normalized to sum 1)",
              doc_zh="第一个直方图的权重（会归一化为和为 1）"),
        Param("q", "vec", "weights of the second histogram (normalized to sum 1)",
              doc_zh="第二个直方图的权重（会归一化为和为 1）"),
        Param("positions", "vec", "the points, in increasing order (0, 1, 2, … if not given)",
              doc_zh="各点的位置，按递增顺序（未给出时为 0, 1, 2, …）", default=None),
    ],
    answers=[
        Answer("distance", "float", "W₁(p, q) = Σ |F_p − F_q|·(gap to the next point)",
               doc_zh="W₁(p, q) = Σ |F_p − F_q|·（到下一个点的间距）"),
        Answer("cdf_p", "vec", "cumulative distribution F_p at each point",
               doc_zh="每个点处的累积分布 F_p"),
        Answer("cdf_q", "vec", "cumulative distribution F_q at each point",
               doc_zh="每个点处的累积分布 F_q"),
    ],
    examples=[
        # scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0
        dict(p=[1, 1, 1, 0, 0, 0], q=[0, 0, 0, 1, 1, 1], positions=[0, 1, 3, 5, 6, 8]),
        dict(p=[0.5, 0.5, 0, 0], q=[0, 0.25, 0.25, 0.5]),
    ],
)
def wasserstein_1d(p, q, positions) -> Solution:
    """W₁ = ∫ |F_p(x) − F_q(x)| dx = Σₖ |F_p(xₖ) − F_q(xₖ)|·(xₖ₊₁ − xₖ): in one dimension the
    least work to move the earth of p onto q (mass × distance) is the area between the two
    cumulative distributions. Weights are normalized to sum 1 first, as
    scipy.stats.wasserstein_distance does."""
    n = len(p)
    if len(q) != n:
        raise SolverInputError("q", f"expected {n} weights (one per point of p), got {len(q)}")
    xs = [float(k) for k in range(n)] if positions is None else positions
    if len(xs) != n:
        raise SolverInputError("positions", f"expected {n} points (one per weight), got {len(xs)}")
    if any(b < a for a, b in zip(xs, xs[1:])):
        raise SolverInputError("positions", "the points must be in increasing order")
    for name, w in (("p", p), ("q", q)):
        if any(v < 0 for v in w):
            raise SolverInputError(name, "weights cannot be negative")
        total = fsum(w)
        if not 0 < total < math.inf:
            raise SolverInputError(name, "the weights must not all be 0 (nor sum beyond a float)")
    pn = [v / fsum(p) for v in p]
    qn = [v / fsum(q) for v in q]
    cdf_p, cdf_q, acc_p, acc_q = [], [], 0.0, 0.0
    for a, b in zip(pn, qn):
        acc_p += a
        acc_q += b
        cdf_p.append(acc_p)
        cdf_q.append(acc_q)
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    pieces = [abs(fp - fq) * g for fp, fq, g in zip(cdf_p, cdf_q, gaps)]
    distance = fsum(pieces)
    shown = " + ".join(f"|{num(fp)} − {num(fq)}|·{num(g)}" for fp, fq, g in
                       zip(cdf_p[:8], cdf_q[:8], gaps[:8])) + (" + …" if len(gaps) > 8 else "")
    if not gaps:
        shown = "0 (a single point)"
    steps = [
        Step("Convention: in one dimension W₁ = ∫|F_p − F_q| dx, the area between the two "
             "cumulative distributions = the least earth (mass) × distance moved; weights "
             "normalized to sum 1 (as scipy.stats.wasserstein_distance).",
             "约定：一维情形下 W₁ = ∫|F_p − F_q| dx，即两个累积分布之间的面积 = 搬运土（质量）× "
             "距离的最小总量；权重先归一化为和为 1（与 scipy.stats.wasserstein_distance 相同）。",
             r"W_1(p,q) = \int |F_p(x) - F_q(x)|\,dx = \sum_k |F_p(x_k) - F_q(x_k)|\,"
             r"(x_{k+1} - x_k)"),
        Step(f"Normalized p = {num(pn)}, q = {num(qn)} at the points {num(xs)}",
             f"归一化后 p = {num(pn)}，q = {num(qn)}，各点位置 {num(xs)}",
             rf"p = {latex_vec(pn)},\ q = {latex_vec(qn)}", pn),
        Step(f"Cumulative sums: F_p = {num(cdf_p)}, F_q = {num(cdf_q)}",
             f"累积和：F_p = {num(cdf_p)}，F_q = {num(cdf_q)}",
             rf"F_p = {latex_vec(cdf_p)},\ F_q = {latex_vec(cdf_q)}", cdf_p),
        Step(f"W₁ = Σ |F_p − F_q|·gap = {shown} = {num(distance)}",
             f"W₁ = Σ |F_p − F_q|·间距 = {shown} = {num(distance)}",
             rf"W_1 = {latex_num(distance)}", distance),
    ]
    return Solution({"distance": distance, "cdf_p": cdf_p, "cdf_q": cdf_q}, steps,
                    filled={"positions": xs})


# ---------------------------------------------------------------- CycleGAN


def _matvec(m: list[list[float]], v: list[float]) -> list[float]:
    return [fsum(a * b for a, b in zip(row, v)) for row in m]


@solver(
    topic="gan",
    summary="CycleGAN cycle-consistency loss with linear generators G: X → Y and F: Y → X.",
    summary_zh="线性生成器 G: X → Y 与 F: Y → X 下 CycleGAN 的循环一致性损失。",
    params=[
        Param("x", "vec", "a sample x of domain X", doc_zh="X 域的一个样本 x"),
        Param("y", "vec", "a sample y of domain Y", doc_zh="Y 域的一个样本 y"),
        Param("g", "mat", "G: X → Y as a matrix (dim Y x dim X): G(x) = g·x",
              doc_zh="G: X → Y 的矩阵（dim Y x dim X）：G(x) = g·x"),
        Param("f", "mat", "F: Y → X as a matrix (dim X x dim Y): F(y) = f·y",
              doc_zh="F: Y → X 的矩阵（dim X x dim Y）：F(y) = f·y"),
        Param("lam", "float", "weight λ of the cycle loss (10 in the CycleGAN paper)",
              doc_zh="循环损失的权重 λ（CycleGAN 论文取 10）", default=10.0, min=0, max=1e6),
        Param("reduction", "str", "L1 per sample: mean over the entries (nn.L1Loss, the "
              "official code) or their sum (‖·‖₁)",
              doc_zh="每个样本的 L1：对各元素取平均（nn.L1Loss，官方代码）或求和（‖·‖₁）",
              default="mean", choices=("mean", "sum")),
    ],
    answers=[
        Answer("x_cycle", "vec", "F(G(x))", doc_zh="x 经过一次循环后的 F(G(x))"),
        Answer("y_cycle", "vec", "G(F(y))", doc_zh="y 经过一次循环后的 G(F(y))"),
        Answer("loss_x", "float", "L1 distance of F(G(x)) to x", doc_zh="F(G(x)) 与 x 的 L1 距离"),
        Answer("loss_y", "float", "L1 distance of G(F(y)) to y", doc_zh="G(F(y)) 与 y 的 L1 距离"),
        Answer("loss", "float", "λ·(loss_x + loss_y)", doc_zh="循环一致性损失 λ·(loss_x + loss_y)"),
    ],
    examples=[
        dict(x=[1, 2], y=[0, 1], g=[[1, 0], [1, 1]], f=[[1, 0], [-1, 0.5]]),
        dict(x=[1, -1], y=[2], g=[[1, 1]], f=[[0.5], [0.5]], lam=1, reduction="sum"),
    ],
)
def cycle_consistency(x, y, g, f, lam, reduction) -> Solution:
    """L_cyc = ‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁ (Zhu et al. 2017, eq. 2), weighted by λ in
    the full objective; the L1 of a sample is the mean of |·| over its entries (nn.L1Loss,
    as the official code) or their sum (reduction sum)."""
    dim_x, dim_y = len(x), len(y)
    if (len(g), len(g[0])) != (dim_y, dim_x):
        raise SolverInputError("g", f"expected {dim_y} x {dim_x} (dim Y x dim X), got "
                               f"{len(g)} x {len(g[0])}")
    if (len(f), len(f[0])) != (dim_x, dim_y):
        raise SolverInputError("f", f"expected {dim_x} x {dim_y} (dim X x dim Y), got "
                               f"{len(f)} x {len(f[0])}")
    gx = _matvec(g, x)
    x_cycle = _matvec(f, gx)
    fy = _matvec(f, y)
    y_cycle = _matvec(g, fy)

    def l1(a: list[float], b: list[float]) -> float:
        total = fsum(abs(u - v) for u, v in zip(a, b))
        return total / len(a) if reduction == "mean" else total

    loss_x, loss_y = l1(x_cycle, x), l1(y_cycle, y)
    loss = lam * (loss_x + loss_y)
    how_en = "mean of |·| over the entries (nn.L1Loss)" if reduction == "mean" else "sum of |·|"
    how_zh = "各元素 |·| 的平均（nn.L1Loss）" if reduction == "mean" else "各元素 |·| 之和"
    steps = [
        Step(f"Convention: L_cyc = λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁) (Zhu et al. 2017), "
             f"L1 = {how_en}, λ = {num(lam)}.",
             f"约定：L_cyc = λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁)（Zhu 等 2017），L1 = {how_zh}，"
             f"λ = {num(lam)}。",
             r"\mathcal{L}_{\text{cyc}} = \lambda\,\big(\|F(G(x)) - x\|_1 + "
             r"\|G(F(y)) - y\|_1\big)"),
        Step(f"Forward cycle: G(x) = {num(gx)}, F(G(x)) = {num(x_cycle)}",
             f"正向循环：G(x) = {num(gx)}，F(G(x)) = {num(x_cycle)}",
             rf"G(x) = {latex_vec(gx)},\ F(G(x)) = {latex_vec(x_cycle)}", x_cycle),
        Step(f"Backward cycle: F(y) = {num(fy)}, G(F(y)) = {num(y_cycle)}",
             f"反向循环：F(y) = {num(fy)}，G(F(y)) = {num(y_cycle)}",
             rf"F(y) = {latex_vec(fy)},\ G(F(y)) = {latex_vec(y_cycle)}", y_cycle),
        Step(f"L1 terms: x side {num(loss_x)}, y side {num(loss_y)}",
             f"L1 项：x 侧 {num(loss_x)}，y 侧 {num(loss_y)}",
             rf"\|F(G(x)) - x\|_1 = {latex_num(loss_x)},\ \|G(F(y)) - y\|_1 = "
             rf"{latex_num(loss_y)}", [loss_x, loss_y]),
        Step(f"Cycle loss = {num(lam)}·({num(loss_x)} + {num(loss_y)}) = {num(loss)}",
             f"循环一致性损失 = {num(lam)}·({num(loss_x)} + {num(loss_y)}) = {num(loss)}",
             rf"\mathcal{{L}}_{{\text{{cyc}}}} = {latex_num(lam)} \cdot ({latex_num(loss_x)} + "
             rf"{latex_num(loss_y)}) = {latex_num(loss)}", loss),
    ]
    return Solution({"x_cycle": x_cycle, "y_cycle": y_cycle, "loss_x": loss_x,
                     "loss_y": loss_y, "loss": loss}, steps)
