"""Template expressions: a whitelist language, never Python eval."""

from __future__ import annotations

import pytest

from drill.expr import ExprError, parse_expr


@pytest.mark.parametrize("source, value", [
    ("(n + 2*p - k) % s == 0", True),
    ("n // s + 1", 4),
    ("max(n, k) - min(n, k)", 4),
    ("v[0] + v[-1]", 4),
    ("sqrt(16) if n > 3 else 0", 4.0),
    ("not (n < 3) and k == 3", True),
    ("len(v) * 2 ** 3", 24),
])
def test_expressions_evaluate(source, value):
    ns = {"n": 7, "p": 1, "k": 3, "s": 2, "v": [1, 2, 3]}
    assert parse_expr(source).evaluate(ns) == value


def test_expression_names_are_reported():
    assert parse_expr("(n + 2*padding - k) // stride").names == {"n", "padding", "k", "stride"}


@pytest.mark.parametrize("source", [
    "__import__('os')", "n.real", "open('x')", "lambda: 1", "[x for x in v]",
    "'text'", "f(1)", "n if", "(1).__class__",
])
def test_everything_else_is_refused_at_parse_time(source):
    with pytest.raises(ExprError):
        parse_expr(source)


def test_unknown_name_and_huge_power_are_errors_not_crashes():
    with pytest.raises(ExprError):
        parse_expr("m + 1").evaluate({"n": 1})
    with pytest.raises(ExprError):
        parse_expr("10 ** 100000").evaluate({})
    with pytest.raises(ExprError):
        parse_expr("1 / n").evaluate({"n": 0})
