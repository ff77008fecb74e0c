"""Linear algebra by hand: eigendecomposition, SVD with the pseudo-inverse, and PCA (numpy).

Sign convention (every eigenvector, singular vector and principal component): unit length
(L2), and its largest-magnitude entry positive — ties within 1e-9 go to the first such
entry. v and −v are equally valid, so a bank grades these with `vector_up_to_sign`;
the convention only makes the printed answer unique. Eigenvalues and singular values
come in descending order. PCA divides the covariance by n − 1 (as `numpy.cov`).
Norms, traces and tensor shapes, which need no numpy, are in `tensors.py`.
"""

from __future__ import annotations

import numpy as np

from solvers.fmt import latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

NEEDS_NUMPY = True  # eigen-solvers and SVD

MAX_SIDE = 8  # a matrix side: these are by-hand problems
MAX_SAMPLES = 200  # rows of a PCA data matrix
MAX_ENTRY = 1e30  # |entry|: a determinant of 8x8 such numbers (1e240) stays finite
TIE = 1e-9  # relative: entries this close in magnitude count as tied for the sign rule


def sign_fixed(v: np.ndarray) -> np.ndarray:
    """v scaled by ±1 so that its largest-magnitude entry is positive (ties within TIE
    relative go to the first entry); the zero vector is returned as is."""
    mags = np.abs(v)
    top = mags.max() if v.size else 0.0
    if top == 0:
        return v
    index = int(np.argmax(mags >= top * (1 - TIE)))
    return -v if v[index] < 0 else v


def cleaned(x: np.ndarray, scale: float) -> np.ndarray:
    """x with round-off dust (|x| < 1e-12·scale) set to 0 and no −0.0."""
    x = np.where(np.abs(x) < 1e-12 * max(scale, 1e-300), 0.0, x)
    return x + 0.0


def as_matrix(name: str, rows: list[list[float]], max_rows: int = MAX_SIDE) -> np.ndarray:
    """A float64 array from a validated list of rows, within the size and entry limits."""
    if len(rows) > max_rows or len(rows[0]) > MAX_SIDE:
        raise SolverInputError(name, f"at most {max_rows} rows and {MAX_SIDE} columns here "
                                     f"(by-hand sizes), got {len(rows)}x{len(rows[0])}")
    a = np.asarray(rows, dtype=float)
    if np.abs(a).max() > MAX_ENTRY:
        raise SolverInputError(name, f"entries must be at most {MAX_ENTRY:g} in size")
    return a


def tidy(x):
    """Answers rounded to 12 significant figures, so round-off dust (2.9999999999999996)
    does not reach the JSON; far below any grading tolerance."""
    return np.vectorize(lambda v: float(f"{v:.12g}") + 0.0, otypes=[float])(np.asarray(x, float))


def _vec_list(v: np.ndarray) -> str:
    return num([float(x) for x in v])


# ---------------------------------------------------------------- eigendecomposition


@solver(
    topic="linalg",
    summary="Eigenvalues and unit eigenvectors of a small square matrix with real eigenvalues.",
    summary_zh="小型方阵（特征值为实数）的特征值与单位特征向量。",
    params=[Param("matrix", "mat", "a square matrix A (lists of rows)", doc_zh="方阵 A（按行给出）")],
    answers=[
        Answer("eigenvalues", "vec", "eigenvalues, descending", doc_zh="特征值（降序）"),
        Answer("eigenvectors", "mat", "unit eigenvectors as rows, in the same order; sign: "
               "largest-magnitude entry positive", doc_zh="单位特征向量（按行，顺序同特征值；"
               "符号约定：绝对值最大的分量为正）"),
        Answer("eigenvector_max", "vec", "unit eigenvector of the largest eigenvalue",
               doc_zh="最大特征值对应的单位特征向量"),
        Answer("eigenvector_min", "vec", "unit eigenvector of the smallest eigenvalue",
               doc_zh="最小特征值对应的单位特征向量"),
        Answer("trace", "float", "tr A = sum of the eigenvalues", doc_zh="tr A = 特征值之和"),
        Answer("det", "float", "det A = product of the eigenvalues", doc_zh="det A = 特征值之积"),
    ],
    examples=[
        dict(matrix=[[2, 1], [1, 2]]),  # Wikipedia: λ = 3, 1; v = (1, 1)/√2, (1, −1)/√2
        dict(matrix=[[4, 1], [2, 3]]),  # not symmetric: λ = 5, 2
        dict(matrix=[[2, 0, 0], [0, 3, 4], [0, 4, 9]]),  # Wikipedia's 3-D example: λ = 11, 2, 1
    ],
)
def eigen(matrix) -> Solution:
    """A v = λ v, v ≠ 0: the roots of det(A − λI) = 0 (for 2x2: λ² − tr(A) λ + det A = 0).

    Symmetric A (numpy.linalg.eigh): real eigenvalues and orthonormal eigenvectors,
    A = QΛQᵀ. Otherwise numpy.linalg.eig; complex eigenvalues (a rotation) are bad input
    here. Σλ = tr A and Πλ = det A always. Eigenvectors are unit length with the sign
    convention of this module.
    """
    a = as_matrix("matrix", matrix)
    n = a.shape[0]
    if a.shape != (n, n):
        raise SolverInputError("matrix", f"must be square, got {a.shape[0]}x{a.shape[1]}")
    scale = float(np.abs(a).max()) or 1.0
    symmetric = bool(np.array_equal(a, a.T))
    try:
        if symmetric:
            values, vectors = np.linalg.eigh(a)
        else:
            values, vectors = np.linalg.eig(a)
    except np.linalg.LinAlgError as err:
        raise SolverInputError("matrix", f"no eigendecomposition: {err}") from None
    if np.any(np.abs(np.imag(values)) > 1e-9 * scale):
        raise SolverInputError("matrix", "has complex eigenvalues (as a rotation does); this "
                                         "solver handles real eigenvalues only")
    values, vectors = np.real(values), np.real(vectors)
    order = np.argsort(-values, kind="stable")
    values = cleaned(values[order], scale)
    rows = []
    for j in order:
        v = vectors[:, j] / np.linalg.norm(vectors[:, j])
        rows.append(cleaned(sign_fixed(v), 1.0))
    rows = np.array(rows)
    trace, det = float(np.trace(a)), float(np.linalg.det(a))
    det = float(cleaned(np.array(det), scale ** n))
    steps = [Step(
        "Convention: eigenvalues in descending order; each eigenvector scaled to unit length "
        "with its largest-magnitude entry positive (−v is an eigenvector too).",
        "约定：特征值按降序排列；每个特征向量缩放为单位长度，并使绝对值最大的分量为正（−v 同样是特征向量）。",
        r"A v = \lambda v,\ \|v\|_2 = 1", None)]
    if n == 2:
        disc = trace * trace - 4 * det
        steps.append(Step(
            f"Characteristic polynomial det(A − λI) = λ² − (tr A)λ + det A = λ² − {num(trace)}λ + "
            f"{num(det)} = 0, so λ = (tr ± √(tr² − 4 det))/2 = ({num(trace)} ± √{num(disc)})/2 = "
            f"{num(values[0])}, {num(values[1])}",
            f"特征多项式 det(A − λI) = λ² − (tr A)λ + det A = λ² − {num(trace)}λ + {num(det)} = 0，"
            f"所以 λ = (tr ± √(tr² − 4 det))/2 = ({num(trace)} ± √{num(disc)})/2 = "
            f"{num(values[0])}、{num(values[1])}",
            rf"\lambda^2 - {latex_num(trace)} \lambda + {latex_num(det)} = 0 \Rightarrow "
            rf"\lambda = \frac{{{latex_num(trace)} \pm \sqrt{{{latex_num(disc)}}}}}{{2}} = "
            rf"{latex_num(values[0])},\ {latex_num(values[1])}", values))
    else:
        coeffs = cleaned(np.real(np.poly(a)), scale ** n)
        terms = " ".join(f"{'+' if c >= 0 else '−'} {num(abs(c))}λ^{n - i}"
                         for i, c in enumerate(coeffs)).replace("λ^0", "").lstrip("+ ")
        latex_terms = " ".join(f"{'+' if c >= 0 else '-'} {latex_num(abs(c))}"
                               + (rf"\lambda^{{{n - i}}}" if n - i else "")
                               for i, c in enumerate(coeffs)).lstrip("+ ")
        steps.append(Step(
            f"Characteristic polynomial det(λI − A) = {terms} = 0; its roots are the eigenvalues "
            f"{_vec_list(values)}",
            f"特征多项式 det(λI − A) = {terms} = 0；其根即特征值 {_vec_list(values)}",
            rf"\det(\lambda I - A) = {latex_terms} = 0 \Rightarrow \lambda = {latex_vec(values)}",
            values))
    for i, (lam, v) in enumerate(zip(values, rows), start=1):
        shifted = cleaned(a - lam * np.eye(n), scale)
        steps.append(Step(
            f"λ{i} = {num(lam)}: solve (A − λI)v = 0 with A − λI = {matrix_text(shifted)}; "
            f"unit solution v{i} = {_vec_list(v)}",
            f"λ{i} = {num(lam)}：解 (A − λI)v = 0，其中 A − λI = {matrix_text(shifted, 'zh')}；"
            f"单位解 v{i} = {_vec_list(v)}",
            rf"(A - {latex_num(lam)} I) v = {latex_matrix(shifted)} v = 0 \Rightarrow "
            rf"v_{i} = {latex_vec(v)}", v))
    notes_en, notes_zh = [], []
    if symmetric:
        notes_en.append("A is symmetric, so its eigenvectors are orthogonal: A = QΛQᵀ.")
        notes_zh.append("A 是对称矩阵，特征向量两两正交：A = QΛQᵀ。")
    if len(set(np.round(values / scale, 9))) < n:
        notes_en.append("A repeated eigenvalue: its eigenvectors are not unique (any unit vector "
                        "of that eigenspace will do).")
        notes_zh.append("有重特征值：其特征向量不唯一（该特征空间中任一单位向量均可）。")
    elif not symmetric and np.linalg.matrix_rank(rows, tol=1e-8) < n:
        notes_en.append("The eigenvectors do not span the space: A cannot be diagonalized.")
        notes_zh.append("特征向量张不成整个空间：A 不可对角化。")
    steps.append(Step(
        f"Check: Σλ = {num(float(values.sum()))} = tr A = {num(trace)}; Πλ = "
        f"{num(float(np.prod(values)))} = det A = {num(det)}. " + " ".join(notes_en),
        f"检验：Σλ = {num(float(values.sum()))} = tr A = {num(trace)}；Πλ = "
        f"{num(float(np.prod(values)))} = det A = {num(det)}。" + "".join(notes_zh),
        rf"\sum_i \lambda_i = \mathrm{{tr}}\,A = {latex_num(trace)},\ \prod_i \lambda_i = "
        rf"\det A = {latex_num(det)}", [trace, det]))
    rows = tidy(rows)
    return Solution({"eigenvalues": tidy(values), "eigenvectors": rows,
                     "eigenvector_max": rows[0], "eigenvector_min": rows[-1],
                     "trace": float(tidy(trace)), "det": float(tidy(det))}, steps)


# ---------------------------------------------------------------- SVD


@solver(
    topic="linalg",
    summary="Singular value decomposition A = U Σ Vᵀ (thin), rank and Moore–Penrose pseudo-inverse.",
    summary_zh="奇异值分解 A = U Σ Vᵀ（精简形式）、秩与 Moore–Penrose 伪逆。",
    params=[Param("matrix", "mat", "an m x n matrix A (lists of rows)", doc_zh="m x n 矩阵 A（按行给出）")],
    answers=[
        Answer("singular_values", "vec", "σ₁ ≥ σ₂ ≥ … ≥ 0 (min(m, n) of them)",
               doc_zh="σ₁ ≥ σ₂ ≥ … ≥ 0（共 min(m, n) 个）"),
        Answer("u", "mat", "U (m x min(m, n)): its columns are the left singular vectors",
               doc_zh="U（m x min(m, n)）：各列为左奇异向量"),
        Answer("vt", "mat", "Vᵀ (min(m, n) x n): its rows are the right singular vectors",
               doc_zh="Vᵀ（min(m, n) x n）：各行为右奇异向量"),
        Answer("u1", "vec", "first left singular vector", doc_zh="第一个左奇异向量"),
        Answer("v1", "vec", "first right singular vector (sign: largest-magnitude entry positive)",
               doc_zh="第一个右奇异向量（符号：绝对值最大的分量为正）"),
        Answer("rank", "int", "number of non-zero singular values", doc_zh="非零奇异值的个数"),
        Answer("pinv", "mat", "pseudo-inverse A⁺ = V Σ⁺ Uᵀ (n x m)", doc_zh="伪逆 A⁺ = V Σ⁺ Uᵀ（n x m）"),
    ],
    examples=[
        dict(matrix=[[3, 0], [4, 5]]),  # σ = 3√5, √5 (Strang, Intro. to Linear Algebra §7.2)
        dict(matrix=[[1, 1], [1, 1], [0, 0]]),  # rank 1: σ = 2, 0
        dict(matrix=[[3, 2, 2], [2, 3, -2]]),  # σ = 5, 3
    ],
)
def svd(matrix) -> Solution:
    """A = U Σ Vᵀ: the right singular vectors vᵢ are eigenvectors of AᵀA, σᵢ = √λᵢ(AᵀA), and
    uᵢ = A vᵢ / σᵢ. Thin form: k = min(m, n) singular values. rank = #{σᵢ > tol} with
    numpy's tolerance σ₁·max(m, n)·eps. A⁺ = V Σ⁺ Uᵀ, Σ⁺ inverting the non-zero σᵢ — the
    least-squares, minimum-norm solution of Ax = b is x = A⁺b. Each pair (uᵢ, vᵢ) is
    flipped together so vᵢ follows the module's sign convention (UΣVᵀ is unchanged).
    """
    a = as_matrix("matrix", matrix)
    m, n = a.shape
    scale = float(np.abs(a).max()) or 1.0
    try:
        u, s, vt = np.linalg.svd(a, full_matrices=False)
    except np.linalg.LinAlgError as err:
        raise SolverInputError("matrix", f"SVD did not converge: {err}") from None
    for i in range(len(s)):
        if not np.array_equal(sign_fixed(vt[i]), vt[i]):
            vt[i], u[:, i] = -vt[i], -u[:, i]
    tol = s.max() * max(m, n) * np.finfo(float).eps if s.size else 0.0
    rank = int(np.sum(s > tol))
    s_plus = np.array([1 / x if x > tol else 0.0 for x in s])
    pinv = cleaned((vt.T * s_plus) @ u.T, 1 / scale)
    s, u, vt = cleaned(s, scale), cleaned(u, 1.0), cleaned(vt, 1.0)
    ata = a.T @ a
    steps = [
        Step("Convention: thin SVD, σ in descending order; each right singular vector vᵢ has its "
             "largest-magnitude entry positive and uᵢ = A vᵢ/σᵢ follows it.",
             "约定：精简 SVD，σ 按降序排列；每个右奇异向量 vᵢ 绝对值最大的分量为正，uᵢ = A vᵢ/σᵢ 随之确定。",
             r"A = U \Sigma V^\top", None),
        Step(f"AᵀA = {matrix_text(ata)}; its eigenvalues are σᵢ²: {_vec_list(s * s)}",
             f"AᵀA = {matrix_text(ata, 'zh')}；其特征值为 σᵢ²：{_vec_list(s * s)}",
             rf"A^\top A = {latex_matrix(ata)},\ \lambda(A^\top A) = \sigma^2 = {latex_vec(s * s)}",
             s * s),
        Step(f"Singular values σ = √λ = {_vec_list(s)} (‖A‖₂ = σ₁ = {num(s[0])}, "
             f"‖A‖_F = √Σσ² = {num(float(np.sqrt(np.sum(s * s))))})",
             f"奇异值 σ = √λ = {_vec_list(s)}（‖A‖₂ = σ₁ = {num(s[0])}，"
             f"‖A‖_F = √Σσ² = {num(float(np.sqrt(np.sum(s * s))))}）",
             rf"\sigma = {latex_vec(s)}", s),
        Step(f"Right singular vectors (rows of Vᵀ, eigenvectors of AᵀA): {matrix_text(vt)}; "
             f"left ones uᵢ = A vᵢ/σᵢ (columns of U): {matrix_text(u)}",
             f"右奇异向量（Vᵀ 的各行，即 AᵀA 的特征向量）：{matrix_text(vt, 'zh')}；"
             f"左奇异向量 uᵢ = A vᵢ/σᵢ（U 的各列）：{matrix_text(u, 'zh')}",
             rf"V^\top = {latex_matrix(vt)},\ U = {latex_matrix(u)}", [u, vt]),
        Step(f"rank = number of σ > 0 = {rank}. Pseudo-inverse A⁺ = V Σ⁺ Uᵀ (invert the non-zero "
             f"σ, keep zeros): {matrix_text(pinv)}",
             f"秩 = 非零奇异值个数 = {rank}。伪逆 A⁺ = V Σ⁺ Uᵀ（非零 σ 取倒数，零保持为零）："
             f"{matrix_text(pinv, 'zh')}",
             rf"A^+ = V \Sigma^+ U^\top = {latex_matrix(pinv)}", pinv),
    ]
    s, u, vt, pinv = tidy(s), tidy(u), tidy(vt), tidy(pinv)
    return Solution({"singular_values": s, "u": u, "vt": vt, "u1": u[:, 0], "v1": vt[0],
                     "rank": rank, "pinv": pinv}, steps)


# ---------------------------------------------------------------- PCA


@solver(
    topic="linalg",
    summary="PCA by hand: mean, covariance (n − 1), top-k eigenpairs, projection, explained variance.",
    summary_zh="手算 PCA：均值、协方差（除以 n − 1）、前 k 个特征对、投影与解释方差比。",
    params=[
        Param("X", "mat", "data, samples x features (one sample per row)",
              doc_zh="数据，样本数 x 特征数（每行一个样本）"),
        Param("k", "int", "number of principal components kept", min=1, max=MAX_SIDE,
              doc_zh="保留的主成分个数"),
    ],
    answers=[
        Answer("mean", "vec", "feature means", doc_zh="各特征的均值"),
        Answer("eigenvalues", "vec", "top-k eigenvalues of the covariance, descending",
               doc_zh="协方差矩阵的前 k 个特征值（降序）"),
        Answer("components", "mat", "k unit principal axes as rows (sign: largest-magnitude "
               "entry positive)", doc_zh="k 个单位主轴（按行；符号：绝对值最大的分量为正）"),
        Answer("projection", "mat", "centred X · componentsᵀ (samples x k)",
               doc_zh="中心化后的 X · componentsᵀ（样本数 x k）"),
        Answer("explained_variance_ratio", "vec", "each kept eigenvalue / the sum of all",
               doc_zh="每个保留的特征值 / 全部特征值之和"),
        Answer("first_component", "vec", "components[0] as a vector (graded up to sign)",
               doc_zh="components[0]（以向量给出，按正负号等价评分）"),
    ],
    examples=[
        # The codinglabs PCA tutorial that seed 003 §2.12 points to (samples as rows):
        # C = [[1.5, 1], [1, 1.5]] with n − 1, λ = 2.5, 0.5, first axis (1, 1)/√2.
        dict(X=[[1, 1], [1, 3], [2, 3], [4, 4], [2, 4]], k=1),
        dict(X=[[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7],
                [2, 1.6], [1, 1.1], [1.5, 1.6], [1.1, 0.9]], k=2),  # Lindsay Smith's tutorial
    ],
)
def pca(X, k) -> Solution:
    """Centre X (subtract the column means), C = XcᵀXc / (n − 1) (as numpy.cov), take the
    eigenvectors of C for the k largest eigenvalues as the principal axes (rows of
    `components`), project Y = Xc · componentsᵀ; explained variance ratio = λᵢ / Σⱼ λⱼ
    over all d eigenvalues. The axes are orthonormal and the projected features are
    uncorrelated, with variances λᵢ.
    """
    x = as_matrix("X", X, max_rows=MAX_SAMPLES)
    n, d = x.shape
    if n < 2:
        raise SolverInputError("X", "needs at least 2 samples (rows) to estimate a covariance")
    if k > d:
        raise SolverInputError("k", f"cannot keep {k} components of {d} features")
    mean = x.mean(axis=0)
    xc = x - mean
    cov = xc.T @ xc / (n - 1)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(-values, kind="stable")
    scale = float(np.abs(cov).max())
    values = np.clip(cleaned(values[order], scale), 0.0, None)
    total = float(values.sum())
    if total <= 0:
        raise SolverInputError("X", "all samples are identical: there is no variance to explain")
    comps = np.array([cleaned(sign_fixed(vectors[:, j]), 1.0) for j in order[:k]])
    proj = cleaned(xc @ comps.T, float(np.abs(xc).max()))
    ratio = values[:k] / total
    steps = [
        Step(f"Mean of each feature: μ = {_vec_list(mean)}; centre the data: Xc = X − μ = "
             f"{matrix_text(xc)}",
             f"各特征的均值：μ = {_vec_list(mean)}；中心化：Xc = X − μ = {matrix_text(xc, 'zh')}",
             rf"\mu = {latex_vec(mean)},\ X_c = X - \mu = {latex_matrix(xc)}", mean),
        Step(f"Convention: sample covariance with n − 1 = {n - 1} (as numpy.cov): "
             f"C = XcᵀXc/(n − 1) = {matrix_text(cov)}",
             f"约定：样本协方差除以 n − 1 = {n - 1}（与 numpy.cov 相同）："
             f"C = XcᵀXc/(n − 1) = {matrix_text(cov, 'zh')}",
             rf"C = \frac{{X_c^\top X_c}}{{n - 1}} = {latex_matrix(cov)}", cov),
        Step(f"Eigenvalues of C, descending: {_vec_list(values)} (total variance {num(total)}); "
             f"keep the top k = {k}",
             f"C 的特征值（降序）：{_vec_list(values)}（总方差 {num(total)}）；保留前 k = {k} 个",
             rf"\lambda = {latex_vec(values)},\ \sum_j \lambda_j = {latex_num(total)}", values),
        Step(f"Principal axes = unit eigenvectors of the top {k} eigenvalues (rows; sign: "
             f"largest-magnitude entry positive): {matrix_text(comps)}",
             f"主轴 = 前 {k} 个特征值对应的单位特征向量（按行；符号：绝对值最大的分量为正）："
             f"{matrix_text(comps, 'zh')}",
             rf"W = {latex_matrix(comps)}", comps),
        Step(f"Projection Y = Xc·Wᵀ = {matrix_text(proj)}",
             f"投影 Y = Xc·Wᵀ = {matrix_text(proj, 'zh')}",
             rf"Y = X_c W^\top = {latex_matrix(proj)}", proj),
        Step(f"Explained variance ratio = λᵢ / Σλ = {_vec_list(ratio)} "
             f"(kept in total: {num(float(ratio.sum()))})",
             f"解释方差比 = λᵢ / Σλ = {_vec_list(ratio)}（共保留 {num(float(ratio.sum()))}）",
             rf"\frac{{\lambda_i}}{{\sum_j \lambda_j}} = {latex_vec(ratio)}", ratio),
    ]
    comps = tidy(comps)
    return Solution({"mean": tidy(mean), "eigenvalues": tidy(values[:k]), "components": comps,
                     "projection": tidy(proj), "explained_variance_ratio": tidy(ratio),
                     "first_component": comps[0]}, steps)
