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

app = typer.Typer(
    help="Drill deep-learning exam problems: randomized numeric templates with worked "
    "solutions, conceptual questions, and solvers for your own numbers.",
    no_args_is_help=True,
    add_completion=False,
)
bank_app = typer.Typer(help="Check and describe question banks.", no_args_is_help=True)
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


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _fail(message: str, code: int = 2) -> None:
    """One plain line on stderr, then exit (no traceback, no rich wrapping)."""
    sys.stderr.write(f"drill: {message}\n")
    raise typer.Exit(code)


@app.command()
def quiz(
    chapter: Annotated[Optional[list[str]], typer.Option(
        "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Number of questions.")] = 10,
    seed: Annotated[Optional[int], typer.Option(help="Same seed, same quiz.")] = None,
    kind: Annotated[Kind, typer.Option(help="Conceptual items, numeric problems, or both.")] = Kind.all,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    """Take a quiz: answer, 'h' for a hint, 's' to skip, 'q' to stop."""
    import random

    from drill.bank_load import BankError, load_chapters
    from drill.i18n import t
    from drill.quiz import QuizSession, pick_entries, summary_table

    try:
        banks = load_chapters(chapter)
    except KeyError as err:
        _fail(err.args[0])
    except BankError as err:
        _fail(f"{err.findings[0]} (run `drill bank lint` for all problems)")
    seed = seed if seed is not None else random.SystemRandom().randrange(100_000)
    entries = pick_entries(banks, count, seed, kind.value)
    console = _console()
    if not entries:
        _fail(t("nothing", lang.value), 1)
    console.print(f"[dim]{t('start', lang.value, n=len(entries), seed=seed)}")
    console.print(f"[dim]{t('commands', lang.value)}")
    session = QuizSession(console, console.input, lang.value)
    outcomes = session.run(entries)
    if outcomes:
        console.print()
        console.print(summary_table(outcomes, lang.value))


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
    from drill.solve_cmd import print_solution, solve as run, solver_help, solver_list_table, to_json
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
def list_chapters(lang: LangOption = DEFAULT_LANG) -> None:
    """Chapters with their numbers of conceptual items and numeric templates."""
    from rich.table import Table

    from drill.bank_load import BankError, bank_paths, load_for_use
    from drill.bank_schema import NumericItem
    from drill.i18n import t

    table = Table(title="drill quiz --chapter SLUG", title_justify="left")
    for key in ("col_chapter", "col_title", "col_concept", "col_numeric"):
        table.add_column(t(key, lang.value), justify="left" if key in ("col_chapter", "col_title") else "right")
    for path in bank_paths():
        try:
            chapter = load_for_use(path).chapter
        except BankError as err:
            table.add_row(path.stem, f"[red]broken: {err.findings[0].message}", "–", "–")
            continue
        numeric = sum(isinstance(i, NumericItem) for i in chapter.items)
        table.add_row(chapter.chapter, chapter.title.get(lang.value),
                      str(len(chapter.items) - numeric), str(numeric))
    _console().print(table)


@bank_app.command("lint")
def bank_lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Bank files (default: all banks).")] = None,
    seeds: Annotated[int, typer.Option(min=1, help="Trial draws of every template.")] = 25,
) -> None:
    """Check banks; print each problem as file:line: message; exit 1 if any error."""
    from drill.bank_lint import lint_paths
    from drill.bank_load import bank_paths

    findings = lint_paths(list(paths) if paths else bank_paths(), seeds)
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

    from drill.bank_schema import Chapter

    typer.echo(json.dumps(Chapter.model_json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
