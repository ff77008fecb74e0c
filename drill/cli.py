"""The `drill` command line: parsing and printing only; the work is in the modules.

Start-up stays fast: this module imports typer alone; each command imports what it
needs (yaml, pydantic, numpy, the solvers) when it runs. torch and sympy are never
imported by the CLI.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

INTERRUPTED = 130  # the shell's code for a process ended by Ctrl-C (128 + SIGINT)
# click's UsageError and ClickException, from whichever click this typer uses
_UsageError, _ClickException = typer.BadParameter.__mro__[1:3]


#: Commands whose modules load only when they run: name -> (module with a
#: `register(app)` function, the one line `drill --help` shows for it). Building them
#: with the rest would cost every command about 25 ms.
LAZY_COMMANDS = {
    "derive": ("drill.cli_derive", "Derive: answer with an expression, graded by equivalence."),
    "check": ("drill.cli_derive", "Check a derivation step by step (exit 0, 1 or 2)."),
    "worksheet": ("drill.cli_worksheet", "Printable worksheets and mock exams with answer keys."),
    "export": ("drill.cli_export", "Export the banks to Moodle XML or to an Anki deck."),
}


def _lazy_command(name: str):
    """The click command `name`, built from its module's `register` on its own app."""
    import importlib

    import typer.main

    holder = typer.Typer(**_TYPER)
    importlib.import_module(LAZY_COMMANDS[name][0]).register(holder)
    return typer.main.get_group(holder).commands.get(name)


class DrillGroup(TyperGroup):
    """Every way a command can end, as a person at a terminal expects it: a usage
    mistake is one line and exit 2, Ctrl-C is a quiet exit 130, never a traceback.
    The commands in LAZY_COMMANDS are listed in the help but built only when used."""

    _listing = False

    def list_commands(self, ctx):
        return [*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if n not in self.commands)]

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None or name not in LAZY_COMMANDS:
            return command
        if self._listing:  # the help's list of commands: a name and a line are enough
            from typer.core import TyperCommand

            return TyperCommand(name, short_help=LAZY_COMMANDS[name][1])
        command = _lazy_command(name)
        self.commands[name] = command
        return command

    def format_commands(self, ctx, formatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        code = _run_quietly(lambda: super(DrillGroup, self).main(
            args, prog_name, complete_var, standalone_mode=False, **extra))
        if not standalone_mode:
            return code
        sys.exit(code)


def _run_quietly(run) -> int:
    try:
        code = run()
    except (KeyboardInterrupt, typer.Abort):
        _write_err("\n")
        return INTERRUPTED
    except _UsageError as err:
        if type(err).__name__ == "NoArgsIsHelpError":  # bare `drill`: the help, not an error
            typer.echo(err.ctx.get_help())
            return 0
        command = err.ctx.command_path if err.ctx is not None else "drill"
        _write_err(f"drill: {_one_line(err.format_message())} (see `{command} --help`)\n")
        return 2
    except _ClickException as err:
        _write_err(f"drill: {_one_line(err.format_message())}\n")
        return err.exit_code
    except typer.Exit as err:
        return err.exit_code
    return code if isinstance(code, int) else 0


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _write_err(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


# Plain help (no rich panels) and plain tracebacks keep `drill --help` fast.
_TYPER = dict(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
              pretty_exceptions_enable=False)
app = typer.Typer(
    help="Drill deep-learning exam problems: randomized numeric templates with worked "
    "solutions, conceptual questions, and solvers for your own numbers.",
    cls=DrillGroup,
    **_TYPER,
)
bank_app = typer.Typer(help="Check and describe question banks.", **_TYPER)
app.add_typer(bank_app, name="bank")
progress_app = typer.Typer(help="Move your recorded progress to another machine, or reset it.",
                           **_TYPER)
app.add_typer(progress_app, name="progress")


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class Kind(str, Enum):
    all = "all"
    concept = "concept"
    numeric = "numeric"


DEFAULT_LANG = Lang.zh if os.environ.get("DRILL_LANG", "").lower().startswith("zh") else Lang.en
LangOption = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the text (or set DRILL_LANG).")]
DbOption = Annotated[Optional[Path], typer.Option(
    "--db", help="Progress file (or set DRILL_DB; 'off' keeps nothing). Default: in the user "
    "data folder.", show_default=False)]


class Focus(str, Enum):
    all = "all"
    weak = "weak"


def _console(stderr: bool = False):
    from drill.terminal.console import quiz_console

    return quiz_console(stderr)


def _fail(message: str, code: int = 2) -> None:
    """One plain line on stderr, then exit (no traceback, no rich wrapping)."""
    sys.stderr.write(f"drill: {message}\n")
    raise typer.Exit(code)


def _report(findings: list) -> None:
    """Bank problems found at load: one `file:line: message` line each, on stderr."""
    for finding in findings:
        if finding.severity == "error":
            sys.stderr.write(f"{finding}\n")


def _load_banks(chapter: list[str] | None):
    """The usable banks of these chapters; broken items are reported and left out."""
    from drill.bank.load import BankDirError, load_chapters

    try:
        banks, unusable = load_chapters(chapter)
    except KeyError as err:
        _fail(err.args[0])
    except BankDirError as err:
        _fail(str(err))
    _report(unusable + [f for bank in banks for f in bank.findings])
    return banks


@app.command()
def quiz(
    chapter: Annotated[Optional[list[str]], typer.Option(
        "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=500,
                                       help="Number of questions.")] = 10,
    seed: Annotated[Optional[int], typer.Option(min=0, max=2**63 - 1,
                                                help="Same seed, same quiz.")] = None,
    kind: Annotated[Kind, typer.Option(help="Conceptual items, numeric problems, or both.")] = Kind.all,
    focus: Annotated[Focus, typer.Option(help="weak: the items you have missed most.")] = Focus.all,
    lang: LangOption = DEFAULT_LANG,
    db: DbOption = None,
) -> None:
    """Take a quiz: answer, 'h' for a hint, 's' to skip, 'q' to stop. Every answer is kept."""
    import random

    from rich.markup import escape

    from drill.engine.session import pick_entries
    from drill.i18n import t
    from drill.progress.recorder import Recorder
    from drill.terminal.console import line_reader, prompts_to_stderr, quiz_console
    from drill.terminal.quiz import TerminalQuiz

    banks = _load_banks(chapter)
    seed = seed if seed is not None else random.SystemRandom().randrange(100_000)
    chapters = [b.chapter for b in banks]
    recorder = Recorder(_warn, lang.value, db=db)   # opens the store on the first answer
    entries = _weak_entries(recorder, chapters, count, seed, kind, lang.value) \
        if focus is Focus.weak else []
    entries = entries or pick_entries(chapters, count, seed, kind.value)
    if not entries:
        _fail(t("nothing", lang.value), 1)
    redirected = prompts_to_stderr()
    console = quiz_console(stderr=redirected)
    repeat = _repeat_command(chapter, count, kind, seed)
    if focus is Focus.weak:
        repeat = repeat.replace("drill quiz", "drill quiz --focus weak", 1)
    console.print(f"[dim]{escape(t('start', lang.value, n=len(entries), seed=seed, command=repeat))}")
    console.print(f"[dim]{t('commands', lang.value)}")
    session = TerminalQuiz(console, line_reader(console), lang.value, on_record=recorder)
    _run_session(session, entries, console, redirected, lang.value)


def _warn(message: str) -> None:
    sys.stderr.write(f"drill: {message}\n")
    sys.stderr.flush()


def _weak_entries(recorder, chapters: list, count: int, seed: int, kind: Kind, lang: str) -> list:
    """--focus weak: the items missed most, from the store; none (and a note) when no miss
    is recorded, so the quiz is an ordinary one."""
    from drill.i18n import t
    from drill.progress.review import focus_entries

    from drill.progress.store import StoreUnavailable

    store, answers = recorder.store(), []
    try:
        answers = store.answers([c.chapter for c in chapters]) if store is not None else []
    except StoreUnavailable as err:
        _warn(err.notice.text(lang))
    entries = focus_entries(chapters, answers, count, seed, kind.value)
    if not entries:
        _warn(t("focus_none", lang))
    return entries


def _run_session(session, entries: list, console, redirected: bool, lang: str) -> None:
    """Ask every entry, then the score by topic (to the file too when stdout is one);
    Ctrl-C ends with exit code 130 after the score."""
    from drill.terminal.console import quiz_console
    from drill.terminal.quiz import summary_table

    records = session.run(entries)
    if session.on_record is not None:
        session.on_record.close()
    if records:
        table = summary_table(records, session.topic_titles, lang)
        console.print()
        console.print(table)
        if redirected:  # the file gets the score too
            quiz_console().print(table)
    if session.interrupted:
        raise typer.Exit(INTERRUPTED)


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


def _repeat_command(chapter: list[str] | None, count: int, kind: Kind, seed: int) -> str:
    """The whole command that gives this quiz again."""
    words = ["drill quiz"] + [f"-c {slug}" for slug in sorted(set(chapter or []))]
    words.append(f"-n {count}")
    if kind is not Kind.all:
        words.append(f"--kind {kind.value}")
    return " ".join(words + [f"--seed {seed}"])


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                      "help_option_names": []},
)
def solve(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(help="Solver name (see --list).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List every solver.")] = False,
    help_: Annotated[bool, typer.Option("--help", "-h", help="Show help (with NAME: its parameters).")] = False,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    """Solve your own numbers: drill solve NAME key=value ... [--json]."""
    from drill.terminal.solve import print_solution, solve as run, solver_help, solver_list_table, to_json
    from solvers import get_solver
    from solvers.registry import SolverInputError

    if list_:
        _console().print(solver_list_table(lang.value))
        return
    if name is None:
        typer.echo(ctx.get_help())
        return
    try:
        if help_:
            _console().print(*solver_help(get_solver(name), lang.value), sep="\n")
            return
        spec, inputs, solution = run(name, list(ctx.args))
    except SolverInputError as err:
        _fail(f"solve {name}: {err}")
    if as_json:
        typer.echo(to_json(spec, inputs, solution))
    else:
        print_solution(_console(), spec, solution, lang.value)


@app.command("list")
def list_chapters(
    lang: LangOption = DEFAULT_LANG,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per chapter, "
                                                         "for scripts.")] = False,
) -> None:
    """Chapters with their numbers of conceptual items and numeric templates."""
    import json

    from drill.bank.load import BankDirError, bank_paths
    from drill.terminal.chapters import chapter_rows, chapters_table

    try:
        rows = chapter_rows(bank_paths())
    except BankDirError as err:
        _fail(str(err))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _console().print(chapters_table(rows, lang.value))


@bank_app.command("lint")
def bank_lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Bank files or folders (default: all banks).")] = None,
    seeds: Annotated[int, typer.Option(min=1, help="Trial draws of every template.")] = 25,
) -> None:
    """Check banks; print each problem as file:line: message; exit 1 if any error."""
    from drill.bank.lint import expand_paths, lint_paths
    from drill.bank.load import BankDirError, bank_paths

    try:
        files = expand_paths(list(paths)) if paths else bank_paths()
    except BankDirError as err:
        _fail(str(err))
    findings = lint_paths(files, seeds)
    for finding in findings:
        typer.echo(str(finding))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise typer.Exit(1)


@bank_app.command("schema")
def bank_schema() -> None:
    """Print the bank JSON Schema (for editors' YAML validation and completion)."""
    import json

    from drill.bank.schema import Chapter

    typer.echo(json.dumps(Chapter.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
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


@app.command()
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


@progress_app.command("export")
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


@progress_app.command("import")
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


@progress_app.command("reset")
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


def main() -> None:
    app()  # DrillGroup.main turns every ending into an exit code


if __name__ == "__main__":
    main()
