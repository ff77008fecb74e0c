"""Tiny models trained for k steps of full-batch gradient descent, step by step.

Linear regression, logistic regression, Rosenblatt's perceptron, a 2-2-1 network on XOR, and
Grokking Deep Learning's single weight learned by hot-and-cold vs by gradient descent. Each
reports the loss and the weights after every step, so a template can ask for one or two
steps by hand and a "what happens" question can run many.

Plain Python, no numpy and no torch: a handful of numbers per step, so pure Python is fast
and dependency-free. torch is only a test extra (a student's install may not have it), and
importing it takes about 1.2 s, more than a solver call may take; so torch is the ORACLE, not
the engine: tests/test_solvers_tiny_models.py trains the same models with torch (nn.Linear,
the torch losses, autograd, torch.optim.SGD) and checks every step, the perceptron against a
hand-written numpy loop and hot-and-cold against the book's own loop.

Conventions, each also stated in the worked steps:
- one step = one full-batch gradient step w ← w − lr·∂L/∂w with the gradient at the old
  weights, as `loss.backward(); optimizer.step()` with torch.optim.SGD (no momentum);
- `losses[t]` is the loss AFTER step t (t = 1 … k); `initial_loss` is the loss before training;
- linear regression: loss `mse` = mean (ŷ − y)² (nn.MSELoss), `half_mse` = ½·mean,
  `sse` = Σ, `half_sse` = ½Σ (whose gradient Σ(ŷ − y)x is Grokking's δ·input);
- logistic regression: binary cross-entropy on σ(w·x + b), `mean` (nn.BCEWithLogitsLoss) or
  `sum` over the samples;
- perceptron (Rosenblatt; Li Hang §2.3): labels ±1, a sample is misclassified when
  y(w·x + b) ≤ 0, and then w ← w + lr·y·x, b ← b + lr·y; one step looks at one sample;
- hot-and-cold (Trask ch. 4): try w ± step_amount, keep whichever error is smaller; gradient
  descent there uses w ← w − α·x·(pred − goal), the derivative of ½(pred − goal)², while the
  error reported is (pred − goal)², exactly as the book prints it.
"""

from __future__ import annotations

import math

from solvers.arith import fsum, sigmoid
from solvers.fmt import (
    MAX_TERMS,
    join_terms,
    latex_matrix,
    latex_num,
    latex_paren,
    latex_vec,
    num,
    paren,
)
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_SAMPLES = 1_000
MAX_FEATURES = 8
MAX_STEPS = 10_000
MAX_WORK = 200_000  # steps × (samples × weights + 16): keeps any call well under a second
SHOWN_STEPS = 2  # steps worked in full; the rest are summarised


# ---------------------------------------------------------------- helpers


def dot(w: list[float], x: list[float]) -> float:
    return fsum(a * b for a, b in zip(w, x))


def softplus(z: float) -> float:
    """log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|)."""
    if math.isnan(z):
        return z
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def series(values: list, fmt, sep: str = ", ", ellipsis: str = "…") -> str:
    """join_terms over formatted values, formatting only the ones that will be shown (a
    10,000-step history must not cost 10,000 formatted numbers)."""
    if len(values) <= MAX_TERMS:
        return join_terms([fmt(v) for v in values], sep, ellipsis)
    head = [fmt(v) for v in values[:MAX_TERMS - 3]]
    return sep.join([*head, ellipsis, *(fmt(v) for v in values[-2:])])


def _number(param: str, x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise SolverInputError(param, f"{what} holds {str(x)[:20]!r}, not a number")
    try:
        x = float(x)
    except OverflowError:
        raise SolverInputError(param, f"{what} holds a number too large") from None
    if not math.isfinite(x):
        raise SolverInputError(param, f"{what} holds a non-finite number")
    return x


def samples(x, param: str = "x") -> list[list[float]]:
    """The inputs as a list of feature vectors: [[1, 2], [3, 4]] (two samples, two
    features), or [1, 2, 3] (three samples of one feature each)."""
    if not isinstance(x, list) or not x:
        raise SolverInputError(param, "expected a list of samples, like [[1, 2], [3, 4]] or "
                                      "[1, 2, 3] (one feature each)")
    if len(x) > MAX_SAMPLES:
        raise SolverInputError(param, f"{len(x)} samples; at most {MAX_SAMPLES}")
    rows = [row if isinstance(row, list) else [row] for row in x]
    width = len(rows[0])
    if not 1 <= width <= MAX_FEATURES:
        raise SolverInputError(param, f"each sample needs 1 to {MAX_FEATURES} features")
    out = []
    for i, row in enumerate(rows):
        if len(row) != width:
            raise SolverInputError(param, f"sample {i + 1} has {len(row)} features, sample 1 "
                                          f"has {width}")
        out.append([_number(param, v, f"sample {i + 1}") for v in row])
    return out


def targets(y, n: int, param: str = "y") -> list[float]:
    if not isinstance(y, list):
        y = [y]
    if len(y) != n:
        raise SolverInputError(param, f"{len(y)} targets for {n} samples")
    return [_number(param, v, "y") for v in y]


def initial_weights(w, n_features: int, param: str = "w") -> list[float]:
    if w is None:
        return [0.0] * n_features
    w = w if isinstance(w, list) else [w]
    if len(w) != n_features:
        raise SolverInputError(param, f"{len(w)} weights for {n_features} features")
    return [float(v) for v in w]


def check_work(n: int, features: int, steps: int) -> None:
    """SolverInputError unless steps × (samples × weights + a step's own overhead) stays
    within MAX_WORK (about a fifth of a second)."""
    work = steps * (n * (features + 1) + 16)
    if work > MAX_WORK:
        raise SolverInputError("steps", f"{steps} steps × ({n} samples × {features + 1} weights"
                                        f" + 16) = {work:,}; this by-hand trainer takes at most "
                                        f"{MAX_WORK:,}")


def check_overflow(step: int, values: list[float]) -> None:
    """SolverInputError (blaming lr) when a weight or the loss is no longer finite."""
    if not all(map(math.isfinite, values)):
        raise SolverInputError("lr", f"the weights or the loss overflow at step {step}: "
                                     f"training diverges with this learning rate (ask for "
                                     f"fewer steps to watch it grow)")


def _check_bias(bias: bool, b: float) -> None:
    if not bias and b != 0:
        raise SolverInputError("b", "bias=false: the model has no bias, so b must stay 0")


def history_steps(losses: list[float], weights: list[list[float]], biases: list[float],
                  bias: bool) -> list[Step]:
    """The steps after the ones worked in full: every later step's loss, and the end point."""
    out = []
    k = len(losses)
    if k > SHOWN_STEPS:
        shown = series(losses, num)
        out.append(Step(
            f"Loss after each of the {k} steps: {shown}",
            f"{k} 步中每一步之后的损失：{shown}",
            rf"L_t\ (t = 1 \text{{ to }} {k}): "
            + series(losses, latex_num, ", ", r"\cdots"),
            losses,
        ))
        out.append(Step(
            f"After step {k}: w = {num(weights[-1])}" + (f", b = {num(biases[-1])}" if bias else "")
            + f", loss = {num(losses[-1])}",
            f"第 {k} 步之后：w = {num(weights[-1])}" + (f"，b = {num(biases[-1])}" if bias else "")
            + f"，损失 = {num(losses[-1])}",
            rf"w_{{{k}}} = {latex_vec(weights[-1])}"
            + (rf",\ b_{{{k}}} = {latex_num(biases[-1])}" if bias else "")
            + rf",\ L_{{{k}}} = {latex_num(losses[-1])}",
            [weights[-1], biases[-1], losses[-1]],
        ))
    return out


def largest_eigenvalue(matrix: list[list[float]]) -> float:
    """The largest eigenvalue of a small symmetric matrix, by cyclic Jacobi rotations."""
    a = [row[:] for row in matrix]
    n = len(a)
    for _ in range(100):
        off = fsum(a[i][j] * a[i][j] for i in range(n) for j in range(i + 1, n))
        scale = fsum(a[i][i] * a[i][i] for i in range(n))
        if off <= 1e-30 * max(scale, 1e-300):
            break
        for p in range(n):
            for q in range(p + 1, n):
                if a[p][q] == 0:
                    continue
                theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                t = (1.0 if theta >= 0 else -1.0) / (abs(theta) + math.sqrt(theta * theta + 1))
                c = 1 / math.sqrt(t * t + 1)
                s = t * c
                for k in range(n):
                    akp, akq = a[k][p], a[k][q]
                    a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = a[p][k], a[q][k]
                    a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
    return max(a[i][i] for i in range(n))


def verdict(rate: float, limit: float) -> str:
    """converges (rate < limit), diverges (rate > limit) or oscillates (at the limit)."""
    if math.isclose(rate, limit, rel_tol=1e-12):
        return "oscillates"
    return "converges" if rate < limit else "diverges"


VERDICT_ZH = {"converges": "收敛", "diverges": "发散", "oscillates": "振荡（既不收敛也不发散）",
              "stuck": "停滞（权重不动）"}


# ---------------------------------------------------------------- linear regression

LINREG_SCALE = {"mse": ("mean (ŷ − y)² (nn.MSELoss)", "均值 (ŷ − y)²（nn.MSELoss）",
                        r"\frac{1}{n}\sum_i (\hat y_i - y_i)^2"),
                "half_mse": ("½·mean (ŷ − y)²", "½·均值 (ŷ − y)²",
                             r"\frac{1}{2n}\sum_i (\hat y_i - y_i)^2"),
                "sse": ("Σ (ŷ − y)²", "Σ (ŷ − y)²", r"\sum_i (\hat y_i - y_i)^2"),
                "half_sse": ("½Σ (ŷ − y)²", "½Σ (ŷ − y)²", r"\frac{1}{2}\sum_i (\hat y_i - y_i)^2")}


def _linreg_c(loss: str, n: int) -> float:
    return {"mse": 1 / n, "half_mse": 1 / (2 * n), "sse": 1.0, "half_sse": 0.5}[loss]


def _linreg_step(xs, ys, w, b, lr, c, bias) -> tuple[list, list, list, float, list, float]:
    """One gradient step: (predictions, residuals, ∇w, ∂b, new w, new b)."""
    preds = [dot(w, x) + b for x in xs]
    res = [p - y for p, y in zip(preds, ys)]
    grad_w = [2 * c * fsum(r * x[j] for r, x in zip(res, xs)) for j in range(len(w))]
    grad_b = 2 * c * fsum(res) if bias else 0.0
    new_w = [wj - lr * g for wj, g in zip(w, grad_w)]
    new_b = b - lr * grad_b if bias else b
    return preds, res, grad_w, grad_b, new_w, new_b


def _linreg_step_detail(t: int, w, b, lr, c, bias, preds, res, grad_w, grad_b, new_w,
                        new_b) -> list[Step]:
    """One gradient step in full: predictions, residuals, gradient, update."""
    model = "w·x + b" if bias else "w·x"
    return [
        Step(f"Step {t}: predictions ŷ = {model} = {num(preds)}; residuals ŷ − y = {num(res)}",
             f"第 {t} 步：预测 ŷ = {model} = {num(preds)}；残差 ŷ − y = {num(res)}",
             rf"\hat y = {latex_vec(preds)},\ \hat y - y = {latex_vec(res)}", res),
        Step(f"Gradient ∂L/∂w = {num(2 * c)}·Σ (ŷ − y)·x = {num(grad_w)}"
             + (f", ∂L/∂b = {num(2 * c)}·Σ (ŷ − y) = {num(grad_b)}" if bias else ""),
             f"梯度 ∂L/∂w = {num(2 * c)}·Σ (ŷ − y)·x = {num(grad_w)}"
             + (f"，∂L/∂b = {num(2 * c)}·Σ (ŷ − y) = {num(grad_b)}" if bias else ""),
             rf"\nabla_w L = {latex_num(2 * c)} \sum_i (\hat y_i - y_i) x_i = {latex_vec(grad_w)}"
             + (rf",\ \partial L/\partial b = {latex_num(grad_b)}" if bias else ""),
             grad_w + ([grad_b] if bias else [])),
        Step(f"Update with lr = {num(lr)}: w = {num(w)} − {num(lr)}·{num(grad_w)} = {num(new_w)}"
             + (f", b = {num(b)} − {num(lr)}·{paren(grad_b)} = {num(new_b)}" if bias else ""),
             f"以学习率 {num(lr)} 更新：w = {num(w)} − {num(lr)}·{num(grad_w)} = {num(new_w)}"
             + (f"，b = {num(b)} − {num(lr)}·{paren(grad_b)} = {num(new_b)}" if bias else ""),
             rf"w \leftarrow w - \eta \nabla_w L = {latex_vec(new_w)}"
             + (rf",\ b \leftarrow {latex_num(new_b)}" if bias else ""),
             new_w + ([new_b] if bias else [])),
    ]


@solver(
    topic="training",
    summary="Linear regression trained by full-batch gradient descent for k steps.",
    summary_zh="线性回归：全批量梯度下降训练 k 步，给出每一步的损失与权重。",
    params=[
        Param("x", "json", "inputs: [[x11, x12], [x21, x22], ...], or [x1, x2, ...] for one "
              "feature", doc_zh="输入：[[x11, x12], [x21, x22], ...]，单个特征时可写 [x1, x2, ...]"),
        Param("y", "number_or_vec", "targets, one per sample (a number for one sample)",
              doc_zh="目标值，每个样本一个（只有一个样本时可写一个数）"),
        Param("w", "number_or_vec", "initial weights (zeros)", doc_zh="初始权重（默认全零）",
              default=None),
        Param("b", "float", "initial bias", doc_zh="初始偏置", default=0.0),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", min=0),
        Param("steps", "int", "gradient steps k", doc_zh="梯度下降步数 k", default=1, min=1,
              max=MAX_STEPS),
        Param("loss", "str", "mse = mean (ŷ−y)², half_mse, sse = Σ, half_sse = ½Σ",
              doc_zh="mse = 均值 (ŷ−y)²，half_mse，sse = Σ，half_sse = ½Σ",
              choices=("mse", "half_mse", "sse", "half_sse"), default="mse"),
        Param("bias", "bool", "the model has a trainable bias (nn.Linear's bias=True)",
              doc_zh="模型带可训练偏置（nn.Linear 的 bias=True）", default=True),
    ],
    answers=[
        Answer("initial_loss", "float", "the loss before training", doc_zh="训练前的损失"),
        Answer("losses", "vec", "the loss after each step", doc_zh="每一步之后的损失"),
        Answer("weights", "mat", "w after each step", doc_zh="每一步之后的 w"),
        Answer("biases", "vec", "b after each step", doc_zh="每一步之后的 b"),
        Answer("final_weights", "vec", "w after the last step", doc_zh="最后一步之后的 w"),
        Answer("final_bias", "float", "b after the last step", doc_zh="最后一步之后的 b"),
        Answer("final_loss", "float", "the loss after the last step", doc_zh="最后一步之后的损失"),
        Answer("grad_w", "vec", "∂L/∂w at the initial weights (the first step's gradient)",
               doc_zh="初始权重处的 ∂L/∂w（第一步的梯度）"),
        Answer("grad_b", "float", "∂L/∂b at the initial weights", doc_zh="初始权重处的 ∂L/∂b"),
        Answer("lr_limit", "float", "2/λ_max of the loss's Hessian: gradient descent converges "
               "iff lr < lr_limit", doc_zh="损失 Hessian 的 2/λ_max：当且仅当 lr < lr_limit 时梯度下降收敛"),
        Answer("verdict", "str", "converges, diverges or oscillates (lr at the limit)",
               doc_zh="converges（收敛）、diverges（发散）或 oscillates（学习率恰在极限处，振荡）"),
    ],
    examples=[
        # Trask, Grokking Deep Learning, ch. 5: three inputs, one sample, alpha 0.01.
        dict(x=[[8.5, 0.65, 1.2]], y=[1], w=[0.1, 0.2, -0.1], lr=0.01, steps=3,
             loss="half_sse", bias=False),
        dict(x=[1, 2, 3], y=[2, 4, 6], lr=0.1, steps=2),
    ],
)
def linreg_train(x, y, w, b, lr, steps, loss, bias) -> Solution:
    """ŷ = w·x + b;  L = c·Σᵢ (ŷᵢ − yᵢ)² with c = 1/n (mse), 1/(2n) (half_mse), 1 (sse),
    ½ (half_sse);  ∇_w L = 2c Σᵢ (ŷᵢ − yᵢ) xᵢ, ∂L/∂b = 2c Σᵢ (ŷᵢ − yᵢ);  w ← w − lr·∇_w L.

    The loss is quadratic with Hessian H = 2c·ÃᵀÃ (Ã = the inputs with a column of ones when
    there is a bias), so full-batch gradient descent converges iff lr < 2/λ_max(H).
    """
    xs = samples(x)
    n, d = len(xs), len(xs[0])
    ys = targets(y, n)
    w = initial_weights(w, d)
    _check_bias(bias, b)
    check_work(n, d, steps)
    c = _linreg_c(loss, n)

    def loss_of(wv, bv):
        return c * fsum((dot(wv, xi) + bv - yi) * (dot(wv, xi) + bv - yi)
                        for xi, yi in zip(xs, ys))

    initial = loss_of(w, b)
    name_en, name_zh, formula = LINREG_SCALE[loss]
    out = [Step(
        "Model ŷ = w·x" + (" + b" if bias else " (no bias)") + f"; loss L = {name_en}; full-batch "
        f"gradient descent, lr = {num(lr)}; before training L = {num(initial)}",
        "模型 ŷ = w·x" + (" + b" if bias else "（无偏置）") + f"；损失 L = {name_zh}；全批量梯度下降，"
        f"学习率 = {num(lr)}；训练前 L = {num(initial)}",
        rf"L = {formula},\ L_0 = {latex_num(initial)}", initial)]
    weights, biases, losses = [], [], []
    grad_w0, grad_b0 = [], 0.0
    for t in range(1, steps + 1):
        preds, res, gw, gb, new_w, new_b = _linreg_step(xs, ys, w, b, lr, c, bias)
        if t == 1:
            grad_w0, grad_b0 = gw, gb
        current = loss_of(new_w, new_b)
        check_overflow(t, [*new_w, new_b, current])
        if t <= SHOWN_STEPS:
            out.extend(_linreg_step_detail(t, w, b, lr, c, bias, preds, res, gw, gb, new_w, new_b))
        w, b = new_w, new_b
        weights.append(w)
        biases.append(b)
        losses.append(current)
        if t <= SHOWN_STEPS:
            out.append(Step(f"Loss after step {t}: {num(current)}", f"第 {t} 步之后的损失：{num(current)}",
                            rf"L_{{{t}}} = {latex_num(current)}", current))
    out.extend(history_steps(losses, weights, biases, bias))
    gram = [[2 * c * fsum(xi[j] * xi[k] for xi in xs) for k in range(d)] for j in range(d)]
    if bias:
        sums = [2 * c * fsum(xi[j] for xi in xs) for j in range(d)]
        gram = [row + [s] for row, s in zip(gram, sums)] + [sums + [2 * c * n]]
    top = largest_eigenvalue(gram)
    if top <= 0:
        raise SolverInputError("x", "every input is 0 and there is no bias: the loss does not "
                                    "depend on the weights")
    limit = 2 / top
    result = verdict(lr, limit)
    out.append(Step(
        f"Stability: L is quadratic with Hessian H = 2c·ÃᵀÃ = {num(gram)}, largest eigenvalue "
        f"λ_max = {num(top)}; gradient descent converges iff lr < 2/λ_max = {num(limit)}. "
        f"Here lr = {num(lr)}: {result}",
        f"稳定性：L 是二次函数，Hessian H = 2c·ÃᵀÃ = {num(gram)}，最大特征值 λ_max = {num(top)}；"
        f"当且仅当 lr < 2/λ_max = {num(limit)} 时梯度下降收敛。此处 lr = {num(lr)}：{VERDICT_ZH[result]}",
        rf"H = {latex_matrix(gram)},\ \lambda_{{\max}} = {latex_num(top)},\ "
        rf"\eta < \frac{{2}}{{\lambda_{{\max}}}} = {latex_num(limit)}",
        limit))
    return Solution({
        "initial_loss": initial, "losses": losses, "weights": weights, "biases": biases,
        "final_weights": weights[-1], "final_bias": biases[-1], "final_loss": losses[-1],
        "grad_w": grad_w0, "grad_b": grad_b0, "lr_limit": limit, "verdict": result,
    }, out)


# ---------------------------------------------------------------- logistic regression


@solver(
    topic="training",
    summary="Logistic regression trained by full-batch gradient descent for k steps.",
    summary_zh="逻辑回归：全批量梯度下降训练 k 步，给出每一步的交叉熵损失与权重。",
    params=[
        Param("x", "json", "inputs: [[x11, x12], ...], or [x1, x2, ...] for one feature",
              doc_zh="输入：[[x11, x12], ...]，单个特征时可写 [x1, x2, ...]"),
        Param("y", "vec", "labels 0 or 1 (or targets in [0, 1])",
              doc_zh="标签 0 或 1（或 [0, 1] 内的目标值）"),
        Param("w", "number_or_vec", "initial weights (zeros)", doc_zh="初始权重（默认全零）",
              default=None),
        Param("b", "float", "initial bias", doc_zh="初始偏置", default=0.0),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", min=0),
        Param("steps", "int", "gradient steps k", doc_zh="梯度下降步数 k", default=1, min=1,
              max=MAX_STEPS),
        Param("reduction", "str", "mean (nn.BCEWithLogitsLoss) or sum over the samples",
              doc_zh="对样本取平均（nn.BCEWithLogitsLoss）或求和", choices=("mean", "sum"),
              default="mean"),
        Param("bias", "bool", "the model has a trainable bias", doc_zh="模型带可训练偏置",
              default=True),
    ],
    answers=[
        Answer("initial_loss", "float", "the loss before training", doc_zh="训练前的损失"),
        Answer("losses", "vec", "the loss after each step", doc_zh="每一步之后的损失"),
        Answer("weights", "mat", "w after each step", doc_zh="每一步之后的 w"),
        Answer("biases", "vec", "b after each step", doc_zh="每一步之后的 b"),
        Answer("final_weights", "vec", "w after the last step", doc_zh="最后一步之后的 w"),
        Answer("final_bias", "float", "b after the last step", doc_zh="最后一步之后的 b"),
        Answer("final_loss", "float", "the loss after the last step", doc_zh="最后一步之后的损失"),
        Answer("grad_w", "vec", "∂L/∂w at the initial weights", doc_zh="初始权重处的 ∂L/∂w"),
        Answer("grad_b", "float", "∂L/∂b at the initial weights", doc_zh="初始权重处的 ∂L/∂b"),
        Answer("probs", "vec", "σ(w·x + b) on each sample after the last step",
               doc_zh="最后一步之后每个样本的 σ(w·x + b)"),
    ],
    examples=[
        # Jurafsky & Martin, Speech and Language Processing (3rd ed.), ch. 5: one SGD step.
        dict(x=[[3, 2]], y=[1], lr=0.1),
        dict(x=[-1, 0, 1, 2], y=[0, 0, 1, 1], lr=0.5, steps=3),
    ],
)
def logreg_train(x, y, w, b, lr, steps, reduction, bias) -> Solution:
    """p = σ(z), z = w·x + b;  L = c·Σᵢ [−yᵢ log pᵢ − (1 − yᵢ) log(1 − pᵢ)], c = 1/n (mean)
    or 1 (sum), computed as c·Σ softplus(zᵢ) − yᵢzᵢ (no overflow);  ∇_w L = c Σᵢ (pᵢ − yᵢ) xᵢ,
    ∂L/∂b = c Σᵢ (pᵢ − yᵢ);  w ← w − lr·∇_w L, as nn.BCEWithLogitsLoss + torch.optim.SGD.
    """
    xs = samples(x)
    n, d = len(xs), len(xs[0])
    ys = targets(y, n)
    if any(not 0 <= v <= 1 for v in ys):
        raise SolverInputError("y", "labels must be 0 or 1 (targets between 0 and 1)")
    w = initial_weights(w, d)
    _check_bias(bias, b)
    check_work(n, d, steps)
    c = 1 / n if reduction == "mean" else 1.0

    def loss_of(wv, bv):
        return c * fsum(softplus(dot(wv, xi) + bv) - yi * (dot(wv, xi) + bv)
                        for xi, yi in zip(xs, ys))

    initial = loss_of(w, b)
    red = "mean" if reduction == "mean" else "sum"
    out = [Step(
        "Model p = σ(w·x" + (" + b" if bias else "") + f"); loss = binary cross-entropy, {red} "
        f"over the {n} samples (nn.BCEWithLogitsLoss); full-batch gradient descent, lr = {num(lr)};"
        f" before training L = {num(initial)}",
        "模型 p = σ(w·x" + (" + b" if bias else "") + f")；损失 = 二元交叉熵，对 {n} 个样本"
        f"{'取平均' if reduction == 'mean' else '求和'}（nn.BCEWithLogitsLoss）；全批量梯度下降，"
        f"学习率 = {num(lr)}；训练前 L = {num(initial)}",
        (r"L = \frac{1}{n}" if reduction == "mean" else "L = ")
        + r"\sum_i -y_i \log p_i - (1 - y_i)\log(1 - p_i),\ L_0 = " + latex_num(initial),
        initial)]
    weights, biases, losses = [], [], []
    grad_w0, grad_b0 = [], 0.0
    for t in range(1, steps + 1):
        zs = [dot(w, xi) + b for xi in xs]
        ps = [sigmoid(z) for z in zs]
        res = [p - yi for p, yi in zip(ps, ys)]
        gw = [c * fsum(r * xi[j] for r, xi in zip(res, xs)) for j in range(d)]
        gb = c * fsum(res) if bias else 0.0
        new_w = [wj - lr * g for wj, g in zip(w, gw)]
        new_b = b - lr * gb if bias else b
        current = loss_of(new_w, new_b)
        check_overflow(t, [*new_w, new_b, current])
        if t == 1:
            grad_w0, grad_b0 = gw, gb
        if t <= SHOWN_STEPS:
            out.extend([
                Step(f"Step {t}: z = w·x + b = {num(zs)}, p = σ(z) = {num(ps)}, p − y = {num(res)}",
                     f"第 {t} 步：z = w·x + b = {num(zs)}，p = σ(z) = {num(ps)}，p − y = {num(res)}",
                     rf"p = \sigma(z) = {latex_vec(ps)},\ p - y = {latex_vec(res)}", ps),
                Step(f"Gradient ∂L/∂w = {num(c)}·Σ (p − y)·x = {num(gw)}"
                     + (f", ∂L/∂b = {num(c)}·Σ (p − y) = {num(gb)}" if bias else ""),
                     f"梯度 ∂L/∂w = {num(c)}·Σ (p − y)·x = {num(gw)}"
                     + (f"，∂L/∂b = {num(c)}·Σ (p − y) = {num(gb)}" if bias else ""),
                     rf"\nabla_w L = {latex_num(c)} \sum_i (p_i - y_i) x_i = {latex_vec(gw)}"
                     + (rf",\ \partial L/\partial b = {latex_num(gb)}" if bias else ""),
                     gw + ([gb] if bias else [])),
                Step(f"Update: w = {num(w)} − {num(lr)}·{num(gw)} = {num(new_w)}"
                     + (f", b = {num(b)} − {num(lr)}·{paren(gb)} = {num(new_b)}" if bias else "")
                     + f"; loss after step {t}: {num(current)}",
                     f"更新：w = {num(w)} − {num(lr)}·{num(gw)} = {num(new_w)}"
                     + (f"，b = {num(b)} − {num(lr)}·{paren(gb)} = {num(new_b)}" if bias else "")
                     + f"；第 {t} 步之后的损失：{num(current)}",
                     rf"w \leftarrow {latex_vec(new_w)}"
                     + (rf",\ b \leftarrow {latex_num(new_b)}" if bias else "")
                     + rf",\ L_{{{t}}} = {latex_num(current)}",
                     new_w + ([new_b] if bias else [])),
            ])
        w, b = new_w, new_b
        weights.append(w)
        biases.append(b)
        losses.append(current)
    probs = [sigmoid(dot(w, xi) + b) for xi in xs]
    out.extend(history_steps(losses, weights, biases, bias))
    out.append(Step(f"Probabilities after training: σ(w·x + b) = {num(probs)}",
                    f"训练后的概率：σ(w·x + b) = {num(probs)}",
                    rf"\sigma(w \cdot x + b) = {latex_vec(probs)}", probs))
    return Solution({
        "initial_loss": initial, "losses": losses, "weights": weights, "biases": biases,
        "final_weights": weights[-1], "final_bias": biases[-1], "final_loss": losses[-1],
        "grad_w": grad_w0, "grad_b": grad_b0, "probs": probs,
    }, out)


# ---------------------------------------------------------------- perceptron


@solver(
    topic="training",
    summary="Rosenblatt's perceptron: the learning rule applied for k steps.",
    summary_zh="感知机（Rosenblatt）：按学习规则更新 k 步，给出每一步的权重与误分类数。",
    params=[
        Param("x", "json", "inputs: [[x11, x12], ...], or [x1, x2, ...] for one feature",
              doc_zh="输入：[[x11, x12], ...]，单个特征时可写 [x1, x2, ...]"),
        Param("y", "vec", "labels +1 or −1", doc_zh="标签 +1 或 −1"),
        Param("w", "number_or_vec", "initial weights (zeros)", doc_zh="初始权重（默认全零）",
              default=None),
        Param("b", "float", "initial bias", doc_zh="初始偏置", default=0.0),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", default=1.0, min=0),
        Param("steps", "int", "steps k (one sample looked at per step)",
              doc_zh="步数 k（每步看一个样本）", default=1, min=1, max=MAX_STEPS),
        Param("order", "str", "cyclic: samples in turn, 1, 2, …, n, 1, …; first_mistake: each "
              "step updates on the first misclassified sample (Li Hang, example 2.1)",
              doc_zh="cyclic：依次看样本 1, 2, …, n, 1, …；first_mistake：每步在第一个误分类样本上"
              "更新（李航《统计学习方法》例 2.1）", choices=("cyclic", "first_mistake"),
              default="cyclic"),
        Param("bias", "bool", "the model has a trainable bias", doc_zh="模型带可训练偏置",
              default=True),
    ],
    answers=[
        Answer("weights", "mat", "w after each step", doc_zh="每一步之后的 w"),
        Answer("biases", "vec", "b after each step", doc_zh="每一步之后的 b"),
        Answer("losses", "vec", "perceptron criterion −Σ_{misclassified} y(w·x + b) after each "
               "step", doc_zh="每一步之后的感知机损失 −Σ_{误分类} y(w·x + b)"),
        Answer("errors", "vec", "misclassified samples after each step",
               doc_zh="每一步之后误分类的样本数"),
        Answer("sample_used", "vec", "the sample (1-based) each step looked at; 0 = none left "
               "to fix", doc_zh="每一步所看的样本序号（从 1 起）；0 表示已无误分类样本"),
        Answer("final_weights", "vec", "w after the last step", doc_zh="最后一步之后的 w"),
        Answer("final_bias", "float", "b after the last step", doc_zh="最后一步之后的 b"),
        Answer("final_errors", "int", "misclassified samples after the last step",
               doc_zh="最后一步之后误分类的样本数"),
        Answer("updates", "int", "how many of the steps changed the weights",
               doc_zh="k 步中实际更新了权重的步数"),
    ],
    examples=[
        # Li Hang, Statistical Learning Methods, example 2.1: w = (1, 1), b = −3 after 7 updates.
        dict(x=[[3, 3], [4, 3], [1, 1]], y=[1, 1, -1], steps=7, order="first_mistake"),
        dict(x=[[1, 1], [2, 0], [0, 0]], y=[1, 1, -1], steps=4),
    ],
)
def perceptron_train(x, y, w, b, lr, steps, order, bias) -> Solution:
    """A sample is misclassified when y(w·x + b) ≤ 0; then w ← w + lr·y·x and b ← b + lr·y
    (Rosenblatt 1958; Li Hang §2.3, which is SGD on L = −Σ_{misclassified} y(w·x + b)).
    cyclic: step t looks at sample ((t − 1) mod n) + 1 and updates only if it is
    misclassified. first_mistake: step t updates on the first misclassified sample in data
    order, or does nothing once every sample is classified correctly.
    """
    xs = samples(x)
    n, d = len(xs), len(xs[0])
    ys = targets(y, n)
    if any(v not in (-1.0, 1.0) for v in ys):
        raise SolverInputError("y", "perceptron labels must be +1 or −1")
    w = initial_weights(w, d)
    _check_bias(bias, b)
    check_work(n, d, steps)

    def margins(wv, bv):
        return [yi * (dot(wv, xi) + bv) for xi, yi in zip(xs, ys)]

    def criterion(ms):
        return fsum(-m for m in ms if m <= 0) + 0.0  # + 0.0: no −0

    out = [Step(
        "Perceptron: sign(w·x" + (" + b" if bias else "") + "); a sample is misclassified when "
        "y(w·x + b) ≤ 0, then w ← w + η·y·x" + (", b ← b + η·y" if bias else "")
        + f" (η = {num(lr)}); order: "
        + ("samples in turn, one per step" if order == "cyclic" else
           "each step fixes the first misclassified sample (Li Hang, example 2.1)"),
        "感知机：sign(w·x" + (" + b" if bias else "") + ")；当 y(w·x + b) ≤ 0 时样本被误分类，"
        "此时 w ← w + η·y·x" + ("，b ← b + η·y" if bias else "") + f"（η = {num(lr)}）；顺序："
        + ("依次看每个样本，每步一个" if order == "cyclic" else "每步修正第一个误分类样本（李航例 2.1）"),
        r"y_i(w \cdot x_i + b) \le 0 \Rightarrow w \leftarrow w + \eta y_i x_i"
        + (r",\ b \leftarrow b + \eta y_i" if bias else ""))]
    weights, biases, losses, errors, used = [], [], [], [], []
    updates = 0
    for t in range(1, steps + 1):
        ms = margins(w, b)
        if order == "cyclic":
            i = (t - 1) % n
        else:
            i = next((j for j, m in enumerate(ms) if m <= 0), -1)
        wrong = i >= 0 and ms[i] <= 0
        if wrong:
            w = [wj + lr * ys[i] * xj for wj, xj in zip(w, xs[i])]
            b = b + lr * ys[i] if bias else b
            updates += 1
        new_ms = margins(w, b)
        check_overflow(t, [*w, b])
        weights.append(w)
        biases.append(b)
        losses.append(criterion(new_ms))
        errors.append(sum(1 for m in new_ms if m <= 0))
        used.append(i + 1)
        if t <= max(SHOWN_STEPS, 8):
            if i < 0:
                en, zh = (f"Step {t}: every sample has y(w·x + b) > 0 — nothing to fix",
                          f"第 {t} 步：所有样本都满足 y(w·x + b) > 0——无需更新")
                latex = r"y_i(w \cdot x_i + b) > 0\ \forall i"
            else:
                head = f"y·(w·x + b) = {num(ys[i])}·({num(ms[i] * ys[i])}) = {num(ms[i])}"
                en = (f"Step {t}: sample {i + 1}, x = {num(xs[i])}, {head} "
                      + (f"≤ 0, misclassified: w = {num(w)}" + (f", b = {num(b)}" if bias else "")
                         if wrong else "> 0, correct: no change"))
                zh = (f"第 {t} 步：样本 {i + 1}，x = {num(xs[i])}，{head} "
                      + (f"≤ 0，误分类：w = {num(w)}" + (f"，b = {num(b)}" if bias else "")
                         if wrong else "> 0，分类正确：不变"))
                latex = (rf"y_{{{i + 1}}}(w \cdot x_{{{i + 1}}} + b) = {latex_num(ms[i])}"
                         + (rf" \le 0 \Rightarrow w = {latex_vec(w)}"
                            + (rf",\ b = {latex_num(b)}" if bias else "")
                            if wrong else r" > 0"))
            out.append(Step(en, zh, latex, w + ([b] if bias else [])))
    if steps > max(SHOWN_STEPS, 8):
        out.extend(history_steps(losses, weights, biases, bias))
    out.append(Step(
        f"After {steps} step(s) ({updates} update(s)): w = {num(w)}"
        + (f", b = {num(b)}" if bias else "")
        + f"; {errors[-1]} sample(s) misclassified; perceptron loss {num(losses[-1])}",
        f"{steps} 步之后（更新 {updates} 次）：w = {num(w)}" + (f"，b = {num(b)}" if bias else "")
        + f"；误分类样本 {errors[-1]} 个；感知机损失 {num(losses[-1])}",
        rf"w = {latex_vec(w)}" + (rf",\ b = {latex_num(b)}" if bias else "")
        + r",\ L = -\sum_{\text{misclassified}} y_i(w \cdot x_i + b) = "
        + latex_num(losses[-1]),
        [errors[-1], losses[-1]]))
    return Solution({
        "weights": weights, "biases": biases, "losses": losses, "errors": errors,
        "sample_used": used, "final_weights": w, "final_bias": b,
        "final_errors": errors[-1], "updates": updates,
    }, out)


# ---------------------------------------------------------------- a 2-2-1 network on XOR

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [0, 1, 1, 0]
MAX_MLP_WORK = 20_000  # samples × steps for the 2-2-1 network (about 0.3 s at the most)


def _act(name: str, a: float) -> float:
    if name == "sigmoid":
        return sigmoid(a)
    if name == "tanh":
        return math.tanh(a)
    if name == "relu":
        return a if a > 0 else 0.0
    return a  # identity


def _act_grad(name: str, a: float, h: float) -> float:
    """The derivative at pre-activation a with output h; relu′(0) = 0 as torch autograd."""
    if name == "sigmoid":
        return h * (1 - h)
    if name == "tanh":
        return 1 - h * h
    if name == "relu":
        return 1.0 if a > 0 else 0.0
    return 1.0


def _matrix(param: str, m, rows: int, cols: int) -> list[list[float]]:
    if not isinstance(m, list) or len(m) != rows or any(
            not isinstance(r, list) or len(r) != cols for r in m):
        raise SolverInputError(param, f"expected a {rows}x{cols} matrix (out x in, as nn.Linear)")
    return [[_number(param, v, param) for v in r] for r in m]


def _mlp_forward(x, w1, b1, w2, b2, act, out_act):
    """Pre-activations, hidden outputs, output logit and output of one sample. Two-term
    sums written out: this loop runs thousands of times and fsum's overhead would dominate."""
    a1 = [w1[0][0] * x[0] + w1[0][1] * x[1] + b1[0], w1[1][0] * x[0] + w1[1][1] * x[1] + b1[1]]
    h = [_act(act, a1[0]), _act(act, a1[1])]
    z = w2[0][0] * h[0] + w2[0][1] * h[1] + b2
    return a1, h, z, _act(out_act, z)


def _mlp_loss(loss: str, zs: list[float], outs: list[float], ys: list[float]) -> float:
    n = len(ys)
    if loss == "bce":  # BCE of σ(z), through the logits so that it never takes log(0)
        return fsum(softplus(z) - y * z for z, y in zip(zs, ys)) / n
    sq = fsum((o - y) * (o - y) for o, y in zip(outs, ys))
    return sq / 2 if loss == "half_sse" else sq / n


@solver(
    topic="training",
    summary="A 2-2-1 network (XOR by default) trained by full-batch gradient descent.",
    summary_zh="2-2-1 神经网络（默认在异或 XOR 上）用全批量梯度下降训练 k 步。",
    params=[
        Param("w1", "mat", "hidden weights, 2x2 (out x in)", doc_zh="隐藏层权重，2x2（out x in）"),
        Param("b1", "vec", "hidden biases (zeros)", doc_zh="隐藏层偏置（默认全零）", default=None),
        Param("w2", "mat", "output weights, 1x2", doc_zh="输出层权重，1x2"),
        Param("b2", "float", "output bias", doc_zh="输出层偏置", default=0.0),
        Param("lr", "float", "learning rate η", doc_zh="学习率 η", default=0.5, min=0),
        Param("steps", "int", "gradient steps k", doc_zh="梯度下降步数 k", default=1, min=1,
              max=MAX_STEPS),
        Param("activation", "str", "hidden activation", doc_zh="隐藏层激活函数",
              choices=("sigmoid", "tanh", "relu"), default="sigmoid"),
        Param("output_activation", "str", "output activation", doc_zh="输出层激活函数",
              choices=("sigmoid", "identity"), default="sigmoid"),
        Param("loss", "str", "half_sse = ½Σ(o − y)², mse = mean (o − y)², bce = mean binary "
              "cross-entropy (sigmoid output)", doc_zh="half_sse = ½Σ(o − y)²，mse = 均值 (o − y)²，"
              "bce = 平均二元交叉熵（需 sigmoid 输出）", choices=("half_sse", "mse", "bce"),
              default="half_sse"),
        Param("bias", "bool", "the layers have trainable biases (false: no biases, as seed "
              "003's example)", doc_zh="各层带可训练偏置（false：无偏置，如种子 003 的例子）",
              default=True),
        Param("x", "json", "inputs, one 2-vector per sample (XOR's four by default)",
              doc_zh="输入，每个样本一个二维向量（默认异或的四个点）", default=None),
        Param("y", "vec", "targets (XOR's 0, 1, 1, 0 by default)",
              doc_zh="目标值（默认异或的 0, 1, 1, 0）", default=None),
    ],
    answers=[
        Answer("initial_outputs", "vec", "the network's output on each sample before training",
               doc_zh="训练前网络在每个样本上的输出"),
        Answer("initial_loss", "float", "the loss before training", doc_zh="训练前的损失"),
        Answer("losses", "vec", "the loss after each step", doc_zh="每一步之后的损失"),
        Answer("history", "mat", "the 9 parameters after each step: w1 (row by row), b1, w2, b2",
               doc_zh="每一步之后的 9 个参数：w1（逐行）、b1、w2、b2"),
        Answer("w1", "mat", "hidden weights after the last step", doc_zh="最后一步之后的隐藏层权重"),
        Answer("b1", "vec", "hidden biases after the last step", doc_zh="最后一步之后的隐藏层偏置"),
        Answer("w2", "mat", "output weights after the last step", doc_zh="最后一步之后的输出层权重"),
        Answer("b2", "float", "output bias after the last step", doc_zh="最后一步之后的输出层偏置"),
        Answer("outputs", "vec", "the network's output on each sample after training",
               doc_zh="训练后网络在每个样本上的输出"),
        Answer("correct", "int", "samples whose output is within 0.5 of the target after training "
               "(4 of 4 = XOR solved)", doc_zh="训练后输出与目标相差小于 0.5 的样本数（4 个全对即解决了 XOR）"),
        Answer("verdict", "str", "solved (every sample within 0.5 of its target) or not solved",
               doc_zh="solved（每个样本都与目标相差小于 0.5，已解决）或 not solved（未解决）"),
    ],
    examples=[
        dict(w1=[[0.5, -0.5], [-0.5, 0.5]], w2=[[1, 1]], steps=2),
        # Goodfellow et al., Deep Learning §6.1: an exact ReLU solution of XOR stays put.
        dict(w1=[[1, 1], [1, 1]], b1=[0, -1], w2=[[1, -2]], activation="relu",
             output_activation="identity", loss="mse", steps=3),
    ],
)
def xor_mlp_train(w1, b1, w2, b2, lr, steps, activation, output_activation, loss, bias, x,
                  y) -> Solution:
    """h = act(W1 x + b1), o = out(w2·h + b2); full-batch gradient descent on
    half_sse = ½Σᵢ(oᵢ − yᵢ)² (Rumelhart's, and `mlp_backprop`'s default), mse = (1/n)Σ(oᵢ − yᵢ)²
    or bce = (1/n)Σ BCE(σ(zᵢ), yᵢ). Backprop: δₒ = ∂L/∂z per sample, ∂L/∂w2 = Σ δₒ h,
    δ_h = δₒ w2 ⊙ act′(a), ∂L/∂W1 = Σ δ_h xᵀ; every gradient with the old weights, then all
    weights update (as loss.backward(); optimizer.step()). relu′(0) = 0.
    """
    xs = samples(XOR_X if x is None else x)
    if len(xs[0]) != 2:
        raise SolverInputError("x", "a 2-2-1 network takes inputs of 2 features")
    ys = targets(XOR_Y if y is None else y, len(xs))
    w1 = _matrix("w1", w1, 2, 2)
    w2 = _matrix("w2", w2, 1, 2)
    b1 = [0.0, 0.0] if b1 is None else b1
    if len(b1) != 2:
        raise SolverInputError("b1", "expected 2 hidden biases")
    if not bias and (any(b1) or b2):
        raise SolverInputError("b1" if any(b1) else "b2", "bias=false: the biases must stay 0")
    if loss == "bce" and output_activation != "sigmoid":
        raise SolverInputError("loss", "bce needs a sigmoid output")
    if loss == "bce" and any(not 0 <= v <= 1 for v in ys):
        raise SolverInputError("y", "bce needs targets between 0 and 1")
    n = len(xs)
    if n * steps > MAX_MLP_WORK:
        raise SolverInputError("steps", f"{n} samples × {steps} steps; this by-hand trainer "
                                        f"takes at most {MAX_MLP_WORK:,}")

    def run(w1, b1, w2, b2):
        return [_mlp_forward(xi, w1, b1, w2, b2, activation, output_activation) for xi in xs]

    def loss_of(forward):
        return _mlp_loss(loss, [f[2] for f in forward], [f[3] for f in forward], ys)

    forward = run(w1, b1, w2, b2)
    initial = loss_of(forward)
    initial_outputs = [f[3] for f in forward]
    loss_en = {"half_sse": "½Σ(o − y)²", "mse": "mean (o − y)²", "bce": "mean BCE"}[loss]
    loss_zh = {"half_sse": "½Σ(o − y)²", "mse": "均值 (o − y)²", "bce": "平均二元交叉熵"}[loss]
    out = [Step(
        f"2-2-1 network: h = {activation}(W1 x + b1), o = {output_activation}(w2·h + b2)"
        + ("" if bias else " (no biases)") + f"; loss {loss_en} over the {n} samples; full-batch "
        f"gradient descent, lr = {num(lr)}; outputs before training {num([f[3] for f in forward])},"
        f" loss {num(initial)}",
        f"2-2-1 网络：h = {activation}(W1 x + b1)，o = {output_activation}(w2·h + b2)"
        + ("" if bias else "（无偏置）") + f"；损失 {loss_zh}（{n} 个样本）；全批量梯度下降，学习率 = "
        f"{num(lr)}；训练前输出 {num([f[3] for f in forward])}，损失 {num(initial)}",
        rf"h = \mathrm{{{activation}}}(W_1 x + b_1),\ o = \mathrm{{{output_activation}}}"
        rf"(w_2 \cdot h + b_2),\ L_0 = {latex_num(initial)}", initial)]
    losses, history = [], []
    for t in range(1, steps + 1):
        g_w1 = [[0.0, 0.0], [0.0, 0.0]]
        g_b1 = [0.0, 0.0]
        g_w2 = [0.0, 0.0]
        g_b2 = 0.0
        deltas = []
        for xi, yi, (a1, h, z, o) in zip(xs, ys, forward):
            if loss == "bce":
                d_o = (o - yi) / n
            else:
                scale = 1.0 if loss == "half_sse" else 2.0 / n
                d_o = scale * (o - yi) * _act_grad(output_activation, z, o)
            d_h = [d_o * w2[0][j] * _act_grad(activation, a1[j], h[j]) for j in range(2)]
            deltas.append(d_o)
            for j in range(2):
                g_w2[j] += d_o * h[j]
                g_b1[j] += d_h[j]
                for k in range(2):
                    g_w1[j][k] += d_h[j] * xi[k]
            g_b2 += d_o
        w1 = [[w1[j][k] - lr * g_w1[j][k] for k in range(2)] for j in range(2)]
        w2 = [[w2[0][j] - lr * g_w2[j] for j in range(2)]]
        if bias:
            b1 = [b1[j] - lr * g_b1[j] for j in range(2)]
            b2 = b2 - lr * g_b2
        forward = run(w1, b1, w2, b2)
        current = loss_of(forward)
        flat = [*w1[0], *w1[1], *b1, *w2[0], b2]
        check_overflow(t, [*flat, current])
        losses.append(current)
        history.append(flat)
        if t <= SHOWN_STEPS:
            out.extend([
                Step(f"Step {t}: output deltas δₒ = ∂L/∂z = {num(deltas)}; ∂L/∂w2 = Σ δₒ h = "
                     f"{num(g_w2)}" + (f", ∂L/∂b2 = {num(g_b2)}" if bias else ""),
                     f"第 {t} 步：输出层 δₒ = ∂L/∂z = {num(deltas)}；∂L/∂w2 = Σ δₒ h = {num(g_w2)}"
                     + (f"，∂L/∂b2 = {num(g_b2)}" if bias else ""),
                     rf"\delta_o = {latex_vec(deltas)},\ \nabla_{{w_2}} L = {latex_vec(g_w2)}",
                     deltas),
                Step(f"Hidden: δ_h = δₒ·w2 ⊙ {activation}′(a); ∂L/∂W1 = Σ δ_h xᵀ = {num(g_w1)}"
                     + (f", ∂L/∂b1 = {num(g_b1)}" if bias else "")
                     + " (with the OLD w2)",
                     f"隐藏层：δ_h = δₒ·w2 ⊙ {activation}′(a)；∂L/∂W1 = Σ δ_h xᵀ = {num(g_w1)}"
                     + (f"，∂L/∂b1 = {num(g_b1)}" if bias else "") + "（用更新前的 w2）",
                     rf"\nabla_{{W_1}} L = {latex_matrix(g_w1)}", g_w1),
                Step(f"Update (lr = {num(lr)}): W1 = {num(w1)}, w2 = {num(w2)}"
                     + (f", b1 = {num(b1)}, b2 = {num(b2)}" if bias else "")
                     + f"; loss after step {t}: {num(current)}",
                     f"更新（学习率 {num(lr)}）：W1 = {num(w1)}，w2 = {num(w2)}"
                     + (f"，b1 = {num(b1)}，b2 = {num(b2)}" if bias else "")
                     + f"；第 {t} 步之后的损失：{num(current)}",
                     rf"W_1 = {latex_matrix(w1)},\ w_2 = {latex_matrix(w2)},\ L_{{{t}}} = "
                     rf"{latex_num(current)}", flat),
            ])
    outputs = [f[3] for f in forward]
    correct = sum(1 for o, yi in zip(outputs, ys) if abs(o - yi) < 0.5)
    if steps > SHOWN_STEPS:
        shown = series(losses, num)
        out.append(Step(f"Loss after each of the {steps} steps: {shown}",
                        f"{steps} 步中每一步之后的损失：{shown}",
                        r"L_t: " + series(losses, latex_num, ", ", r"\cdots"),
                        losses))
    out.append(Step(
        f"After {steps} step(s): outputs {num(outputs)} for targets {num(ys)}; {correct} of {n} "
        f"within 0.5 of the target" + (" — solved" if correct == n else ""),
        f"{steps} 步之后：输出 {num(outputs)}，目标 {num(ys)}；{n} 个中有 {correct} 个与目标相差小于 0.5"
        + ("——已解决" if correct == n else ""),
        rf"o = {latex_vec(outputs)},\ y = {latex_vec(ys)},\ \#\{{|o - y| < 0.5\}} = {correct}",
        outputs))
    return Solution({
        "initial_outputs": initial_outputs, "initial_loss": initial, "losses": losses,
        "history": history, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "outputs": outputs,
        "correct": correct, "verdict": "solved" if correct == n else "not solved",
    }, out)


# ---------------------------------------------------------------- hot and cold vs descent


@solver(
    topic="training",
    summary="One weight learned by hot-and-cold and by gradient descent (Grokking, ch. 4).",
    summary_zh="单个权重分别用冷热学习与梯度下降来学习（《深度学习图解》第 4 章）。",
    params=[
        Param("weight", "float", "initial weight", doc_zh="初始权重", default=0.5),
        Param("input", "float", "the input x", doc_zh="输入 x", default=0.5),
        Param("goal", "float", "the goal prediction", doc_zh="目标预测值", default=0.8),
        Param("step_amount", "float", "hot-and-cold's step", doc_zh="冷热学习每次试探的步长",
              default=0.001, min=0),
        Param("alpha", "float", "gradient descent's learning rate α", doc_zh="梯度下降的学习率 α",
              default=1.0, min=0),
        Param("iterations", "int", "iterations of each method", doc_zh="两种方法各迭代的次数",
              default=1, min=1, max=MAX_STEPS),
    ],
    answers=[
        Answer("initial_error", "float", "(x·w − goal)² before learning",
               doc_zh="学习前的误差 (x·w − goal)²"),
        Answer("hot_cold_weights", "vec", "hot-and-cold's weight after each iteration",
               doc_zh="冷热学习每次迭代后的权重"),
        Answer("hot_cold_errors", "vec", "hot-and-cold's error after each iteration",
               doc_zh="冷热学习每次迭代后的误差"),
        Answer("gd_weights", "vec", "gradient descent's weight after each iteration",
               doc_zh="梯度下降每次迭代后的权重"),
        Answer("gd_errors", "vec", "gradient descent's error after each iteration",
               doc_zh="梯度下降每次迭代后的误差"),
        Answer("gd_ratio", "float", "1 − α·x²: each step multiplies (pred − goal) by it",
               doc_zh="1 − α·x²：每一步 (pred − goal) 都乘以这个数"),
        Answer("gd_verdict", "str", "converges (|ratio| < 1), diverges (> 1), oscillates "
               "(ratio −1) or stuck (ratio 1)",
               doc_zh="converges（|比值| < 1 收敛）、diverges（> 1 发散）、oscillates（比值 −1 振荡）"
               "或 stuck（比值 1 停滞）"),
    ],
    examples=[
        dict(iterations=2),  # Trask's numbers: w 0.5, x 0.5, goal 0.8
        dict(weight=0.5, input=2, goal=0.8, alpha=1, iterations=3),  # Trask: "let's break it"
    ],
)
def hot_cold_vs_gd(weight, input, goal, step_amount, alpha, iterations) -> Solution:
    """pred = x·w, error = (pred − goal)² (Trask's "pure error").
    Hot and cold: try w + s and w − s, move to whichever gives the smaller error (stay on a
    tie) — two extra predictions per update, and it can only get within s of the goal.
    Gradient descent: w ← w − α·x·(pred − goal); then (pred − goal) is multiplied by
    1 − α·x² each step: |1 − α·x²| < 1 converges, > 1 diverges.
    """
    x, s = input, step_amount
    initial = (x * weight - goal) * (x * weight - goal)
    hot_w, hot_e, gd_w, gd_e = [], [], [], []
    w = weight
    for _ in range(iterations):  # Trask's loop, operation for operation
        up = (goal - x * (w + s)) * (goal - x * (w + s))
        down = (goal - x * (w - s)) * (goal - x * (w - s))
        if down < up:
            w = w - s
        if down > up:
            w = w + s
        hot_w.append(w)
        hot_e.append((x * w - goal) * (x * w - goal))
    w = weight
    for t in range(1, iterations + 1):
        delta = x * w - goal
        w = w - alpha * (delta * x)
        gd_w.append(w)
        gd_e.append((x * w - goal) * (x * w - goal))
        if not (math.isfinite(w) and math.isfinite(gd_e[-1])):
            raise SolverInputError("iterations", f"gradient descent overflows at iteration {t}:"
                                                 f" it diverges (ratio 1 − α·x² = "
                                                 f"{num(1 - alpha * x * x)}); ask for fewer")
    ratio = 1 - alpha * x * x
    result = ("stuck" if ratio == 1 else "oscillates" if ratio == -1 else
              "converges" if abs(ratio) < 1 else "diverges")
    pred0 = x * weight
    up0, down0 = x * (weight + s), x * (weight - s)
    out = [
        Step(f"pred = x·w = {num(x)}·{num(weight)} = {num(pred0)}; error = (pred − goal)² = "
             f"({num(pred0)} − {num(goal)})² = {num(initial)}",
             f"预测 = x·w = {num(x)}·{num(weight)} = {num(pred0)}；误差 = (预测 − 目标)² = "
             f"({num(pred0)} − {num(goal)})² = {num(initial)}",
             rf"\text{{pred}} = {latex_num(x)} \cdot {latex_paren(weight)} = {latex_num(pred0)},\ "
             rf"E = ({latex_num(pred0)} - {latex_paren(goal)})^2 = {latex_num(initial)}", initial),
        Step(f"Hot and cold, iteration 1: try w ± {num(s)}: up pred {num(up0)}, error "
             f"{num((goal - up0) * (goal - up0))}; down pred {num(down0)}, error "
             f"{num((goal - down0) * (goal - down0))}; keep the smaller: w = {num(hot_w[0])} "
             f"(three predictions for one small move)",
             f"冷热学习第 1 次：试 w ± {num(s)}：向上预测 {num(up0)}，误差 "
             f"{num((goal - up0) * (goal - up0))}；向下预测 {num(down0)}，误差 "
             f"{num((goal - down0) * (goal - down0))}；取较小者：w = {num(hot_w[0])}（做三次预测"
             f"才挪一小步）",
             r"w \leftarrow \arg\min_{w \pm s} (x(w \pm s) - \text{goal})^2 = "
             + latex_num(hot_w[0]),
             hot_w[0]),
        Step(f"Gradient descent, iteration 1: delta = pred − goal = {num(pred0 - goal)}, "
             f"weight_delta = delta·x = {num((pred0 - goal) * x)}, w = {num(weight)} − "
             f"{num(alpha)}·{paren((pred0 - goal) * x)} = {num(gd_w[0])} (the derivative of "
             f"½(pred − goal)²; the book reports (pred − goal)²)",
             f"梯度下降第 1 次：delta = 预测 − 目标 = {num(pred0 - goal)}，weight_delta = delta·x = "
             f"{num((pred0 - goal) * x)}，w = {num(weight)} − {num(alpha)}·"
             f"{paren((pred0 - goal) * x)} = {num(gd_w[0])}（这是 ½(pred − goal)² 的导数；"
             f"书中报告的误差是 (pred − goal)²）",
             rf"w \leftarrow w - \alpha x (\text{{pred}} - \text{{goal}}) = {latex_num(gd_w[0])}",
             gd_w[0]),
    ]
    for name, ws, es, zh in (("Hot and cold", hot_w, hot_e, "冷热学习"),
                             ("Gradient descent", gd_w, gd_e, "梯度下降")):
        wt, et = series(ws, num), series(es, num)
        out.append(Step(f"{name}: weights {wt}; errors {et}",
                        f"{zh}：权重 {wt}；误差 {et}",
                        r"w_t: " + series(ws, latex_num, ", ", r"\cdots")
                        + r";\ E_t: " + series(es, latex_num, ", ", r"\cdots"),
                        es))
    out.append(Step(
        f"Gradient descent multiplies pred − goal by 1 − α·x² = 1 − {num(alpha)}·{num(x)}² = "
        f"{num(ratio)} each step: {result}",
        f"梯度下降每一步把 (预测 − 目标) 乘以 1 − α·x² = 1 − {num(alpha)}·{num(x)}² = {num(ratio)}："
        f"{VERDICT_ZH[result]}",
        rf"\text{{pred}}_{{t+1}} - \text{{goal}} = (1 - \alpha x^2)(\text{{pred}}_t - "
        rf"\text{{goal}}),\ 1 - \alpha x^2 = {latex_num(ratio)}", ratio))
    return Solution({
        "initial_error": initial, "hot_cold_weights": hot_w, "hot_cold_errors": hot_e,
        "gd_weights": gd_w, "gd_errors": gd_e, "gd_ratio": ratio, "gd_verdict": result,
    }, out)
