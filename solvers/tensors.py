"""Tensors by hand: result shapes of matmul, dot, broadcasting, reshape and transpose, and
vector/matrix norms, trace and determinant (closed-form arithmetic).

Shapes follow PyTorch and NumPy: `matmul` is torch.matmul / the `@` operator, `dot` is
numpy.dot (Keras' and Chollet's `dot`), `broadcast` is any elementwise operation (a + b,
the Hadamard product a * b), `reshape` is torch.reshape (one −1 inferred), `transpose`
reverses the axes (numpy `.T`) or permutes them as `axes` says (torch.permute).
An operation the shapes do not allow is an answer, not bad input: `status` is `error`,
the steps say why, and `shape` is [] (ndim 0, size 0). A scalar result is shape []
with status `ok` and size 1. Plain Python, no numpy: these solvers must start fast (see
`SolverSpec.needs_numpy`). Eigen-solvers, SVD and PCA are in `linalg.py`.
"""

from __future__ import annotations

import math

from solvers.arith import fsum
from solvers.fmt import join_terms, latex_matrix, latex_num, latex_paren, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_NDIM = 8  # axes of one shape
MAX_DIM = 1_000_000  # one axis
MAX_SIDE = 8  # a matrix side for trace and determinant (by-hand sizes)


OPS = ("matmul", "dot", "broadcast", "reshape", "transpose")


def as_shape(name: str, value, *, allow_minus_one: bool = False) -> tuple[int, ...]:
    """A shape: a list of at most MAX_NDIM whole numbers 1..MAX_DIM (−1 once, if allowed)."""
    if not isinstance(value, list):
        raise SolverInputError(name, "expected a shape: a list of whole numbers, like [32, 10]")
    if len(value) > MAX_NDIM:
        raise SolverInputError(name, f"at most {MAX_NDIM} axes")
    dims = []
    for d in value:
        if isinstance(d, bool) or not isinstance(d, (int, float)):
            raise SolverInputError(name, "every axis must be a whole number")
        if isinstance(d, float) and not (math.isfinite(d) and d.is_integer()):
            raise SolverInputError(name, "every axis must be a whole number")
        if isinstance(d, int) and abs(d) > MAX_DIM:
            raise SolverInputError(name, f"an axis is at most {MAX_DIM:,}")
        d = int(d)
        if allow_minus_one and d == -1:
            dims.append(d)
            continue
        if not 1 <= d <= MAX_DIM:
            raise SolverInputError(name, f"every axis must be between 1 and {MAX_DIM:,}"
                                         + (" (or −1 once, to be inferred)" if allow_minus_one else ""))
        dims.append(d)
    if dims.count(-1) > 1:
        raise SolverInputError(name, "only one axis can be −1 (inferred)")
    return tuple(dims)


def show(shape) -> str:
    """(2, 3) style, with (5,) for one axis and () for a scalar."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def latex_shape(shape) -> str:
    return r"(" + ", ".join(str(d) for d in shape) + (",)" if len(shape) == 1 else ")")


def broadcast_shapes(a, b) -> tuple[tuple[int, ...] | None, str, str]:
    """The broadcast shape of a and b, or None and the reason (en, zh)."""
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out = []
    for axis, (x, y) in enumerate(zip(pa, pb)):
        if x == y or x == 1 or y == 1:
            out.append(max(x, y))
        else:
            back = n - axis
            return (None, f"axis −{back} (counting from the right): {x} vs {y} — neither is "
                          f"equal to the other nor 1",
                    f"从右数第 {back} 个轴：{x} 与 {y} 既不相等，也都不是 1")
    return tuple(out), "", ""


def _matmul(a, b):
    """torch.matmul's result shape or (None, why_en, why_zh)."""
    if not a or not b:
        return None, "matmul needs at least one axis on each side", "matmul 要求两边都至少有一个轴"
    if len(a) == 1 and len(b) == 1:
        if a[0] != b[0]:
            return None, f"vector lengths differ: {a[0]} vs {b[0]}", f"向量长度不同：{a[0]} 与 {b[0]}"
        return (), "", ""
    ma = (1,) + a if len(a) == 1 else a
    mb = b + (1,) if len(b) == 1 else b
    if ma[-1] != mb[-2]:
        return (None, f"inner dimensions differ: a has {ma[-1]} columns but b has {mb[-2]} rows",
                f"内侧维度不一致：a 有 {ma[-1]} 列，b 有 {mb[-2]} 行")
    batch, why_en, why_zh = broadcast_shapes(ma[:-2], mb[:-2])
    if batch is None:
        return None, "batch axes do not broadcast: " + why_en, "批量轴无法广播：" + why_zh
    out = batch + (ma[-2],) * (len(a) > 1) + (mb[-1],) * (len(b) > 1)
    return out, "", ""


def _dot(a, b):
    """numpy.dot's result shape or (None, why_en, why_zh)."""
    if not a or not b:
        return (a or b), "", ""  # a scalar operand: elementwise multiplication
    if len(b) == 1:
        if a[-1] != b[0]:
            return (None, f"the last axis of a ({a[-1]}) differs from the length of b ({b[0]})",
                    f"a 的最后一个轴（{a[-1]}）与 b 的长度（{b[0]}）不同")
        return a[:-1], "", ""
    if a[-1] != b[-2]:
        return (None, f"the last axis of a ({a[-1]}) differs from the second-to-last axis of b "
                      f"({b[-2]})", f"a 的最后一个轴（{a[-1]}）与 b 的倒数第二个轴（{b[-2]}）不同")
    return a[:-1] + b[:-2] + b[-1:], "", ""


def _reshape(a, new):
    size = math.prod(a)
    if -1 in new:
        known = math.prod(d for d in new if d != -1)
        if size % known:
            return (None, f"{size} elements cannot be split into groups of {known} (the known "
                          f"axes) to infer −1", f"{size} 个元素无法按已知各轴之积 {known} 整分，无法推断 −1")
        new = tuple(size // known if d == -1 else d for d in new)
    if math.prod(new) != size:
        return (None, f"{show(a)} holds {size} elements but {show(new)} holds {math.prod(new)}",
                f"{show(a)} 有 {size} 个元素，而 {show(new)} 有 {math.prod(new)} 个")
    return new, "", ""


@solver(
    topic="linalg",
    summary="Result shape of matmul, dot, broadcasting, reshape or transpose — or why it fails.",
    summary_zh="matmul、dot、广播、reshape 或转置的结果形状——或者失败的原因。",
    params=[
        Param("op", "str", "the operation", choices=OPS, doc_zh="运算"),
        Param("a", "json", "shape of the (first) tensor, e.g. [32, 10]; [] for a scalar",
              doc_zh="（第一个）张量的形状，如 [32, 10]；标量为 []"),
        Param("b", "json", "shape of the second tensor (matmul, dot, broadcast)", default=None,
              doc_zh="第二个张量的形状（matmul、dot、broadcast 需要）"),
        Param("new_shape", "json", "target shape for reshape; one axis may be −1", default=None,
              doc_zh="reshape 的目标形状；可有一个轴为 −1"),
        Param("axes", "json", "permutation for transpose (default: reverse the axes)",
              default=None, doc_zh="transpose 的轴排列（默认：倒序）"),
    ],
    answers=[
        Answer("shape", "vec", "result shape ([] for a scalar or when the op fails)",
               doc_zh="结果形状（标量或运算失败时为 []）"),
        Answer("ndim", "int", "number of axes (rank) of the result; 0 on failure",
               doc_zh="结果的轴数（阶）；失败时为 0"),
        Answer("size", "int", "number of elements of the result; 0 on failure",
               doc_zh="结果的元素个数；失败时为 0"),
        Answer("status", "str", "ok, or error when the shapes do not allow the operation",
               doc_zh="ok；若形状不允许该运算则为 error"),
    ],
    examples=[
        dict(op="matmul", a=[10, 3, 4], b=[4, 5]),  # batched: (10, 3, 5)
        dict(op="broadcast", a=[256, 256, 3], b=[3]),  # NumPy docs: (256, 256, 3)
        dict(op="broadcast", a=[2, 1], b=[8, 4, 3]),  # NumPy docs: fails (2 vs 4)
        dict(op="reshape", a=[60000, 28, 28], new_shape=[60000, -1]),  # Chollet: (60000, 784)
        dict(op="dot", a=[3, 4, 5], b=[6, 5, 2]),  # numpy.dot: (3, 4, 6, 2)
        dict(op="transpose", a=[32, 64, 64, 3], axes=[0, 3, 1, 2]),  # NHWC -> NCHW
    ],
)
def tensor_shape(op, a, b, new_shape, axes) -> Solution:
    """matmul (torch.matmul): (…, n, m) @ (…, m, p) → (broadcast(…), n, p); a 1-D operand
    gets a 1 prepended (left) or appended (right), removed afterwards; 1-D @ 1-D → ().
    dot (numpy.dot): a·b sums over the last axis of a and the second-to-last of b (the only
    one of a 1-D b): shape a[:-1] + b[:-2] + b[-1:]; with a scalar it multiplies.
    broadcast: align the shapes on the right, pad with 1s; per axis the sizes must be equal
    or one of them 1; the result takes the larger. reshape: same number of elements; one −1
    is inferred. transpose: reverse the axes, or take them in the order `axes`.
    """
    a = as_shape("a", a)
    for name, value, used_by in (("b", b, ("matmul", "dot", "broadcast")),
                                 ("new_shape", new_shape, ("reshape",)),
                                 ("axes", axes, ("transpose",))):
        if value is not None and op not in used_by:
            raise SolverInputError(name, f"is not used by op={op} (only by {', '.join(used_by)})")
    if op in ("matmul", "dot", "broadcast"):
        if b is None:
            raise SolverInputError("b", f"op={op} needs the second shape b")
        b = as_shape("b", b)
    steps = []
    if op == "matmul":
        out, why_en, why_zh = _matmul(a, b)
        steps.append(Step(
            "Convention: torch.matmul (the @ operator). The last two axes multiply as matrices, "
            "(n, m) @ (m, p) → (n, p); the axes before them are batch axes and broadcast. A 1-D "
            "operand is a row (left) or a column (right) vector, and that axis is dropped again.",
            "约定：torch.matmul（@ 运算符）。最后两个轴按矩阵相乘，(n, m) @ (m, p) → (n, p)；"
            "前面的轴是批量轴，按广播规则对齐。一维操作数在左边视为行向量、在右边视为列向量，"
            "结果中再去掉这个轴。",
            r"(B, n, m) \,@\, (B, m, p) \to (B, n, p)", None))
        formula = rf"{latex_shape(a)} \,@\, {latex_shape(b)}"
    elif op == "dot":
        out, why_en, why_zh = _dot(a, b)
        steps.append(Step(
            "Convention: numpy.dot (Keras/Chollet's dot). It sums over the last axis of a and "
            "the second-to-last axis of b (the only axis of a vector b): result shape "
            "a[:-1] + b[:-2] + b[-1:]. Two vectors give a scalar; a matrix and a vector a vector.",
            "约定：numpy.dot（Keras/Chollet 书中的 dot）。对 a 的最后一个轴与 b 的倒数第二个轴"
            "（b 为向量时即其唯一的轴）求和：结果形状为 a[:-1] + b[:-2] + b[-1:]。"
            "两个向量得标量；矩阵与向量得向量。",
            r"\mathrm{dot}(a, b)_{i,j,k,m} = \sum_l a_{i,j,l}\, b_{k,l,m}", None))
        formula = rf"\mathrm{{dot}}({latex_shape(a)}, {latex_shape(b)})"
    elif op == "broadcast":
        out, why_en, why_zh = broadcast_shapes(a, b)
        n = max(len(a), len(b))
        pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
        steps.append(Step(
            f"Convention: NumPy/PyTorch broadcasting for an elementwise op (a + b, the Hadamard "
            f"product a ⊙ b). Align on the right and pad with 1s: {show(pa)} and {show(pb)}. Per "
            f"axis the sizes must be equal or one of them 1; the result takes the larger.",
            f"约定：NumPy/PyTorch 对逐元素运算（a + b、哈达玛积 a ⊙ b）的广播规则。右对齐并在左侧补 1："
            f"{show(pa)} 与 {show(pb)}。每个轴上两者必须相等或其中一个为 1；结果取较大者。",
            rf"{latex_shape(pa)} \odot {latex_shape(pb)}", [list(pa), list(pb)]))
        formula = rf"{latex_shape(a)} \odot {latex_shape(b)}"
    elif op == "reshape":
        if new_shape is None:
            raise SolverInputError("new_shape", "op=reshape needs new_shape")
        new = as_shape("new_shape", new_shape, allow_minus_one=True)
        out, why_en, why_zh = _reshape(a, new)
        size = math.prod(a)
        steps.append(Step(
            f"Convention: torch.reshape / numpy.reshape. The element count must stay "
            f"{' · '.join(map(str, a)) or '1'} = {size}; a −1 axis is that count divided by the "
            f"product of the others.",
            f"约定：torch.reshape / numpy.reshape。元素总数必须保持 "
            f"{' · '.join(map(str, a)) or '1'} = {size}；−1 轴等于总数除以其余各轴之积。",
            rf"\prod {latex_shape(a)} = {size}", size))
        formula = rf"\mathrm{{reshape}}({latex_shape(a)}, {latex_shape(new)})"
    else:
        n = len(a)
        if axes is None:
            perm = tuple(range(n - 1, -1, -1))
            how_en, how_zh = "reverse the axes (numpy .T)", "把各轴倒序（numpy 的 .T）"
        else:
            perm = as_axes(axes, n)
            how_en = f"take the axes in the order {list(perm)} (torch.permute)"
            how_zh = f"按 {list(perm)} 的顺序重排各轴（torch.permute）"
        out, why_en, why_zh = tuple(a[i] for i in perm), "", ""
        steps.append(Step(
            f"Convention: transpose = {how_en}; new axis i is old axis perm[i]. The elements "
            f"are the same, only their order changes.",
            f"约定：转置 = {how_zh}；新的第 i 个轴是原来的第 perm[i] 个轴。元素不变，只是顺序改变。",
            r"\mathrm{shape}_i = a_{\mathrm{perm}[i]}", list(perm)))
        formula = rf"\mathrm{{transpose}}({latex_shape(a)})"
    if out is None:
        steps.append(Step(f"Fails: {why_en}.", f"运算失败：{why_zh}。",
                          formula + r" \to \text{error}", None))
        return Solution({"shape": [], "ndim": 0, "size": 0, "status": "error"}, steps)
    size = math.prod(out)
    steps.append(Step(
        f"Result shape {show(out)}: {len(out)} axes (rank {len(out)}), {size} elements.",
        f"结果形状 {show(out)}：{len(out)} 个轴（{len(out)} 阶），共 {size} 个元素。",
        rf"{formula} \to {latex_shape(out)}", list(out)))
    return Solution({"shape": list(out), "ndim": len(out), "size": size, "status": "ok"}, steps)


def as_axes(value, n: int) -> tuple[int, ...]:
    """A permutation of 0..n−1 (negative axes counted from the end, as torch.permute)."""
    if not isinstance(value, list) or len(value) != n:
        raise SolverInputError("axes", f"expected a list of {n} axes (a permutation of 0..{n - 1})")
    perm = []
    for x in value:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or (
                isinstance(x, float) and not (math.isfinite(x) and x.is_integer())):
            raise SolverInputError("axes", "every axis must be a whole number")
        if not -n <= x < n:
            raise SolverInputError("axes", f"axis {int(x) if abs(x) < 10**6 else '…'} is out of "
                                           f"range for {n} axes")
        perm.append(int(x) % n)
    if sorted(perm) != list(range(n)):
        raise SolverInputError("axes", f"must name each of the {n} axes exactly once")
    return tuple(perm)


# ---------------------------------------------------------------- norms


@solver(
    topic="linalg",
    summary="L1, L2 and max (L∞) norms of a vector, and the squared L2 norm.",
    summary_zh="向量的 L1、L2、最大（L∞）范数以及 L2 范数的平方。",
    params=[Param("x", "vec", "the vector", doc_zh="向量")],
    answers=[
        Answer("l1", "float", "Σ|xᵢ|", doc_zh="L1 范数 Σ|xᵢ|"),
        Answer("l2", "float", "√Σxᵢ² (Euclidean)", doc_zh="√Σxᵢ²（欧几里得范数）"),
        Answer("max", "float", "maxᵢ |xᵢ| (L∞)", doc_zh="最大范数 maxᵢ |xᵢ|（L∞）"),
        Answer("l2_squared", "float", "Σxᵢ² = xᵀx", doc_zh="L2 范数的平方 Σxᵢ² = xᵀx"),
    ],
    examples=[dict(x=[3, -4]), dict(x=[1, -2, 2, 0])],  # 7, 5, 4, 25 and 5, 3, 2, 9
)
def vector_norms(x) -> Solution:
    """‖x‖_p = (Σ|xᵢ|^p)^(1/p): L1 = Σ|xᵢ| (grows by the same amount near 0 as far from it,
    so it separates zero and small non-zero entries), L2 = √Σxᵢ², L∞ = maxᵢ |xᵢ|; the
    squared L2 norm xᵀx is easier to differentiate. L2 is computed with math.hypot so
    huge entries cannot overflow in the squares.
    """
    l1 = fsum(abs(v) for v in x)
    l2 = math.hypot(*x)
    sq = fsum(v * v for v in x)
    mx = max(abs(v) for v in x)
    abs_terms = join_terms([num(abs(v)) for v in x], " + ")
    sq_terms = join_terms([f"{paren(v)}²" for v in x], " + ")
    latex_abs = join_terms([latex_num(abs(v)) for v in x], " + ", r"\cdots")
    latex_sq = join_terms([f"{latex_paren(v)}^2" for v in x], " + ", r"\cdots")
    steps = [
        Step(f"L1: ‖x‖₁ = Σ|xᵢ| = {abs_terms} = {num(l1)}",
             f"L1 范数：‖x‖₁ = Σ|xᵢ| = {abs_terms} = {num(l1)}",
             rf"\|x\|_1 = \sum_i |x_i| = {latex_abs} = {latex_num(l1)}", l1),
        Step(f"L2: ‖x‖₂² = Σxᵢ² = {sq_terms} = {num(sq)}, so ‖x‖₂ = √{num(sq)} = {num(l2)}",
             f"L2 范数：‖x‖₂² = Σxᵢ² = {sq_terms} = {num(sq)}，所以 ‖x‖₂ = √{num(sq)} = {num(l2)}",
             rf"\|x\|_2 = \sqrt{{{latex_sq}}} = \sqrt{{{latex_num(sq)}}} = {latex_num(l2)}", l2),
        Step(f"Max norm: ‖x‖∞ = max|xᵢ| = {num(mx)}",
             f"最大范数：‖x‖∞ = max|xᵢ| = {num(mx)}",
             rf"\|x\|_\infty = \max_i |x_i| = {latex_num(mx)}", mx),
    ]
    return Solution({"l1": l1, "l2": l2, "max": mx, "l2_squared": sq}, steps)


@solver(
    topic="linalg",
    summary="Frobenius norm and largest absolute entry of a matrix (‖A‖_F = √tr(AᵀA)).",
    summary_zh="矩阵的 Frobenius 范数与最大绝对值元素（‖A‖_F = √tr(AᵀA)）。",
    params=[Param("matrix", "mat", "the matrix A (lists of rows)", doc_zh="矩阵 A（按行给出）")],
    answers=[
        Answer("frobenius", "float", "‖A‖_F = √Σᵢⱼ aᵢⱼ²", doc_zh="Frobenius 范数 ‖A‖_F = √Σᵢⱼ aᵢⱼ²"),
        Answer("frobenius_squared", "float", "Σᵢⱼ aᵢⱼ² = tr(AᵀA)", doc_zh="Frobenius 范数的平方 Σᵢⱼ aᵢⱼ² = tr(AᵀA)"),
        Answer("max_abs", "float", "maxᵢⱼ |aᵢⱼ|", doc_zh="最大绝对值元素 maxᵢⱼ |aᵢⱼ|"),
    ],
    examples=[dict(matrix=[[1, 2], [3, 4]]), dict(matrix=[[1, -2, 2], [0, 3, -4]])],  # √30; √34
)
def matrix_norms(matrix) -> Solution:
    """‖A‖_F = √(Σᵢⱼ aᵢⱼ²) = √tr(AᵀA): the L2 norm of A's entries laid out as one vector
    (the Hilbert–Schmidt norm). max_abs = maxᵢⱼ |aᵢⱼ|.
    """
    entries = [v for row in matrix for v in row]
    sq = fsum(v * v for v in entries)
    fro = math.hypot(*entries)
    mx = max(abs(v) for v in entries)
    terms = join_terms([f"{paren(v)}²" for v in entries], " + ")
    latex_terms = join_terms([f"{latex_paren(v)}^2" for v in entries], " + ", r"\cdots")
    steps = [
        Step(f"Square and add every entry: Σ aᵢⱼ² = {terms} = {num(sq)} (= tr(AᵀA), the sum of "
             f"the diagonal of AᵀA)",
             f"每个元素平方后求和：Σ aᵢⱼ² = {terms} = {num(sq)}（= tr(AᵀA)，即 AᵀA 对角线之和）",
             rf"\sum_{{i,j}} a_{{ij}}^2 = {latex_terms} = {latex_num(sq)} = "
             r"\mathrm{tr}(A^\top A)", sq),
        Step(f"Frobenius norm ‖A‖_F = √{num(sq)} = {num(fro)}; largest |entry| = {num(mx)}",
             f"Frobenius 范数 ‖A‖_F = √{num(sq)} = {num(fro)}；最大绝对值元素 = {num(mx)}",
             rf"\|A\|_F = \sqrt{{{latex_num(sq)}}} = {latex_num(fro)},\ \max_{{i,j}} |a_{{ij}}| = "
             rf"{latex_num(mx)}", fro),
    ]
    return Solution({"frobenius": fro, "frobenius_squared": sq, "max_abs": mx}, steps)


def determinant(a: list[list[float]]) -> float:
    """det A by Gaussian elimination with partial pivoting (plain floats)."""
    m = [row[:] for row in a]
    n, det = len(m), 1.0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if m[pivot][col] == 0:
            return 0.0
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            det = -det
        det *= m[col][col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            for c in range(col, n):
                m[r][c] -= factor * m[col][c]
    return det + 0.0


@solver(
    topic="linalg",
    summary="Trace and determinant of a small square matrix (sum and product of its eigenvalues).",
    summary_zh="小型方阵的迹与行列式（即特征值之和与之积）。",
    params=[Param("matrix", "mat", "a square matrix A (lists of rows)", doc_zh="方阵 A（按行给出）")],
    answers=[
        Answer("trace", "float", "tr A = Σ aᵢᵢ", doc_zh="迹 tr A = Σ aᵢᵢ"),
        Answer("det", "float", "det A", doc_zh="行列式 det A"),
    ],
    examples=[dict(matrix=[[2, 1], [1, 2]]), dict(matrix=[[2, 0, 1], [1, 3, 2], [1, 1, 1]])],
)
def trace(matrix) -> Solution:
    """tr A = Σᵢ aᵢᵢ (the sum of the eigenvalues; tr(AB) = tr(BA), tr A = tr Aᵀ);
    det A = the product of the eigenvalues (2x2: ad − bc; larger: Gaussian elimination,
    the product of the pivots with a sign flip per row swap). det A = 0 iff A is singular.
    """
    n = len(matrix)
    if len(matrix[0]) != n:
        raise SolverInputError("matrix", f"must be square, got {n}x{len(matrix[0])}")
    if n > MAX_SIDE:
        raise SolverInputError("matrix", f"at most {MAX_SIDE}x{MAX_SIDE} here (by-hand sizes)")
    if any(abs(v) > 1e30 for row in matrix for v in row):
        raise SolverInputError("matrix", "entries must be at most 1e+30 in size")
    diag = [matrix[i][i] for i in range(n)]
    tr = fsum(diag) + 0.0
    if n == 2:
        (p, q), (r, s) = matrix
        det = p * s - q * r + 0.0
        det_en = f"det A = ad − bc = {paren(p)}·{paren(s)} − {paren(q)}·{paren(r)} = {num(det)}"
        det_zh = f"det A = ad − bc = {paren(p)}·{paren(s)} − {paren(q)}·{paren(r)} = {num(det)}（二阶行列式）"
        det_latex = (rf"\det A = ad - bc = {latex_paren(p)} \cdot {latex_paren(s)} - "
                     rf"{latex_paren(q)} \cdot {latex_paren(r)} = {latex_num(det)}")
    else:
        det = determinant(matrix)
        det_en = (f"det A by Gaussian elimination (product of the pivots, a sign flip per row "
                  f"swap) = {num(det)}")
        det_zh = f"用高斯消元求 det A（主元之积，每交换一次行变一次号）= {num(det)}"
        det_latex = rf"\det {latex_matrix(matrix)} = {latex_num(det)}"
    singular_en = " A is singular (not invertible)." if det == 0 else ""
    singular_zh = "A 是奇异矩阵（不可逆）。" if det == 0 else ""
    steps = [
        Step(f"Trace = sum of the diagonal = {join_terms([num(v) for v in diag], ' + ')} = {num(tr)} "
             f"(= the sum of the eigenvalues)",
             f"迹 = 对角线元素之和 = {join_terms([num(v) for v in diag], ' + ')} = {num(tr)}（= 特征值之和）",
             rf"\mathrm{{tr}}\,A = \sum_i a_{{ii}} = {latex_num(tr)}", tr),
        Step(det_en + " (= the product of the eigenvalues)." + singular_en,
             det_zh + "（= 特征值之积）。" + singular_zh, det_latex, det),
    ]
    return Solution({"trace": tr, "det": det}, steps)
