r"""Question blocks as HTML with TeX for MathJax — what Moodle and Anki both display.

Inline math is `\( ... \)` and a matrix on its own line `\[ ... \]` (the delimiters that
Moodle's MathJax filter and Anki both render). Every text is HTML-escaped, TeX too: MathJax
reads the text the browser shows, so `&amp;` in the source reaches it as `&`. No `<span>`
is ever emitted, because Moodle's multilang filter ends a language at the first `</span>`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from drill.engine.question import Question
from drill.engine.text import Block, MathRun, MatrixBlock, Paragraph, TableBlock, TextRun
from solvers.fmt import num

#: Moodle's language codes for ours (its simplified Chinese pack is zh_cn).
MOODLE_LANG = {"en": "en", "zh": "zh_cn"}


def tex_matrix(value: Any) -> str:
    """A vector (one row) or a matrix as a TeX bmatrix: [[1, 2], [3, 4]] ->
    \\begin{bmatrix}1 & 2 \\\\ 3 & 4\\end{bmatrix}."""
    rows = value if value and isinstance(value[0], (list, tuple)) else [value]
    body = r" \\ ".join(" & ".join(num(v) for v in row) for row in rows)
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


def _run_html(run: Any) -> str:
    if isinstance(run, TextRun):
        return escape(run.text, quote=False)
    if isinstance(run, MathRun):
        return escape(r"\(" + run.latex + r"\)", quote=False)
    if isinstance(run.value, (list, tuple)):  # a vector or matrix inside a sentence
        return escape(r"\(" + tex_matrix(run.value) + r"\)", quote=False)
    return escape(run.plain, quote=False)


def blocks_html(blocks: list[Block] | None) -> str:
    """Paragraphs as <p>, matrices as display math, tables as <table>."""
    parts = []
    for block in blocks or []:
        if isinstance(block, Paragraph):
            parts.append("<p>" + "".join(_run_html(r) for r in block.runs) + "</p>")
        elif isinstance(block, MatrixBlock):
            parts.append("<p>" + escape(r"\[" + tex_matrix(block.rows) + r"\]", quote=False) + "</p>")
        elif isinstance(block, TableBlock):
            head = "".join(f"<th>{escape(num(v), quote=False)}</th>" for v in block.header)
            body = "".join("<tr>" + "".join(f"<td>{escape(num(v), quote=False)}</td>" for v in row)
                           + "</tr>" for row in block.rows)
            parts.append(f"<table><tr>{head}</tr>{body}</table>")
    return "".join(parts)


def steps_html(question: Question) -> str:
    """The solver's worked steps as a numbered list: the words, then the formula."""
    if not question.steps:
        return ""
    items = []
    for step in question.steps:
        text = escape(step.text(question.lang), quote=False)
        formula = escape(r"\(" + step.latex + r"\)", quote=False)
        items.append(f"<li>{text}<br>{formula}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def heading(text: str) -> str:
    return f"<p><b>{escape(text, quote=False)}</b></p>"


def multilang(parts: dict[str, str]) -> str:
    """One text per language; with two, Moodle multilang spans (one shows, by the user's
    language). Empty parts are left out."""
    kept = {lang: html for lang, html in parts.items() if html}
    if len(kept) <= 1:
        return next(iter(kept.values()), "")
    return "".join(f'<span lang="{MOODLE_LANG[lang]}" class="multilang">{html}</span>'
                   for lang, html in kept.items())


def side_by_side(parts: dict[str, str]) -> str:
    """One text per language, one after the other (Anki has no language filter)."""
    kept = [html for html in parts.values() if html]
    return "<hr>".join(kept)
