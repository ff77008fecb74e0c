"""Rich rendering shared by the quiz and `drill solve`: values, answers, steps."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from drill.i18n import t
from solvers.fmt import num
from solvers.registry import Step


def show_value(value: Any) -> str:
    """A value as the student would type it: 28, 0.7616, [1, 2], [[1, 0], [0, 1]]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return num(value)


def print_steps(console: Console, steps: list[Step], lang: str) -> None:
    for index, step in enumerate(steps, 1):
        console.print(f"  [bold]{index}.[/bold] {escape(step.text(lang))}")


def answers_table(answers: dict[str, Any], lang: str) -> Table:
    table = Table(title=t("answers", lang), title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in answers.items():
        table.add_row(name, show_value(value))
    return table

