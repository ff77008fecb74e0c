"""`drill worksheet`: printable sheets and mock exams (PDF, Markdown, typst) with keys,
per-student variants, keys regenerated from a variant code, grading of returned answers.
Only typer and the stdlib at module level: typst, yaml and the engine load when a
command runs."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class Fmt(str, Enum):
    pdf = "pdf"
    md = "md"
    typ = "typ"


class KeyMode(str, Enum):
    after = "after"
    separate = "separate"
    none = "none"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class Kind(str, Enum):
    all = "all"
    concept = "concept"
    numeric = "numeric"


DEFAULT_LANG = Lang.zh if os.environ.get("DRILL_LANG", "").lower().startswith("zh") else Lang.en
LangOpt = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the sheet.")]
FontOpt = Annotated[Optional[Path], typer.Option(
    "--font-path", help="A font file or folder (Chinese needs a CJK font).")]
PresetOpt = Annotated[Optional[Path], typer.Option(
    "--preset", help="Exam preset JSON (default: the course final in the repo).")]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="pdf, md (Markdown, $...$ math) or typ.")]


def _fail(message: str, code: int = 2) -> None:
    sys.stderr.write(f"drill: {message}\n")
    raise typer.Exit(code)


def _preset(path: Optional[Path], exam: bool):
    from drill.worksheet.preset import PresetError, load_preset

    if not exam and path is None:
        return None
    try:
        return load_preset(path)
    except PresetError as err:
        _fail(str(err))


def _render(sheets: list, fmt: Fmt, font_path: Optional[Path], lang: str,
            with_key: bool, only_key: bool = False) -> bytes:
    from drill.worksheet.fonts import FontError, font_setup
    from drill.worksheet.markdown import markdown
    from drill.worksheet.pdf import TypstFailure, compile_typst
    from drill.worksheet.typst_doc import document

    if fmt is Fmt.md:
        return markdown(sheets, with_key, only_key).encode("utf-8")
    try:
        families, paths = font_setup(lang, font_path)
    except FontError as err:
        _fail(err.text(lang))
    source = document(sheets, families, with_key, only_key)
    if fmt is Fmt.typ:
        return source.encode("utf-8")
    try:
        return compile_typst(source, paths)
    except TypstFailure as err:
        _fail(f"typst: {err}", 1)


def _write(path: Path, data: bytes, lang: str) -> None:
    from drill.i18n import t

    try:
        path.write_bytes(data)
    except OSError as err:
        _fail(t("ws_write_failed", lang, path=path, error=err.strerror or err), 1)
    typer.echo(t("ws_wrote", lang, path=path))


def register(app: typer.Typer) -> None:
    ws = typer.Typer(help="Printable worksheets and mock exams with answer keys.",
                     no_args_is_help=False, add_completion=False, rich_markup_mode=None,
                     invoke_without_command=True)
    app.add_typer(ws, name="worksheet")

    @ws.callback()
    def worksheet(
        ctx: typer.Context,
        chapter: Annotated[Optional[list[str]], typer.Option(
            "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
        count: Annotated[int, typer.Option("--count", "-n", min=1, max=200,
                                           help="Number of problems.")] = 10,
        seed: Annotated[int, typer.Option(min=0, max=2**62, help="Same seed, same sheet.")] = 0,
        kind: Annotated[Kind, typer.Option(help="numeric, concept or all.")] = Kind.all,
        lang: LangOpt = DEFAULT_LANG,
        fmt: FormatOpt = Fmt.pdf,
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file.")] = None,
        key: Annotated[KeyMode, typer.Option(help="Answer key after a page break, in a "
                                             "separate file, or none.")] = KeyMode.after,
        exam: Annotated[bool, typer.Option("--exam", help="Lay out as the course's final "
                                           "(sections, points, time).")] = False,
        preset: PresetOpt = None,
        variants: Annotated[int, typer.Option(min=0, max=500, help="One variant per student.")] = 0,
        roster: Annotated[Optional[Path], typer.Option(help="CSV of students (a `name` "
                                                       "column): one variant each.")] = None,
        combine: Annotated[bool, typer.Option("--combine", help="All variants in one file.")] = False,
        font_path: FontOpt = None,
    ) -> None:
        """Write a worksheet (or --exam) with its key; subcommands: key CODE, grade CSV."""
        if ctx.invoked_subcommand is not None:
            return
        from drill.worksheet.codes import SheetSpec
        from drill.worksheet.make import MakeError, make_sheets, output_name, read_roster
        from drill.worksheet.sheet import SheetError

        names = None
        if roster is not None:
            try:
                names = read_roster(roster.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as err:
                _fail(f"{roster}: {getattr(err, 'strerror', None) or err}")
            except MakeError as err:
                _fail(f"{roster}: {err}")
        spec = SheetSpec(tuple(sorted(set(chapter or []))), count, seed, kind.value, exam)
        the_preset = _preset(preset, exam)
        output = output or Path(f"{'exam' if exam else 'worksheet'}.{fmt.value}")
        many = bool(names) or variants > 0
        try:
            if many:
                sheets = _with_progress(lambda tick: make_sheets(
                    spec, variants, names, lang.value, the_preset, tick),
                    len(names) if names else variants, lang.value)
            else:
                sheets = make_sheets(spec, 0, None, lang.value, the_preset)
        except (MakeError, SheetError) as err:
            _fail(str(err))
        groups = [sheets] if combine or not many else [[s] for s in sheets]
        for group in groups:
            index = group[0].spec.variant if len(group) == 1 and many else None
            student = group[0].student if len(group) == 1 else ""
            path = output_name(output, index, student)
            _write(path, _render(group, fmt, font_path, lang.value,
                                 key is KeyMode.after), lang.value)
            if key is KeyMode.separate:
                _write(output_name(output, index, student, key=True),
                       _render(group, fmt, font_path, lang.value, True, only_key=True),
                       lang.value)

    @ws.command("key")
    def key_command(
        code: Annotated[str, typer.Argument(help="The variant code printed on the sheet.")],
        lang: LangOpt = DEFAULT_LANG,
        fmt: FormatOpt = Fmt.pdf,
        output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
        preset: PresetOpt = None,
        font_path: FontOpt = None,
    ) -> None:
        """Regenerate the answer key of a sheet from its variant code alone."""
        from drill.worksheet.codes import CodeError
        from drill.worksheet.make import MakeError, sheet_for_code
        from drill.worksheet.sheet import SheetError

        try:
            sheet = sheet_for_code(code, lang.value, _preset(preset, True))
        except (CodeError, MakeError, SheetError) as err:
            _fail(str(err))
        path = output or Path(f"key-{sheet.code}.{fmt.value}")
        _write(path, _render([sheet], fmt, font_path, lang.value, True, only_key=True), lang.value)

    @ws.command("grade")
    def grade_command(
        answers: Annotated[Path, typer.Argument(help="CSV: code, name, then one column per "
                                                "problem number (parts split by |).")],
        output: Annotated[Optional[Path], typer.Option(
            "--output", "-o", help="Gradebook CSV to write.")] = None,
        lang: LangOpt = DEFAULT_LANG,
        preset: PresetOpt = None,
    ) -> None:
        """Grade returned answers with the templates' tolerances; print a table, write a CSV."""
        from drill.worksheet.grade import GradeInputError, grade_rows, gradebook_csv, read_rows
        from drill.worksheet.make import sheet_for_code

        try:
            _, rows = read_rows(answers.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            _fail(f"{answers}: {getattr(err, 'strerror', None) or err}")
        except GradeInputError as err:
            _fail(f"{answers}: {err}")
        the_preset = _preset(preset, True)
        cache: dict = {}

        def sheet_for(code: str):
            if code not in cache:
                cache[code] = sheet_for_code(code, lang.value, the_preset)
            return cache[code]

        grades = grade_rows(rows, sheet_for)
        from drill.terminal.console import quiz_console
        from drill.worksheet.grade_view import grade_table

        quiz_console().print(grade_table(grades, lang.value))
        target = output or answers.with_name(answers.stem + "-gradebook.csv")
        _write(target, gradebook_csv(grades).encode("utf-8"), lang.value)


def _with_progress(make, total: int, lang: str):
    """Run make(tick) under a rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from drill.i18n import t

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(t("ws_making", lang), total=total)
        return make(lambda: bar.advance(task))
