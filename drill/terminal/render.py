"""The terminal's rendering of the engine's structures: text blocks, steps, answers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from drill.engine.kinds import show_value
from drill.engine.text import Block, MatrixBlock, Paragraph, TableBlock
from drill.i18n import t
from solvers.fmt import num


def grid_lines(block: MatrixBlock) -> list[str]:
    """A matrix as lines of aligned columns: `  [ 1  -2 ]`."""
    cells = [[num(v) for v in row] for row in block.rows]
    width = max((len(c) for row in cells for c in row), default=1)
    return ["  [ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def table_lines(block: TableBlock) -> list[str]:
    """A table as lines of left-aligned columns under a rule."""
    cells = [[num(v) for v in row] for row in (block.header, *block.rows)]
    widths = [max(len(row[i]) if i < len(row) else 0 for row in cells)
              for i in range(max(len(row) for row in cells))]
    lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  " + "  ".join("─" * w for w in widths))
    return lines


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as terminal text: paragraphs as they are, matrices as aligned grids,
    tables as aligned columns."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.plain)
        elif isinstance(block, TableBlock):
            parts.append("\n".join(table_lines(block)))
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
