"""Answer kinds: one table reads, compares and shows every kind; one tolerance rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from drill.bank.model import Tolerance
from drill.engine.answer_parse import AnswerParseError
from drill.engine.kinds import (
    ASK_KIND_NAMES,
    KINDS,
    SYMBOLIC_HOOK,
    allowed_error,
    fit_shape,
    kind_fits,
    parse_choice,
    parse_truefalse,
    within_tolerance,
)


@dataclass
class F:
    """A stand-in answer field."""

    expected: Any
    tolerance: Any = Tolerance(sigfigs=3)
    aliases: dict = field(default_factory=dict)
    n_options: int = 4


def grade(kind: str, text: str, expected: Any, **kw) -> bool | None:
    f = F(expected, **kw)
    return KINDS[kind].compare(KINDS[kind].read(text, f), f)


# ------------------------------------------------------------- the tolerance rule

THREE_DECIMALS = Tolerance(decimals=3)


@pytest.mark.parametrize("given, expected, ok", [
    (0.927, 0.92731, True),     # correctly rounded to 3 decimals
    (0.9273, 0.92731, True),    # more precise is fine
    (0.928, 0.92731, False),    # 0.00069 off: more than half a unit in the 3rd decimal
    (0.92, 0.927, False),       # rel 1% used to accept this
    (0.9275, 0.927, True),      # exactly half a unit: the boundary passes
    (0.92751, 0.927, False),    # just past the boundary fails
    (-0.5, -0.5004, True),
])
def test_decimals_rule_passes_correct_rounding_and_fails_beyond_half_a_unit(given, expected, ok):
    assert within_tolerance(given, expected, THREE_DECIMALS) is ok


@pytest.mark.parametrize("given, expected, ok", [
    (8.87, 8.8712, True),
    (8.8, 8.87, False),         # rel 1% used to accept this
    (8.875, 8.87, True),        # half a unit in the 3rd significant figure
    (8.8751, 8.87, False),
    (171000, 171234, True),     # 3 significant figures of a large number
    (172000, 171234, False),
    (0.000312, 0.0003121, True),
    (0.0, 0.0, True),
    (0.0004, 0.0, True),        # at 0: half a unit in the 3rd decimal
    (0.0006, 0.0, False),
])
def test_default_rule_is_three_significant_figures(given, expected, ok):
    assert within_tolerance(given, expected, Tolerance(sigfigs=3)) is ok


def test_rel_abs_rule_is_the_larger_of_the_two_bounds():
    tol = Tolerance(rel=0.01, abs=0.001)
    assert allowed_error(100, tol) == pytest.approx(1.0)
    assert allowed_error(0.01, tol) == pytest.approx(0.001)
    assert within_tolerance(100.9, 100, tol) and not within_tolerance(101.2, 100, tol)


def test_allowed_error_boundaries_are_pinned():
    """Changing the rule must fail a test: the bounds are exactly these."""
    assert allowed_error(0.927, Tolerance(decimals=3)) == 0.0005
    assert allowed_error(8.87, Tolerance(sigfigs=3)) == pytest.approx(0.005)
    assert allowed_error(171234, Tolerance(sigfigs=3)) == pytest.approx(500)
    assert allowed_error(0, Tolerance(sigfigs=3)) == pytest.approx(0.0005)


# ------------------------------------------------------------- each kind


def test_counts_are_exact_and_read_whole_floats():
    assert grade("count", "34944", 34944)
    assert grade("count", "34944.0", 34944)
    assert not grade("count", "34943", 34944)
    with pytest.raises(AnswerParseError, match="whole number"):
        grade("count", "34944.4", 34944)


def test_numbers_vectors_and_matrices_grade_elementwise_with_matching_shape():
    assert grade("number", "0.762", 0.7616)
    assert not grade("number", "0.78", 0.7616)
    assert grade("vector", "[0.5, 1]", [0.5, 1.0])
    assert grade("matrix", "[[1, 0], [0, 1]]", [[1, 0], [0, 1.0]])
    assert not grade("matrix", "[[1, 0], [0, 2]]", [[1, 0], [0, 1.0]])
    with pytest.raises(AnswerParseError):
        grade("vector", "[0.5]", [0.5, 1.0])


def test_vector_up_to_sign_accepts_v_and_minus_v_only():
    v = [0.6, -0.8]
    assert grade("vector_up_to_sign", "[0.6, -0.8]", v)
    assert grade("vector_up_to_sign", "[-0.6, 0.8]", v)
    assert not grade("vector_up_to_sign", "[0.6, 0.8]", v)
    assert not grade("vector", "[-0.6, 0.8]", v)


def test_vector_up_to_sign_flips_each_row_of_a_matrix_on_its_own():
    components = [[0.6, -0.8], [0.8, 0.6]]
    assert grade("vector_up_to_sign", "[[-0.6, 0.8], [0.8, 0.6]]", components)
    assert grade("vector_up_to_sign", "[0.6, -0.8]", [[0.6, -0.8]])  # k = 1: one row, typed flat
    assert not grade("vector_up_to_sign", "[[0.6, 0.8], [0.8, 0.6]]", components)


def test_label_is_case_and_full_width_insensitive_with_aliases():
    aliases = {"up": ("上", "向上", "u")}
    for typed in ("up", "UP", " Up ", "ｕｐ", "上", "向上", "u"):
        assert grade("label", typed, "up", aliases=aliases), typed
    assert not grade("label", "left", "up", aliases=aliases)


def test_labels_are_a_sequence_in_order():
    aliases = {"up": ("上",), "left": ("左",)}
    assert grade("labels", "up, left, up", ["up", "left", "up"], aliases=aliases)
    assert grade("labels", "上、左、上", ["up", "left", "up"], aliases=aliases)
    assert not grade("labels", "left, up, up", ["up", "left", "up"], aliases=aliases)
    with pytest.raises(AnswerParseError, match="3 labels"):
        grade("labels", "up, left", ["up", "left", "up"])


def test_set_ignores_order_but_not_members():
    assert grade("set", "[3, 1, 2]", [1, 2, 3])
    assert not grade("set", "[3, 1]", [1, 2, 3])
    assert grade("set", "cat, dog", ["dog", "cat"])
    assert not grade("set", "cat, cow", ["dog", "cat"])


def test_choice_and_truefalse():
    assert grade("choice", "a,c", frozenset("ac"))
    assert not grade("choice", "a", frozenset("ac"))
    assert grade("truefalse", "对", True) and not grade("truefalse", "f", True)


def test_symbolic_is_undecided_without_the_derivations_hook_and_never_evaluated(monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "eval", lambda *a: pytest.fail("eval called"))
    assert grade("symbolic", "s*(1-s)", "s*(1 - s)") is None
    monkeypatch.setitem(SYMBOLIC_HOOK, "equivalent", lambda given, f: given.replace(" ", "") ==
                        f.expected.replace(" ", ""))
    assert grade("symbolic", "s*(1-s)", "s*(1 - s)") is True


def test_every_kind_in_the_table_can_say_which_values_it_grades():
    for name in KINDS:
        kind_fits(name, 1)  # raises KeyError for a kind without a rule
    assert set(ASK_KIND_NAMES) <= set(KINDS)


@pytest.mark.parametrize("kind, value, ok", [
    ("count", 3, True), ("count", 3.5, False), ("number", 3.5, True), ("number", [1], False),
    ("vector", [1, 2.5], True), ("vector", [[1]], False), ("matrix", [[1, 2]], True),
    ("label", "up", True), ("labels", ["up"], True), ("set", [1, 2], True),
    ("vector_up_to_sign", [0.6, 0.8], True), ("label", 3, False),
])
def test_kind_fits_the_values_it_can_grade(kind, value, ok):
    assert kind_fits(kind, value) is ok


@pytest.mark.parametrize("value, lang, shown", [
    (True, "en", "true"), (True, "zh", "对"), (frozenset("ca"), "en", "a, c"),
    (["up", "left"], "en", "up, left"), (0.76159, "en", "0.7616"), ([[1, 0]], "en", "[[1, 0]]"),
])
def test_show_writes_values_as_the_student_would_type_them(value, lang, shown):
    assert KINDS["number"].show(value, lang) == shown


# ------------------------------------------------------------- readers kept from before


@pytest.mark.parametrize("text, letters", [
    ("b", {"b"}), ("B", {"b"}), ("a,c", {"a", "c"}), ("a c", {"a", "c"}),
    ("ca", {"a", "c"}), ("ａ", {"a"}), ("a、c", {"a", "c"}),
])
def test_parse_choice_reads_letters(text, letters):
    assert parse_choice(text, 4) == frozenset(letters)


@pytest.mark.parametrize("text", ["e", "1", "", "ab!", "z"])
def test_parse_choice_rejects_letters_beyond_the_choices(text):
    with pytest.raises(AnswerParseError):
        parse_choice(text, 4)


@pytest.mark.parametrize("text, value", [
    ("t", True), ("True", True), ("y", True), ("对", True), ("是", True),
    ("f", False), ("FALSE", False), ("n", False), ("错", False), ("否", False),
])
def test_parse_truefalse_reads_english_and_chinese(text, value):
    assert parse_truefalse(text) is value


def test_parse_truefalse_rejects_other_words():
    with pytest.raises(AnswerParseError):
        parse_truefalse("maybe")


def test_fit_shape_accepts_a_lone_number_for_a_one_element_vector():
    assert fit_shape(0.5, [0.49]) == [0.5]
    assert fit_shape([1, 2], [0, 0]) == [1, 2]


def test_fit_shape_reads_a_flat_list_as_a_one_row_or_one_column_matrix():
    assert fit_shape([1, 2, 3], [[0, 0, 0]]) == [[1, 2, 3]]
    assert fit_shape([1, 2], [[0], [0]]) == [[1], [2]]
    with pytest.raises(AnswerParseError):
        fit_shape([1, 2, 3, 4], [[0, 0], [0, 0]])


@pytest.mark.parametrize("given, expected, fragment", [
    (5, [[1, 2], [3, 4]], "2x2 matrix"),
    ([1, 2], [1, 2, 3], "vector of 3"),
    ([1, 2], 3, "one number"),
])
def test_fit_shape_asks_again_for_the_expected_shape(given, expected, fragment):
    with pytest.raises(AnswerParseError, match=fragment):
        fit_shape(given, expected)


def test_a_lone_number_answers_a_one_by_one_matrix():
    assert fit_shape(0.5, [[0.4]]) == [[0.5]]
    assert fit_shape([0.5], [[0.4]]) == [[0.5]]
