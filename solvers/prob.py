"""Probability and information theory: softmax, log-sum-exp, entropy, cross-entropy, KL,
JS, mutual information, the KL between two Gaussians and Bayes' rule (closed form).

Conventions: logarithms are natural (nats) unless `base` says otherwise (`2`: bits);
0·log 0 = 0; KL(p‖q) is the forward divergence Σ p log(p/q). A distribution must be
non-negative and sum to 1 (within SUM_TOLERANCE); it is used as given, never
renormalised. An infinite result (q = 0 where p > 0) is bad input, as the contract says.
Plain Python, no numpy: these solvers must start fast (see `SolverSpec.needs_numpy`).
"""

from __future__ import annotations

import math

from solvers.arith import fsum
from solvers.fmt import join_terms, latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_BASE = 10**12  # a logarithm base (nats, bits, hartleys ... all far below)
SUM_TOLERANCE = 1e-4  # |Σp − 1| allowed, so 0.3333 + 0.3333 + 0.3334 passes
LOG_FLOAT64_MAX = math.log(1.7976931348623157e308)  # 709.78: exp overflows above it
LOG_FLOAT32_MAX = math.log(3.4028234663852886e38)  # 88.72


# ---------------------------------------------------------------- shared helpers


class LogBase:
    """A logarithm base as the contract's `base` parameter gives it: 'e', 2 or a number
    in (1, MAX_BASE] (a base below 1 would make every entropy negative)."""

    def __init__(self, value):
        if isinstance(value, str) and value.strip().lower() == "e":
            self.b, self.label = math.e, "e"
        else:
            number = value
            if isinstance(value, str):
                try:
                    number = float(value)
                except ValueError:
                    raise SolverInputError("base", "must be e, 2 or a number > 1") from None
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise SolverInputError("base", "must be e, 2 or a number > 1")
            if not 1 < number <= MAX_BASE:
                raise SolverInputError("base", "must be e, 2 or a number > 1 (at most 10^12)")
            number = float(number)
            self.b, self.label = number, num(number)

    @property
    def natural(self) -> bool:
        return self.b == math.e

    def log(self, x: float) -> float:
        if self.natural:
            return math.log(x)
        if self.b == 2:
            return math.log2(x)
        if self.b == 10:
            return math.log10(x)
        return math.log(x) / math.log(self.b)

    @property
    def unit_en(self) -> str:
        return {"e": "nats", "2": "bits", "10": "hartleys (bans)"}.get(
            self.label, f"log-{self.label} units")

    @property
    def unit_zh(self) -> str:
        return {"e": "奈特", "2": "比特", "10": "哈特莱"}.get(self.label, f"以 {self.label} 为底的单位")

    @property
    def text(self) -> str:
        return "ln" if self.natural else f"log{self.label}"

    @property
    def latex(self) -> str:
        return r"\ln" if self.natural else rf"\log_{{{self.label}}}"

    def convention(self) -> tuple[str, str]:
        if self.natural:
            return ("Convention: natural logarithm (base e), so the result is in nats; "
                    "0·log 0 = 0.",
                    "约定：自然对数（以 e 为底），结果单位为奈特（nat）；0·log 0 = 0。")
        return (f"Convention: logarithm base {self.label}, so the result is in {self.unit_en}; "
                f"0·log 0 = 0.",
                f"约定：以 {self.label} 为底的对数，结果单位为{self.unit_zh}（{self.unit_en}）；0·log 0 = 0。")


def base_param() -> Param:
    return Param("base", "json", "logarithm base: e (nats), 2 (bits) or a number",
                 default="e", doc_zh="对数的底：e（奈特）、2（比特）或其他正数")


def check_distribution(name: str, p: list[float]) -> list[float]:
    """p itself, after checking that it is non-negative and sums to 1."""
    for x in p:
        if x < 0:
            raise SolverInputError(name, f"probabilities cannot be negative (got {num(x)})")
    total = fsum(p)
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise SolverInputError(name, f"probabilities must sum to 1, these sum to {num(total, 6)}")
    return p


def check_same_length(name: str, q: list, p: list, other: str = "p") -> None:
    if len(q) != len(p):
        raise SolverInputError(name, f"has {len(q)} entries but {other} has {len(p)}")


def plogq_terms(p: list[float], q: list[float], base: LogBase) -> tuple[list[str], list[str]]:
    """Readable and LaTeX terms p·log q for the p > 0 entries."""
    text, latex = [], []
    for pi, qi in zip(p, q):
        if pi > 0:
            text.append(f"{num(pi)}·{base.text} {num(qi)}")
            latex.append(rf"{latex_num(pi)} {base.latex} {latex_num(qi)}")
    return text, latex


def _finite(name: str, value: float) -> float:
    if not math.isfinite(value):
        raise SolverInputError(name, "numbers too large: the result overflows")
    return value


# ---------------------------------------------------------------- softmax and log-sum-exp


@solver(
    topic="probability",
    summary="Softmax of a vector of logits, with a temperature (as F.softmax(logits / T)).",
    summary_zh="logits 向量的 softmax（带温度，与 F.softmax(logits / T) 相同）。",
    params=[
        Param("logits", "vec", "the scores z (any real numbers)", doc_zh="得分 z（任意实数）"),
        Param("temperature", "float", "T > 0: divide the logits by T first", default=1.0,
              doc_zh="温度 T > 0：先把 logits 除以 T"),
    ],
    answers=[Answer("probs", "vec", "softmax(z / T), non-negative, sums to 1",
                    doc_zh="softmax(z / T)，非负且和为 1")],
    examples=[
        dict(logits=[1, 2, 3]),  # CS231n / d2l: [0.0900, 0.2447, 0.6652]
        dict(logits=[1000, 1001, 1002]),  # naive exp overflows; shifting by the max does not
        dict(logits=[1, 2, 3], temperature=2),  # a higher temperature flattens the output
    ],
)
def softmax(logits, temperature) -> Solution:
    """softmaxᵢ(z; T) = exp(zᵢ/T) / Σⱼ exp(zⱼ/T), computed as exp(zᵢ/T − m) / Σⱼ exp(zⱼ/T − m)
    with m = maxⱼ zⱼ/T, which changes nothing mathematically but keeps every exponent ≤ 0
    so exp cannot overflow. T → 0 approaches one-hot argmax, T → ∞ the uniform distribution.
    """
    if temperature <= 0:
        raise SolverInputError("temperature", f"must be > 0, got {num(temperature)}")
    z = [_finite("temperature", x / temperature) for x in logits]
    m = max(z)
    shifted = [x - m for x in z]
    exps = [math.exp(x) for x in shifted]
    total = fsum(exps)
    probs = [e / total for e in exps]
    steps = []
    if temperature != 1:
        steps.append(Step(
            f"Convention: PyTorch F.softmax(z / T). Divide the logits by T = {num(temperature)}: "
            f"z/T = {num(z)}. T > 1 flattens the distribution, T < 1 sharpens it.",
            f"约定：PyTorch 的 F.softmax(z / T)。先把 logits 除以温度 T = {num(temperature)}："
            f"z/T = {num(z)}。T > 1 使分布更平坦，T < 1 使分布更尖锐。",
            rf"z / T = {latex_vec(z)}", z))
    else:
        steps.append(Step(
            "Convention: PyTorch F.softmax, temperature T = 1 (the logits are used as they are).",
            "约定：PyTorch 的 F.softmax，温度 T = 1（直接使用 logits）。",
            r"T = 1", 1.0))
    overflow_en = overflow_zh = ""
    if m > LOG_FLOAT64_MAX:
        overflow_en = f" Without the shift, exp({num(m)}) would overflow to inf (float64 tops out near e^709.78)."
        overflow_zh = f"若不平移，exp({num(m)}) 会溢出为 inf（float64 最大约为 e^709.78）。"
    elif m > LOG_FLOAT32_MAX:
        overflow_en = f" Without the shift, exp({num(m)}) would overflow in float32 (above e^88.72)."
        overflow_zh = f"若不平移，exp({num(m)}) 在 float32 中会溢出（超过 e^88.72）。"
    steps += [
        Step(f"Subtract the maximum m = {num(m)} (softmax is unchanged by adding a constant to "
             f"every logit): {num(shifted)}.{overflow_en}",
             f"减去最大值 m = {num(m)}（所有 logit 加同一常数时 softmax 不变）：{num(shifted)}。"
             f"{overflow_zh}",
             rf"z_i - \max_j z_j = {latex_vec(shifted)}", shifted),
        Step(f"Exponentiate: {num(exps)}; their sum is {num(total)}.",
             f"取指数：{num(exps)}；它们的和为 {num(total)}。",
             rf"e^{{z_i - m}} = {latex_vec(exps)},\ \sum_j e^{{z_j - m}} = {latex_num(total)}",
             exps),
        Step(f"Divide each by the sum: softmax = {num(probs)} (sums to 1).",
             f"每项除以总和：softmax = {num(probs)}（和为 1）。",
             r"\mathrm{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}} = " + latex_vec(probs),
             probs),
    ]
    return Solution({"probs": probs}, steps)


@solver(
    topic="probability",
    summary="log Σ exp(xᵢ) computed stably (as torch.logsumexp), and log-softmax.",
    summary_zh="稳定地计算 log Σ exp(xᵢ)（与 torch.logsumexp 相同）以及 log-softmax。",
    params=[Param("x", "vec", "the numbers (logits)", doc_zh="输入的数（logits）")],
    answers=[
        Answer("lse", "float", "log Σᵢ exp(xᵢ) (natural log)", doc_zh="log Σᵢ exp(xᵢ)（自然对数）"),
        Answer("log_softmax", "vec", "xᵢ − lse = log softmax(x)ᵢ", doc_zh="对数 softmax：xᵢ − lse = log softmax(x)ᵢ"),
    ],
    examples=[
        dict(x=[1000, 1001, 1002]),  # 1002.4076; naive exp overflows
        dict(x=[1, 2, 3]),  # 3.4076
    ],
)
def logsumexp(x) -> Solution:
    """LSE(x) = log Σᵢ exp(xᵢ) = m + log Σᵢ exp(xᵢ − m), m = maxᵢ xᵢ (natural log).

    The shifted form is exact and never overflows (every exponent ≤ 0, one of them 0, so
    the sum lies in [1, n]); max(x) ≤ LSE(x) ≤ max(x) + log n. log softmax(x) = x − LSE(x).
    """
    m = max(x)
    shifted = [v - m for v in x]
    exps = [math.exp(v) for v in shifted]
    total = fsum(exps)
    lse = _finite("x", m + math.log(total))
    log_softmax = [v - lse for v in x]
    if m > LOG_FLOAT64_MAX:
        why_en = (f"Computed naively, exp({num(m)}) overflows to inf in float64 (above e^709.78), "
                  f"so log Σ exp would be inf.")
        why_zh = f"若直接计算，exp({num(m)}) 在 float64 中溢出为 inf（超过 e^709.78），log Σ exp 会得到 inf。"
    elif m > LOG_FLOAT32_MAX:
        why_en = f"Computed naively in float32, exp({num(m)}) overflows (above e^88.72)."
        why_zh = f"若在 float32 中直接计算，exp({num(m)}) 会溢出（超过 e^88.72）。"
    else:
        why_en = "Here the naive sum would not overflow, but the shifted form is the safe habit."
        why_zh = "这里直接求和不会溢出，但平移写法总是更安全。"
    terms = join_terms([f"e^{paren(v)}" for v in shifted], " + ")
    latex_terms = join_terms([f"e^{{{latex_num(v)}}}" for v in shifted], " + ", r"\cdots")
    steps = [
        Step(f"Convention: natural log. Shift by the maximum m = {num(m)}: "
             f"LSE(x) = m + ln Σ exp(xᵢ − m). {why_en}",
             f"约定：自然对数。按最大值 m = {num(m)} 平移：LSE(x) = m + ln Σ exp(xᵢ − m)。{why_zh}",
             r"\mathrm{LSE}(x) = m + \ln \sum_i e^{x_i - m},\ m = \max_i x_i = " + latex_num(m), m),
        Step(f"Σ exp(xᵢ − m) = {terms} = {num(total)}",
             f"求和：Σ exp(xᵢ − m) = {terms} = {num(total)}",
             rf"\sum_i e^{{x_i - m}} = {latex_terms} = {latex_num(total)}", total),
        Step(f"LSE = {num(m)} + ln {num(total)} = {num(lse)}",
             f"于是 LSE = {num(m)} + ln {num(total)} = {num(lse)}",
             rf"\mathrm{{LSE}}(x) = {latex_num(m)} + \ln {latex_num(total)} = {latex_num(lse)}",
             lse),
        Step(f"log-softmax = x − LSE = {num(log_softmax)} (exponentiate to get softmax).",
             f"log-softmax = x − LSE = {num(log_softmax)}（取指数即得 softmax）。",
             r"\log \mathrm{softmax}(x)_i = x_i - \mathrm{LSE}(x) = " + latex_vec(log_softmax),
             log_softmax),
    ]
    return Solution({"lse": lse, "log_softmax": log_softmax}, steps)


# ---------------------------------------------------------------- entropy and divergences


@solver(
    topic="probability",
    summary="Shannon entropy H(p) = −Σ p log p of a discrete distribution.",
    summary_zh="离散分布的香农熵 H(p) = −Σ p log p。",
    params=[Param("p", "vec", "probabilities (non-negative, sum to 1)", doc_zh="概率（非负，和为 1）"),
            base_param()],
    answers=[Answer("entropy", "float", "H(p) in the chosen base", doc_zh="H(p)（按所选的底）")],
    examples=[
        dict(p=[0.5, 0.5], base=2),  # a fair coin: 1 bit
        dict(p=[0.5, 0.25, 0.25], base=2),  # 1.5 bits (Cover & Thomas, Example 2.1.2)
        dict(p=[0.7, 0.2, 0.1]),  # nats
    ],
)
def entropy(p, base) -> Solution:
    """H(p) = −Σᵢ pᵢ log pᵢ, terms with pᵢ = 0 counted as 0 (0·log 0 = 0).

    0 ≤ H(p) ≤ log n: 0 for a certain outcome, log n for the uniform distribution.
    """
    base = LogBase(base)
    check_distribution("p", p)
    h = -fsum(pi * base.log(pi) for pi in p if pi > 0) + 0.0
    text, latex = plogq_terms(p, p, base)
    latex_sum = join_terms(latex, " + ", r"\cdots")
    n = len(p)
    steps = [
        Step(*base.convention(), r"0 \log 0 = 0", None),
        Step(f"H(p) = −Σ p·{base.text} p = −({join_terms(text, ' + ')}) = {num(h)} {base.unit_en}",
             f"H(p) = −Σ p·{base.text} p = −({join_terms(text, ' + ')}) = {num(h)} {base.unit_zh}",
             rf"H(p) = -\sum_i p_i {base.latex} p_i = -\left({latex_sum}"
             rf"\right) = {latex_num(h)}", h),
        Step(f"Check: 0 ≤ H ≤ {base.text} {n} = {num(base.log(n))} (the uniform distribution "
             f"over {n} outcomes has the most entropy).",
             f"检验：0 ≤ H ≤ {base.text} {n} = {num(base.log(n))}（{n} 个结果上的均匀分布熵最大）。",
             rf"0 \le H(p) \le {base.latex} {n} = {latex_num(base.log(n))}", base.log(n)),
    ]
    return Solution({"entropy": h}, steps)


def _pq(p, q):
    check_distribution("p", p)
    check_same_length("q", q, p)
    check_distribution("q", q)
    for pi, qi in zip(p, q):
        if pi > 0 and qi == 0:
            raise SolverInputError("q", "q is 0 where p is not: the result is infinite")


@solver(
    topic="probability",
    summary="Cross-entropy H(p, q) = −Σ p log q of q relative to the true distribution p.",
    summary_zh="交叉熵 H(p, q) = −Σ p log q（p 为真实分布，q 为模型分布）。",
    params=[
        Param("p", "vec", "true distribution (e.g. a one-hot label)", doc_zh="真实分布（如 one-hot 标签）"),
        Param("q", "vec", "model distribution (e.g. softmax output)", doc_zh="模型分布（如 softmax 输出）"),
        base_param(),
    ],
    answers=[Answer("cross_entropy", "float", "H(p, q) = H(p) + KL(p‖q)",
                    doc_zh="交叉熵 H(p, q) = H(p) + KL(p‖q)")],
    examples=[
        dict(p=[1, 0, 0], q=[0.7, 0.2, 0.1]),  # one-hot target: −ln 0.7 = 0.3567
        dict(p=[0.5, 0.5], q=[0.25, 0.75], base=2),
    ],
)
def cross_entropy(p, q, base) -> Solution:
    """H(p, q) = −Σᵢ pᵢ log qᵢ = H(p) + KL(p‖q) ≥ H(p); terms with pᵢ = 0 count 0.

    With a one-hot p (the class label) it is −log q_label: the classification loss.
    Infinite (bad input) when some qᵢ = 0 with pᵢ > 0.
    """
    base = LogBase(base)
    _pq(p, q)
    ce = -fsum(pi * base.log(qi) for pi, qi in zip(p, q) if pi > 0) + 0.0
    h = -fsum(pi * base.log(pi) for pi in p if pi > 0) + 0.0
    text, latex = plogq_terms(p, q, base)
    latex_sum = join_terms(latex, " + ", r"\cdots")
    steps = [
        Step(*base.convention(), r"0 \log q = 0", None),
        Step(f"H(p, q) = −Σ p·{base.text} q = −({join_terms(text, ' + ')}) = {num(ce)} {base.unit_en}",
             f"H(p, q) = −Σ p·{base.text} q = −({join_terms(text, ' + ')}) = {num(ce)} {base.unit_zh}",
             rf"H(p, q) = -\sum_i p_i {base.latex} q_i = -\left({latex_sum}"
             rf"\right) = {latex_num(ce)}", ce),
        Step(f"Check: H(p, q) = H(p) + KL(p‖q) ≥ H(p) = {num(h)}; the gap {num(ce - h)} is KL(p‖q).",
             f"检验：H(p, q) = H(p) + KL(p‖q) ≥ H(p) = {num(h)}；差值 {num(ce - h)} 就是 KL(p‖q)。",
             rf"H(p, q) - H(p) = {latex_num(ce)} - {latex_num(h)} = {latex_num(ce - h)} = "
             r"D_{KL}(p \| q) \ge 0", ce - h),
    ]
    return Solution({"cross_entropy": ce}, steps)


def _kl(p, q, base: LogBase) -> float:
    """Σ p log(p/q) over p > 0; q = 0 there (possible only by underflow once checked) is
    an infinite divergence, reported as bad input."""
    if any(pi > 0 and qi == 0 for pi, qi in zip(p, q)):
        raise SolverInputError("q", "q is 0 where p is not: the result is infinite")
    return fsum(pi * (base.log(pi) - base.log(qi)) for pi, qi in zip(p, q) if pi > 0) + 0.0


def _kl_terms(p, q, base: LogBase) -> tuple[list[str], list[str]]:
    text, latex = [], []
    for pi, qi in zip(p, q):
        if pi > 0:
            text.append(f"{num(pi)}·{base.text}({num(pi)}/{num(qi)})")
            latex.append(rf"{latex_num(pi)} {base.latex} \frac{{{latex_num(pi)}}}{{{latex_num(qi)}}}")
    return text, latex


@solver(
    topic="probability",
    summary="Kullback–Leibler divergence KL(p‖q) = Σ p log(p/q) (forward; not symmetric).",
    summary_zh="KL 散度 KL(p‖q) = Σ p log(p/q)（前向 KL；不对称）。",
    params=[
        Param("p", "vec", "the first distribution (the one averaged over)", doc_zh="第一个分布（对其求期望）"),
        Param("q", "vec", "the second distribution", doc_zh="第二个分布"),
        base_param(),
    ],
    answers=[Answer("kl", "float", "KL(p‖q) ≥ 0", doc_zh="KL 散度 KL(p‖q) ≥ 0")],
    examples=[
        dict(p=[0.5, 0.5], q=[0.9, 0.1]),  # 0.5108 nats; KL(q‖p) = 0.3681 differs
        # Wikipedia "Kullback–Leibler divergence", basic example: P = Binomial(2, 0.4),
        # Q uniform: KL(P‖Q) = 0.0853 nats.
        dict(p=[0.36, 0.48, 0.16], q=[0.333333, 0.333333, 0.333334]),
    ],
)
def kl_divergence(p, q, base) -> Solution:
    """KL(p‖q) = Σᵢ pᵢ log(pᵢ/qᵢ) = H(p, q) − H(p) ≥ 0, 0 iff p = q; terms with pᵢ = 0
    count 0. Not symmetric: KL(p‖q) ≠ KL(q‖p) in general. Infinite (bad input) when some
    qᵢ = 0 with pᵢ > 0.
    """
    base = LogBase(base)
    _pq(p, q)
    kl = _kl(p, q, base)
    text, latex = _kl_terms(p, q, base)
    latex_sum = join_terms(latex, " + ", r"\cdots")
    reverse_ok = all(not (qi > 0 and pi == 0) for pi, qi in zip(p, q))
    steps = [
        Step(*base.convention(), r"0 \log \frac{0}{q} = 0", None),
        Step(f"KL(p‖q) = Σ p·{base.text}(p/q) = {join_terms(text, ' + ')} = {num(kl)} {base.unit_en}",
             f"KL(p‖q) = Σ p·{base.text}(p/q) = {join_terms(text, ' + ')} = {num(kl)} {base.unit_zh}",
             rf"D_{{KL}}(p \| q) = \sum_i p_i {base.latex} \frac{{p_i}}{{q_i}} = "
             rf"{latex_sum} = {latex_num(kl)}", kl),
    ]
    if reverse_ok:
        rev = _kl(q, p, base)
        steps.append(Step(
            f"Not symmetric: the reverse divergence KL(q‖p) = {num(rev)} is a different number.",
            f"KL 不对称：反向散度 KL(q‖p) = {num(rev)}，与上面不同。",
            rf"D_{{KL}}(q \| p) = {latex_num(rev)}", rev))
    else:
        steps.append(Step(
            "Not symmetric: here the reverse KL(q‖p) is infinite, because p is 0 where q is not.",
            "KL 不对称：这里反向的 KL(q‖p) 为无穷大，因为 q 不为 0 的地方 p 为 0。",
            r"D_{KL}(q \| p) = \infty", None))
    return Solution({"kl": kl}, steps)


@solver(
    topic="probability",
    summary="Jensen–Shannon divergence JS(p, q) = ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2.",
    summary_zh="JS 散度 JS(p, q) = ½KL(p‖m) + ½KL(q‖m)，m = (p + q)/2。",
    params=[
        Param("p", "vec", "the first distribution", doc_zh="第一个分布"),
        Param("q", "vec", "the second distribution", doc_zh="第二个分布"),
        base_param(),
    ],
    answers=[Answer("js", "float", "JS(p, q), symmetric, between 0 and log 2",
                    doc_zh="JS(p, q)，对称，介于 0 与 log 2 之间")],
    examples=[
        dict(p=[1, 0], q=[0, 1], base=2),  # disjoint supports: the maximum, 1 bit (= ln 2 nats)
        dict(p=[0.5, 0.5], q=[0.9, 0.1]),
    ],
)
def js_divergence(p, q, base) -> Solution:
    """JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m) with the mixture m = ½(p + q).

    Symmetric, always finite (m > 0 wherever p or q is), 0 ≤ JS ≤ log 2 (1 bit), the
    maximum reached by distributions with disjoint supports — where the GAN
    discriminator's optimum leaves a constant, gradient-free loss (Goodfellow et al. 2014).
    """
    base = LogBase(base)
    check_distribution("p", p)
    check_same_length("q", q, p)
    check_distribution("q", q)
    m = [(pi + qi) / 2 for pi, qi in zip(p, q)]
    kl_pm, kl_qm = _kl(p, m, base), _kl(q, m, base)
    js = 0.5 * kl_pm + 0.5 * kl_qm
    steps = [
        Step(*base.convention(), r"0 \log 0 = 0", None),
        Step(f"Mixture m = (p + q)/2 = {num(m)}", f"混合分布 m = (p + q)/2 = {num(m)}",
             r"m = \tfrac{1}{2}(p + q) = " + latex_vec(m), m),
        Step(f"KL(p‖m) = {num(kl_pm)}, KL(q‖m) = {num(kl_qm)}",
             f"两个 KL 散度：KL(p‖m) = {num(kl_pm)}，KL(q‖m) = {num(kl_qm)}",
             rf"D_{{KL}}(p \| m) = {latex_num(kl_pm)},\ D_{{KL}}(q \| m) = {latex_num(kl_qm)}",
             [kl_pm, kl_qm]),
        Step(f"JS = ½·{num(kl_pm)} + ½·{num(kl_qm)} = {num(js)} {base.unit_en} "
             f"(at most {base.text} 2 = {num(base.log(2))}; symmetric in p and q)",
             f"JS = ½·{num(kl_pm)} + ½·{num(kl_qm)} = {num(js)} {base.unit_zh}"
             f"（不超过 {base.text} 2 = {num(base.log(2))}；对 p、q 对称）",
             rf"JS(p, q) = \tfrac{{1}}{{2}} D_{{KL}}(p \| m) + \tfrac{{1}}{{2}} D_{{KL}}(q \| m) = "
             rf"{latex_num(js)} \le {base.latex} 2", js),
    ]
    return Solution({"js": js}, steps)


@solver(
    topic="probability",
    summary="KL(N(μ_p, σ_p²) ‖ N(μ_q, σ_q²)) between two univariate Gaussians, in nats.",
    summary_zh="两个一元高斯分布之间的 KL(N(μ_p, σ_p²) ‖ N(μ_q, σ_q²))（奈特）。",
    params=[
        Param("mu_p", "float", "mean of p", doc_zh="p 的均值"),
        Param("sigma_p", "float", "standard deviation of p (> 0)", doc_zh="p 的标准差（> 0）"),
        Param("mu_q", "float", "mean of q", doc_zh="q 的均值"),
        Param("sigma_q", "float", "standard deviation of q (> 0)", doc_zh="q 的标准差（> 0）"),
    ],
    answers=[Answer("kl", "float", "KL(N_p‖N_q) in nats", doc_zh="KL(N_p‖N_q)（奈特）")],
    examples=[
        dict(mu_p=0, sigma_p=1, mu_q=1, sigma_q=1),  # equal variances: (Δμ)²/2 = 0.5
        dict(mu_p=1, sigma_p=2, mu_q=0, sigma_q=1),  # ln(1/2) + (4 + 1)/2 − 1/2 = 1.3069
    ],
)
def kl_gaussian(mu_p, sigma_p, mu_q, sigma_q) -> Solution:
    """KL(N_p‖N_q) = ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½ (natural log, nats).

    Standard deviations, not variances, are the parameters (as torch.distributions.Normal).
    Not symmetric; with σ_p = σ_q = σ it is (μ_p − μ_q)²/(2σ²).
    """
    for name, s in (("sigma_p", sigma_p), ("sigma_q", sigma_q)):
        if s <= 0:
            raise SolverInputError(name, f"a standard deviation must be > 0, got {num(s)}")
    var_q = sigma_q * sigma_q
    if var_q == 0 or not math.isfinite(var_q):
        raise SolverInputError("sigma_q", "too small or too large to square")
    log_ratio = math.log(sigma_q) - math.log(sigma_p)
    diff = mu_p - mu_q
    quad = _finite("mu_p", (sigma_p * sigma_p + diff * diff) / (2 * var_q))
    kl = _finite("sigma_q", log_ratio + quad - 0.5)
    steps = [
        Step("Convention: natural log (nats); σ are standard deviations. "
             "KL(N_p‖N_q) = ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½.",
             "约定：自然对数（奈特）；σ 为标准差。"
             "KL(N_p‖N_q) = ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½。",
             r"D_{KL} = \ln\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}"
             r"{2\sigma_q^2} - \frac{1}{2}", None),
        Step(f"ln(σ_q/σ_p) = ln({num(sigma_q)}/{num(sigma_p)}) = {num(log_ratio)}",
             f"对数项：ln(σ_q/σ_p) = ln({num(sigma_q)}/{num(sigma_p)}) = {num(log_ratio)}",
             rf"\ln\frac{{{latex_num(sigma_q)}}}{{{latex_num(sigma_p)}}} = {latex_num(log_ratio)}",
             log_ratio),
        Step(f"(σ_p² + (μ_p − μ_q)²)/(2σ_q²) = ({num(sigma_p * sigma_p)} + {paren(diff)}²)/"
             f"(2·{num(var_q)}) = {num(quad)}",
             f"二次项：(σ_p² + (μ_p − μ_q)²)/(2σ_q²) = ({num(sigma_p * sigma_p)} + {paren(diff)}²)/"
             f"(2·{num(var_q)}) = {num(quad)}",
             rf"\frac{{{latex_num(sigma_p * sigma_p)} + {latex_paren(diff)}^2}}"
             rf"{{2 \cdot {latex_num(var_q)}}} = {latex_num(quad)}", quad),
        Step(f"KL = {num(log_ratio)} + {num(quad)} − 0.5 = {num(kl)} nats",
             f"KL = {num(log_ratio)} + {num(quad)} − 0.5 = {num(kl)} 奈特",
             rf"D_{{KL}} = {latex_num(log_ratio)} + {latex_num(quad)} - 0.5 = {latex_num(kl)}", kl),
    ]
    return Solution({"kl": kl}, steps)


# ---------------------------------------------------------------- mutual information


def _h(ps, base: LogBase) -> float:
    return -fsum(p * base.log(p) for p in ps if p > 0) + 0.0


@solver(
    topic="probability",
    summary="Mutual information I(X; Y) and the entropies of a small joint probability table.",
    summary_zh="由小型联合概率表求互信息 I(X; Y) 及各个熵。",
    params=[
        Param("joint", "mat", "P(X = row, Y = column); entries sum to 1",
              doc_zh="P(X = 行, Y = 列)；所有元素之和为 1"),
        base_param(),
    ],
    answers=[
        Answer("mi", "float", "I(X; Y) = H(X) + H(Y) − H(X, Y)", doc_zh="互信息 I(X; Y) = H(X) + H(Y) − H(X, Y)"),
        Answer("h_x", "float", "H(X)", doc_zh="X 的熵 H(X)"),
        Answer("h_y", "float", "H(Y)", doc_zh="Y 的熵 H(Y)"),
        Answer("h_xy", "float", "joint entropy H(X, Y)", doc_zh="联合熵 H(X, Y)"),
        Answer("h_x_given_y", "float", "H(X | Y) = H(X, Y) − H(Y)", doc_zh="条件熵 H(X | Y) = H(X, Y) − H(Y)"),
        Answer("h_y_given_x", "float", "H(Y | X) = H(X, Y) − H(X)", doc_zh="条件熵 H(Y | X) = H(X, Y) − H(X)"),
        Answer("p_x", "vec", "marginal of X (row sums)", doc_zh="X 的边缘分布（行和）"),
        Answer("p_y", "vec", "marginal of Y (column sums)", doc_zh="Y 的边缘分布（列和）"),
    ],
    examples=[
        dict(joint=[[0.25, 0.25], [0.25, 0.25]], base=2),  # independent: I = 0
        dict(joint=[[0.5, 0], [0, 0.5]], base=2),  # Y = X: I = H(X) = 1 bit
        # Cover & Thomas, Elements of Information Theory, Example 2.2.1 (4x4 table).
        dict(joint=[[1 / 8, 1 / 16, 1 / 32, 1 / 32], [1 / 16, 1 / 8, 1 / 32, 1 / 32],
                    [1 / 16, 1 / 16, 1 / 16, 1 / 16], [1 / 4, 0, 0, 0]], base=2),
    ],
)
def mutual_information(joint, base) -> Solution:
    """I(X; Y) = Σ p(x, y) log(p(x, y) / (p(x) p(y))) = H(X) + H(Y) − H(X, Y)
    = H(X) − H(X | Y) = KL(p(x, y) ‖ p(x) p(y)) ≥ 0, and 0 iff X and Y are independent.

    Rows are the values of X, columns those of Y; marginals are row and column sums.
    """
    base = LogBase(base)
    flat = [v for row in joint for v in row]
    check_distribution("joint", flat)
    p_x = [fsum(row) for row in joint]
    p_y = [fsum(col) for col in zip(*joint)]
    h_x, h_y, h_xy = _h(p_x, base), _h(p_y, base), _h(flat, base)
    mi = max(0.0, fsum(pxy * (base.log(pxy) - base.log(p_x[i]) - base.log(p_y[j]))
                            for i, row in enumerate(joint) for j, pxy in enumerate(row) if pxy > 0))
    u_en, u_zh = base.unit_en, base.unit_zh
    steps = [
        Step(*base.convention(), r"0 \log 0 = 0", None),
        Step(f"Marginals: p(x) = row sums = {num(p_x)}, p(y) = column sums = {num(p_y)}",
             f"边缘分布：p(x) = 各行之和 = {num(p_x)}，p(y) = 各列之和 = {num(p_y)}",
             rf"p(x) = \sum_y p(x, y) = {latex_vec(p_x)},\ p(y) = \sum_x p(x, y) = {latex_vec(p_y)}",
             [p_x, p_y]),
        Step(f"H(X) = {num(h_x)}, H(Y) = {num(h_y)}, H(X, Y) = {num(h_xy)} {u_en}",
             f"H(X) = {num(h_x)}，H(Y) = {num(h_y)}，H(X, Y) = {num(h_xy)} {u_zh}",
             rf"H(X) = {latex_num(h_x)},\ H(Y) = {latex_num(h_y)},\ H(X, Y) = -\sum_{{x,y}} "
             rf"p(x,y) {base.latex} p(x,y) = {latex_num(h_xy)}", [h_x, h_y, h_xy]),
        Step(f"Conditional entropies: H(X|Y) = H(X, Y) − H(Y) = {num(h_xy - h_y)}, "
             f"H(Y|X) = H(X, Y) − H(X) = {num(h_xy - h_x)}",
             f"条件熵：H(X|Y) = H(X, Y) − H(Y) = {num(h_xy - h_y)}，"
             f"H(Y|X) = H(X, Y) − H(X) = {num(h_xy - h_x)}",
             rf"H(X|Y) = {latex_num(h_xy - h_y)},\ H(Y|X) = {latex_num(h_xy - h_x)}",
             [h_xy - h_y, h_xy - h_x]),
        Step(f"I(X; Y) = H(X) + H(Y) − H(X, Y) = {num(h_x)} + {num(h_y)} − {num(h_xy)} = "
             f"{num(mi)} {u_en} (= H(X) − H(X|Y): what knowing Y tells about X; 0 iff independent)",
             f"I(X; Y) = H(X) + H(Y) − H(X, Y) = {num(h_x)} + {num(h_y)} − {num(h_xy)} = "
             f"{num(mi)} {u_zh}（= H(X) − H(X|Y)：知道 Y 后关于 X 的不确定性减少量；独立时为 0）",
             rf"I(X; Y) = H(X) + H(Y) - H(X, Y) = {latex_num(mi)}", mi),
    ]
    return Solution({"mi": mi, "h_x": h_x, "h_y": h_y, "h_xy": h_xy,
                     "h_x_given_y": max(0.0, h_xy - h_y), "h_y_given_x": max(0.0, h_xy - h_x),
                     "p_x": p_x, "p_y": p_y}, steps)


# ---------------------------------------------------------------- Bayes' rule


@solver(
    topic="probability",
    summary="Bayes' rule from a 2x2 table of counts or joint probabilities (H/not H by E/not E).",
    summary_zh="由 2x2 表（计数或联合概率；行为 H/非 H，列为 E/非 E）应用贝叶斯公式。",
    params=[Param("table", "mat",
                  "2x2 counts or probabilities: rows H, not H; columns E observed, E not observed",
                  doc_zh="2x2 的计数或概率：行依次为 H、非 H；列依次为观察到 E、未观察到 E")],
    answers=[
        Answer("p_h", "float", "prior P(H)", doc_zh="先验 P(H)"),
        Answer("p_e", "float", "evidence P(E)", doc_zh="证据概率 P(E)"),
        Answer("p_e_given_h", "float", "likelihood P(E | H) (sensitivity)", doc_zh="似然 P(E | H)（灵敏度）"),
        Answer("p_e_given_not_h", "float", "P(E | not H) (false-positive rate)",
               doc_zh="P(E | 非 H)（假阳性率）"),
        Answer("p_h_given_e", "float", "posterior P(H | E)", doc_zh="后验 P(H | E)"),
        Answer("p_h_given_not_e", "float", "P(H | not E)", doc_zh="P(H | 非 E)"),
    ],
    examples=[
        # 1000 people, 10 ill; the test finds 9 of them and 99 of the 990 healthy.
        dict(table=[[9, 1], [99, 891]]),
        dict(table=[[0.08, 0.02], [0.18, 0.72]]),
    ],
)
def bayes_2x2(table) -> Solution:
    """P(H | E) = P(E | H) P(H) / P(E), P(E) = P(E | H) P(H) + P(E | ¬H) P(¬H).

    The table holds n(H, E), n(H, ¬E) / n(¬H, E), n(¬H, ¬E) — counts or probabilities,
    divided by their total. Read straight off the table, P(H | E) = n(H, E) / n(·, E):
    the posterior is the share of H within the column of E.
    """
    if len(table) != 2 or len(table[0]) != 2:
        raise SolverInputError("table", f"must be 2x2, got {len(table)}x{len(table[0])}")
    if any(v < 0 for row in table for v in row):
        raise SolverInputError("table", "counts and probabilities cannot be negative")
    (a, b), (c, d) = table
    total = a + b + c + d
    if not math.isfinite(total):
        raise SolverInputError("table", "numbers too large")
    for what, s in (("row H", a + b), ("row not H", c + d), ("column E", a + c),
                    ("column not E", b + d)):
        if s <= 0:
            raise SolverInputError("table", f"{what} is all zero: a conditional probability "
                                            f"is undefined")
    p_h, p_e = (a + b) / total, (a + c) / total
    sens, fpr = a / (a + b), c / (c + d)
    post, post_not = a / (a + c), b / (b + d)
    steps = [
        Step(f"Convention: rows H / not H, columns E / not E; divide by the total {num(total)}. "
             f"Prior P(H) = {num(a + b)}/{num(total)} = {num(p_h)}, P(E) = {num(a + c)}/{num(total)}"
             f" = {num(p_e)}",
             f"约定：行为 H / 非 H，列为 E / 非 E；除以总数 {num(total)}。"
             f"先验 P(H) = {num(a + b)}/{num(total)} = {num(p_h)}，P(E) = {num(a + c)}/{num(total)}"
             f" = {num(p_e)}",
             rf"P(H) = \frac{{{latex_num(a + b)}}}{{{latex_num(total)}}} = {latex_num(p_h)},\ "
             rf"P(E) = \frac{{{latex_num(a + c)}}}{{{latex_num(total)}}} = {latex_num(p_e)}",
             [p_h, p_e]),
        Step(f"Likelihoods: P(E|H) = {num(a)}/{num(a + b)} = {num(sens)}, "
             f"P(E|¬H) = {num(c)}/{num(c + d)} = {num(fpr)}",
             f"似然：P(E|H) = {num(a)}/{num(a + b)} = {num(sens)}，"
             f"P(E|¬H) = {num(c)}/{num(c + d)} = {num(fpr)}",
             rf"P(E|H) = {latex_num(sens)},\ P(E|\neg H) = {latex_num(fpr)}", [sens, fpr]),
        Step(f"Bayes: P(H|E) = P(E|H)P(H) / P(E) = {num(sens)}·{num(p_h)} / {num(p_e)} = {num(post)}"
             f" (the share of H in column E: {num(a)}/{num(a + c)})",
             f"贝叶斯公式：P(H|E) = P(E|H)P(H) / P(E) = {num(sens)}·{num(p_h)} / {num(p_e)} = "
             f"{num(post)}（即 E 这一列中 H 所占比例：{num(a)}/{num(a + c)}）",
             rf"P(H|E) = \frac{{P(E|H) P(H)}}{{P(E)}} = \frac{{{latex_num(sens)} \cdot "
             rf"{latex_num(p_h)}}}{{{latex_num(p_e)}}} = {latex_num(post)}", post),
        Step(f"P(H|¬E) = {num(b)}/{num(b + d)} = {num(post_not)}",
             f"同理，P(H|¬E) = {num(b)}/{num(b + d)} = {num(post_not)}",
             rf"P(H|\neg E) = \frac{{{latex_num(b)}}}{{{latex_num(b + d)}}} = {latex_num(post_not)}",
             post_not),
    ]
    return Solution({"p_h": p_h, "p_e": p_e, "p_e_given_h": sens, "p_e_given_not_h": fpr,
                     "p_h_given_e": post, "p_h_given_not_e": post_not}, steps)


@solver(
    topic="probability",
    summary="Bayes' rule from a prior and two likelihoods (e.g. a medical test).",
    summary_zh="由先验与两个似然应用贝叶斯公式（如医学检测）。",
    params=[
        Param("prior", "float", "P(H)", min=0, max=1, doc_zh="先验 P(H)"),
        Param("p_e_given_h", "float", "P(E | H), e.g. the test's sensitivity", min=0, max=1,
              doc_zh="P(E | H)，如检测的灵敏度"),
        Param("p_e_given_not_h", "float", "P(E | not H), e.g. the false-positive rate", min=0,
              max=1, doc_zh="P(E | 非 H)，如假阳性率"),
    ],
    answers=[
        Answer("p_e", "float", "P(E) by total probability", doc_zh="由全概率公式得到的 P(E)"),
        Answer("p_h_given_e", "float", "posterior P(H | E)", doc_zh="后验 P(H | E)"),
    ],
    examples=[
        dict(prior=0.01, p_e_given_h=0.9, p_e_given_not_h=0.1),  # posterior 0.0833
        dict(prior=0.5, p_e_given_h=0.8, p_e_given_not_h=0.2),
    ],
)
def bayes_rule(prior, p_e_given_h, p_e_given_not_h) -> Solution:
    """P(H | E) = P(E | H) P(H) / (P(E | H) P(H) + P(E | ¬H) (1 − P(H))).

    A rare condition stays unlikely after one positive test when false positives among
    the many healthy outnumber the true positives (the base-rate fallacy).
    """
    joint_h = p_e_given_h * prior
    joint_not = p_e_given_not_h * (1 - prior)
    p_e = joint_h + joint_not
    if p_e <= 0:
        raise SolverInputError("p_e_given_h", "P(E) = 0: E never happens, so P(H | E) is undefined")
    post = joint_h / p_e
    steps = [
        Step(f"Total probability: P(E) = P(E|H)P(H) + P(E|¬H)P(¬H) = {num(p_e_given_h)}·{num(prior)}"
             f" + {num(p_e_given_not_h)}·{num(1 - prior)} = {num(joint_h)} + {num(joint_not)} = "
             f"{num(p_e)}",
             f"全概率公式：P(E) = P(E|H)P(H) + P(E|¬H)P(¬H) = {num(p_e_given_h)}·{num(prior)}"
             f" + {num(p_e_given_not_h)}·{num(1 - prior)} = {num(joint_h)} + {num(joint_not)} = "
             f"{num(p_e)}",
             rf"P(E) = {latex_num(p_e_given_h)} \cdot {latex_num(prior)} + "
             rf"{latex_num(p_e_given_not_h)} \cdot {latex_num(1 - prior)} = {latex_num(p_e)}", p_e),
        Step(f"Bayes: P(H|E) = P(E|H)P(H) / P(E) = {num(joint_h)} / {num(p_e)} = {num(post)}",
             f"贝叶斯公式：P(H|E) = P(E|H)P(H) / P(E) = {num(joint_h)} / {num(p_e)} = {num(post)}",
             rf"P(H|E) = \frac{{P(E|H) P(H)}}{{P(E)}} = \frac{{{latex_num(joint_h)}}}"
             rf"{{{latex_num(p_e)}}} = {latex_num(post)}", post),
    ]
    return Solution({"p_e": p_e, "p_h_given_e": post}, steps)
