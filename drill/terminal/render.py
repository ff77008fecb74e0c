"""The terminal's rendering of the engine's structures: text blocks, steps, answers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from drill.engine.kinds import show_value
from drill.engine.text import Block, MatrixBlock, Paragraph
from drill.i18n import t
from solvers.fmt import num


def grid_lines(block: MatrixBlock) -> list[str]:
    """A matrix as lines of aligned columns: `  [ 1  -2 ]`."""
    cells = [[num(v) for v in row] for row in block.rows]
    width = max((len(c) for row in cells for c in row), default=1)
    return ["  [ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as terminal text: paragraphs as they are, matrices as aligned grids."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.plain)
        else:
            parts.append("\n".join(grid_lines(block)))
    return "\n".join(parts)


def print_steps(console: Console, steps: list[Any], lang: str) -> None:
    for index, step in enumerate(steps, 1):
        console.print(f"  [bold]{index}.[/bold] {escape(step.text(lang))}")


def answers_table(answers: dict[str, Any], lang: str) -> Table:
    table = Table(title=t("answers", lang), title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in answers.items():
        table.add_row(name, show_value(value))
    return table
