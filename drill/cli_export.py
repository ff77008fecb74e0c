"""`drill export moodle|anki`: parse options, draw the questions, write one file.

Only typer and the stdlib are imported here at module level (start-up stays fast); the
exporters (and genanki) are imported when a command runs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class ExportLang(str, Enum):
    en = "en"
    zh = "zh"
    both = "both"


MAX_VARIANTS = 200  # = drill.export.variants.MAX_VARIANTS (not imported: start-up)

ChapterOption = Annotated[Optional[list[str]], typer.Option(
    "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")]
VariantsOption = Annotated[int, typer.Option(
    "--variants", "-n", min=1, max=MAX_VARIANTS, help="Drawn variants of each numeric template.")]
SeedOption = Annotated[int, typer.Option(min=0, max=2**63 - 1,
                                         help="Same seed, same export (byte for byte).")]
LangOption = Annotated[ExportLang, typer.Option(
    "--lang", "-l", help="Language of the texts; both: English and Chinese.")]


def register(app: typer.Typer) -> None:
    export_app = typer.Typer(help="Export the banks to Moodle XML or to an Anki deck.",
                             no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                             pretty_exceptions_enable=False)
    export_app.command("moodle")(export_moodle)
    export_app.command("anki")(export_anki)
    app.add_typer(export_app, name="export")


def _ui_lang(lang: ExportLang) -> str:
    return "zh" if lang is ExportLang.zh else "en"


def _drawn(chapter: list[str] | None, seed: int, variants: int, lang: ExportLang):
    from drill.cli import _fail, _load_banks
    from drill.export.variants import draw
    from drill.i18n import t

    banks = _load_banks(chapter)
    drawn = draw([b.chapter for b in banks], seed, variants, lang.value)
    if not drawn:
        _fail(t("nothing", _ui_lang(lang)), 1)
    return banks, drawn


def _write_atomically(path: Path, write, lang: str) -> None:
    """Write through a temporary file beside `path`, so a failure leaves no half file."""
    from drill.cli import _fail
    from drill.i18n import t

    temporary = path.with_name(f".{path.name}.partial")
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        _fail(t("export_failed", lang, path=path, error=err.strerror or err), 1)


def export_moodle(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xml file to write "
                                                              "('-': standard output).")],
    chapter: ChapterOption = None,
    variants: VariantsOption = 10,
    seed: SeedOption = 1,
    lang: LangOption = ExportLang.en,
) -> None:
    """Moodle XML: conceptual items, and each numeric template as a category of variants."""
    from drill.export.moodle import moodle_xml
    from drill.i18n import t

    ui = _ui_lang(lang)
    _, drawn = _drawn(chapter, seed, variants, lang)
    result = moodle_xml(drawn)
    for reason in result.skipped:
        sys.stderr.write("drill: " + t("export_skipped", ui, reason=reason) + "\n")
    if str(output) == "-":
        sys.stdout.write(result.xml)
    else:
        _write_atomically(output, lambda p: p.write_text(result.xml, encoding="utf-8"), ui)
    typer.echo(t("export_written", ui, n=result.questions, path=output), err=str(output) == "-")


def export_anki(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .apkg file to write.")],
    chapter: ChapterOption = None,
    variants: VariantsOption = 10,
    seed: SeedOption = 1,
    lang: LangOption = ExportLang.en,
    timestamp: Annotated[Optional[int], typer.Option(
        min=0, max=2**32, help="Modification time of the notes, in seconds since 1970 "
        "(default: SOURCE_DATE_EPOCH, else the newest bank file). Anki updates imported "
        "cards from a newer file.", show_default=False)] = None,
) -> None:
    """An Anki deck (.apkg): a card per conceptual item, N variant cards per template."""
    from drill.cli import _fail
    from drill.export.anki import write_apkg
    from drill.i18n import t

    ui = _ui_lang(lang)
    if str(output) == "-":
        _fail(t("export_no_stdout", ui))
    banks, drawn = _drawn(chapter, seed, variants, lang)
    if timestamp is None:
        timestamp = _default_timestamp([b.path for b in banks])
    count = 0

    def write(path: Path) -> None:
        nonlocal count
        count = write_apkg(drawn, path, timestamp)

    _write_atomically(output, write, ui)
    typer.echo(t("export_written", ui, n=count, path=output))


def _default_timestamp(paths: list[Path]) -> int:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention), else the newest bank's
    modification time: unchanged banks give the same file, an edited bank a newer one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    return max((int(p.stat().st_mtime) for p in paths), default=0)
