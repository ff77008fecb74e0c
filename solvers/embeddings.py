"""Word embeddings by hand: similarity, analogies, parameter counts and word2vec losses.

Plain Python, no numpy (the vectors are a handful of numbers; see
`SolverSpec.needs_numpy`). Conventions:

- cosine similarity as `torch.nn.functional.cosine_similarity`, except that a zero vector
  is bad input (the cosine is undefined; torch's eps would quietly give 0);
- analogies by 3CosAdd (Mikolov, Yih & Zweig 2013): the word whose vector has the largest
  cosine with a − b + c, computed on the vectors as given (gensim's `most_similar`
  normalizes each vector to unit length first, which can change the answer);
- `nn.Embedding` / `keras.layers.Embedding`: one row of embedding_dim weights per word,
  no bias;
- word2vec (Mikolov et al. 2013): skip-gram pairs from a fixed window, CBOW with the mean
  of the context vectors and a full softmax, negative sampling summed over the negatives;
  logarithms are natural, indices start at 0 (as torch).
"""

from __future__ import annotations

import math

from solvers.fmt import join_terms, latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_VOCAB = 1_000_000_000  # num_embeddings (a count, never allocated)
MAX_DIM = 1_000_000  # embedding_dim, sequence_length
MAX_WORDS = 200  # words in a skip-gram sentence (the pairs are listed one by one)
MAX_WINDOW = 50
MAX_INDEX = 10_000  # a word index (a vocabulary given as rows has at most that many)
TIE = 1e-12  # cosines closer than this are a tie (won by the word listed first)


# ---------------------------------------------------------------- vector helpers


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def _norm(a: list[float]) -> float:
    """|a|, without overflow or underflow in the squares (math.hypot)."""
    return math.hypot(*a)


def _cosine(a: list[float], b: list[float]) -> float:
    """cos(a, b) = a·b / (|a| |b|), clamped to [−1, 1] against rounding. Both norms > 0.

    Where the dot product or the product of the norms would overflow or underflow, the
    vectors are normalized first, (a/|a|)·(b/|b|); otherwise the plain quotient keeps an
    exact 0 exact (orthogonal integer vectors give 0, not −5.6e−17)."""
    na, nb = _norm(a), _norm(b)
    dot, denom = _dot(a, b), na * nb
    if denom > 0 and math.isfinite(denom) and math.isfinite(dot):
        value = dot / denom
    else:
        value = sum((x / na) * (y / nb) for x, y in zip(a, b))
    return max(-1.0, min(1.0, value))


def _dot_text(a: list[float], b: list[float]) -> str:
    return join_terms([f"{paren(x)}·{paren(y)}" for x, y in zip(a, b)], " + ")


def _dot_latex(a: list[float], b: list[float]) -> str:
    return join_terms([rf"{latex_paren(x)} \cdot {latex_paren(y)}" for x, y in zip(a, b)],
                      " + ", r"\cdots")


def _same_length(name: str, v: list[float], n: int, what: str) -> None:
    if len(v) != n:
        raise SolverInputError(name, f"expected {n} numbers ({what}), got {len(v)}")


def _log_sigmoid(x: float) -> float:
    """log σ(x) = −softplus(−x) = min(x, 0) − log(1 + e^−|x|): no overflow for any x."""
    return min(x, 0.0) - math.log1p(math.exp(-abs(x)))


def _sigmoid(x: float) -> float:
    """σ(x), written through tanh so large |x| cannot overflow."""
    return 0.5 * (1.0 + math.tanh(0.5 * x))


def _softmax(scores: list[float]) -> tuple[list[float], float]:
    """(softmax(scores), log Σ e^score): the largest score is subtracted first, so exp
    cannot overflow and the sum is at least 1."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps], top + math.log(total)


# ---------------------------------------------------------------- similarity


@solver(
    topic="embeddings",
    summary="Cosine similarity of two vectors, as torch.nn.functional.cosine_similarity.",
    summary_zh="两个向量的余弦相似度（与 torch.nn.functional.cosine_similarity 相同）。",
    params=[
        Param("a", "vec", "first vector", doc_zh="第一个向量"),
        Param("b", "vec", "second vector, as long as a", doc_zh="第二个向量，长度与 a 相同"),
    ],
    answers=[Answer("cosine", "float", "a·b / (|a| |b|), in [−1, 1]",
                    doc_zh="a·b / (|a| |b|)，取值在 [−1, 1]")],
    examples=[
        # Manning, Raghavan & Schütze, Introduction to IR, Fig. 6.13: SaS vs PaP -> 0.94.
        dict(a=[0.789, 0.515, 0.335, 0.0], b=[0.832, 0.555, 0.0, 0.0]),
        dict(a=[1, 2, 2], b=[2, 0, 1]),
    ],
)
def cosine_similarity(a, b) -> Solution:
    """cos θ = a·b / (|a|·|b|), |a| = √(Σ aᵢ²) (Euclidean norm).

    Scale-invariant: only the directions matter. A zero vector has no direction, so it
    is bad input (torch clamps the norms with eps = 1e-8 and would return 0).
    """
    _same_length("b", b, len(a), "the length of a")
    for name, v in (("a", a), ("b", b)):
        if _norm(v) == 0:
            raise SolverInputError(name, "a zero vector has no direction: the cosine is "
                                         "undefined")
    dot, na, nb = _dot(a, b), _norm(a), _norm(b)
    cosine = _cosine(a, b)
    steps = [
        Step("Convention: cos θ = a·b / (|a|·|b|) with Euclidean norms; the lengths cancel, "
             "so only the directions matter (1 = same direction, 0 = orthogonal, −1 = "
             "opposite).",
             "约定：cos θ = a·b / (|a|·|b|)，范数为欧氏范数；向量长度被约掉，只看方向"
             "（1 为同向，0 为正交，−1 为反向）。",
             r"\cos\theta = \frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}"),
        Step(f"Dot product a·b = {_dot_text(a, b)} = {num(dot)}",
             f"点积 a·b = {_dot_text(a, b)} = {num(dot)}",
             rf"a \cdot b = {_dot_latex(a, b)} = {latex_num(dot)}", dot),
        Step(f"Norms |a| = √({num(na * na)}) = {num(na)}, |b| = √({num(nb * nb)}) = {num(nb)}",
             f"范数 |a| = √({num(na * na)}) = {num(na)}，|b| = √({num(nb * nb)}) = {num(nb)}",
             rf"\lVert a \rVert = \sqrt{{{latex_num(na * na)}}} = {latex_num(na)}, \quad "
             rf"\lVert b \rVert = \sqrt{{{latex_num(nb * nb)}}} = {latex_num(nb)}", [na, nb]),
        Step(f"cos θ = {num(dot)} / ({num(na)}·{num(nb)}) = {num(cosine)}",
             f"余弦相似度 cos θ = {num(dot)} / ({num(na)}·{num(nb)}) = {num(cosine)}",
             rf"\cos\theta = \frac{{{latex_num(dot)}}}{{{latex_num(na)} \cdot {latex_num(nb)}}}"
             rf" = {latex_num(cosine)}", cosine),
    ]
    return Solution({"cosine": cosine}, steps)


def _word_vectors(vectors) -> dict[str, list[float]]:
    """The `vectors` object checked: word -> a non-empty vector, all of one length."""
    if not isinstance(vectors, dict) or not vectors:
        raise SolverInputError("vectors", 'expected an object of word vectors, like '
                                          '{"king": [1, 2], "man": [1, 0], ...}')
    out: dict[str, list[float]] = {}
    for word, v in vectors.items():
        if not isinstance(v, list) or not v or any(
                isinstance(x, bool) or not isinstance(x, (int, float)) for x in v):
            raise SolverInputError("vectors", f"the vector of {word!r} is not a non-empty "
                                              f"list of numbers")
        try:
            floats = [float(x) for x in v]
        except OverflowError:
            raise SolverInputError("vectors", f"the vector of {word!r} has a number too "
                                              f"large") from None
        if not all(math.isfinite(x) for x in floats):
            raise SolverInputError("vectors", f"the vector of {word!r} is not finite")
        out[str(word)] = floats
    sizes = {len(v) for v in out.values()}
    if len(sizes) != 1:
        raise SolverInputError("vectors", f"the vectors have different lengths "
                                          f"{sorted(sizes)}; they must all have one")
    for word, v in out.items():
        if _norm(v) == 0:
            raise SolverInputError("vectors", f"the vector of {word!r} is zero: its cosine "
                                              f"with anything is undefined")
    return out


@solver(
    topic="embeddings",
    summary="Word analogy a − b + c (king − man + woman ≈ queen) by cosine similarity.",
    summary_zh="词类比 a − b + c（国王 − 男人 + 女人 ≈ 女王），按余弦相似度找最近的词。",
    params=[
        Param("vectors", "json", 'word -> vector, e.g. {"king": [1, 2], "man": [1, 0]}',
              doc_zh='词 -> 词向量，例如 {"king": [1, 2], "man": [1, 0]}'),
        Param("a", "str", "the word to start from (king)", doc_zh="出发的词（king）"),
        Param("b", "str", "the word subtracted (man)", doc_zh="被减去的词（man）"),
        Param("c", "str", "the word added (woman)", doc_zh="被加上的词（woman）"),
        Param("exclude_inputs", "bool", "a, b and c cannot be the answer (word2vec's rule)",
              doc_zh="a、b、c 本身不能作为答案（word2vec 的做法）", default=True),
    ],
    answers=[
        Answer("word", "str", "the word with the largest cosine to a − b + c",
               doc_zh="与 a − b + c 余弦相似度最大的词"),
        Answer("scores", "vec", "cosine of every word's vector with a − b + c, in the "
                                "order of `vectors` (a, b, c included)",
               doc_zh="每个词的向量与 a − b + c 的余弦相似度，按 vectors 中的顺序（含 a、b、c）"),
    ],
    examples=[
        # Ng, Sequence Models (deeplearning.ai), week 2: the featurized representation
        # (gender, royal, age, food) gives king − man + woman -> queen.
        dict(vectors={"man": [-1, 0.01, 0.03, 0.09], "woman": [1, 0.02, 0.02, 0.01],
                      "king": [-0.95, 0.93, 0.70, 0.02], "queen": [0.97, 0.95, 0.69, 0.01],
                      "apple": [0.00, -0.01, 0.03, 0.95], "orange": [0.01, 0.00, -0.02, 0.97]},
             a="king", b="man", c="woman"),
        dict(vectors={"paris": [3, 6], "france": [1, 5], "rome": [4, 3], "italy": [2, 2]},
             a="paris", b="france", c="italy"),
    ],
)
def word_analogy(vectors, a, b, c, exclude_inputs) -> Solution:
    """target = v_a − v_b + v_c; answer = argmax over words w of cos(v_w, target).

    3CosAdd of Mikolov, Yih & Zweig (2013) on the vectors as given. With exclude_inputs
    (word2vec's and gensim's rule) a, b and c themselves cannot be the answer: the
    target usually stays closest to a. Ties go to the word listed first.
    """
    words = _word_vectors(vectors)
    for name, word in (("a", a), ("b", b), ("c", c)):
        if word not in words:
            raise SolverInputError(name, f"{word!r} is not one of the words in vectors")
    target = [x - y + z for x, y, z in zip(words[a], words[b], words[c])]
    if not all(math.isfinite(t) for t in target):
        raise SolverInputError("vectors", "a − b + c overflows")
    if _norm(target) == 0:
        raise SolverInputError("vectors", f"{a} − {b} + {c} is the zero vector: no cosine "
                                          f"is defined")
    scores = [_cosine(v, target) for v in words.values()]
    inputs = {a, b, c} if exclude_inputs else set()
    candidates = [(s, w) for s, w in zip(scores, words) if w not in inputs]
    if not candidates:
        raise SolverInputError("vectors", "no word is left to answer once a, b and c are "
                                          "excluded")
    top = max(s for s, _ in candidates)
    # Equal cosines can differ in the last bits (parallel vectors of other lengths).
    best_score, best = next((s, w) for s, w in candidates if s >= top - TIE)
    rule_en = ("a, b and c are excluded from the answers (word2vec's rule)" if exclude_inputs
               else "every word may be the answer, a, b and c included")
    rule_zh = "a、b、c 本身不作为答案（word2vec 的做法）" if exclude_inputs else \
        "所有词（包括 a、b、c）都可以作为答案"
    listed = [f"{w} {num(s)}" for w, s in zip(words, scores)]
    listed_latex = [rf"\cos(\mathrm{{{_latex_word(w)}}}) = {latex_num(s)}"
                    for w, s in zip(words, scores)]
    steps = [
        Step(f"Convention: 3CosAdd. The answer is the word whose vector has the largest cosine "
             f"with a − b + c, on the vectors as given; {rule_en}.",
             f"约定：3CosAdd。答案是向量与 a − b + c 余弦相似度最大的词，直接用给定的向量计算；"
             f"{rule_zh}。",
             r"w^* = \arg\max_{w} \cos(v_w,\; v_a - v_b + v_c)"),
        Step(f"Target = {a} − {b} + {c} = {num(words[a])} − {num(words[b])} + {num(words[c])} "
             f"= {num(target)}",
             f"目标向量 = {a} − {b} + {c} = {num(words[a])} − {num(words[b])} + "
             f"{num(words[c])} = {num(target)}",
             rf"t = {latex_vec(words[a])} - {latex_vec(words[b])} + {latex_vec(words[c])} = "
             rf"{latex_vec(target)}", target),
        Step(f"Cosine of each word with the target: {join_terms(listed, ', ')}",
             f"每个词与目标向量的余弦相似度：{join_terms(listed, '，')}",
             join_terms(listed_latex, r", \; ", r"\cdots"), scores),
        Step(f"Largest among the candidates: {best} (cosine {num(best_score)})",
             f"候选词中最大的是：{best}（余弦相似度 {num(best_score)}）",
             rf"w^* = \mathrm{{{_latex_word(best)}}}, \quad \cos = {latex_num(best_score)}",
             best_score),
    ]
    return Solution({"word": best, "scores": scores}, steps)


def _latex_word(word: str) -> str:
    """A word set upright in LaTeX, its special characters escaped."""
    out = []
    for ch in word:
        if ch in "\\{}":
            out.append({"\\": r"\backslash ", "{": r"\{", "}": r"\}"}[ch])
        elif ch in "#$%&_":
            out.append("\\" + ch)
        elif ch in "^~":
            out.append(r"\text{" + ch + "}")
        else:
            out.append(ch)
    return "".join(out) or r"\varnothing"


# ---------------------------------------------------------------- embedding layers


@solver(
    topic="embeddings",
    summary="Parameters and output size of an embedding layer (nn.Embedding, Keras Embedding).",
    summary_zh="嵌入层（nn.Embedding、Keras Embedding）的参数量与输出大小。",
    params=[
        Param("num_embeddings", "int", "vocabulary size V (Keras: input_dim)",
              doc_zh="词表大小 V（Keras 中为 input_dim）", min=1, max=MAX_VOCAB),
        Param("embedding_dim", "int", "size d of each word vector (Keras: output_dim)",
              doc_zh="每个词向量的维度 d（Keras 中为 output_dim）", min=1, max=MAX_DIM),
        Param("sequence_length", "int", "words per (padded or truncated) sequence",
              doc_zh="每个序列（填充或截断后）的词数", default=1, min=1, max=MAX_DIM),
    ],
    answers=[
        Answer("params", "int", "V·d trainable weights (no bias)",
               doc_zh="V·d 个可训练权重（没有偏置）"),
        Answer("output_features", "int", "numbers per sequence after the layer "
                                         "(sequence_length·d, what Flatten passes on)",
               doc_zh="每个序列经过该层后的数值个数（sequence_length·d，即 Flatten 之后的长度）"),
    ],
    examples=[
        # Chollet, Deep Learning with Python (1st ed.), listing 6.7: Embedding(10000, 8)
        # on reviews cut to 20 words -> 80,000 parameters, Flatten -> 160 features.
        dict(num_embeddings=10000, embedding_dim=8, sequence_length=20),
        dict(num_embeddings=50000, embedding_dim=300),
    ],
)
def embedding_params(num_embeddings, embedding_dim, sequence_length) -> Solution:
    """params = V·d (one row per word of the vocabulary, no bias); the output of a
    sequence of L word indices is L×d, i.e. L·d numbers after Flatten.

    Same count in PyTorch (`nn.Embedding(V, d)`) and Keras (`Embedding(input_dim=V,
    output_dim=d)`). A one-hot input times a V×d matrix gives the same result with the
    same V·d weights: the embedding layer is that product done as a lookup.
    """
    params = num_embeddings * embedding_dim
    features = sequence_length * embedding_dim
    steps = [
        Step("Convention: an embedding layer is a V×d lookup table (PyTorch nn.Embedding, "
             "Keras Embedding): row i is the vector of word i; no bias. It equals a one-hot "
             "vector times the same matrix.",
             "约定：嵌入层是一张 V×d 的查找表（PyTorch nn.Embedding、Keras Embedding）：第 i 行"
             "就是第 i 个词的向量；没有偏置。它等价于 one-hot 向量乘以同一个矩阵。",
             r"E \in \mathbb{R}^{V \times d}, \quad \mathrm{emb}(i) = E_{i,:} = "
             r"\mathrm{onehot}(i)^\top E"),
        Step(f"Parameters = V·d = {num_embeddings}·{embedding_dim} = {params}",
             f"参数量 = V·d = {num_embeddings}·{embedding_dim} = {params}",
             rf"V \cdot d = {num_embeddings} \cdot {embedding_dim} = {params}", params),
        Step(f"A sequence of {sequence_length} word indices becomes a {sequence_length}×"
             f"{embedding_dim} matrix: {features} numbers after Flatten",
             f"{sequence_length} 个词索引组成的序列变成 {sequence_length}×{embedding_dim} 的"
             f"矩阵：Flatten 之后共 {features} 个数",
             rf"L \cdot d = {sequence_length} \cdot {embedding_dim} = {features}", features),
    ]
    return Solution({"params": params, "output_features": features}, steps)


# ---------------------------------------------------------------- word2vec


@solver(
    topic="embeddings",
    summary="The (target, context) training pairs of skip-gram for a sentence and a window.",
    summary_zh="skip-gram 在给定句子和窗口下产生的（中心词，上下文词）训练样本对。",
    params=[
        Param("sentence", "str", "the words, separated by spaces",
              doc_zh="句子中的词，用空格分隔"),
        Param("window", "int", "context words taken on each side",
              doc_zh="每一侧取的上下文词数（窗口大小）", min=1, max=MAX_WINDOW),
        Param("position", "int", "which word's context to list (1 = the first word)",
              doc_zh="要列出哪个词的上下文（1 表示第一个词）", default=1, min=1, max=MAX_WORDS),
    ],
    answers=[
        Answer("pairs", "list", "every [target, context] pair, target by target, left to right",
               doc_zh="所有 [中心词, 上下文词] 对，按中心词从左到右排列"),
        Answer("num_pairs", "int", "how many pairs", doc_zh="样本对的个数"),
        Answer("context", "list", "the context words of the word at `position`",
               doc_zh="第 position 个词的上下文词"),
    ],
    examples=[
        # McCormick, "Word2Vec Tutorial - The Skip-Gram Model" (2016): window 2.
        dict(sentence="the quick brown fox jumps over the lazy dog", window=2, position=3),
        dict(sentence="I love deep learning", window=1),
    ],
)
def skipgram_pairs(sentence, window, position) -> Solution:
    """Pairs (wᵢ, wⱼ) for every i and every j ≠ i with |i − j| ≤ window, inside the sentence.

    A fixed window, as in the word2vec paper's description; word2vec's code samples a
    smaller window b ≤ window for each target, which this solver does not. The sentence
    is split at spaces and the words are kept as typed. Word i (1-based) has
    min(i − 1, w) + min(n − i, w) context words.
    """
    words = sentence.split()
    if not words:
        raise SolverInputError("sentence", "no words: write the words separated by spaces")
    if len(words) > MAX_WORDS:
        raise SolverInputError("sentence", f"{len(words)} words; at most {MAX_WORDS}")
    n = len(words)
    if position > n:
        raise SolverInputError("position", f"the sentence has only {n} words")
    pairs = [[words[i], words[j]] for i in range(n)
             for j in range(max(0, i - window), min(n, i + window + 1)) if j != i]
    per_word = [min(i, window) + min(n - 1 - i, window) for i in range(n)]
    p = position - 1
    context = [words[j] for j in range(max(0, p - window), min(n, p + window + 1)) if j != p]
    numbered = " ".join(f"{i + 1}:{w}" for i, w in enumerate(words))
    counts = join_terms([str(k) for k in per_word], " + ")
    steps = [
        Step(f"Convention: a fixed window of {window} word(s) on each side; every target "
             f"word is paired with each context word inside the sentence (no padding). "
             f"Words: {numbered}",
             f"约定：固定窗口，每侧 {window} 个词；每个中心词与句子内窗口中的每个上下文词配对"
             f"（不补齐）。各词编号：{numbered}",
             rf"\{{(w_i, w_j) : 0 < |i - j| \le {window}\}}"),
        Step(f"Context words per target (min(i − 1, w) + min(n − i, w)): {counts} = {len(pairs)}",
             f"每个中心词的上下文词数（min(i − 1, w) + min(n − i, w)）：{counts} = {len(pairs)}",
             r"\sum_{i=1}^{n} \left(\min(i-1, w) + \min(n-i, w)\right) = "
             + join_terms([str(k) for k in per_word], " + ", r"\cdots") + f" = {len(pairs)}",
             len(pairs)),
        Step(f"Word {position} ({words[p]}): context {', '.join(context) or '(none)'}; pairs "
             + (", ".join(f"({words[p]}, {w})" for w in context) or "(none)"),
             f"第 {position} 个词（{words[p]}）：上下文为 {'，'.join(context) or '（无）'}；样本对 "
             + ("，".join(f"({words[p]}, {w})" for w in context) or "（无）"),
             rf"\mathrm{{context}}(w_{{{position}}}) = \{{"
             + ", ".join(rf"\mathrm{{{_latex_word(w)}}}" for w in context) + r"\}",
             context),
    ]
    return Solution({"pairs": pairs, "num_pairs": len(pairs), "context": context}, steps)


def _word_index(name: str, value: float, vocab: int) -> int:
    if not float(value).is_integer() or not 0 <= value < vocab:
        raise SolverInputError(name, f"{num(value)} is not a word index 0 … {vocab - 1} "
                                     f"(indices start at 0)")
    return int(value)


def _rows(name: str, m: list[list[float]], width: int | None, what: str) -> None:
    if width is not None and len(m[0]) != width:
        raise SolverInputError(name, f"expected rows of {width} numbers ({what}), got "
                                     f"{len(m[0])}")


@solver(
    topic="embeddings",
    summary="CBOW forward pass: mean of the context vectors, softmax over the vocabulary, loss.",
    summary_zh="CBOW 前向计算：上下文词向量取平均，在词表上做 softmax，求损失。",
    params=[
        Param("embeddings", "mat", "input vectors, one row per vocabulary word (V x d)",
              doc_zh="输入词向量矩阵，每个词一行（V x d）"),
        Param("output_embeddings", "mat", "output vectors u_j, one row per word (V x d, as "
                                          "nn.Linear(d, V).weight)",
              doc_zh="输出词向量 u_j，每个词一行（V x d，同 nn.Linear(d, V).weight）"),
        Param("context", "vec", "indices of the context words (from 0)",
              doc_zh="上下文词的索引（从 0 开始）"),
        Param("target", "int", "index of the word to predict (from 0)",
              doc_zh="要预测的中心词的索引（从 0 开始）", min=0, max=MAX_INDEX),
    ],
    answers=[
        Answer("hidden", "vec", "h = mean of the context words' input vectors",
               doc_zh="h = 上下文词输入向量的平均"),
        Answer("scores", "vec", "u_j·h for every word j", doc_zh="每个词 j 的得分 u_j·h"),
        Answer("probs", "vec", "softmax of the scores", doc_zh="得分的 softmax"),
        Answer("loss", "float", "−ln p(target)", doc_zh="−ln p(中心词)"),
        Answer("grad_hidden", "vec", "∂loss/∂h = Σ_j (p_j − y_j) u_j",
               doc_zh="损失对 h 的梯度 ∂loss/∂h = Σ_j (p_j − y_j) u_j"),
    ],
    examples=[
        # CS231n (linear classification notes): scores 3.2, 5.1, −1.7 for the true class 0
        # give a softmax loss of 2.04; here h = mean(0.5, 1.5) = 1 and u = the scores.
        dict(embeddings=[[0.5], [1.5], [0.0]], output_embeddings=[[3.2], [5.1], [-1.7]],
             context=[0, 1], target=0),
        dict(embeddings=[[1, 0], [0, 1], [1, 1], [0, 0]],
             output_embeddings=[[1, -1], [0.5, 0.5], [-1, 1], [0, 1]], context=[0, 2],
             target=1),
    ],
)
def cbow_loss(embeddings, output_embeddings, context, target) -> Solution:
    """h = (1/C) Σ_{c ∈ context} E[c];  s_j = u_j·h;  p = softmax(s);  loss = −ln p_target.

    The full softmax of the original CBOW (no negative sampling, no hierarchical
    softmax), with separate input and output vectors as in word2vec, natural log.
    ∂loss/∂h = Σ_j (p_j − y_j) u_j, y the one-hot target; each context vector receives
    1/C of it.
    """
    vocab, dim = len(embeddings), len(embeddings[0])
    if len(output_embeddings) != vocab:
        raise SolverInputError("output_embeddings", f"expected {vocab} rows (one per word, "
                                                    f"as embeddings), got "
                                                    f"{len(output_embeddings)}")
    _rows("output_embeddings", output_embeddings, dim, "d, the width of embeddings")
    ids = [_word_index("context", c, vocab) for c in context]
    if target >= vocab:
        raise SolverInputError("target", f"{target} is not a word index 0 … {vocab - 1}")
    hidden = [sum(embeddings[i][k] for i in ids) / len(ids) for k in range(dim)]
    scores = [_dot(u, hidden) for u in output_embeddings]
    probs, log_total = _softmax(scores)
    loss = log_total - scores[target]
    grad = [sum((probs[j] - (j == target)) * output_embeddings[j][k]
                      for j in range(vocab)) for k in range(dim)]
    ids_text = ", ".join(map(str, ids))
    steps = [
        Step(f"Convention: CBOW with a full softmax; input vectors are the rows of embeddings, "
             f"output vectors the rows of output_embeddings; indices from 0; natural log. "
             f"Context words {ids_text}, target {target}.",
             f"约定：CBOW，使用完整的 softmax；输入向量为 embeddings 的行，输出向量为 "
             f"output_embeddings 的行；索引从 0 开始；自然对数。上下文词 {ids_text}，中心词 {target}。",
             r"h = \frac{1}{C}\sum_{c} E_c, \quad p = \mathrm{softmax}(U h), \quad "
             r"L = -\ln p_{t}"),
        Step(f"Hidden h = mean of rows {ids_text} of E (embeddings) = {num(hidden)}",
             f"隐藏层 h = E（embeddings）第 {ids_text} 行的平均 = {num(hidden)}",
             rf"h = \frac{{1}}{{{len(ids)}}}\left("
             + " + ".join(latex_vec(embeddings[i]) for i in ids[:6])
             + (r" + \cdots" if len(ids) > 6 else "") + rf"\right) = {latex_vec(hidden)}",
             hidden),
        Step(f"Scores s_j = u_j·h (u_j = row j of U, output_embeddings) = {num(scores)}",
             f"得分 s_j = u_j·h（u_j 为 U 即 output_embeddings 的第 j 行）= {num(scores)}",
             rf"s = U h = {latex_vec(scores)}", scores),
        Step(f"Softmax p = e^s / Σ e^s = {num(probs)}",
             f"做 softmax 得到概率 p = e^s / Σ e^s = {num(probs)}",
             rf"p = \mathrm{{softmax}}(s) = {latex_vec(probs)}", probs),
        Step(f"Loss = −ln p_{target} = −ln {num(probs[target])} = {num(loss)}",
             f"损失 = −ln p_{target} = −ln {num(probs[target])} = {num(loss)}",
             rf"L = -\ln p_{{{target}}} = -\ln {latex_num(probs[target])} = {latex_num(loss)}",
             loss),
        Step(f"Gradient ∂L/∂h = Σ_j (p_j − y_j) u_j = {num(grad)} (each context vector gets "
             f"1/{len(ids)} of it)",
             f"梯度 ∂L/∂h = Σ_j (p_j − y_j) u_j = {num(grad)}（每个上下文向量分得其 1/{len(ids)}）",
             rf"\frac{{\partial L}}{{\partial h}} = U^\top (p - y) = {latex_vec(grad)}", grad),
    ]
    return Solution({"hidden": hidden, "scores": scores, "probs": probs, "loss": loss,
                     "grad_hidden": grad}, steps)


@solver(
    topic="embeddings",
    summary="Skip-gram negative-sampling loss for one (target, context) pair and k negatives.",
    summary_zh="skip-gram 负采样损失：一个（中心词，上下文词）对与 k 个负样本。",
    params=[
        Param("center", "vec", "input vector v_c of the target (center) word",
              doc_zh="中心词的输入向量 v_c"),
        Param("context", "vec", "output vector u_o of the true context word",
              doc_zh="真实上下文词的输出向量 u_o"),
        Param("negatives", "mat", "output vectors u_k of the sampled negative words, one per row",
              doc_zh="采样得到的负样本词的输出向量 u_k，每行一个"),
    ],
    answers=[
        Answer("pos_score", "float", "u_o·v_c", doc_zh="正样本得分 u_o·v_c"),
        Answer("neg_scores", "vec", "u_k·v_c for each negative", doc_zh="每个负样本的得分 u_k·v_c"),
        Answer("loss", "float", "−ln σ(u_o·v_c) − Σ_k ln σ(−u_k·v_c)",
               doc_zh="损失 −ln σ(u_o·v_c) − Σ_k ln σ(−u_k·v_c)"),
        Answer("grad_center", "vec", "∂loss/∂v_c", doc_zh="损失对中心词向量的梯度 ∂loss/∂v_c"),
    ],
    examples=[
        # d2l §15.4 (SigmoidBCELoss): scores 1.1 (positive) and −2.2, 3.3, −4.4 (negatives)
        # give a mean loss of 0.9352, i.e. a summed loss of 3.7408.
        dict(center=[1], context=[1.1], negatives=[[-2.2], [3.3], [-4.4]]),
        dict(center=[0.5, -1], context=[1, -0.5], negatives=[[0.2, 0.4], [-1, 0]]),
    ],
)
def negative_sampling_loss(center, context, negatives) -> Solution:
    """L = −ln σ(u_o·v_c) − Σ_{k=1..K} ln σ(−u_k·v_c)   (Mikolov et al. 2013, eq. 4, negated).

    Summed over the K negatives (not averaged), natural log; σ(−x) = 1 − σ(x).
    ∂L/∂v_c = (σ(u_o·v_c) − 1) u_o + Σ_k σ(u_k·v_c) u_k.
    """
    dim = len(center)
    _same_length("context", context, dim, "the length of center")
    _rows("negatives", negatives, dim, "the length of center")
    pos = _dot(context, center)
    negs = [_dot(u, center) for u in negatives]
    pos_term = -_log_sigmoid(pos)
    neg_terms = [-_log_sigmoid(-s) for s in negs]
    loss = pos_term + sum(neg_terms)
    grad = [(_sigmoid(pos) - 1.0) * context[k]
            + sum(_sigmoid(s) * u[k] for s, u in zip(negs, negatives)) for k in range(dim)]
    neg_text = " + ".join(num(t) for t in neg_terms[:8]) + (" + …" if len(negs) > 8 else "")
    neg_latex = " + ".join(latex_num(t) for t in neg_terms[:8]) + (r" + \cdots" if len(negs) > 8 else "")
    steps = [
        Step(f"Convention: skip-gram with negative sampling; the true pair should score high "
             f"(σ(s) → 1) and each of the {len(negs)} negatives low (σ(−s) → 1); the loss sums "
             f"over the negatives, natural log.",
             f"约定：带负采样的 skip-gram；真实词对的得分应高（σ(s) → 1），{len(negs)} 个负样本的"
             f"得分应低（σ(−s) → 1）；损失对负样本求和，自然对数。",
             r"L = -\ln\sigma(u_o^\top v_c) - \sum_{k=1}^{K} \ln\sigma(-u_k^\top v_c)"),
        Step(f"Positive score u_o·v_c = {_dot_text(context, center)} = {num(pos)}",
             f"正样本得分 u_o·v_c = {_dot_text(context, center)} = {num(pos)}",
             rf"u_o^\top v_c = {_dot_latex(context, center)} = {latex_num(pos)}", pos),
        Step(f"Negative scores u_k·v_c = {num(negs)}",
             f"负样本得分 u_k·v_c = {num(negs)}",
             rf"u_k^\top v_c = {latex_vec(negs)}", negs),
        Step(f"−ln σ({num(pos)}) = {num(pos_term)}; −ln σ(−s_k) = {neg_text}",
             f"正样本项 −ln σ({num(pos)}) = {num(pos_term)}；负样本项 −ln σ(−s_k) = {neg_text}",
             rf"-\ln\sigma({latex_num(pos)}) = {latex_num(pos_term)}, \quad "
             rf"-\ln\sigma(-s_k) = {neg_latex}", [pos_term, *neg_terms]),
        Step(f"Loss = {num(pos_term)} + {num(sum(neg_terms))} = {num(loss)}",
             f"损失 = {num(pos_term)} + {num(sum(neg_terms))} = {num(loss)}",
             rf"L = {latex_num(pos_term)} + {latex_paren(sum(neg_terms))} = "
             rf"{latex_num(loss)}", loss),
        Step(f"Gradient ∂L/∂v_c = (σ(s_o) − 1) u_o + Σ_k σ(s_k) u_k = {num(grad)}",
             f"梯度 ∂L/∂v_c = (σ(s_o) − 1) u_o + Σ_k σ(s_k) u_k = {num(grad)}",
             r"\frac{\partial L}{\partial v_c} = (\sigma(u_o^\top v_c) - 1)\, u_o + "
             rf"\sum_k \sigma(u_k^\top v_c)\, u_k = {latex_vec(grad)}", grad),
    ]
    return Solution({"pos_score": pos, "neg_scores": negs, "loss": loss, "grad_center": grad},
                    steps)
