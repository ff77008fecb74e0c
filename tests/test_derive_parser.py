"""The whitelist parser: what it reads, what it refuses (with a column), and a fuzz test
that any text either parses or raises ParseError — nothing else, never evaluated."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from drill.derive.parser import ParseError, names_in, parse, parse_chain


def test_precedence_powers_right_associative_and_unary_minus_below_power():
    assert parse("-x^2") == ("neg", ("pow", ("name", "x"), ("num", "2")))
    assert parse("2^3^x") == ("pow", ("num", "2"), ("pow", ("num", "3"), ("name", "x")))
    assert parse("x**2") == parse("x^2")


def test_implicit_multiplication_of_numbers_names_and_parentheses():
    assert parse("2x") == ("mul", ("num", "2"), ("name", "x"))
    assert parse("s(1-s)") == ("mul", ("name", "s"), ("sub", ("num", "1"), ("name", "s")))
    assert parse("2x^2") == ("mul", ("num", "2"), ("pow", ("name", "x"), ("num", "2")))
    assert parse("sigma(x)(1 - sigma(x))")[0] == "mul"


def test_sum_expands_over_an_explicit_range_into_indexed_names():
    assert names_in(parse("sum(z_k^2, k, 1, 3)")) == {"z_1", "z_2", "z_3"}


def test_unicode_maths_is_folded_to_the_plain_syntax():
    assert parse("σ(x)·(1 − σ(x))") == parse("sigma(x)*(1 - sigma(x))")


def test_a_chain_and_a_leading_equals_sign():
    assert len(parse_chain("a = a + 0 = 2a - a")) == 3
    assert parse_chain("= s(1-s)") == [parse("s(1-s)")]


@pytest.mark.parametrize("text, column", [
    ("x + * 2", 5), ("(x + 1", 7), ("x $ 2", 3), ("exp x", 1), ("max(x)", 1),
    ("__import__('os')", 1), ("x.real", 2), ("lambda: 1", 7),
])
def test_syntax_errors_name_the_column(text, column):
    with pytest.raises(ParseError) as err:
        parse(text)
    assert err.value.column == column
    assert err.value.text("zh") and err.value.text("en")


def test_python_is_never_evaluated():
    for text in ("__import__('os').system('true')", "open('x')", "().__class__", "exec('1')"):
        with pytest.raises(ParseError):
            parse(text)


_ALPHABET = st.sampled_from(list("xys0123456789.+-*/^(),= e") +
                            ["exp", "log", "sigma", "sum", "diff", "tanh", "**", "z_k", "k", "_"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_fuzz_any_text_parses_or_raises_parse_error_and_builds(text):
    import sympy

    from drill.derive.build import Context, to_sympy

    try:
        node = parse(text)
    except ParseError as err:
        assert err.column >= 0
        return
    assert isinstance(to_sympy(node, Context()), sympy.Basic)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_arbitrary_unicode_never_escapes_parse_error(text):
    try:
        parse(text)
    except ParseError:
        pass
