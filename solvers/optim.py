"""Optimizers step by step, as `torch.optim`, and iterations per epoch (closed-form arithmetic).

The update rules are PyTorch's (`torch.optim.SGD`, `Adagrad`, `RMSprop`, `Adadelta`, `Adam`)
with the gradients given, one vector per step: every state starts at zero, `eps` defaults to
1e-8 for every optimizer (PyTorch's own defaults differ: Adagrad 1e-10, Adadelta 1e-6), RMSProp
has no momentum and is not centered, weight decay is L2 added to the gradient
(g ← g + λp). Plain Python, no numpy: the vectors are short (see `SolverSpec.needs_numpy`).
"""

from __future__ import annotations

import math

from solvers.fmt import latex_vec, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_STEPS = 1_000
MAX_SAMPLES = 10**12
MAX_EPOCHS = 1_000_000

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")

# name -> (PyTorch call, rule in words (en, zh), LaTeX of the rule)
RULES = {
    "sgd": ("torch.optim.SGD(lr)", "p ← p − lr·g", "p ← p − lr·g",
            r"\theta \leftarrow \theta - \eta\, g"),
    "momentum": ("torch.optim.SGD(lr, momentum=μ)",
                 "b ← μ·b + g (b starts at 0, so b₁ = g); p ← p − lr·b",
                 "b ← μ·b + g（b 从 0 开始，故 b₁ = g）；p ← p − lr·b",
                 r"b \leftarrow \mu b + g,\quad \theta \leftarrow \theta - \eta\, b"),
    "nesterov": ("torch.optim.SGD(lr, momentum=μ, nesterov=True)",
                 "b ← μ·b + g; p ← p − lr·(g + μ·b) (PyTorch's form of Nesterov's look-ahead)",
                 "b ← μ·b + g；p ← p − lr·(g + μ·b)（PyTorch 对 Nesterov 前瞻的写法）",
                 r"b \leftarrow \mu b + g,\quad \theta \leftarrow \theta - \eta\,(g + \mu b)"),
    "adagrad": ("torch.optim.Adagrad(lr, eps)", "s ← s + g²; p ← p − lr·g/(√s + eps)",
                "s ← s + g²；p ← p − lr·g/(√s + eps)",
                r"s \leftarrow s + g^2,\quad \theta \leftarrow \theta - \frac{\eta\, g}{\sqrt{s} + \epsilon}"),
    "rmsprop": ("torch.optim.RMSprop(lr, alpha, eps)",
                "v ← α·v + (1 − α)·g²; p ← p − lr·g/(√v + eps)",
                "v ← α·v + (1 − α)·g²；p ← p − lr·g/(√v + eps)",
                r"v \leftarrow \alpha v + (1 - \alpha) g^2,\quad "
                r"\theta \leftarrow \theta - \frac{\eta\, g}{\sqrt{v} + \epsilon}"),
    "adadelta": ("torch.optim.Adadelta(lr, rho, eps)",
                 "v ← ρ·v + (1 − ρ)·g²; Δ = √(u + eps)/√(v + eps)·g; u ← ρ·u + (1 − ρ)·Δ²; "
                 "p ← p − lr·Δ",
                 "v ← ρ·v + (1 − ρ)·g²；Δ = √(u + eps)/√(v + eps)·g；u ← ρ·u + (1 − ρ)·Δ²；"
                 "p ← p − lr·Δ",
                 r"v \leftarrow \rho v + (1-\rho) g^2,\ \Delta = \frac{\sqrt{u + \epsilon}}"
                 r"{\sqrt{v + \epsilon}}\, g,\ u \leftarrow \rho u + (1-\rho)\Delta^2,\ "
                 r"\theta \leftarrow \theta - \eta\,\Delta"),
    "adam": ("torch.optim.Adam(lr, betas=(β₁, β₂), eps)",
             "m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); "
             "p ← p − lr·m̂/(√v̂ + eps)",
             "m ← β₁·m + (1 − β₁)·g；v ← β₂·v + (1 − β₂)·g²；m̂ = m/(1 − β₁ᵗ)；v̂ = v/(1 − β₂ᵗ)；"
             "p ← p − lr·m̂/(√v̂ + eps)",
             r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ "
             r"\theta \leftarrow \theta - \eta\,\frac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}"),
}

HYPER = {  # the hyper-parameters each optimizer reads, shown in the first step
    "sgd": (), "momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": ("eps",),
    "rmsprop": ("alpha", "eps"), "adadelta": ("rho", "eps"), "adam": ("beta1", "beta2", "eps"),
}


def _divide(top: float, bottom: float) -> float:
    if bottom == 0:
        raise SolverInputError("eps", "with eps = 0 a zero gradient gives 0/0; use eps > 0")
    return top / bottom


def _check_hyper(optimizer: str, momentum: float, beta1: float, beta2: float) -> None:
    """torch.optim's refusals beyond the Params' own bounds: Nesterov without momentum,
    Adam's betas outside [0, 1)."""
    if optimizer == "nesterov" and momentum <= 0:
        raise SolverInputError("momentum", "Nesterov momentum needs momentum > 0")
    if optimizer == "adam":
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise SolverInputError(name, f"must be in [0, 1), got {num(beta)}")


@solver(
    topic="optim",
    summary="Parameters after each step of SGD, momentum, Nesterov, Adagrad, RMSProp, Adadelta "
            "or Adam, with the update rules of torch.optim.",
    summary_zh="SGD、动量、Nesterov、Adagrad、RMSProp、Adadelta 或 Adam 每一步之后的参数"
               "（更新规则与 torch.optim 相同）。",
    params=[
        Param("optimizer", "str", "which update rule", doc_zh="更新规则", choices=OPTIMIZERS),
        Param("params", "vec", "the parameters before the first step", doc_zh="第一步之前的参数"),
        Param("grads", "vecs", "the gradient at each step, one vector per step",
              doc_zh="每一步的梯度，每步一个向量"),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", min=0),
        Param("momentum", "float", "μ (momentum, nesterov)", doc_zh="动量系数 μ（momentum、nesterov）",
              default=0.9, min=0),
        Param("alpha", "float", "RMSProp's smoothing constant", doc_zh="RMSProp 的平滑常数",
              default=0.99, min=0, max=1),  # above 1 the running mean of g² goes negative
        Param("rho", "float", "Adadelta's decay ρ", doc_zh="Adadelta 的衰减率 ρ", default=0.9,
              min=0, max=1),
        Param("beta1", "float", "Adam's β₁", doc_zh="Adam 的 β₁", default=0.9),
        Param("beta2", "float", "Adam's β₂", doc_zh="Adam 的 β₂", default=0.999),
        Param("eps", "float", "ε added to the denominators", doc_zh="加在分母上的 ε",
              default=1e-8, min=0),
        Param("weight_decay", "float", "L2 penalty λ: g ← g + λ·p", doc_zh="L2 惩罚 λ：g ← g + λ·p",
              default=0, min=0),
    ],
    answers=[
        Answer("history", "mat", "the parameters after each step", doc_zh="每一步之后的参数"),
        Answer("params", "vec", "the parameters after the last step", doc_zh="最后一步之后的参数"),
    ],
    examples=[
        # d2l §12.6: momentum on f = 0.1x₁² + 2x₂² from (−5, −2), η = 0.6, β = 0.5, first step.
        dict(optimizer="momentum", params=[-5, -2], grads=[[-1, -8]], lr=0.6, momentum=0.5),
        dict(optimizer="adam", params=[1, -1], grads=[[0.5, -2], [0.5, 1]], lr=0.1),
        dict(optimizer="nesterov", params=[1], grads=[[1], [1]], lr=0.1),
    ],
)
def optimizer_steps(optimizer, params, grads, lr, momentum, alpha, rho, beta1, beta2, eps,
                    weight_decay) -> Solution:
    """One torch.optim step per gradient vector, all state starting at 0.

    With g ← g + λp first: sgd p ← p − ηg; momentum b ← μb + g, p ← p − ηb; nesterov
    b ← μb + g, p ← p − η(g + μb); adagrad s ← s + g², p ← p − ηg/(√s + ε); rmsprop
    v ← αv + (1 − α)g², p ← p − ηg/(√v + ε); adadelta v ← ρv + (1 − ρ)g²,
    Δ = √(u + ε)/√(v + ε)·g, u ← ρu + (1 − ρ)Δ², p ← p − ηΔ; adam m ← β₁m + (1 − β₁)g,
    v ← β₂v + (1 − β₂)g², p ← p − η·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε).
    """
    if len(grads) > MAX_STEPS:
        raise SolverInputError("grads", f"at most {MAX_STEPS} steps, got {len(grads)}")
    n = len(params)
    for t, g in enumerate(grads, 1):
        if len(g) != n:
            raise SolverInputError("grads", f"step {t} has {len(g)} entries but there are "
                                            f"{n} parameters")
    _check_hyper(optimizer, momentum, beta1, beta2)
    call, rule_en, rule_zh, rule_tex = RULES[optimizer]
    values = {"momentum": momentum, "alpha": alpha, "rho": rho, "beta1": beta1,
              "beta2": beta2, "eps": eps}
    hyper = ", ".join(f"{k} = {values[k]:g}" for k in HYPER[optimizer])
    hyper_zh = hyper.replace(", ", "，")
    decay_en = f"; weight decay λ = {num(weight_decay)}: g ← g + λ·p first" if weight_decay else ""
    decay_zh = f"；权重衰减 λ = {num(weight_decay)}：先令 g ← g + λ·p" if weight_decay else ""
    steps = [Step(
        f"Convention: {call}, lr = {num(lr)}{', ' + hyper if hyper else ''}; every state starts "
        f"at 0. Rule: {rule_en}{decay_en}.",
        f"约定：{call}，lr = {num(lr)}{'，' + hyper_zh if hyper else ''}；所有状态从 0 开始。"
        f"规则：{rule_zh}{decay_zh}。",
        rule_tex,
    )]
    p = list(params)
    zeros = [0.0] * n
    state_a, state_b = list(zeros), list(zeros)  # b / s / v / m, and u / v
    history = []
    for t, raw_g in enumerate(grads, 1):
        g = [gi + weight_decay * pi for gi, pi in zip(raw_g, p)] if weight_decay else list(raw_g)
        if optimizer == "sgd":
            update = [lr * gi for gi in g]
            state_en = state_zh = ""
            state_tex = ""
        elif optimizer in ("momentum", "nesterov"):
            state_a = [momentum * b + gi for b, gi in zip(state_a, g)]
            if optimizer == "momentum":
                update = [lr * b for b in state_a]
            else:
                update = [lr * (gi + momentum * b) for gi, b in zip(g, state_a)]
            state_en = f"b = {num(state_a, 6)}"
            state_zh = f"b = {num(state_a, 6)}"
            state_tex = "b = " + latex_vec(state_a)
            if optimizer == "nesterov":
                velocity = [-lr * b for b in state_a]
                state_en += (f" (look-ahead form, Sutskever et al.: velocity v = −lr·b = "
                             f"{num(velocity, 6)}, and the stored p is the look-ahead point "
                             f"θ + μv)")
                state_zh += (f"（前瞻形式，Sutskever 等：速度 v = −lr·b = {num(velocity, 6)}，"
                             f"保存的 p 就是前瞻点 θ + μv）")
        elif optimizer == "adagrad":
            state_a = [s + gi * gi for s, gi in zip(state_a, g)]
            update = [lr * _divide(gi, math.sqrt(s) + eps) for gi, s in zip(g, state_a)]
            state_en = state_zh = f"s = {num(state_a, 6)}"
            state_tex = "s = " + latex_vec(state_a)
        elif optimizer == "rmsprop":
            state_a = [alpha * v + (1 - alpha) * gi * gi for v, gi in zip(state_a, g)]
            update = [lr * _divide(gi, math.sqrt(v) + eps) for gi, v in zip(g, state_a)]
            state_en = state_zh = f"v = {num(state_a, 6)}"
            state_tex = "v = " + latex_vec(state_a)
        elif optimizer == "adadelta":
            state_a = [rho * v + (1 - rho) * gi * gi for v, gi in zip(state_a, g)]
            delta = [_divide(math.sqrt(u + eps), math.sqrt(v + eps)) * gi
                     for u, v, gi in zip(state_b, state_a, g)]
            state_b = [rho * u + (1 - rho) * d * d for u, d in zip(state_b, delta)]
            update = [lr * d for d in delta]
            state_en = state_zh = (f"v = {num(state_a, 6)}, Δ = {num(delta, 6)}, "
                                   f"u = {num(state_b, 6)}")
            state_tex = ("v = " + latex_vec(state_a) + r",\ \Delta = " + latex_vec(delta)
                         + r",\ u = " + latex_vec(state_b))
        else:  # adam
            state_a = [beta1 * m + (1 - beta1) * gi for m, gi in zip(state_a, g)]
            state_b = [beta2 * v + (1 - beta2) * gi * gi for v, gi in zip(state_b, g)]
            correct1, correct2 = 1 - beta1 ** t, 1 - beta2 ** t
            m_hat = [m / correct1 for m in state_a]
            v_hat = [v / correct2 for v in state_b]
            update = [lr * _divide(mh, math.sqrt(vh) + eps) for mh, vh in zip(m_hat, v_hat)]
            state_en = (f"m = {num(state_a, 6)}, v = {num(state_b, 8)}; bias correction "
                        f"1 − β₁^{t} = {num(correct1, 6)}, 1 − β₂^{t} = {num(correct2, 6)}: "
                        f"m̂ = {num(m_hat, 6)}, v̂ = {num(v_hat, 6)}")
            state_zh = (f"m = {num(state_a, 6)}，v = {num(state_b, 8)}；偏差修正 "
                        f"1 − β₁^{t} = {num(correct1, 6)}，1 − β₂^{t} = {num(correct2, 6)}："
                        f"m̂ = {num(m_hat, 6)}，v̂ = {num(v_hat, 6)}")
            state_tex = (r"\hat m = " + latex_vec(m_hat) + r",\ \hat v = " + latex_vec(v_hat))
        p = [pi - u + 0.0 for pi, u in zip(p, update)]
        history.append(p)
        shown_g = f"g = {num(g, 6)}" + (" (with weight decay)" if weight_decay else "")
        shown_g_zh = f"g = {num(g, 6)}" + ("（含权重衰减）" if weight_decay else "")
        steps.append(Step(
            f"Step {t}: {shown_g}; {state_en + '; ' if state_en else ''}"
            f"update {num(update, 6)}; p = {num(p, 6)}",
            f"第 {t} 步：{shown_g_zh}；{state_zh + '；' if state_zh else ''}"
            f"更新量 {num(update, 6)}；p = {num(p, 6)}",
            (state_tex + r",\quad " if state_tex else "") + rf"\theta_{{{t}}} = " + latex_vec(p),
            p,
        ))
    return Solution({"history": history, "params": p}, steps)


# ---------------------------------------------------------------- iterations per epoch


@solver(
    topic="optim",
    summary="Iterations (weight updates) per epoch and in total for a dataset and a batch size.",
    summary_zh="给定数据集大小和批量大小，每轮（epoch）和总共的迭代（权重更新）次数。",
    params=[
        Param("n_samples", "int", "training examples", doc_zh="训练样本数", min=1, max=MAX_SAMPLES),
        Param("batch_size", "int", "examples per batch (1 = SGD, n_samples = full batch)",
              doc_zh="每批样本数（1 为随机梯度下降，n_samples 为全批量）", min=1, max=MAX_SAMPLES),
        Param("epochs", "int", "passes over the training set", doc_zh="遍历训练集的轮数",
              default=1, min=1, max=MAX_EPOCHS),
        Param("drop_last", "bool", "drop the last, incomplete batch (DataLoader drop_last)",
              doc_zh="丢弃最后一个不完整的批（DataLoader 的 drop_last）", default=False),
    ],
    answers=[
        Answer("per_epoch", "int", "iterations in one epoch", doc_zh="每轮的迭代次数"),
        Answer("total", "int", "iterations in all epochs", doc_zh="所有轮次的迭代总数"),
        Answer("last_batch_size", "int", "examples in the last batch of an epoch",
               doc_zh="每轮最后一批的样本数"),
    ],
    examples=[
        # Chollet, DLwP §2.1: MNIST 60,000 images, batch 128, 5 epochs -> 469 per epoch, 2,345.
        dict(n_samples=60000, batch_size=128, epochs=5),
        dict(n_samples=1000, batch_size=32, drop_last=True),
    ],
)
def iterations_per_epoch(n_samples, batch_size, epochs, drop_last) -> Solution:
    """per_epoch = ⌈n / B⌉ (⌊n / B⌋ with drop_last, as torch.utils.data.DataLoader);
    total = per_epoch · epochs. One iteration = one batch = one weight update."""
    if drop_last and batch_size > n_samples:
        raise SolverInputError("batch_size", f"{batch_size} > n_samples = {n_samples}: with "
                                             f"drop_last there is no full batch at all")
    full, rest = divmod(n_samples, batch_size)
    per_epoch = full if drop_last or rest == 0 else full + 1
    last = batch_size if drop_last or rest == 0 else rest
    total = per_epoch * epochs
    if drop_last:
        count_en = (f"drop_last: ⌊{n_samples}/{batch_size}⌋ = {per_epoch} full batches; the "
                    f"{rest} leftover examples are skipped each epoch")
        count_zh = (f"drop_last：⌊{n_samples}/{batch_size}⌋ = {per_epoch} 个完整批次；每轮跳过剩下的 "
                    f"{rest} 个样本")
        count_tex = rf"\left\lfloor \frac{{{n_samples}}}{{{batch_size}}} \right\rfloor = {per_epoch}"
    else:
        count_en = (f"⌈{n_samples}/{batch_size}⌉ = {per_epoch} batches per epoch (the last one "
                    f"has {last} examples)")
        count_zh = (f"⌈{n_samples}/{batch_size}⌉ = {per_epoch}：每轮 {per_epoch} 个批次（最后一批有 "
                    f"{last} 个样本）")
        count_tex = rf"\left\lceil \frac{{{n_samples}}}{{{batch_size}}} \right\rceil = {per_epoch}"
    steps = [
        Step(f"One iteration = one batch = one weight update; one epoch = one pass over all "
             f"{n_samples} examples. {count_en}.",
             f"一次迭代 = 一个批次 = 一次权重更新；一轮 = 遍历全部 {n_samples} 个样本。{count_zh}。",
             count_tex, per_epoch),
        Step(f"Total = {per_epoch}·{epochs} epochs = {total} iterations",
             f"总计 = {per_epoch}·{epochs} 轮 = {total} 次迭代",
             rf"{per_epoch} \cdot {epochs} = {total}", total),
    ]
    return Solution({"per_epoch": per_epoch, "total": total, "last_batch_size": last}, steps)
