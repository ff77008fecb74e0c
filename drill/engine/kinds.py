"""Grading: numeric answers with tolerance, choice letters, true/false words.

Numeric rule: a count (an int answer) must match exactly unless the template gives a
tolerance; otherwise |given − expected| ≤ max(abs, rel·|expected|), elementwise, and a
vector or matrix must have the expected shape.
"""

from __future__ import annotations

import re
from typing import Any

from drill.answer_parse import AnswerParseError, normalize, shape_of
from drill.bank_schema import LETTERS, Tolerance

TRUE_WORDS = {"t", "true", "y", "yes", "1", "对", "是", "正确", "√", "✓"}
FALSE_WORDS = {"f", "false", "n", "no", "0", "错", "否", "错误", "×", "✗"}


def _all_ints(value: Any) -> bool:
    if isinstance(value, list):
        return all(_all_ints(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def grade_numeric(given: Any, expected: Any, tol: Tolerance | None) -> bool:
    """True when `given` matches `expected` in shape and within tolerance."""
    if isinstance(expected, list):
        return (isinstance(given, list) and len(given) == len(expected)
                and all(grade_numeric(g, e, tol) for g, e in zip(given, expected)))
    if isinstance(given, list) or isinstance(given, bool):
        return False
    if isinstance(expected, str):
        return False
    if tol is None and _all_ints(expected):
        return given == expected
    t = tol or Tolerance()
    return abs(given - expected) <= max(t.abs, t.rel * abs(expected))


def parse_choice(text: str, n_choices: int) -> frozenset[str]:
    """Letters typed as `b`, `B`, `a,c`, `a c` or `ac` -> a set; AnswerParseError if not."""
    letters = re.sub(r"[\s,;]+", "", normalize(text).lower())
    valid = LETTERS[:n_choices]
    if not letters or any(ch not in valid for ch in letters):
        raise AnswerParseError(f"type a letter from {valid[0]} to {valid[-1]} (several: a,c)",
                               f"请输入 {valid[0]} 到 {valid[-1]} 的字母（多个：a,c）")
    return frozenset(letters)


def parse_truefalse(text: str) -> bool:
    """t/f, true/false, y/n, 对/错 ... -> bool; AnswerParseError otherwise."""
    word = normalize(text).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise AnswerParseError("type t or y (yes), f or n (no)", "请输入 t/y/对（是）或 f/n/错（否）")


def fit_shape(given: Any, expected: Any) -> Any:
    """The answer in the expected shape (a lone number for a 1-vector becomes [x]);
    AnswerParseError, so the student is asked again, when the shapes differ."""
    want, got = shape_of(expected), shape_of(given)
    if want == got:
        return given
    if want == (1,) and got == ():
        return [given]
    if not want:
        raise AnswerParseError("type one number", "请输入一个数")
    if len(want) == 1:
        raise AnswerParseError(f"type a vector of {want[0]} numbers, like [1, 2]",
                               f"请输入含 {want[0]} 个数的向量，如 [1, 2]")
    dims = "x".join(str(n) for n in want)
    raise AnswerParseError(f"type a {dims} matrix as rows, like [[1, 2], [3, 4]]",
                           f"请按行输入 {dims} 矩阵，如 [[1, 2], [3, 4]]")
