"""From options to sheets: which chapters, one sheet per variant or roster row, and the
output files' names. Loading banks is the only I/O (through the bank loader)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from drill.worksheet.codes import SheetSpec, decode
from drill.worksheet.preset import Preset
from drill.worksheet.sheet import Sheet, build_sheet

MAX_ROSTER_BYTES = 200_000
MAX_VARIANTS = 500


class MakeError(ValueError):
    """Options or files that cannot make a sheet; one line."""


def read_roster(text: str) -> list[str]:
    """Student names: the `name` column (or the first one) of a CSV, blank rows skipped."""
    if len(text.encode("utf-8")) > MAX_ROSTER_BYTES:
        raise MakeError(f"roster is over {MAX_ROSTER_BYTES} bytes")
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise MakeError("roster is empty")
    header = [c.strip().lower() for c in rows[0]]
    column = header.index("name") if "name" in header else 0
    body = rows[1:] if "name" in header else rows
    names = [r[column].strip() if column < len(r) else "" for r in body]
    if not names or len(names) > MAX_VARIANTS:
        raise MakeError(f"roster needs 1 to {MAX_VARIANTS} students")
    return names


def load_for(spec: SheetSpec, preset: Preset | None):
    """The chapters (runtime values) a spec draws from, and the known slugs."""
    from drill.bank.load import chapter_slugs, load_chapters

    slugs = sorted(chapter_slugs())
    wanted = [s for s in preset.chapters if s in slugs] if spec.exam and preset else \
        list(spec.chapters)
    try:
        banks, _ = load_chapters(wanted or None)
    except KeyError as err:
        raise MakeError(str(err.args[0])) from None
    return [b.chapter for b in banks], slugs


def make_sheets(spec: SheetSpec, variants: int, names: list[str] | None, lang: str,
                preset: Preset | None, on_sheet=None) -> list[Sheet]:
    """The sheet itself (variants == 0 and no roster) or one per variant / student."""
    chapters, slugs = load_for(spec, preset)
    if not spec.exam and not spec.chapters:
        spec = SheetSpec(tuple(sorted(c.chapter for c in chapters)), spec.count, spec.seed,
                         spec.kind, spec.exam, spec.variant)
    people = names if names else [""] * max(variants, 1)
    sheets = []
    for index, student in enumerate(people):
        number = index + 1 if (names or variants) else 0
        one = SheetSpec(spec.chapters, spec.count, spec.seed, spec.kind, spec.exam, number)
        sheets.append(build_sheet(one, chapters, lang, slugs, preset, student=student))
        if on_sheet:
            on_sheet()
    return sheets


def sheet_for_code(code: str, lang: str, preset: Preset | None) -> Sheet:
    """Rebuild the sheet a code names (CodeError, a ValueError, when it cannot be read)."""
    from drill.bank.load import chapter_slugs

    spec = decode(code, sorted(chapter_slugs()))
    chapters, slugs = load_for(spec, preset)
    return build_sheet(spec, chapters, lang, slugs, preset)


def output_name(base: Path, index: int | None, student: str = "", key: bool = False) -> Path:
    """cnn.pdf -> cnn-03-Ana_Li.pdf (variant 3), cnn-key.pdf (its separate key)."""
    stem = base.stem
    if index is not None:
        stem += f"-{index:02d}"
    if student:
        stem += "-" + re.sub(r"[^\w-]+", "_", student, flags=re.UNICODE)[:40]
    if key:
        stem += "-key"
    return base.with_name(stem + base.suffix)
