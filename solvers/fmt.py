"""Formatting for worked steps (never for answers), shared by every topic module.

Text helpers (`num`, `paren`, `join_terms`, `matrix_text`) write the readable step;
LaTeX helpers (`latex_num`, `latex_paren`, `latex_vec`, `latex_matrix`) write its `latex`
form. Long sums and big matrices are elided in the middle so a step stays short; the
step's `value` always holds every number. Plain Python, no numpy import (start-up):
anything with `.tolist()` (a numpy array or scalar) is accepted.
"""

from __future__ import annotations

import math
from typing import Any

MAX_TERMS = 18  # terms written out in one step before the middle is elided
MAX_SHOWN = 36  # matrix cells written into a step before it is summarised or elided
LATEX_CORNER = 3  # rows / columns kept at the start of an elided LaTeX matrix


def _plain(x: Any) -> Any:
    """numpy arrays and scalars as Python lists and numbers."""
    return x.tolist() if hasattr(x, "tolist") else x


def num(x: Any, digits: int = 4) -> str:
    """A short, readable number: ints as ints, floats to `digits` decimals, trimmed."""
    x = _plain(x)
    if isinstance(x, bool) or isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            return str(x)
        if x == int(x) and abs(x) < 1e15:
            return str(int(x))
        if abs(x) < 10 ** (-digits) or abs(x) >= 1e7:
            return f"{x:.{digits - 1}e}"
        text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(num(v, digits) for v in x) + "]"
    return str(x)


def paren(x: Any) -> str:
    """num(x), in parentheses when it is negative: 3 -> '3', -2 -> '(-2)' (for products)."""
    text = num(x)
    return f"({text})" if text.startswith("-") else text


def join_terms(terms: list[str], sep: str, ellipsis: str = "…") -> str:
    """Terms joined by `sep`; with more than MAX_TERMS, the first MAX_TERMS − 3, then
    `ellipsis`, then the last two (use ellipsis=r"\\cdots" in LaTeX)."""
    if len(terms) <= MAX_TERMS:
        return sep.join(terms)
    return f"{sep.join(terms[:MAX_TERMS - 3])}{sep}{ellipsis}{sep}{sep.join(terms[-2:])}"


def matrix_text(m: Any, lang: str = "en") -> str:
    """A matrix in a step's text: its rows as lists when it has at most MAX_SHOWN cells,
    otherwise its shape and a pointer to the step's value."""
    rows = _plain(m)
    height, width = len(rows), len(rows[0]) if rows else 0
    if height * width <= MAX_SHOWN:
        return num(rows)
    if lang == "zh":
        return f"一个 {height}×{width} 矩阵（见 value）"
    return f"a {height}×{width} matrix (see value)"


def latex_num(x: Any, digits: int = 4) -> str:
    """num(x) as LaTeX: 1.234e-05 -> 1.234 \\times 10^{-5}; inf -> \\infty; NaN upright."""
    x = _plain(x)
    if isinstance(x, float) and math.isnan(x):
        return r"\mathrm{NaN}"
    if isinstance(x, float) and math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = num(x, digits)
    if isinstance(x, float) and "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def latex_paren(x: Any) -> str:
    """latex_num(x), in parentheses when it is negative (for products and sums)."""
    text = latex_num(x)
    return f"({text})" if text.startswith("-") else text


def _elide(items: list, keep_first: int, filler: Any) -> list:
    """items with the middle replaced by `filler` when there are more than keep_first + 1."""
    if len(items) <= keep_first + 1:
        return list(items)
    return [*items[:keep_first], filler, items[-1]]


def latex_vec(v: Any) -> str:
    """A vector as a transposed row, [1, 2] -> \\begin{bmatrix} 1 & 2 \\end{bmatrix}^\\top;
    more than MAX_TERMS entries are elided in the middle with \\cdots."""
    entries = [latex_num(x) for x in _plain(v)]
    return r"\begin{bmatrix} " + join_terms(entries, " & ", r"\cdots") + r" \end{bmatrix}^\top"


def latex_matrix(m: Any) -> str:
    """A matrix (list of rows) as \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}.

    More than MAX_SHOWN cells: the first LATEX_CORNER rows and columns and the last one,
    the rest elided with \\cdots, \\vdots and \\ddots (the step's value has them all).
    """
    rows = [[latex_num(x) for x in row] for row in _plain(m)]
    if sum(len(row) for row in rows) > MAX_SHOWN:
        rows = [_elide(row, LATEX_CORNER, r"\cdots") for row in rows]
        width = len(rows[0])
        gap = [r"\ddots" if j == LATEX_CORNER and width > LATEX_CORNER + 1 else r"\vdots"
               for j in range(width)]
        rows = _elide(rows, LATEX_CORNER, gap)
    body = r" \\ ".join(" & ".join(row) for row in rows)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"
