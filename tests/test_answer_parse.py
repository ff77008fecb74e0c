"""The answer parser accepts numbers, fractions, vectors, matrices — and nothing else."""

from __future__ import annotations

import builtins

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.engine.answer_parse import AnswerParseError, parse_answer


@pytest.mark.parametrize("text, value", [
    ("28", 28),
    ("-0.25", -0.25),
    ("2.5e-3", 0.0025),
    ("1/4", 0.25),
    ("-3/4", -0.75),
    (" 7 ", 7),
    (".5", 0.5),
    ("[1, 2]", [1, 2]),
    ("[1 2 3]", [1, 2, 3]),
    ("1, 2, 3", [1, 2, 3]),
    ("(0.5, -1)", [0.5, -1]),
    ("[[1, 0], [0, 1]]", [[1, 0], [0, 1]]),
    ("[[1/2, 1], [2, 3]]", [[0.5, 1], [2, 3]]),
    ("［１，２］", [1, 2]),          # full-width from a Chinese IME
    ("−3", -3),                      # Unicode minus
    ("[1，2]", [1, 2]),
])
def test_parse_answer_accepts_numbers_vectors_matrices(text, value):
    assert parse_answer(text) == value


def test_parse_answer_keeps_counts_as_ints():
    assert type(parse_answer("55")) is int
    assert type(parse_answer("55.0")) is float


@pytest.mark.parametrize("text", [
    "", "abc", "1/0", "1e999", "[1, 2", "[]", "[[1], [2, 3]]", "nan", "inf",
    "__import__('os').system('echo hi')", "2**10", "1+1", "x", "[1] [2]]", "1" * 200,
])
def test_parse_answer_rejects_everything_else(text):
    with pytest.raises(AnswerParseError):
        parse_answer(text)


def test_parse_answer_rejects_deep_nesting_without_recursion_error():
    with pytest.raises(AnswerParseError):
        parse_answer("[" * 500 + "1" + "]" * 500)


@pytest.fixture
def no_eval(monkeypatch):
    """Make any call to eval/exec/compile fail loudly while the parser runs."""
    def forbidden(*args, **kwargs):
        raise AssertionError("the parser must not evaluate student input")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)


ANSWER_ALPHABET = st.sampled_from(list("0123456789.,-+/eE[]() \t") + ["−", "，", "１", "x", "_", "'", "*"])


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_fuzz_any_text_parses_or_raises_parse_error(text):
    try:
        parse_answer(text)
    except AnswerParseError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.lists(ANSWER_ALPHABET, max_size=40).map("".join))
def test_fuzz_answer_like_text_parses_or_raises_parse_error(text):
    try:
        value = parse_answer(text)
    except AnswerParseError:
        return
    assert isinstance(value, (int, float, list))


def test_fuzz_nothing_is_executed(no_eval):
    for text in ["__import__('os')", "eval('1')", "[1, 2]", "1/4", "exec('x=1')"]:
        try:
            parse_answer(text)
        except AnswerParseError:
            pass


@pytest.mark.parametrize("text", ["171000²", "17100⁰", "x₁", "10³"])
def test_superscripts_and_subscripts_are_refused_never_folded_into_digits(text):
    with pytest.raises(AnswerParseError, match="superscript or subscript"):
        parse_answer(text)


@pytest.mark.parametrize("text, value", [("0。5", 0.5), ("０．２５", 0.25), ("3｡25", 3.25)])
def test_a_chinese_full_stop_typed_as_a_decimal_point_is_read(text, value):
    assert parse_answer(text) == value
