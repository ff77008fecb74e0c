"""A Sheet -> typst source: the problems, then (or in a document of its own) the key.

All text goes in as typst strings (`#"..."`), so no character of a bank text can act as
typst markup; math goes through `latex_typst.to_typst`, and a formula it cannot convert
is replaced by the step's own words (never by raw LaTeX).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drill.engine.question import AnswerField, Question
from drill.engine.text import (Block, MathRun, MatrixBlock, Paragraph, TableBlock, TextRun,
                               ValueRun, plain_text)
from drill.worksheet.latex_typst import UnsupportedLatex, to_typst
from drill.worksheet.sheet import Problem, Sheet
from drill.worksheet.words import word
from solvers.fmt import num

TEMPLATE = Path(__file__).parent / "template.typ"
WORK_SPACE = {"numeric": "5cm", "short": "4cm", "choice": "0.6cm", "truefalse": "0.4cm"}


def s(text: str) -> str:
    """A typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def text(value: str) -> str:
    """Text in markup, as a string so nothing in it is markup."""
    if not value:
        return ""
    return " \\\n".join(f"#{s(line)}" if line else "" for line in value.split("\n"))


def math_cell(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return s(str(value))
    return num(value)


def math_value(value: Any) -> str | None:
    """A vector or matrix as typst math, None for anything else."""
    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        return "mat(delim: \"[\", " + "; ".join(", ".join(math_cell(c) for c in row)
                                               for row in value) + ")"
    if isinstance(value, list) and value:
        return "mat(delim: \"[\", " + ", ".join(math_cell(c) for c in value) + ")"
    return None


def formula(latex: str, fallback: str) -> str:
    try:
        return f"${to_typst(latex)}$"
    except UnsupportedLatex:
        return text(fallback)


def run(r: Any) -> str:
    if isinstance(r, TextRun):
        return text(r.text)
    if isinstance(r, MathRun):
        return formula(r.latex, r.plain)
    if isinstance(r, ValueRun):
        # inside a sentence a vector reads best as typed ([0.2, 0.6]); a matrix is typeset
        matrix = isinstance(r.value, list) and any(isinstance(v, list) for v in r.value)
        shown = math_value(r.value) if matrix else None
        return f"${shown}$" if shown else text(r.plain)
    return text(str(r))


def blocks(items: list[Block] | None) -> str:
    out = []
    for block in items or []:
        if isinstance(block, Paragraph):
            out.append("".join(run(r) for r in block.runs))
        elif isinstance(block, MatrixBlock):
            rows = [list(r) for r in block.rows]
            out.append(f"$ {math_value(rows if len(rows) > 1 else rows[0])} $")
        elif isinstance(block, TableBlock):
            cells = [f"[*{text(str(h))}*]" for h in block.header]
            cells += [f"[{text(num(c) if isinstance(c, (int, float)) else str(c))}]"
                      for row in block.rows for c in row]
            out.append(f"#table(columns: {len(block.header)}, align: center, "
                       + ", ".join(cells) + ")")
    return "\n\n".join(out)


def problem_text(problem: Problem, lang: str, exam: bool) -> str:
    q = problem.question
    head = f"*{problem.number}.* "
    if exam:
        head += f"#h(0.3em)#text(size: 9pt)[({text(word('points', lang, n=problem.points))})] "
    parts = [head + blocks(q.body)]
    if q.options:
        opts = [f"[({o.letter}) {blocks(o.blocks)}]" for o in q.options]
        parts.append("#grid(columns: 2, column-gutter: 2em, row-gutter: 0.6em, "
                     + ", ".join(opts) + ")")
        stem = plain_text(q.body).lower()
        if q.multiple and not any(w in stem for w in ("多选", "all that apply")):
            parts.append(text(word("choose_all", lang)))
    if q.item_kind == "truefalse":
        parts.append(f"#h(1fr){text(word('true_false', lang))}")
    labelled = [f for f in q.fields if f.label and f.kind not in ("choice",)]
    for f in labelled:
        note = f" ({f.note})" if f.note else ""
        parts.append(f"{text(f.label + note)}: #box(width: 1fr, line(length: 100%, stroke: 0.4pt))")
    space = WORK_SPACE.get(q.item_kind, "2cm")
    # kept on one page, so a matrix is never split from the sentence that introduces it
    return "#block(breakable: false)[\n" + "\n\n".join(parts) + f"\n]\n#v({space})\n"


def answer_line(field: AnswerField, question: Question, lang: str) -> str:
    if field.kind == "text":
        return blocks(question.model_answer) or text(str(field.expected))
    shown = math_value(field.expected) if field.kind in ("vector", "matrix", "vector_up_to_sign") else None
    label = f"{field.label} = " if field.label else ""
    return text(label) + (f"${shown}$" if shown else text(field.shown_expected(lang)))


def key_text(problem: Problem, lang: str) -> str:
    q = problem.question
    parts = [f"*{problem.number}.* " + " #h(1em) ".join(answer_line(f, q, lang) for f in q.fields)]
    if q.steps:
        lines = []
        for step in q.steps:
            words = (step.zh if lang == "zh" and step.zh else step.en)
            shown = formula(step.latex, "")
            shown = f"\n  $ {shown[1:-1]} $" if shown.startswith("$") else ""
            lines.append(f"- {text(words)}{shown}")
        parts.append("\n".join(lines))
    elif q.explanation and q.item_kind != "short":
        parts.append(f"#text(size: 9pt)[{blocks(q.explanation)}]")
    return "\n\n".join(parts) + "\n"


def header(sheet: Sheet, key: bool) -> str:
    lang = sheet.lang
    title = sheet.title or word("worksheet", lang)
    if key:
        title = f"{title} — {word('key', lang)}"
    lines = [f"#align(center, text(size: 16pt, weight: \"bold\", {s(title)}))",
             f"#align(center, text(size: 9pt, {s(word('chapters', lang) + ': ' + ', '.join(sheet.chapter_titles))}))"]
    if sheet.minutes is not None:
        lines.append(f"#align(center, text(size: 9pt, {s(word('total', lang, n=sheet.points, minutes=sheet.minutes))}))")
    student = f"{text(word('name', lang))}: " + (text(sheet.student) if sheet.student else
                                                  "#box(width: 5cm, line(length: 100%, stroke: 0.4pt))")
    lines.append(f"#v(0.4em)\n{student} #h(1fr) {text(word('date', lang))}: "
                 f"#box(width: 3cm, line(length: 100%, stroke: 0.4pt)) #h(1fr) "
                 f"{text(word('code', lang))}: *{text(sheet.code)}*\n#line(length: 100%)\n")
    return "\n".join(lines)


def section_head(section, lang: str) -> str:
    if section.title is None:
        return ""
    title = section.title.get(lang, section.title["en"])
    detail = word("points_each", lang, count=len(section.problems), each=section.points_each,
                  n=section.points)
    return f"== {text(title)} #h(0.5em) #text(size: 9pt, weight: \"regular\", {s('(' + detail + ')')})\n"


def preamble(sheet: Sheet, fonts: tuple[str, ...]) -> str:
    families = ", ".join(s(f) for f in fonts) + ("," if len(fonts) == 1 else "")
    code = s(sheet.code)
    return TEMPLATE.read_text(encoding="utf-8").replace("FONTS", families).replace(
        "LANG", s(sheet.lang)).replace("CODE", code)


def problems_part(sheet: Sheet) -> str:
    out = [header(sheet, key=False)]
    for section in sheet.sections:
        out.append(section_head(section, sheet.lang))
        out += [problem_text(p, sheet.lang, sheet.spec.exam) for p in section.problems]
    return "\n".join(out)


def key_part(sheet: Sheet) -> str:
    out = [header(sheet, key=True)]
    for section in sheet.sections:
        out.append(section_head(section, sheet.lang))
        out += [key_text(p, sheet.lang) for p in section.problems]
    return "\n".join(out)


def document(sheets: list[Sheet], fonts: tuple[str, ...], with_key: bool = True,
             only_key: bool = False) -> str:
    """One typst document: each sheet (and its key after a page break, unless `only_key`
    or not `with_key`), sheets one after another on fresh pages."""
    parts = []
    for sheet in sheets:
        if not only_key:
            parts.append(problems_part(sheet))
        if with_key or only_key:
            parts.append(key_part(sheet))
    return preamble(sheets[0], fonts) + "\n#pagebreak()\n".join(parts)
