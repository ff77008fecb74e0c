"""The shared step formatting in solvers.fmt: text and LaTeX, short for big inputs."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.fmt import (
    MAX_SHOWN,
    MAX_TERMS,
    join_terms,
    latex_matrix,
    latex_num,
    latex_paren,
    latex_vec,
    matrix_text,
    num,
    paren,
)


@pytest.mark.parametrize("x, want", [(3, "3"), (2.0, "2"), (-2, "(-2)"), (-0.25, "(-0.25)"),
                                     (np.float64(-1.5), "(-1.5)")])
def test_paren_wraps_negative_numbers_only(x, want):
    assert paren(x) == want


def test_join_terms_elides_the_middle_only_past_max_terms():
    terms = [str(k) for k in range(MAX_TERMS)]
    assert join_terms(terms, " + ") == " + ".join(terms)
    longer = [str(k) for k in range(MAX_TERMS + 10)]
    elided = join_terms(longer, " + ")
    assert elided == " + ".join(longer[:MAX_TERMS - 3] + ["…"] + longer[-2:])
    assert join_terms(longer, " + ", r"\cdots").count(r"\cdots") == 1


def test_matrix_text_shows_small_matrices_and_summarises_big_ones_in_each_language():
    small = np.array([[1.0, -2.5], [3.0, 4.0]])
    assert matrix_text(small, "en") == matrix_text(small, "zh") == "[[1, -2.5], [3, 4]]"
    big = np.zeros((7, 6))
    assert big.size > MAX_SHOWN
    assert matrix_text(big, "en") == "a 7×6 matrix (see value)"
    assert matrix_text(big.tolist(), "zh") == "一个 7×6 矩阵（见 value）"


@pytest.mark.parametrize("x, want", [
    (3, "3"), (2.0, "2"), (-0.5, "-0.5"), (0.12345, "0.1235"),
    (1.5e-5, r"1.500 \times 10^{-5}"), (2.5e20, r"2.500 \times 10^{20}"),
    (float("inf"), r"\infty"), (float("-inf"), r"-\infty"), (float("nan"), r"\mathrm{NaN}"),
])
def test_latex_num_writes_powers_of_ten_and_infinities_as_latex(x, want):
    assert latex_num(x) == want


def test_latex_paren_wraps_negative_numbers_only():
    assert (latex_paren(-3), latex_paren(3), latex_paren(-1e-6)) == (
        "(-3)", "3", r"(-1.000 \times 10^{-6})")


def test_latex_matrix_writes_every_cell_of_a_small_matrix():
    assert latex_matrix(np.array([[1, 2], [3, -4.5]])) == (
        r"\begin{bmatrix} 1 & 2 \\ 3 & -4.5 \end{bmatrix}")


def test_latex_matrix_elides_a_big_one_with_dots_keeping_its_corners():
    big = np.arange(100.0).reshape(10, 10)
    latex = latex_matrix(big)
    rows = latex.removeprefix(r"\begin{bmatrix} ").removesuffix(r" \end{bmatrix}").split(r" \\ ")
    assert len(rows) == 5  # three rows, a row of dots, the last row
    assert rows[0] == r"0 & 1 & 2 & \cdots & 9"
    assert rows[3] == r"\vdots & \vdots & \vdots & \ddots & \vdots"
    assert rows[4] == r"90 & 91 & 92 & \cdots & 99"
    tall = latex_matrix(np.zeros((40, 2)))
    assert r"\vdots & \vdots" in tall and r"\ddots" not in tall and r"\cdots" not in tall


def test_latex_vec_is_a_transposed_row_elided_past_max_terms():
    assert latex_vec([0.5, -1]) == r"\begin{bmatrix} 0.5 & -1 \end{bmatrix}^\top"
    long = latex_vec(np.arange(MAX_TERMS + 5))
    assert long.count(r"\cdots") == 1 and long.count("&") == MAX_TERMS - 3 + 2


def test_num_is_unchanged_for_answers_shown_in_the_app():
    assert num([[1.0, 0.5], [2, -0.0]]) == "[[1, 0.5], [2, 0]]"
    assert num(0.76159415) == "0.7616" and num(123456789.0) == "123456789"
