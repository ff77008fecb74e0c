"""`drill list`: every chapter with its titles and item counts, as rows or a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from drill.bank.load import BankError, bank_summary
from drill.i18n import t


def chapter_rows(paths: list[Path]) -> list[dict[str, Any]]:
    """One plain object per bank: slug, titles, counts per item kind, broken items."""
    rows = []
    for path in paths:
        try:
            summary = bank_summary(path)
        except BankError as err:
            rows.append({"slug": path.stem, "file": str(path), "usable": False,
                         "error": str(err.findings[0])})
            continue
        counts = summary["counts"]
        rows.append({**summary, "file": str(path), "usable": True,
                     "concept": sum(counts.values()) - counts["numeric"],
                     "numeric": counts["numeric"]})
    return rows


def chapters_table(rows: list[dict[str, Any]], lang: str) -> Table:
    table = Table(title="drill quiz --chapter SLUG", title_justify="left")
    table.add_column(t("col_chapter", lang), no_wrap=True)
    table.add_column(t("col_title", lang), overflow="fold")
    table.add_column(t("col_concept", lang), justify="right", overflow="fold")
    table.add_column(t("col_numeric", lang), justify="right", overflow="fold")
    for row in rows:
        if not row["usable"]:
            table.add_row(row["slug"], f"[red]{t('broken_bank', lang)}: {escape(row['error'])}",
                          "–", "–")
            continue
        title = escape(row["title"][lang] if lang in row["title"] else row["title"]["en"])
        if row["broken_items"]:
            title += f" [yellow]({t('items_left_out', lang, n=row['broken_items'])})"
        table.add_row(row["slug"], title, str(row["concept"]), str(row["numeric"]))
    return table
