"""Training and evaluation practice by hand: FedAvg, feature standardization with the
training statistics, K-fold sizes and ROC AUC (closed-form arithmetic). The confusion-
matrix metrics are `classification_metrics` in `metrics.py`.

Conventions: FedAvg weights each client by its number of samples (McMahan et al. 2017);
standardization uses the training set's mean and standard deviation for both sets, the
population std (÷n) by default as numpy's `.std()` and scikit-learn's `StandardScaler`,
and a constant feature is divided by 1 (as `StandardScaler`); K-fold sizes follow
scikit-learn's `KFold` (the first n mod k folds get one more sample) or Chollet's listing
(n // k per fold, the rest always in training); ROC AUC is the trapezoid area under the
ROC curve, which equals the fraction of positive–negative pairs ranked correctly with ties
counted ½. Plain Python, no numpy (see `SolverSpec.needs_numpy`).
"""

from __future__ import annotations

import math

from solvers.fmt import join_terms, latex_matrix, latex_num, latex_vec, matrix_text, num
from solvers.arith import fsum
from solvers.normalization import mean_and_variance
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_SAMPLES = 10**12
MAX_FOLDS = 1_000
MAX_REPEATS = 1_000


# ---------------------------------------------------------------- FedAvg


@solver(
    topic="practice",
    summary="Federated averaging (FedAvg): the server's new weights, each client's weights "
            "weighted by its number of samples.",
    summary_zh="联邦平均（FedAvg）：服务器的新权重，按各客户端的样本数对其权重加权平均。",
    params=[
        Param("client_weights", "vecs", "one weight vector per client",
              doc_zh="每个客户端一个权重向量"),
        Param("client_sizes", "vec", "number of training samples n_k of each client",
              doc_zh="每个客户端的训练样本数 n_k"),
    ],
    answers=[Answer("weights", "vec", "Σ_k (n_k/n)·w_k", doc_zh="加权平均后的权重 Σ_k (n_k/n)·w_k")],
    examples=[
        dict(client_weights=[[1.0, 2.0], [3.0, 0.0]], client_sizes=[100, 300]),
        dict(client_weights=[[0.2, -0.4, 1.0], [0.6, 0.0, 1.0], [0.1, 0.4, -0.5]],
             client_sizes=[1, 1, 2]),
    ],
)
def fedavg(client_weights, client_sizes) -> Solution:
    """w = Σ_k (n_k/n)·w_k with n = Σ_k n_k (McMahan et al. 2017, Algorithm 1): the
    server averages the models the clients trained locally; the data never leaves them.
    Equal sizes give the plain mean.
    """
    k = len(client_weights)
    if len(client_sizes) != k:
        raise SolverInputError("client_sizes", f"expected one size per client ({k}), got "
                                               f"{len(client_sizes)}")
    d = len(client_weights[0])
    if any(len(w) != d for w in client_weights):
        raise SolverInputError("client_weights", "every client's weight vector must have the "
                                                 "same length")
    if any(n < 0 for n in client_sizes):
        raise SolverInputError("client_sizes", "a number of samples cannot be negative")
    total = fsum(client_sizes)
    if not total > 0:
        raise SolverInputError("client_sizes", "the clients hold no samples (the sizes sum to 0)")
    fractions = [n / total for n in client_sizes]
    weights = [fsum(f * w[j] for f, w in zip(fractions, client_weights)) for j in range(d)]
    sizes = " + ".join(num(n) for n in client_sizes)
    steps = [
        Step("Convention: FedAvg (McMahan et al. 2017): each client trains on its own data and "
             "sends only its weights; the server averages them weighted by the clients' sample "
             "counts.",
             "约定：FedAvg（McMahan 等，2017）：每个客户端在本地数据上训练，只上传权重；服务器按各客户端的"
             "样本数对权重加权平均。",
             r"w = \sum_k \frac{n_k}{n}\, w_k,\quad n = \sum_k n_k"),
        Step(f"n = {join_terms([num(n) for n in client_sizes], ' + ')} = {num(total)}; "
             f"fractions n_k/n = {num(fractions)}",
             f"n = {join_terms([num(n) for n in client_sizes], ' + ')} = {num(total)}；"
             f"占比 n_k/n = {num(fractions)}",
             rf"n = {sizes} = {latex_num(total)},\quad \frac{{n_k}}{{n}} = {latex_vec(fractions)}"
             if k <= 18 else rf"\frac{{n_k}}{{n}} = {latex_vec(fractions)}", fractions),
        Step(f"Weighted sum, entry by entry: w = "
             f"{join_terms([num(f) + '·' + num(w) for f, w in zip(fractions, client_weights)], ' + ')}"
             f" = {num(weights)}",
             f"逐个分量加权求和：w = "
             f"{join_terms([num(f) + '·' + num(w) for f, w in zip(fractions, client_weights)], ' + ')}"
             f" = {num(weights)}",
             rf"w = \sum_k \frac{{n_k}}{{n}} w_k = {latex_vec(weights)}", weights),
    ]
    return Solution({"weights": weights}, steps)


# ---------------------------------------------------------------- standardization


@solver(
    topic="practice",
    summary="Feature standardization: the training set's mean and std per feature, applied "
            "to the training and the test set (as scikit-learn's StandardScaler).",
    summary_zh="特征标准化：按特征计算训练集的均值和标准差，并用它们同时变换训练集和测试集"
               "（与 scikit-learn 的 StandardScaler 相同）。",
    params=[
        Param("train", "mat", "training table, samples x features",
              doc_zh="训练集表格，样本 x 特征"),
        Param("test", "mat", "test table, samples x features (same features)",
              doc_zh="测试集表格，样本 x 特征（特征相同）"),
        Param("convention", "str",
              "std with ÷n: population (numpy's .std(), StandardScaler) or ÷(n − 1): sample",
              doc_zh="population（÷n，numpy 的 .std()、StandardScaler）或 sample（÷(n − 1)）",
              default="population", choices=("population", "sample")),
    ],
    answers=[
        Answer("mean", "vec", "training mean of each feature", doc_zh="每个特征的训练集均值"),
        Answer("std", "vec", "training std of each feature", doc_zh="每个特征的训练集标准差"),
        Answer("train_scaled", "mat", "(train − mean)/std", doc_zh="标准化后的训练集 (train − mean)/std"),
        Answer("test_scaled", "mat", "(test − mean)/std with the training statistics",
               doc_zh="用训练集统计量标准化后的测试集 (test − mean)/std"),
    ],
    examples=[
        # scikit-learn's StandardScaler docs: mean [0.5, 0.5]; [[2, 2]] -> [[3, 3]].
        dict(train=[[0, 0], [0, 0], [1, 1], [1, 1]], test=[[2, 2]]),
        dict(train=[[1, 10], [3, 20], [5, 60]], test=[[4, 40], [0, 0]],
             convention="sample"),
    ],
)
def standardize(train, test, convention) -> Solution:
    """Per feature j, from the training set only: μⱼ = mean of column j, σⱼ = its standard
    deviation (÷n, or ÷(n − 1) with convention=sample); both sets become (x − μⱼ)/σⱼ. The test set
    is never used to compute statistics (that would leak it into training). A constant
    feature (σⱼ = 0) is divided by 1, as StandardScaler.
    """
    d = len(train[0])
    if len(test[0]) != d:
        raise SolverInputError("test", f"expected {d} features per row (as train), got "
                                       f"{len(test[0])}")
    n = len(train)
    ddof = 1 if convention == "sample" else 0
    if n - ddof < 1:
        raise SolverInputError("train", "one sample has no sample standard deviation (÷(n − 1) "
                                        "= ÷0); use convention=population")
    stats = [mean_and_variance([row[j] for row in train], ddof) for j in range(d)]
    mean = [s[0] for s in stats]
    sd = [math.sqrt(s[1]) for s in stats]
    divisor = [s if s > 0 else 1.0 for s in sd]
    train_scaled = [[(row[j] - mean[j]) / divisor[j] for j in range(d)] for row in train]
    test_scaled = [[(row[j] - mean[j]) / divisor[j] for j in range(d)] for row in test]
    constant = [j + 1 for j in range(d) if sd[j] == 0]
    note_en = (f"; feature(s) {constant} are constant (std 0): divided by 1, as StandardScaler"
               if constant else "")
    note_zh = f"；特征 {constant} 为常数（标准差 0）：除以 1，与 StandardScaler 相同" if constant else ""
    steps = [
        Step(f"Convention: statistics from the training set only, {convention} std "
             f"(÷{'n − 1' if ddof else 'n'} = ÷{n - ddof}); the test set is transformed with the "
             f"same μ and σ.",
             f"约定：只用训练集计算统计量，{'样本' if ddof else '总体'}标准差（÷{'n − 1' if ddof else 'n'}"
             f" = ÷{n - ddof}）；测试集用同样的 μ 和 σ 变换。",
             r"z_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j},\quad \mu_j = \frac{1}{n}\sum_i x_{ij},"
             r"\quad \sigma_j = \sqrt{\frac{1}{n" + (" - 1" if ddof else "")
             + r"}\sum_i (x_{ij} - \mu_j)^2}"),
        Step(f"Training mean of each feature: μ = {num(mean)}", f"每个特征的训练集均值：μ = {num(mean)}",
             rf"\mu = {latex_vec(mean)}", mean),
        Step(f"Training std of each feature: σ = {num(sd)}{note_en}",
             f"每个特征的训练集标准差：σ = {num(sd)}{note_zh}", rf"\sigma = {latex_vec(sd)}", sd),
        Step(f"Training set (x − μ)/σ = {matrix_text(train_scaled)}",
             f"训练集 (x − μ)/σ = {matrix_text(train_scaled, 'zh')}",
             rf"Z_{{train}} = {latex_matrix(train_scaled)}", train_scaled),
        Step(f"Test set with the TRAINING μ and σ: {matrix_text(test_scaled)} (it need not have "
             f"mean 0 and std 1)",
             f"测试集用训练集的 μ 和 σ：{matrix_text(test_scaled, 'zh')}（其均值不必为 0、标准差不必为 1）",
             rf"Z_{{test}} = {latex_matrix(test_scaled)}", test_scaled),
    ]
    return Solution({"mean": mean, "std": sd, "train_scaled": train_scaled,
                     "test_scaled": test_scaled}, steps)


# ---------------------------------------------------------------- K-fold


@solver(
    topic="practice",
    summary="K-fold cross-validation: the validation and training sizes of each fold and the "
            "number of trainings (iterated K-fold repeats it with reshuffling).",
    summary_zh="K 折交叉验证：每一折的验证集与训练集大小，以及训练次数（重复 K 折验证会打乱后重复多次）。",
    params=[
        Param("n_samples", "int", "samples available for training + validation",
              doc_zh="可用于训练和验证的样本数", min=2, max=MAX_SAMPLES),
        Param("k", "int", "number of folds K", doc_zh="折数 K", min=2, max=MAX_FOLDS),
        Param("convention", "str",
              "sklearn (the first n mod k folds get one more) or chollet (n // k per fold, the "
              "remainder always in training)",
              doc_zh="sklearn（前 n mod k 折各多一个样本）或 chollet（每折 n // k 个，余下的样本始终在训练集中）",
              default="sklearn", choices=("sklearn", "chollet")),
        Param("repeats", "int", "times the K-fold is repeated after reshuffling (iterated K-fold)",
              doc_zh="打乱后重复 K 折验证的次数（重复 K 折验证）", default=1, min=1, max=MAX_REPEATS),
    ],
    answers=[
        Answer("fold_sizes", "vec", "validation samples in each fold (counts)",
               doc_zh="每一折的验证样本数（整数）"),
        Answer("train_sizes", "vec", "training samples in each fold (counts)",
               doc_zh="每一折的训练样本数（整数）"),
        Answer("trainings", "int", "models trained: k·repeats", doc_zh="需要训练的模型个数：k·repeats"),
    ],
    examples=[
        # Chollet, Deep Learning with Python §3.6.4: 404 samples, k = 4 -> 101 per fold.
        dict(n_samples=404, k=4, convention="chollet"),
        dict(n_samples=10, k=3),
        dict(n_samples=1000, k=5, repeats=3),
    ],
)
def kfold_sizes(n_samples, k, convention, repeats) -> Solution:
    """sklearn KFold: fold i has ⌊n/k⌋ + 1 samples for i < n mod k, else ⌊n/k⌋; the other
    n − fold samples train. Chollet's listing: every fold has ⌊n/k⌋ and the n mod k left
    over are always in training. Iterated K-fold with P repeats trains P·k models; the final
    score is the average of the k (or P·k) validation scores.
    """
    if k > n_samples:
        raise SolverInputError("k", f"more folds ({k}) than samples ({n_samples})")
    base, extra = divmod(n_samples, k)
    if convention == "sklearn":
        folds = [base + 1 if i < extra else base for i in range(k)]
        rule_en = (f"scikit-learn KFold: ⌊{n_samples}/{k}⌋ = {base}, and the first "
                   f"{n_samples} mod {k} = {extra} folds get one more")
        rule_zh = (f"scikit-learn 的 KFold：⌊{n_samples}/{k}⌋ = {base}，前 {n_samples} mod {k} = "
                   f"{extra} 折各多一个样本")
    else:
        folds = [base] * k
        rule_en = (f"Chollet's listing: num_val_samples = {n_samples} // {k} = {base} per fold; "
                   f"the {extra} left over are always in training")
        rule_zh = (f"Chollet 书中的代码：每折 num_val_samples = {n_samples} // {k} = {base}；"
                   f"余下的 {extra} 个样本始终在训练集中")
    trains = [n_samples - f for f in folds]
    trainings = k * repeats
    steps = [
        Step(f"Convention: {rule_en}. Each fold validates once on its part and trains on the rest.",
             f"约定：{rule_zh}。每一折用自己那一份验证，用其余样本训练。",
             rf"\left\lfloor \frac{{n}}{{k}} \right\rfloor = \left\lfloor \frac{{{n_samples}}}"
             rf"{{{k}}} \right\rfloor = {base},\quad n \bmod k = {extra}"),
        Step(f"Validation sizes per fold: {num(folds)}", f"每折验证集大小：{num(folds)}",
             rf"|V_i| = {latex_vec(folds)}", folds),
        Step(f"Training sizes per fold: n − |V_i| = {num(trains)}",
             f"每折训练集大小：n − |V_i| = {num(trains)}", rf"n - |V_i| = {latex_vec(trains)}",
             trains),
        Step(f"Models trained: k·repeats = {k}·{repeats} = {trainings}; the score is the mean of "
             f"the {trainings} validation scores",
             f"训练的模型数：k·repeats = {k}·{repeats} = {trainings}；最终分数取这 {trainings} 个验证分数的平均",
             rf"P \cdot k = {repeats} \cdot {k} = {trainings}", trainings),
    ]
    return Solution({"fold_sizes": folds, "train_sizes": trains, "trainings": trainings}, steps)


# ---------------------------------------------------------------- ROC AUC


@solver(
    topic="practice",
    summary="ROC curve and AUC from scores and 0/1 labels: TPR and FPR at each threshold and "
            "the area (= the fraction of positive–negative pairs ranked correctly, ties ½).",
    summary_zh="由分数和 0/1 标签计算 ROC 曲线与 AUC：每个阈值下的 TPR 和 FPR，以及曲线下面积"
               "（= 正负样本对中排序正确的比例，并列计 ½）。",
    params=[
        Param("scores", "vec", "classifier scores (higher = more likely positive)",
              doc_zh="分类器给出的分数（越高越可能是正类）"),
        Param("labels", "vec", "true classes, 1 = positive, 0 = negative",
              doc_zh="真实类别，1 = 正类，0 = 负类"),
    ],
    answers=[
        Answer("auc", "float", "area under the ROC curve", doc_zh="ROC 曲线下面积 AUC"),
        Answer("thresholds", "vec", "the distinct scores, descending (predict 1 if score ≥ t)",
               doc_zh="各个不同的分数，降序（分数 ≥ t 时预测为 1）"),
        Answer("tpr", "vec", "true-positive rate at each threshold",
               doc_zh="每个阈值下的真正例率 TPR"),
        Answer("fpr", "vec", "false-positive rate at each threshold",
               doc_zh="每个阈值下的假正例率 FPR"),
    ],
    examples=[
        dict(scores=[0.9, 0.8, 0.7, 0.6, 0.55, 0.4], labels=[1, 1, 0, 1, 0, 0]),
        dict(scores=[0.1, 0.4, 0.35, 0.8], labels=[0, 0, 1, 1]),  # 0.75
    ],
)
def roc_auc(scores, labels) -> Solution:
    """At each distinct score t (descending), predict positive when score ≥ t:
    TPR = TP/P, FPR = FP/N. The curve runs from (0, 0) through these points to (1, 1);
    AUC = Σ (FPRᵢ − FPRᵢ₋₁)·(TPRᵢ + TPRᵢ₋₁)/2 (trapezoids: tied scores make a diagonal
    step, which counts a tied positive–negative pair ½). Equivalently
    AUC = P(score of a random positive > score of a random negative) + ½·P(tie).
    """
    if len(labels) != len(scores):
        raise SolverInputError("labels", f"expected one label per score ({len(scores)}), "
                                         f"got {len(labels)}")
    if any(v not in (0, 1) for v in labels):
        raise SolverInputError("labels", "labels must be 1 (positive) or 0 (negative)")
    pos = sum(1 for v in labels if v == 1)
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        raise SolverInputError("labels", "AUC needs at least one positive and one negative")
    by_score: dict[float, list[int]] = {}
    for s, v in zip(scores, labels):
        counts = by_score.setdefault(s, [0, 0])
        counts[0 if v == 1 else 1] += 1
    thresholds = sorted(by_score, reverse=True)
    tp = fp = 0
    tpr, fpr = [], []
    area2 = 0.0  # twice the area, in units of 1/(P·N) pairs, exact for integer counts
    for t in thresholds:
        dp, dn = by_score[t]
        area2 += dn * (2 * tp + dp)  # width dn/N, heights tp/P and (tp + dp)/P
        tp, fp = tp + dp, fp + dn
        tpr.append(tp / pos)
        fpr.append(fp / neg)
    auc = area2 / (2 * pos * neg)
    pairs = pos * neg
    steps = [
        Step(f"Convention: predict positive when score ≥ t, for each distinct score t (descending);"
             f" TPR = TP/P with P = {pos}, FPR = FP/N with N = {neg}; the curve starts at (0, 0).",
             f"约定：对每个不同的分数 t（降序），分数 ≥ t 时预测为正类；TPR = TP/P，P = {pos}；"
             f"FPR = FP/N，N = {neg}；曲线从 (0, 0) 开始。",
             r"\mathrm{TPR} = \frac{TP}{P},\quad \mathrm{FPR} = \frac{FP}{N}"),
        Step(f"Thresholds {num(thresholds)}: TPR = {num(tpr)}, FPR = {num(fpr)}",
             f"阈值 {num(thresholds)}：TPR = {num(tpr)}，FPR = {num(fpr)}",
             rf"\mathrm{{TPR}} = {latex_vec(tpr)},\quad \mathrm{{FPR}} = {latex_vec(fpr)}",
             [tpr, fpr]),
        Step(f"Area by trapezoids: AUC = Σ ΔFPR·(TPR_prev + TPR)/2 = {num(auc)}",
             f"用梯形求面积：AUC = Σ ΔFPR·(TPR_前 + TPR)/2 = {num(auc)}",
             r"\mathrm{AUC} = \sum_i (\mathrm{FPR}_i - \mathrm{FPR}_{i-1})"
             r"\frac{\mathrm{TPR}_i + \mathrm{TPR}_{i-1}}{2} = " + latex_num(auc), auc),
        Step(f"Check by pairs: of the P·N = {pos}·{neg} = {pairs} positive–negative pairs, "
             f"{num(auc * pairs)} are ranked correctly (ties count ½): {num(auc * pairs)}/{pairs} "
             f"= {num(auc)}",
             f"用样本对验证：P·N = {pos}·{neg} = {pairs} 个正负样本对中，排序正确的有 {num(auc * pairs)} 个"
             f"（并列计 ½）：{num(auc * pairs)}/{pairs} = {num(auc)}",
             rf"\mathrm{{AUC}} = \frac{{\#\{{s^+ > s^-\}} + \tfrac12 \#\{{s^+ = s^-\}}}}{{P N}} = "
             rf"\frac{{{latex_num(auc * pairs)}}}{{{pairs}}}", auc * pairs),
    ]
    return Solution({"auc": auc, "thresholds": thresholds, "tpr": tpr, "fpr": fpr}, steps)
