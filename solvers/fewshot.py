"""Few-shot learning: prototypes, siamese distances, the contrastive and the triplet loss.

Closed-form arithmetic on a few short vectors: plain Python, no numpy (these solvers must
start fast, see `SolverSpec.needs_numpy`). Conventions, each also stated in the steps:

- prototypical (Snell, Swersky & Zemel 2017): the prototype of a class is the mean of its
  support embeddings, d = squared Euclidean distance, p(k | query) = softmax(−d)_k;
- siamese energy (Chopra, Hadsell & LeCun 2005): E_W(X₁, X₂) = ‖G_W(X₁) − G_W(X₂)‖ with one
  shared layer G_W(x) = act(W x + b), W out × in as in `torch.nn.Linear`;
- contrastive loss: WHICH LABEL MEANS "SIMILAR" IS A PARAMETER. By default label 1 = similar
  (genuine) pair, L = Y·E² + (1 − Y)·max(m − E, 0)², as in seed 000's book and Keras'
  mnist_siamese example; Hadsell, Chopra & LeCun (2006) write Y = 0 for similar and halve
  both terms (`similar_label=0, half=true`);
- triplet loss: max(d(a, p) − d(a, n) + margin, 0), as `torch.nn.TripletMarginLoss`
  (Euclidean, margin 1; torch adds eps = 1e-6 inside the norm, left out here) or with
  FaceNet's squared distances (Schroff et al. 2015, margin α = 0.2 there).
"""

from __future__ import annotations

import math

from solvers.arith import fsum
from solvers.fmt import join_terms, latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_DIM = 1_000  # entries of one embedding
MAX_CLASSES = 100  # classes of a support set (n-way)
MAX_SHOTS = 1_000  # support examples of one class (k-shot)


# ---------------------------------------------------------------- helpers


def _vector(param: str, value, what: str) -> list[float]:
    """A non-empty list of finite numbers (ints are accepted), or SolverInputError."""
    if not isinstance(value, list) or not value:
        raise SolverInputError(param, f"{what} is not a non-empty list of numbers")
    if len(value) > MAX_DIM:
        raise SolverInputError(param, f"{what} has {len(value)} entries; at most {MAX_DIM}")
    out = []
    for x in value:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise SolverInputError(param, f"{what} holds {str(x)[:20]!r}, not a number")
        try:
            x = float(x)
        except OverflowError:
            raise SolverInputError(param, f"{what} holds a number too large") from None
        if not math.isfinite(x):
            raise SolverInputError(param, f"{what} holds a non-finite number")
        out.append(x)
    return out


def _same_length(param: str, v: list, n: int, what: str) -> None:
    if len(v) != n:
        raise SolverInputError(param, f"{what} has {len(v)} entries, expected {n} "
                                      f"(the length of the other embeddings)")


def _squared_terms(a: list[float], b: list[float]) -> tuple[list[float], str, str]:
    """(a_i − b_i)² for each i, with the sum written out as text and as LaTeX."""
    diffs = [x - y for x, y in zip(a, b)]
    squares = [d * d for d in diffs]  # d*d overflows to inf; d**2 would raise
    text = join_terms([f"{paren(d)}²" for d in diffs], " + ")
    latex = join_terms([f"{latex_paren(d)}^2" for d in diffs], " + ", r"\cdots")
    return squares, text, latex


def _latex_text(word: str) -> str:
    r"""A class name inside \text{...}, with LaTeX's special characters escaped."""
    escaped = "".join("\\" + ch if ch in "#$%&_{}" else
                      {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(ch, ch)
                      for ch in word[:40])
    return rf"\text{{{escaped}}}"


def _softmax(scores: list[float]) -> list[float]:
    """softmax(scores), shifted by the largest score so that no exponential overflows."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = fsum(exps)
    return [e / total for e in exps]


# ---------------------------------------------------------------- prototypical


def _support_set(support, dim: int) -> dict[str, list[list[float]]]:
    """The `support` object checked: class -> a non-empty list of embeddings (one
    embedding alone is taken as a 1-shot class), each of the query's length. A list of
    classes is accepted too, the classes then named 1, 2, … (a template can draw it)."""
    if isinstance(support, list) and support:
        support = {str(i + 1): shots for i, shots in enumerate(support)}
    if not isinstance(support, dict) or not support:
        raise SolverInputError("support", 'expected an object class -> list of embeddings, '
                                          'like {"cat": [[1, 2], [3, 4]], "dog": [[0, 1]]}')
    if len(support) > MAX_CLASSES:
        raise SolverInputError("support", f"{len(support)} classes; at most {MAX_CLASSES}")
    out: dict[str, list[list[float]]] = {}
    for label, shots in support.items():
        what = f"class {str(label)[:20]!r}"
        if isinstance(shots, list) and shots and not any(isinstance(s, list) for s in shots):
            shots = [shots]  # one embedding given on its own: a 1-shot class
        if not isinstance(shots, list) or not shots:
            raise SolverInputError("support", f"{what} has no support embeddings")
        if len(shots) > MAX_SHOTS:
            raise SolverInputError("support", f"{what} has {len(shots)} shots; at most "
                                              f"{MAX_SHOTS}")
        vectors = [_vector("support", s, f"an embedding of {what}") for s in shots]
        for v in vectors:
            _same_length("support", v, dim, f"an embedding of {what}")
        out[str(label)] = vectors
    return out


@solver(
    topic="fewshot",
    summary="Prototypical network: class prototypes, squared distances and softmax(−d).",
    summary_zh="原型网络：类原型、到查询点的平方欧氏距离及 softmax(−d) 概率。",
    params=[
        Param("support", "json",
              'class -> its support embeddings, e.g. {"cat": [[1, 2], [3, 4]], "dog": [[0, 1]]}'
              " (or a list of classes, named 1, 2, ...)",
              doc_zh='类别 -> 该类支持集样本的嵌入，例如 {"cat": [[1, 2], [3, 4]], "dog": [[0, 1]]}'
              "（也可写成类别的列表，依次命名为 1, 2, ...）"),
        Param("query", "vec", "the query point's embedding", doc_zh="查询点的嵌入向量"),
    ],
    answers=[
        Answer("prototypes", "mat", "one prototype (mean support embedding) per class, in the "
               "order of `support`", doc_zh="每个类别的原型（支持集嵌入的均值），顺序同 support"),
        Answer("distances", "vec", "squared Euclidean distance from the query to each prototype",
               doc_zh="查询点到各原型的平方欧氏距离"),
        Answer("probs", "vec", "p(class | query) = softmax(−distances)",
               doc_zh="p(类别 | 查询点) = softmax(−距离)"),
    ],
    examples=[
        # 2-way 2-shot in the plane: prototypes (1, 2) and (4, 0).
        dict(support={"cat": [[0, 2], [2, 2]], "dog": [[4, 1], [4, -1]]}, query=[2, 1]),
        dict(support={"a": [[1, 0]], "b": [[0, 1]], "c": [[-1, -1], [-1, 1]]}, query=[0, 0]),
    ],
)
def prototypical(support, query) -> Solution:
    """c_k = (1/|S_k|) Σ_{x ∈ S_k} f(x);  d_k = ‖f(q) − c_k‖²;  p_k = e^{−d_k} / Σ_j e^{−d_j}.

    Snell et al. (2017) with the squared Euclidean distance; the embeddings f(x) are given.
    Prototypes, distances and probabilities follow the order of the classes in `support`.
    """
    classes = _support_set(support, len(query))
    names = list(classes)
    prototypes = [[fsum(col) / len(shots) for col in zip(*shots)] for shots in classes.values()]
    steps = [Step(
        f"{len(names)}-way support set (Snell et al. 2017): each prototype is the mean of its "
        f"class's support embeddings; distance = squared Euclidean; p = softmax(−d)",
        f"{len(names)} 类（way）支持集（Snell 等 2017）：每个原型是该类支持集嵌入的均值；"
        f"距离为平方欧氏距离；p = softmax(−d)",
        r"c_k = \frac{1}{|S_k|} \sum_{x_i \in S_k} f(x_i),\quad d_k = \lVert f(q) - c_k "
        r"\rVert^2,\quad p_k = \frac{e^{-d_k}}{\sum_j e^{-d_j}}",
    )]
    for name, shots, proto in zip(names, classes.values(), prototypes):
        shown = " + ".join(num(s) for s in shots[:6]) + (" + …" if len(shots) > 6 else "")
        latex_sum = " + ".join(latex_vec(s) for s in shots[:4]) + (
            r" + \cdots" if len(shots) > 4 else "")
        steps.append(Step(
            f"Prototype of {name!r} ({len(shots)} shot(s)): ({shown}) / {len(shots)} = "
            f"{num(proto)}",
            f"类别 {name!r} 的原型（{len(shots)} 个样本）：({shown}) / {len(shots)} = {num(proto)}",
            rf"c_{{{_latex_text(name)}}} = \frac{{1}}{{{len(shots)}}}\left({latex_sum}\right)"
            rf" = {latex_vec(proto)}",
            proto,
        ))
    distances = []
    for name, proto in zip(names, prototypes):
        squares, text, latex = _squared_terms(query, proto)
        d = fsum(squares)
        distances.append(d)
        steps.append(Step(
            f"d({name!r}) = ‖q − c‖² = {text} = {num(d)}",
            f"到类别 {name!r} 原型的距离 d = ‖q − c‖² = {text} = {num(d)}",
            rf"d_{{{_latex_text(name)}}} = \lVert q - c \rVert^2 = {latex} = {latex_num(d)}",
            d,
        ))
    probs = _softmax([-d for d in distances])
    best = max(range(len(names)), key=lambda k: probs[k])
    exps = " + ".join(f"e^-{num(d)}" for d in distances[:6]) + (
        " + …" if len(distances) > 6 else "")
    latex_exps = " + ".join(f"e^{{-{latex_num(d)}}}" for d in distances[:6]) + (
        r" + \cdots" if len(distances) > 6 else "")
    steps.append(Step(
        f"p_k = e^(−d_k) / ({exps}) = {num(probs)}",
        f"概率 p_k = e^(−d_k) / ({exps}) = {num(probs)}",
        rf"p_k = \frac{{e^{{-d_k}}}}{{{latex_exps}}} = {latex_vec(probs)}",
        probs,
    ))
    steps.append(Step(
        f"The query is assigned to the nearest prototype: {names[best]!r} "
        f"(p = {num(probs[best])})",
        f"查询点被分到最近的原型所属的类：{names[best]!r}（p = {num(probs[best])}）",
        rf"\hat y = \arg\min_k d_k = {_latex_text(names[best])}",
        probs[best],
    ))
    return Solution({"prototypes": prototypes, "distances": distances, "probs": probs}, steps)


# ---------------------------------------------------------------- siamese distance

_ACTIVATIONS = ("identity", "relu", "sigmoid", "tanh")


def _activate(name: str, a: float) -> float:
    if name == "relu":
        return a if a > 0 else 0.0
    if name == "sigmoid":
        return 0.5 * (1.0 + math.tanh(0.5 * a))  # through tanh: no overflow for large |a|
    if name == "tanh":
        return math.tanh(a)
    return a


def _layer(x: list[float], weight, bias: list[float], activation: str) -> tuple[list, list]:
    """(pre-activations W x + b, embeddings act(W x + b)); with no weight, W = I."""
    rows = weight if weight is not None else [[1.0 if i == j else 0.0 for j in range(len(x))]
                                              for i in range(len(x))]
    pre = [fsum(w * v for w, v in zip(row, x)) + b for row, b in zip(rows, bias)]
    return pre, [_activate(activation, a) for a in pre]


def _distance(metric: str, h1: list[float], h2: list[float]) -> tuple[float, str, str]:
    """The distance between two embeddings, with its sum as text and as LaTeX."""
    if metric in ("euclidean", "squared"):
        squares, text, latex = _squared_terms(h1, h2)
        total = fsum(squares)
        if metric == "squared":
            return total, text, latex
        return math.sqrt(total), f"√({text})", rf"\sqrt{{{latex}}}"
    if metric == "manhattan":
        diffs = [abs(a - b) for a, b in zip(h1, h2)]
        return (fsum(diffs), join_terms([f"|{num(a)} − {num(b)}|" for a, b in zip(h1, h2)], " + "),
                join_terms([rf"\lvert {latex_num(a)} - {latex_paren(b)} \rvert"
                            for a, b in zip(h1, h2)], " + ", r"\cdots"))
    dot = fsum(a * b for a, b in zip(h1, h2))
    n1, n2 = math.sqrt(fsum(a * a for a in h1)), math.sqrt(fsum(b * b for b in h2))
    if n1 == 0 or n2 == 0:
        raise SolverInputError("x1" if n1 == 0 else "x2", "its embedding is the zero vector: "
                                                          "the cosine is undefined")
    return (1 - dot / (n1 * n2), f"1 − {num(dot)}/({num(n1)}·{num(n2)})",
            rf"1 - \frac{{{latex_num(dot)}}}{{{latex_num(n1)} \cdot {latex_num(n2)}}}")


_METRIC_LATEX = {
    "euclidean": r"E_W = \lVert G_W(X_1) - G_W(X_2) \rVert_2",
    "squared": r"E_W = \lVert G_W(X_1) - G_W(X_2) \rVert_2^2",
    "manhattan": r"E_W = \lVert G_W(X_1) - G_W(X_2) \rVert_1",
    "cosine": r"E_W = 1 - \cos\left(G_W(X_1), G_W(X_2)\right)",
}
_METRIC_TEXT = {
    "euclidean": ("Euclidean distance ‖h₁ − h₂‖ (the energy function of the seed's book)",
                  "欧氏距离 ‖h₁ − h₂‖（即种子书中的能量函数）"),
    "squared": ("squared Euclidean distance ‖h₁ − h₂‖²", "平方欧氏距离 ‖h₁ − h₂‖²"),
    "manhattan": ("L1 distance Σ|h₁ − h₂| (Koch et al. 2015)", "L1 距离 Σ|h₁ − h₂|（Koch 等 2015）"),
    "cosine": ("cosine distance 1 − cos(h₁, h₂)", "余弦距离 1 − cos(h₁, h₂)"),
}


@solver(
    topic="fewshot",
    summary="Siamese network: both inputs through one shared layer, then their distance.",
    summary_zh="孪生网络：两个输入经过同一个共享权重的层，再计算两个嵌入的距离（能量函数）。",
    params=[
        Param("x1", "vec", "the first input X₁", doc_zh="第一个输入 X₁"),
        Param("x2", "vec", "the second input X₂", doc_zh="第二个输入 X₂"),
        Param("weight", "mat", "the shared layer's weight W (out x in); none: G(x) = x",
              doc_zh="共享层的权重 W（out x in）；不给则 G(x) = x", default=None),
        Param("bias", "vec", "the shared layer's bias b (zeros)", doc_zh="共享层的偏置 b（默认全零）",
              default=None),
        Param("activation", "str", "activation of the shared layer", doc_zh="共享层的激活函数",
              choices=_ACTIVATIONS, default="identity"),
        Param("metric", "str", "distance between the embeddings (euclidean = the energy "
              "function)", doc_zh="两个嵌入之间的距离（euclidean 即能量函数）",
              choices=("euclidean", "squared", "manhattan", "cosine"), default="euclidean"),
    ],
    answers=[
        Answer("embedding1", "vec", "G_W(X₁)", doc_zh="G_W(X₁)，第一个输入的嵌入"),
        Answer("embedding2", "vec", "G_W(X₂)", doc_zh="G_W(X₂)，第二个输入的嵌入"),
        Answer("distance", "float", "the energy E_W(X₁, X₂)", doc_zh="能量（距离）E_W(X₁, X₂)"),
    ],
    examples=[
        dict(x1=[1, 2], x2=[2, 0], weight=[[1, 0], [1, -1]], activation="relu"),
        dict(x1=[3, 4], x2=[0, 0]),  # no layer: ‖(3, 4)‖ = 5
    ],
)
def siamese_distance(x1, x2, weight, bias, activation, metric) -> Solution:
    """E_W(X₁, X₂) = d(G_W(X₁), G_W(X₂)), G_W(x) = act(W x + b) with the SAME W and b for
    both inputs (weight sharing). d: ‖·‖₂ (default), ‖·‖₂², ‖·‖₁ or 1 − cos.
    """
    _same_length("x2", x2, len(x1), "x2")
    if weight is not None:
        if len(weight[0]) != len(x1):
            raise SolverInputError("weight", f"W has {len(weight[0])} columns but the inputs "
                                             f"have {len(x1)} entries (W is out x in)")
        if len(weight) * len(x1) > 100_000:
            raise SolverInputError("weight", "more than 100,000 weights: too big a layer")
    out = len(weight) if weight is not None else len(x1)
    bias = bias if bias is not None else [0.0] * out
    if len(bias) != out:
        raise SolverInputError("bias", f"b has {len(bias)} entries, the layer has {out} outputs")
    pre1, h1 = _layer(x1, weight, bias, activation)
    pre2, h2 = _layer(x2, weight, bias, activation)
    distance, text, latex = _distance(metric, h1, h2)
    plain = weight is None and not any(bias) and activation == "identity"
    inner = "x" if weight is None else "W x"

    def working(index: int, pre: list, h: list) -> str:
        """'relu(W x₁ + b) = relu([1, -1]) = [1, 0]', or just the embedding without a layer."""
        if plain:
            return num(h)
        sub = "₁" if index == 1 else "₂"
        return f"{activation}({inner}{sub} + b) = {activation}({num(pre)}) = {num(h)}"
    formula = "x" if plain else (f"{activation}(" + ("x" if weight is None else "W x") + " + b)")
    layer_en = ("G(x) = x (no layer: the inputs are the embeddings)" if plain else
                f"G_W(x) = {formula}, the same weights for both inputs")
    layer_zh = ("G(x) = x（没有层：输入本身就是嵌入）" if plain else
                f"G_W(x) = {formula}，两个输入共用同一组权重")
    steps = [
        Step(f"Siamese network: two copies of one network sharing its weights; {layer_en}",
             f"孪生网络：两个共享权重的相同网络；{layer_zh}",
             r"G_W(x) = " + ("x" if plain else
                             rf"\mathrm{{{activation}}}(" + ("x" if weight is None else "W x")
                             + " + b)")),
        Step(f"h₁ = G_W(X₁) = {working(1, pre1, h1)}",
             f"第一个输入的嵌入 h₁ = G_W(X₁) = {working(1, pre1, h1)}",
             rf"h_1 = G_W(X_1) = {latex_vec(h1)}", h1),
        Step(f"h₂ = G_W(X₂) = {working(2, pre2, h2)}",
             f"第二个输入的嵌入 h₂ = G_W(X₂) = {working(2, pre2, h2)}",
             rf"h_2 = G_W(X_2) = {latex_vec(h2)}", h2),
        Step(f"Energy = {_METRIC_TEXT[metric][0]} = {text} = {num(distance)}",
             f"能量 = {_METRIC_TEXT[metric][1]} = {text} = {num(distance)}",
             rf"{_METRIC_LATEX[metric]} = {latex} = {latex_num(distance)}", distance),
    ]
    return Solution({"embedding1": h1, "embedding2": h2, "distance": distance}, steps)


# ---------------------------------------------------------------- contrastive loss


@solver(
    topic="fewshot",
    summary="Contrastive loss of one pair of embeddings (states which label means similar).",
    summary_zh="一对嵌入的对比损失（明确哪个标签表示“相似”）。",
    params=[
        Param("a", "vec", "embedding of the first input, G_W(X₁)", doc_zh="第一个输入的嵌入 G_W(X₁)"),
        Param("b", "vec", "embedding of the second input, G_W(X₂)",
              doc_zh="第二个输入的嵌入 G_W(X₂)"),
        Param("label", "int", "the pair's label Y (0 or 1)", doc_zh="这对样本的标签 Y（0 或 1）",
              min=0, max=1),
        Param("margin", "float", "margin m: dissimilar pairs farther than m cost nothing",
              doc_zh="间隔 m：距离超过 m 的不相似对不再产生损失", default=1.0, min=0),
        Param("similar_label", "int", "the value of Y that means 'similar pair' (1: seed 000's "
              "book and Keras; 0: Hadsell et al. 2006)",
              doc_zh="表示“相似对”的 Y 值（1：种子 000 的书与 Keras；0：Hadsell 等 2006）",
              choices=(1, 0), default=1, min=0, max=1),
        Param("half", "bool", "multiply both terms by ½ (Hadsell et al. 2006)",
              doc_zh="两项都乘以 ½（Hadsell 等 2006 的写法）", default=False),
    ],
    answers=[
        Answer("distance", "float", "E = ‖a − b‖₂", doc_zh="E = ‖a − b‖₂，两个嵌入的欧氏距离"),
        Answer("loss", "float", "the contrastive loss of the pair", doc_zh="这对样本的对比损失"),
        Answer("grad_a", "vec", "∂L/∂a (∂L/∂b = −∂L/∂a)", doc_zh="损失对 a 的梯度 ∂L/∂a（对 b 的梯度为其相反数）"),
    ],
    examples=[
        dict(a=[1, 2], b=[1.3, 2.4], label=1),  # a similar pair at distance 0.5
        dict(a=[0, 0], b=[0.3, 0.4], label=0, margin=1),  # dissimilar, 0.5 inside the margin
        dict(a=[0, 0], b=[0.6, 0.8], label=0, similar_label=0, half=True),  # Hadsell's form
    ],
)
def contrastive_loss(a, b, label, margin, similar_label, half) -> Solution:
    """E = ‖a − b‖₂;  similar pair: L = s·E²;  dissimilar pair: L = s·max(m − E, 0)²,
    s = ½ with `half` (Hadsell et al. 2006), else 1.

    With similar_label = 1 (the default): L = Y·E² + (1 − Y)·max(m − E, 0)², the form of
    seed 000's book and of Keras' mnist_siamese example. With similar_label = 0 and half:
    L = (1 − Y)·½E² + Y·½max(m − E, 0)², Hadsell, Chopra & LeCun (2006), eq. 4.
    Gradient: similar 2s(a − b); dissimilar −2s·max(m − E, 0)·(a − b)/E (0 at E = 0, as
    torch's norm subgradient).
    """
    _same_length("b", b, len(a), "b")
    squares, text, latex = _squared_terms(a, b)
    squared = fsum(squares)
    e = math.sqrt(squared)
    s = 0.5 if half else 1.0
    similar = label == similar_label
    diff = [x - y for x, y in zip(a, b)]
    if similar:
        loss = s * squared
        grad = [2 * s * d for d in diff]
    else:
        gap = max(margin - e, 0.0)
        loss = s * gap * gap
        grad = [-2 * s * gap * d / e for d in diff] if e > 0 and gap > 0 else [0.0] * len(a)
    sl, ol = similar_label, 1 - similar_label
    half_tex = r"\tfrac{1}{2}" if half else ""
    y_similar, y_other = ("(1 - Y)", "Y") if sl == 0 else ("Y", "(1 - Y)")
    form = rf"L = {half_tex}{y_similar} E^2 + {half_tex}{y_other} \max(m - E, 0)^2"
    factor_en = "½·" if half else ""
    steps = [
        Step(
            f"Convention: Y = {sl} means a SIMILAR (genuine) pair, Y = {ol} a dissimilar one"
            f"{' (Hadsell et al. 2006, with ½)' if half and sl == 0 else ''}: similar pairs pay "
            f"{factor_en}E², dissimilar pairs pay {factor_en}max(m − E, 0)²",
            f"约定：Y = {sl} 表示相似（同类）对，Y = {ol} 表示不相似对"
            f"{'（Hadsell 等 2006，带 ½）' if half and sl == 0 else ''}：相似对的损失为 "
            f"{factor_en}E²，不相似对的损失为 {factor_en}max(m − E, 0)²",
            form,
        ),
        Step(f"E = ‖a − b‖ = √({text}) = {num(e)}",
             f"欧氏距离 E = ‖a − b‖ = √({text}) = {num(e)}",
             rf"E = \lVert a - b \rVert = \sqrt{{{latex}}} = {latex_num(e)}", e),
    ]
    if similar:
        steps.append(Step(
            f"Y = {label}: a similar pair, so L = {factor_en}E² = {factor_en}{num(e)}² = "
            f"{num(loss)} (pulls the embeddings together)",
            f"Y = {label}：相似对，L = {factor_en}E² = {factor_en}{num(e)}² = {num(loss)}"
            f"（把两个嵌入拉近）",
            rf"L = {half_tex}E^2 = {latex_num(loss)}", loss))
    else:
        steps.append(Step(
            f"Y = {label}: a dissimilar pair, so L = {factor_en}max(m − E, 0)² = "
            f"{factor_en}max({num(margin)} − {num(e)}, 0)² = {num(loss)}"
            + (" (already beyond the margin: no loss)" if loss == 0 else
               " (pushes the embeddings apart)"),
            f"Y = {label}：不相似对，L = {factor_en}max(m − E, 0)² = "
            f"{factor_en}max({num(margin)} − {num(e)}, 0)² = {num(loss)}"
            + ("（距离已超过间隔：无损失）" if loss == 0 else "（把两个嵌入推远）"),
            rf"L = {half_tex}\max({latex_num(margin)} - "
            rf"{latex_num(e)}, 0)^2 = {latex_num(loss)}", loss))
    steps.append(Step(
        f"∂L/∂a = {num(grad)} (and ∂L/∂b = −∂L/∂a)",
        f"∂L/∂a = {num(grad)}（且 ∂L/∂b = −∂L/∂a）",
        (rf"\frac{{\partial L}}{{\partial a}} = {2 * s:g}(a - b)" if similar else
         rf"\frac{{\partial L}}{{\partial a}} = -{2 * s:g}\max(m - E, 0)\frac{{a - b}}{{E}}")
        + f" = {latex_vec(grad)}", grad))
    return Solution({"distance": e, "loss": loss, "grad_a": grad}, steps)


# ---------------------------------------------------------------- triplet loss


@solver(
    topic="fewshot",
    summary="Triplet loss max(d(a,p) − d(a,n) + margin, 0) and the kind of triplet.",
    summary_zh="三元组损失 max(d(a,p) − d(a,n) + margin, 0) 以及三元组的难易类型。",
    params=[
        Param("anchor", "vec", "the anchor's embedding f(a)", doc_zh="锚点的嵌入 f(a)"),
        Param("positive", "vec", "embedding of a sample of the anchor's class f(p)",
              doc_zh="与锚点同类样本的嵌入 f(p)"),
        Param("negative", "vec", "embedding of a sample of another class f(n)",
              doc_zh="其他类别样本的嵌入 f(n)"),
        Param("margin", "float", "margin (PyTorch's default 1; FaceNet uses α = 0.2)",
              doc_zh="间隔（PyTorch 默认 1；FaceNet 用 α = 0.2）", default=1.0, min=0),
        Param("distance", "str", "euclidean (nn.TripletMarginLoss) or squared (FaceNet)",
              doc_zh="euclidean（nn.TripletMarginLoss）或 squared（FaceNet 的平方距离）",
              choices=("euclidean", "squared"), default="euclidean"),
    ],
    answers=[
        Answer("d_pos", "float", "d(anchor, positive)", doc_zh="d(锚点, 正样本)"),
        Answer("d_neg", "float", "d(anchor, negative)", doc_zh="d(锚点, 负样本)"),
        Answer("loss", "float", "max(d_pos − d_neg + margin, 0)",
               doc_zh="三元组损失 max(d_pos − d_neg + margin, 0)"),
        Answer("triplet", "str", "easy (loss 0), semi-hard (d_pos ≤ d_neg < d_pos + margin) or "
               "hard (d_neg < d_pos)",
               doc_zh="easy（损失为 0）、semi-hard（d_pos ≤ d_neg < d_pos + margin）或 hard（d_neg < d_pos）"),
    ],
    examples=[
        dict(anchor=[0, 0], positive=[0.3, 0.4], negative=[1.2, 0.5]),  # d = 0.5 and 1.3
        dict(anchor=[1, 0], positive=[0, 1], negative=[1, 0.5], margin=0.2,
             distance="squared"),  # FaceNet form, a hard negative
    ],
)
def triplet_loss(anchor, positive, negative, margin, distance) -> Solution:
    """L = max(d(a, p) − d(a, n) + margin, 0).

    euclidean: d = ‖x − y‖₂ as torch.nn.TripletMarginLoss(margin=1, p=2) (which adds
    eps = 1e-6 inside the norm; not here). squared: d = ‖x − y‖₂², FaceNet (Schroff et al.
    2015, eq. 1). Triplet kinds (FaceNet §3.2): easy when the loss is 0; hard when
    d_neg < d_pos; semi-hard otherwise (d_pos ≤ d_neg < d_pos + margin).
    """
    _same_length("positive", positive, len(anchor), "positive")
    _same_length("negative", negative, len(anchor), "negative")
    pos_sq, pos_text, pos_latex = _squared_terms(anchor, positive)
    neg_sq, neg_text, neg_latex = _squared_terms(anchor, negative)
    if distance == "squared":
        d_pos, d_neg = fsum(pos_sq), fsum(neg_sq)
        wrap, wrap_latex = (lambda t: t), (lambda t: t)
    else:
        d_pos, d_neg = math.sqrt(fsum(pos_sq)), math.sqrt(fsum(neg_sq))
        wrap, wrap_latex = (lambda t: f"√({t})"), (lambda t: rf"\sqrt{{{t}}}")
    inside = d_pos - d_neg + margin
    loss = max(inside, 0.0)
    kind = "easy" if loss == 0 else ("hard" if d_neg < d_pos else "semi-hard")
    kind_zh = {"easy": "简单（easy）", "semi-hard": "半难（semi-hard）", "hard": "困难（hard）"}[kind]
    sq = "²" if distance == "squared" else ""
    latex_d = r"\lVert \cdot \rVert^2" if distance == "squared" else r"\lVert \cdot \rVert"
    steps = [
        Step(
            "L = max(d(a, p) − d(a, n) + margin, 0) with d = "
            + ("the squared Euclidean distance (FaceNet)" if distance == "squared" else
               "the Euclidean distance (torch.nn.TripletMarginLoss, without its eps)"),
            "L = max(d(a, p) − d(a, n) + margin, 0)，其中 d = "
            + ("平方欧氏距离（FaceNet）" if distance == "squared" else
               "欧氏距离（torch.nn.TripletMarginLoss，不计其 eps）"),
            rf"L = \max\left(d(a, p) - d(a, n) + m, 0\right),\ d = {latex_d}",
        ),
        Step(f"d_pos = ‖a − p‖{sq} = {wrap(pos_text)} = {num(d_pos)}",
             f"锚点到正样本的距离 d_pos = ‖a − p‖{sq} = {wrap(pos_text)} = {num(d_pos)}",
             rf"d(a, p) = {wrap_latex(pos_latex)} = {latex_num(d_pos)}", d_pos),
        Step(f"d_neg = ‖a − n‖{sq} = {wrap(neg_text)} = {num(d_neg)}",
             f"锚点到负样本的距离 d_neg = ‖a − n‖{sq} = {wrap(neg_text)} = {num(d_neg)}",
             rf"d(a, n) = {wrap_latex(neg_latex)} = {latex_num(d_neg)}", d_neg),
        Step(f"L = max({num(d_pos)} − {num(d_neg)} + {num(margin)}, 0) = max({num(inside)}, 0) "
             f"= {num(loss)}",
             f"损失 L = max({num(d_pos)} − {num(d_neg)} + {num(margin)}, 0) = max({num(inside)}, 0) "
             f"= {num(loss)}",
             rf"L = \max({latex_num(d_pos)} - {latex_paren(d_neg)} + {latex_num(margin)}, 0) = "
             rf"{latex_num(loss)}", loss),
        Step(f"Triplet kind: {kind} — " + {
                 "easy": "the negative is already farther than d_pos + margin, nothing to learn",
                 "semi-hard": "the negative is farther than the positive but inside the margin",
                 "hard": "the negative is closer to the anchor than the positive"}[kind],
             f"三元组类型：{kind_zh}——" + {
                 "easy": "负样本已比 d_pos + margin 更远，没有可学的",
                 "semi-hard": "负样本比正样本远，但仍在间隔之内",
                 "hard": "负样本比正样本离锚点更近"}[kind],
             {"easy": r"d(a, n) \ge d(a, p) + m",
              "semi-hard": r"d(a, p) \le d(a, n) < d(a, p) + m",
              "hard": r"d(a, n) < d(a, p)"}[kind], kind),
    ]
    return Solution({"d_pos": d_pos, "d_neg": d_neg, "loss": loss, "triplet": kind}, steps)
