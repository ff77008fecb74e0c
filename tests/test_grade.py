"""Grading rules: counts exact, floats with tolerance, shapes must match; letters; t/f."""

from __future__ import annotations

import pytest

from drill.answer_parse import AnswerParseError
from drill.bank_schema import Tolerance
from drill.grade import grade_numeric, parse_choice, parse_truefalse


def test_counts_must_match_exactly_without_a_tolerance():
    assert grade_numeric(34944, 34944, None)
    assert grade_numeric(34944.0, 34944, None)
    assert not grade_numeric(34943, 34944, None)
    assert not grade_numeric(34944.4, 34944, None)


def test_counts_use_the_templates_tolerance_when_given():
    assert grade_numeric(34900, 34944, Tolerance(rel=0.01, abs=0))


def test_floats_use_relative_or_absolute_tolerance():
    assert grade_numeric(0.762, 0.7616, None)          # default rel 1%
    assert not grade_numeric(0.78, 0.7616, None)
    assert grade_numeric(0.0004, 0.0, None)            # default abs 1e-3
    assert not grade_numeric(0.77, 0.7616, Tolerance(rel=0.001, abs=0.001))


def test_vectors_and_matrices_grade_elementwise_with_matching_shape():
    assert grade_numeric([0.5, 1], [0.5, 1.0], None)
    assert not grade_numeric([0.5], [0.5, 1.0], None)
    assert not grade_numeric(0.5, [0.5], None)
    assert not grade_numeric([0.5, 1], 0.5, None)
    assert grade_numeric([[1, 0], [0, 1]], [[1, 0], [0, 1]], None)
    assert not grade_numeric([[1, 0], [0, 2]], [[1, 0], [0, 1]], None)


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
    from drill.grade import fit_shape

    assert fit_shape(0.5, [0.49]) == [0.5]
    assert fit_shape([1, 2], [0, 0]) == [1, 2]


@pytest.mark.parametrize("given, expected, fragment", [
    (5, [[1, 2], [3, 4]], "2x2 matrix"),
    ([1, 2], [1, 2, 3], "vector of 3"),
    ([1, 2], 3, "one number"),
])
def test_fit_shape_asks_again_for_the_expected_shape(given, expected, fragment):
    from drill.grade import fit_shape

    with pytest.raises(AnswerParseError, match=fragment):
        fit_shape(given, expected)
