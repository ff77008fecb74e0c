"""A Sheet -> Markdown with `$...$` math (LaTeX, as common viewers render it)."""

from __future__ import annotations

from typing import Any

from drill.engine.text import Block, MathRun, MatrixBlock, Paragraph, TableBlock, TextRun
from drill.worksheet.sheet import Problem, Sheet
from drill.worksheet.words import word
from solvers.fmt import num


def latex_value(value: Any) -> str | None:
    if isinstance(value, list) and value:
        rows = value if all(isinstance(r, list) for r in value) else [value]
        body = r" \\ ".join(" & ".join(num(c) if isinstance(c, (int, float)) else str(c)
                                       for c in row) for row in rows)
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"
    return None


def md_blocks(items: list[Block] | None) -> str:
    out = []
    for block in items or []:
        if isinstance(block, Paragraph):
            parts = []
            for r in block.runs:
                if isinstance(r, TextRun):
                    parts.append(r.text.replace("$", r"\$"))
                elif isinstance(r, MathRun):
                    parts.append(f"${r.latex}$")
                else:
                    shown = latex_value(r.value)
                    parts.append(f"${shown}$" if shown else r.plain)
            out.append("".join(parts))
        elif isinstance(block, MatrixBlock):
            rows = [list(r) for r in block.rows]
            out.append(f"$${latex_value(rows)}$$")
        elif isinstance(block, TableBlock):
            cell = lambda c: num(c) if isinstance(c, (int, float)) else str(c)  # noqa: E731
            lines = ["| " + " | ".join(cell(h) for h in block.header) + " |",
                     "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out)


def _problem(p: Problem, lang: str, exam: bool) -> str:
    q = p.question
    head = f"**{p.number}.** " + (f"({word('points', lang, n=p.points)}) " if exam else "")
    parts = [head + md_blocks(q.body)]
    parts += [f"- ({o.letter}) {md_blocks(o.blocks)}" for o in q.options]
    parts += [f"{f.label}{' (' + f.note + ')' if f.note else ''}: ______"
              for f in q.fields if f.label and f.kind != "choice"]
    return "\n\n".join(parts)


def _key(p: Problem, lang: str) -> str:
    q = p.question
    answers = []
    for f in q.fields:
        if f.kind == "text":
            answers.append(md_blocks(q.model_answer) or str(f.expected))
            continue
        shown = latex_value(f.expected) if f.kind in ("vector", "matrix") else None
        answers.append((f"{f.label} = " if f.label else "")
                       + (f"${shown}$" if shown else f.shown_expected(lang)))
    lines = [f"**{p.number}.** " + "; ".join(answers)]
    for step in q.steps:
        words = step.zh if lang == "zh" and step.zh else step.en
        lines.append(f"- {words}: ${step.latex}$")
    return "\n".join(lines)


def _head(sheet: Sheet, key: bool) -> list[str]:
    lang = sheet.lang
    title = (sheet.title or word("worksheet", lang)) + (f" — {word('key', lang)}" if key else "")
    out = [f"# {title}", "", f"{word('chapters', lang)}: {', '.join(sheet.chapter_titles)}", ""]
    if sheet.minutes is not None:
        out += [word("total", lang, n=sheet.points, minutes=sheet.minutes), ""]
    out += [f"{word('name', lang)}: {sheet.student or '__________'} · {word('date', lang)}: "
            f"__________ · {word('code', lang)}: **{sheet.code}**", ""]
    return out


def markdown(sheets: list[Sheet], with_key: bool = True, only_key: bool = False) -> str:
    out: list[str] = []
    for sheet in sheets:
        for key in ([False] if not only_key else []) + ([True] if with_key or only_key else []):
            out += _head(sheet, key)
            for section in sheet.sections:
                if section.title is not None:
                    out += [f"## {section.title.get(sheet.lang, section.title['en'])} "
                            f"({word('points_each', sheet.lang, count=len(section.problems), each=section.points_each, n=section.points)})", ""]
                for p in section.problems:
                    out += [_key(p, sheet.lang) if key else _problem(p, sheet.lang, sheet.spec.exam), ""]
            out += ["---", ""]
    return "\n".join(out)
