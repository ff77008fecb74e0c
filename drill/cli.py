"""The `drill` command line: parsing and printing only; the work is in the modules.

Start-up stays fast: this module imports typer alone; each command imports what it
needs (yaml, pydantic, numpy, the solvers) when it runs. torch and sympy are never
imported by the CLI.
"""

from __future__ import annotations

import os
import sys
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
    "review": ("drill.cli_progress", "Review what is due (spaced repetition, FSRS)."),
    "stats": ("drill.cli_progress", "Where you stand: seen, due, mastered, weakest items."),
    "progress": ("drill.cli_progress", "Export, import or reset your recorded progress."),
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
    repeat = _repeat_command(chapter, count, kind, seed, focus)
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


def _repeat_command(chapter: list[str] | None, count: int, kind: Kind, seed: int,
                    focus: Focus = Focus.all) -> str:
    """The whole command that gives this quiz again."""
    words = ["drill quiz"] + (["--focus weak"] if focus is Focus.weak else [])
    words += [f"-c {slug}" for slug in sorted(set(chapter or []))]
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
    from drill.terminal.chapters import chapter_rows, chapters_text

    try:
        rows = chapter_rows(bank_paths())
    except BankDirError as err:
        _fail(str(err))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        typer.echo(chapters_text(rows, lang.value))


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


def main() -> None:
    app()  # DrillGroup.main turns every ending into an exit code


if __name__ == "__main__":
    main()
