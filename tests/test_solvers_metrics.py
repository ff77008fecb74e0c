"""classification_metrics against counting on torch label tensors (a second formulation)
and Wikipedia's precision-and-recall example."""

from __future__ import annotations

import random

import pytest
import torch

from solvers import get_solver, run_solver

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def test_classification_metrics_match_counting_on_label_tensors_over_random_draws():
    # A second formulation: build label vectors with torch and count with boolean masks.
    rng = random.Random(6)
    for _ in range(DRAWS):
        counts = [rng.randint(0, 20) for _ in range(4)]
        if rng.random() < 0.1:
            counts[0] = counts[1] = 0  # nothing predicted positive: precision is 0/0
        tp, fp, fn, tn = counts
        y_true = torch.tensor([1] * tp + [0] * fp + [1] * fn + [0] * tn)
        y_pred = torch.tensor([1] * tp + [1] * fp + [0] * fn + [0] * tn)
        got = solve("classification_metrics", tp=tp, fp=fp, fn=fn, tn=tn)

        def share(mask, within):
            return (mask & within).sum().item() / within.sum().item() if within.any() else 0.0
        pos_pred, pos_true = y_pred == 1, y_true == 1
        precision, recall = share(pos_true, pos_pred), share(pos_pred, pos_true)
        assert got["precision"] == pytest.approx(precision)
        assert got["recall"] == pytest.approx(recall)
        assert got["specificity"] == pytest.approx(share(~pos_pred, ~pos_true))
        assert got["accuracy"] == pytest.approx(
            (y_true == y_pred).double().mean().item() if len(y_true) else 0.0)
        harmonic = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        assert got["f1"] == pytest.approx(harmonic)


def test_classification_metrics_published_wikipedia_precision_recall_example():
    # Wikipedia "Precision and recall": a program finds 8 "dogs" in a picture of 12 dogs and
    # 10 cats; 5 of the 8 are dogs. Precision 5/8, recall 5/12.
    got = solve("classification_metrics", tp=5, fp=3, fn=7, tn=7)
    assert (got["precision"], got["recall"]) == pytest.approx((5 / 8, 5 / 12))
    assert got["f1"] == pytest.approx(2 * 5 / (2 * 5 + 3 + 7))
    assert solve("classification_metrics", tp=0, fp=0, fn=0, tn=0) == {
        "accuracy": 0.0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "specificity": 0.0}
