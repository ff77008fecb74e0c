"""`drill list`: every chapter with its titles and item counts, as rows or a table.

The table is plain aligned text: `drill list` is the one command that needs no rich
rendering, and leaving rich unimported keeps it within its start-up budget.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

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


def display_width(text: str) -> int:
    """Terminal columns of `text`: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool) -> str:
    pad = " " * (width - display_width(text))
    return pad + text if right else text + pad


def chapters_text(rows: list[dict[str, Any]], lang: str) -> str:
    """The chapters as an aligned table: slug, title, conceptual and numeric counts."""
    header = [t(k, lang) for k in ("col_chapter", "col_title", "col_concept", "col_numeric")]
    body = []
    for row in rows:
        if not row["usable"]:
            body.append([row["slug"], f"{t('broken_bank', lang)}: {row['error']}", "–", "–"])
            continue
        title = row["title"].get(lang) or row["title"]["en"]
        if row["broken_items"]:
            title += f" ({t('items_left_out', lang, n=row['broken_items'])})"
        body.append([row["slug"], title, str(row["concept"]), str(row["numeric"])])
    widths = [max(display_width(r[i]) for r in [header, *body]) for i in range(4)]
    right = (False, False, True, True)
    lines = ["drill quiz --chapter SLUG", ""]
    for cells in [header, ["─" * w for w in widths], *body]:
        lines.append("  ".join(_cell(c, w, r) for c, w, r in zip(cells, widths, right)).rstrip())
    return "\n".join(lines)
