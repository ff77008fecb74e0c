"""Attention by hand on small matrices: scaled dot-product and additive (Bahdanau) (numpy).

Conventions: `torch.nn.functional.scaled_dot_product_attention` (queries, keys and values
as rows; scores Q Kᵀ / √d_k with d_k the width of the queries; softmax over the keys of
each query, i.e. along each row; no mask, no dropout) and d2l's `AdditiveAttention`
(W_q, W_k and v without biases, weights out x in as `nn.Linear`). Parameter counts and
positional encodings, which need no numpy, are in `transformer.py`.
"""

from __future__ import annotations

import math

import numpy as np

from solvers.fmt import latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.registry import Answer, Param, SameAs, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # products of small matrices
MAX_SCORES = 10_000  # queries · keys: the score matrix is listed cell by cell
MAX_WORK = 1_000_000  # multiply-adds of one product


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Softmax along the last axis, the row maximum subtracted first so exp cannot overflow."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def _check_work(rows: int, cols: int, inner: int, row_param: str, col_param: str) -> None:
    """SolverInputError, blaming the longer of the two inputs, when the rows × cols score
    matrix or the multiplications would exceed what a by-hand solver should take."""
    param = row_param if rows >= cols else col_param
    if rows * cols > MAX_SCORES:
        raise SolverInputError(param, f"{rows} queries × {cols} keys = {rows * cols:,} scores; "
                                      f"this by-hand solver takes at most {MAX_SCORES:,}")
    if rows * cols * inner > MAX_WORK:
        raise SolverInputError(param, f"about {rows * cols * inner:,} multiplications; this "
                                      f"by-hand solver takes at most {MAX_WORK:,}")


def _softmax_row_text(row: np.ndarray, weights: np.ndarray) -> tuple[str, str]:
    """'e^1.2 / (e^1.2 + e^0.4) = …' for one row of scores, as text and as LaTeX."""
    shown = row[:6]
    more = len(row) > 6
    text = (" + ".join(f"e^{num(s)}" for s in shown) + (" + …" if more else ""))
    latex = (" + ".join(f"e^{{{latex_num(s)}}}" for s in shown) + (r" + \cdots" if more else ""))
    return (f"softmax: e^s / ({text}) = {num(weights)}",
            rf"\mathrm{{softmax}}(s) = \frac{{e^{{s}}}}{{{latex}}} = {latex_vec(weights)}")


@solver(
    topic="attention",
    summary="Scaled dot-product attention, as torch.nn.functional.scaled_dot_product_attention.",
    summary_zh="缩放点积注意力（与 torch.nn.functional.scaled_dot_product_attention 相同）。",
    params=[
        Param("query", "mat", "queries Q, one per row (n_q x d_k)",
              doc_zh="查询矩阵 Q，每行一个查询（n_q x d_k）"),
        Param("key", "mat", "keys K, one per row (n_k x d_k)",
              doc_zh="键矩阵 K，每行一个键（n_k x d_k）"),
        Param("value", "mat", "values V, one per row, one row per key (n_k x d_v)",
              doc_zh="值矩阵 V，每行一个值，与键一一对应（n_k x d_v）"),
        Param("scaled", "bool", "divide the scores by √d_k (false: plain dot-product attention)",
              doc_zh="是否把得分除以 √d_k（false 为普通点积注意力）", default=True),
    ],
    answers=[
        Answer("scores", "mat", "the logits that enter the softmax: Q Kᵀ (/ √d_k)",
               doc_zh="进入 softmax 的得分：Q Kᵀ（/ √d_k）"),
        Answer("weights", "mat", "softmax of each row of scores (each row sums to 1)",
               doc_zh="对每行得分做 softmax 得到的注意力权重（每行和为 1）"),
        Answer("output", "mat", "weights · V, one row per query",
               doc_zh="输出 = 权重 · V，每个查询一行"),
    ],
    examples=[
        # Alammar, "The Illustrated Transformer": q·k1 = 112, q·k2 = 96, d_k = 64, so the
        # scores are 14 and 12 and the softmax 0.88 and 0.12.
        dict(query=[[1] + [0] * 63], key=[[112] + [0] * 63, [96] + [0] * 63],
             value=[[1, 0], [0, 1]]),
        dict(query=[[1, 0], [0, 1]], key=[[1, 1], [1, -1], [0, 2]],
             value=[[1, 2], [3, 4], [5, 6]], scaled=False),
    ],
)
def attention(query, key, value, scaled) -> Solution:
    """scores = Q Kᵀ / √d_k (Q Kᵀ when scaled is false); weights = softmax of each row;
    output = weights · V.

    d_k is the number of columns of Q (and K). Each query's weights sum to 1 over the
    keys; the output row of a query is the weighted average of the value rows.
    """
    q, k, v = (np.asarray(m, dtype=float) for m in (query, key, value))
    d = q.shape[1]
    if k.shape[1] != d:
        raise SolverInputError("key", f"expected rows of {d} numbers (d_k, the width of "
                                      f"query), got {k.shape[1]}")
    if v.shape[0] != k.shape[0]:
        raise SolverInputError("value", f"expected {k.shape[0]} rows (one per key), got "
                                        f"{v.shape[0]}")
    _check_work(q.shape[0], k.shape[0], max(d, v.shape[1]), "query", "key")
    raw = q @ k.T
    scale = math.sqrt(d) if scaled else 1.0
    scores = raw / scale
    weights = softmax_rows(scores)
    output = weights @ v
    row_text, row_latex = _softmax_row_text(scores[0], weights[0])
    if scaled:
        convention = (f"Convention: scaled dot-product attention (PyTorch), scores = Q Kᵀ / √d_k "
                      f"with d_k = {d} (√d_k = {num(scale)}); softmax over the keys of each "
                      f"query (along each row); output = weights · V.")
        convention_zh = (f"约定：缩放点积注意力（PyTorch），得分 = Q Kᵀ / √d_k，d_k = {d}"
                         f"（√d_k = {num(scale)}）；对每个查询在所有键上做 softmax（按行）；"
                         f"输出 = 权重 · V。")
    else:
        convention = ("Convention: plain dot-product attention, scores = Q Kᵀ (no scaling); "
                      "softmax over the keys of each query (along each row); output = "
                      "weights · V.")
        convention_zh = ("约定：普通点积注意力，得分 = Q Kᵀ（不缩放）；对每个查询在所有键上做 "
                         "softmax（按行）；输出 = 权重 · V。")
    steps = [
        Step(convention, convention_zh,
             r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}"
             r"\right) V" if scaled else r"\mathrm{softmax}(Q K^\top) V"),
        Step(f"Dot products Q Kᵀ (row = query, column = key) = {matrix_text(raw, 'en')}",
             f"点积 Q Kᵀ（行 = 查询，列 = 键）= {matrix_text(raw, 'zh')}",
             rf"Q K^\top = {latex_matrix(raw)}", raw),
    ]
    if scaled:
        steps.append(Step(
            f"Scores = Q Kᵀ / √{d} = Q Kᵀ / {num(scale)} = {matrix_text(scores, 'en')}",
            f"得分 = Q Kᵀ / √{d} = Q Kᵀ / {num(scale)} = {matrix_text(scores, 'zh')}",
            rf"S = \frac{{Q K^\top}}{{\sqrt{{{d}}}}} = {latex_matrix(scores)}", scores))
    steps += [
        Step(f"First query: {row_text}", f"第一个查询：{row_text}", row_latex, weights[0]),
        Step(f"Attention weights, every row the same way (each row sums to 1) = "
             f"{matrix_text(weights, 'en')}",
             f"注意力权重，每行同理（每行之和为 1）= {matrix_text(weights, 'zh')}",
             rf"A = \mathrm{{softmax}}(S) = {latex_matrix(weights)}", weights),
        Step(f"Output = weights · V (each row a weighted average of the value rows) = "
             f"{matrix_text(output, 'en')}",
             f"输出 = 权重 · V（每行是各值向量的加权平均）= {matrix_text(output, 'zh')}",
             rf"A V = {latex_matrix(output)}", output),
    ]
    return Solution({"scores": scores, "weights": weights, "output": output}, steps)


@solver(
    topic="attention",
    summary="Additive (Bahdanau) attention of one query over a few keys.",
    summary_zh="一个查询对若干个键的加性（Bahdanau）注意力。",
    params=[
        Param("query", "vec", "the query q (decoder state), length d_q",
              doc_zh="查询 q（解码器状态），长度 d_q"),
        Param("keys", "mat", "the keys k_i (encoder states), one per row (n x d_k)",
              doc_zh="键 k_i（编码器状态），每行一个（n x d_k）"),
        Param("w_q", "mat", "query projection W_q (h x d_q, out x in)",
              doc_zh="查询投影 W_q（h x d_q，输出 x 输入）"),
        Param("w_k", "mat", "key projection W_k (h x d_k, out x in)",
              doc_zh="键投影 W_k（h x d_k，输出 x 输入）"),
        Param("v", "vec", "the scoring vector v (length h)", doc_zh="打分向量 v（长度 h）"),
        Param("values", "mat", "values, one row per key (default: the keys)",
              doc_zh="值，每个键一行（默认就是键本身）", default=SameAs("keys")),
    ],
    answers=[
        Answer("scores", "vec", "vᵀ tanh(W_q q + W_k k_i) for each key",
               doc_zh="每个键的得分 vᵀ tanh(W_q q + W_k k_i)"),
        Answer("weights", "vec", "softmax of the scores", doc_zh="得分的 softmax（注意力权重）"),
        Answer("context", "vec", "Σ_i weight_i · value_i", doc_zh="上下文向量 Σ_i 权重_i · 值_i"),
    ],
    examples=[
        # d2l §11.3 (AdditiveAttention): identical keys give uniform weights, so the
        # context is the mean of the values: [2, 3, 4, 5] for the first two rows of
        # arange(40).reshape(10, 4), whatever the weights.
        dict(query=[0.5, -1], keys=[[1, 1], [1, 1]], w_q=[[1, 0], [0, 1], [1, 1]],
             w_k=[[0.5, 0], [0, 0.5], [1, -1]], v=[1, -1, 0.5], values=[[0, 1, 2, 3],
                                                                      [4, 5, 6, 7]]),
        dict(query=[1, 0], keys=[[1, 0], [0, 1], [1, 1]], w_q=[[1, 0], [0, 1]],
             w_k=[[1, 0], [0, 1]], v=[1, 1]),
    ],
)
def additive_attention(query, keys, w_q, w_k, v, values) -> Solution:
    """score_i = vᵀ tanh(W_q q + W_k k_i);  weights = softmax(scores);  context = Σ_i wᵢ vᵢ.

    Bahdanau, Cho & Bengio (2015); as d2l's AdditiveAttention: W_q, W_k and v carry no
    bias, weights are out x in (`nn.Linear(d_q, h).weight`). Without `values` the keys
    are the values (the encoder states, as in Bahdanau's model).
    """
    q, k, wq, wk, vv, vals = (np.asarray(m, dtype=float)
                              for m in (query, keys, w_q, w_k, v, values))
    hidden = wq.shape[0]
    if wq.shape[1] != q.shape[0]:
        raise SolverInputError("w_q", f"expected {q.shape[0]} columns (d_q, the length of "
                                      f"query), got {wq.shape[1]}")
    if wk.shape != (hidden, k.shape[1]):
        raise SolverInputError("w_k", f"expected {hidden} x {k.shape[1]} (h = rows of w_q, x "
                                      f"d_k = width of keys), got {wk.shape[0]} x "
                                      f"{wk.shape[1]}")
    if vv.shape[0] != hidden:
        raise SolverInputError("v", f"expected {hidden} numbers (h = rows of w_q), got "
                                    f"{vv.shape[0]}")
    if vals.shape[0] != k.shape[0]:
        raise SolverInputError("values", f"expected {k.shape[0]} rows (one per key), got "
                                         f"{vals.shape[0]}")
    _check_work(1, k.shape[0], hidden * max(k.shape[1], vals.shape[1]), "query", "keys")
    pq = wq @ q
    pk = k @ wk.T  # row i = W_k k_i
    features = np.tanh(pq + pk)
    scores = features @ vv
    weights = softmax_rows(scores)
    context = weights @ vals
    row_text, row_latex = _softmax_row_text(scores, weights)
    steps = [
        Step(f"Convention: additive (Bahdanau) attention, score_i = vᵀ tanh(W_q q + W_k k_i), "
             f"no biases, weights out x in; hidden size h = {hidden}; softmax over the "
             f"{k.shape[0]} keys; context = Σ weight_i · value_i"
             + ("" if values is not keys else " (values = keys)") + ".",
             f"约定：加性（Bahdanau）注意力，score_i = vᵀ tanh(W_q q + W_k k_i)，无偏置，权重为"
             f"输出 x 输入；隐藏维度 h = {hidden}；在 {k.shape[0]} 个键上做 softmax；上下文 = "
             f"Σ 权重_i · 值_i" + ("" if values is not keys else "（值 = 键）") + "。",
             r"e_i = v^\top \tanh(W_q q + W_k k_i), \quad \alpha = \mathrm{softmax}(e), \quad "
             r"c = \sum_i \alpha_i v_i"),
        Step(f"Projected query W_q q = {num(pq)}", f"投影后的查询 W_q q = {num(pq)}",
             rf"W_q q = {latex_vec(pq)}", pq),
        Step(f"Projected keys W_k k_i (one per row) = {matrix_text(pk, 'en')}",
             f"投影后的键 W_k k_i（每行一个）= {matrix_text(pk, 'zh')}",
             rf"\left[W_k k_i\right]_i = {latex_matrix(pk)}", pk),
        Step(f"tanh(W_q q + W_k k_i) (one row per key) = {matrix_text(features, 'en')}",
             f"tanh(W_q q + W_k k_i)（每个键一行）= {matrix_text(features, 'zh')}",
             rf"\tanh(W_q q + W_k k_i) = {latex_matrix(features)}", features),
        Step(f"Scores e_i = v · tanh(…) = {num(scores)}",
             f"得分 e_i = v · tanh(…) = {num(scores)}",
             rf"e = {latex_vec(scores)}", scores),
        Step(f"Attention weights, {row_text}", f"注意力权重，{row_text}", row_latex, weights),
        Step(f"Context = Σ weight_i · value_i = {num(context)}",
             f"上下文向量 = Σ 权重_i · 值_i = {num(context)}",
             rf"c = \sum_i \alpha_i v_i = {latex_vec(context)}", context),
    ]
    return Solution({"scores": scores, "weights": weights, "context": context}, steps)
