"""`drill review`, `drill stats` and `drill progress export|import|reset`: the commands
that read or change the progress store. Loaded only when one of them runs (see
LAZY_COMMANDS in drill/cli.py); only typer and the stdlib at module level."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from drill.cli import (
    _TYPER,
    DEFAULT_LANG,
    DbOption,
    LangOption,
    _console,
    _fail,
    _load_banks,
    _one_line,
    _run_session,
    _warn,
    _write_err,
)


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(stats)
    progress_app = typer.Typer(help="Move your recorded progress to another machine, or "
                                    "reset it.", **_TYPER)
    progress_app.command("export")(progress_export)
    progress_app.command("import")(progress_import)
    progress_app.command("reset")(progress_reset)
    app.add_typer(progress_app, name="progress")


def _open_progress(db: Optional[Path], lang: str):
    """The progress store for a command that reads it; one line and exit 1 when it cannot
    be opened."""
    from drill.i18n import t
    from drill.progress.location import store_path
    from drill.progress.store import ProgressStore, StoreUnavailable

    path = store_path(db)
    if path is None:
        _fail(t("db_off", lang), 1)
    try:
        store, notices = ProgressStore.open(path)
    except StoreUnavailable as err:
        _fail(err.notice.text(lang), 1)
    for notice in notices:
        _warn(notice.text(lang))
    return store


@contextmanager
def _progress_errors(lang: str):
    """A store that fails while a command reads or changes it: one line, exit 1."""
    from drill.progress.store import StoreUnavailable

    try:
        yield
    except StoreUnavailable as err:
        _fail(err.notice.text(lang), 1)


def review(
    chapter: Annotated[Optional[list[str]], typer.Option(
        "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=500,
                                       help="At most this many questions.")] = 20,
    new: Annotated[int, typer.Option("--new", min=0, max=500,
                                     help="New items a day, at most.")] = 10,
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Review what is due (spaced repetition, FSRS), with new items up to a daily limit."""
    import random
    from datetime import datetime, timezone

    from rich.markup import escape

    from drill.i18n import t
    from drill.progress.recorder import Recorder
    from drill.terminal.console import line_reader, prompts_to_stderr, quiz_console
    from drill.terminal.quiz import TerminalQuiz
    from drill.terminal.review import intro, nothing_due, plan_from_store, review_command

    banks = _load_banks(chapter)
    store = _open_progress(db, lang.value)
    now = datetime.now(timezone.utc)
    with _progress_errors(lang.value):
        plan = plan_from_store(store, [b.chapter for b in banks], now, random.SystemRandom(),
                               count, new)
    redirected = prompts_to_stderr()
    console = quiz_console(stderr=redirected)
    if not plan.entries:
        for line in nothing_due(plan, now, lang.value):
            console.print(escape(line))
        return
    console.print(f"[dim]{escape(intro(plan, review_command(chapter, count, new), lang.value))}")
    console.print(f"[dim]{t('commands', lang.value)}")
    recorder = Recorder(_warn, lang.value, source="review", store=store)
    session = TerminalQuiz(console, line_reader(console), lang.value, on_record=recorder)
    _run_session(session, plan.entries, console, redirected, lang.value)


def stats(
    chapter: Annotated[Optional[list[str]], typer.Option(
        "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts.")] = False,
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Where you stand: per chapter seen/due/mastered, accuracy, weakest items, streak."""
    import json
    from datetime import datetime, timezone

    from drill.progress.stats import stats_json
    from drill.terminal.stats import gather_stats, stats_view

    banks = _load_banks(chapter)
    chapters = [b.chapter for b in banks]
    store = _open_progress(db, lang.value)
    with _progress_errors(lang.value):
        numbers = gather_stats(store, chapters, bool(chapter), datetime.now(timezone.utc))
    if as_json:
        typer.echo(json.dumps(stats_json(numbers), ensure_ascii=False, indent=2))
        return
    console = _console()
    for part in stats_view(numbers, chapters, lang.value):
        console.print(part)


def progress_export(
    file: Annotated[Path, typer.Argument(help="JSON file to write ('-': standard output).")],
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Write every answer and review card to a JSON file."""
    import json
    from datetime import datetime, timezone

    from drill.i18n import t
    from drill.progress.transfer import export_document

    store = _open_progress(db, lang.value)
    with _progress_errors(lang.value):
        document = export_document(store.export_rows(), store.cards(),
                                   datetime.now(timezone.utc))
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if str(file) == "-":
        sys.stdout.write(text)
    else:
        temporary = file.with_name(f".{file.name}.partial")
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, file)
        except OSError as err:
            temporary.unlink(missing_ok=True)
            _fail(t("export_failed", lang.value, path=file, error=err.strerror or err), 1)
    message = t("exported", lang.value, answers=len(document["answers"]),
                cards=len(document["cards"]), path=file)
    typer.echo(message, err=str(file) == "-")


def progress_import(
    file: Annotated[Path, typer.Argument(help="A file from `drill progress export` ('-': "
                                               "standard input).")],
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Merge an exported file into this machine's progress (importing twice adds nothing)."""
    import json

    from drill.i18n import t
    from drill.progress.schedule import make_scheduler, replay
    from drill.progress.transfer import TransferError, read_document

    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        answers, cards = read_document(json.loads(text), str(file))
    except OSError as err:
        _fail(t("import_unreadable", lang.value, path=file, error=err.strerror or err))
    except ValueError as err:  # not UTF-8, not JSON
        _fail(t("import_unreadable", lang.value, path=file, error=_one_line(str(err))))
    except TransferError as err:
        _fail(err.notice.text(lang.value))
    store = _open_progress(db, lang.value)
    scheduler = make_scheduler()
    with _progress_errors(lang.value):
        result = store.import_rows(answers, cards,
                                   lambda item_id, history: replay(history, item_id, scheduler))
    typer.echo(t("imported", lang.value, added=result.added, known=result.known,
                 cards=result.cards))


def progress_reset(
    chapter: Annotated[Optional[list[str]], typer.Option(
        "--chapter", "-c", help="Only this chapter; repeat for several; none = everything.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")] = False,
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Delete recorded answers and review cards, after asking."""
    from drill.i18n import t

    store = _open_progress(db, lang.value)
    with _progress_errors(lang.value):
        answers, cards = store.counts(chapter)
    if not answers and not cards:
        typer.echo(t("reset_nothing", lang.value))
        return
    if not yes:
        which = ", ".join(sorted(set(chapter))) if chapter else t("reset_all", lang.value)
        _write_err(t("reset_confirm", lang.value, answers=answers, cards=cards, which=which,
                     path=store.path))
        if not _confirmed(sys.stdin.readline() if sys.stdin is not None else ""):
            typer.echo(t("reset_kept", lang.value))
            raise typer.Exit(1)
    with _progress_errors(lang.value):
        answers, cards = store.reset(chapter)
    typer.echo(t("reset_done", lang.value, answers=answers, cards=cards))


def _confirmed(line: str) -> bool:
    from drill.engine.answer_parse import AnswerParseError
    from drill.engine.kinds import parse_truefalse

    try:
        return parse_truefalse(line) if line.strip() else False
    except AnswerParseError:
        return False
