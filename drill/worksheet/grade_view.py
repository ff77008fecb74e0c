"""The grading table for the terminal (rich): one row per student, one column per problem."""

from __future__ import annotations

from drill.i18n import t

MARKS = {"right": "[green]✓[/]", "wrong": "[red]✗[/]", "partial": "[yellow]½[/]",
         "unreadable": "[magenta]?[/]", "missing": "[dim]—[/]", "by_hand": "[cyan]✎[/]"}


def grade_table(grades: list, lang: str):
    from rich.markup import escape
    from rich.table import Table

    numbers = sorted({p.number for g in grades for p in g.problems})
    table = Table(title=t("ws_grade_title", lang), caption=t("ws_grade_legend", lang))
    table.add_column(t("ws_student", lang))
    table.add_column(t("ws_code", lang))
    for n in numbers:
        table.add_column(str(n), justify="center")
    table.add_column(t("ws_score", lang), justify="right")
    for g in grades:
        by_number = {p.number: p for p in g.problems}
        if g.error:
            table.add_row(escape(g.name), escape(g.code), *[""] * len(numbers),
                          f"[red]{escape(g.error)}[/]")
            continue
        cells = [MARKS[by_number[n].verdict] if n in by_number else "" for n in numbers]
        table.add_row(escape(g.name), escape(g.code), *cells,
                      f"{g.score:g} / {g.points}")
    return table
