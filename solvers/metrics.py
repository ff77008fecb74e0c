"""Classification metrics from a binary confusion matrix (closed-form arithmetic).

Convention (the contract's): a 0/0 ratio is 0, as scikit-learn's zero_division=0;
f1 = 2tp / (2tp + fp + fn), the harmonic mean of precision and recall. Plain Python, no
numpy: these solvers must start fast (see `SolverSpec.needs_numpy`).
"""

from __future__ import annotations

from solvers.fmt import num
from solvers.registry import Answer, Param, Solution, Step, solver

MAX_COUNT = 10**12  # cases in one cell of the confusion matrix


def ratio(top: int, bottom: int) -> float:
    """top / bottom, with 0/0 = 0 (the contract's convention)."""
    return top / bottom if bottom else 0.0


@solver(
    topic="basics",
    summary="Accuracy, precision, recall, F1 and specificity from tp, fp, fn, tn.",
    summary_zh="由 tp、fp、fn、tn 计算准确率、精确率、召回率、F1 与特异度。",
    params=[
        Param("tp", "int", "true positives", min=0, max=MAX_COUNT, doc_zh="真正例（TP）"),
        Param("fp", "int", "false positives", min=0, max=MAX_COUNT, doc_zh="假正例（FP）"),
        Param("fn", "int", "false negatives", min=0, max=MAX_COUNT, doc_zh="假负例（FN）"),
        Param("tn", "int", "true negatives", min=0, max=MAX_COUNT, doc_zh="真负例（TN）"),
    ],
    answers=[
        Answer("accuracy", "float", "(tp + tn) / all", doc_zh="(tp + tn) / 总数"),
        Answer("precision", "float", "tp / (tp + fp)", doc_zh="精确率 tp / (tp + fp)"),
        Answer("recall", "float", "tp / (tp + fn) (sensitivity)", doc_zh="tp / (tp + fn)（灵敏度）"),
        Answer("f1", "float", "2tp / (2tp + fp + fn)", doc_zh="F1 分数 2tp / (2tp + fp + fn)"),
        Answer("specificity", "float", "tn / (tn + fp)", doc_zh="特异度 tn / (tn + fp)"),
    ],
    examples=[
        dict(tp=5, fp=3, fn=2, tn=90),  # precision 0.625, recall 0.714, f1 0.667
        dict(tp=0, fp=0, fn=10, tn=990),  # "always negative": accuracy 0.99, f1 0
    ],
)
def classification_metrics(tp, fp, fn, tn) -> Solution:
    """accuracy = (tp + tn)/(tp + fp + fn + tn); precision = tp/(tp + fp) (of the predicted
    positives, how many are right); recall = tp/(tp + fn) (of the real positives, how many
    are found); f1 = 2PR/(P + R) = 2tp/(2tp + fp + fn); specificity = tn/(tn + fp).
    Every 0/0 is 0. On imbalanced data accuracy alone misleads.
    """
    total = tp + fp + fn + tn
    acc, prec, rec = ratio(tp + tn, total), ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1, spec = ratio(2 * tp, 2 * tp + fp + fn), ratio(tn, tn + fp)
    steps = [
        Step(f"Convention: a 0/0 ratio counts as 0. Accuracy = (tp + tn)/all = ({tp} + {tn})/{total}"
             f" = {num(acc)}",
             f"约定：0/0 记为 0。准确率 = (tp + tn)/总数 = ({tp} + {tn})/{total} = {num(acc)}",
             rf"\mathrm{{acc}} = \frac{{tp + tn}}{{tp + fp + fn + tn}} = \frac{{{tp + tn}}}{{{total}}}"
             rf" = {num(acc)}", acc),
        Step(f"Precision = tp/(tp + fp) = {tp}/{tp + fp} = {num(prec)}; "
             f"recall = tp/(tp + fn) = {tp}/{tp + fn} = {num(rec)}",
             f"精确率 = tp/(tp + fp) = {tp}/{tp + fp} = {num(prec)}；"
             f"召回率 = tp/(tp + fn) = {tp}/{tp + fn} = {num(rec)}",
             rf"P = \frac{{tp}}{{tp + fp}} = {num(prec)},\ R = \frac{{tp}}{{tp + fn}} = {num(rec)}",
             [prec, rec]),
        Step(f"F1 = 2tp/(2tp + fp + fn) = {2 * tp}/{2 * tp + fp + fn} = {num(f1)} "
             f"(the harmonic mean of precision and recall)",
             f"F1 = 2tp/(2tp + fp + fn) = {2 * tp}/{2 * tp + fp + fn} = {num(f1)}（精确率与召回率的调和平均）",
             rf"F_1 = \frac{{2PR}}{{P + R}} = \frac{{2tp}}{{2tp + fp + fn}} = {num(f1)}", f1),
        Step(f"Specificity = tn/(tn + fp) = {tn}/{tn + fp} = {num(spec)}",
             f"特异度 = tn/(tn + fp) = {tn}/{tn + fp} = {num(spec)}",
             rf"\mathrm{{spec}} = \frac{{tn}}{{tn + fp}} = {num(spec)}", spec),
    ]
    return Solution({"accuracy": acc, "precision": prec, "recall": rec, "f1": f1,
                     "specificity": spec}, steps)
