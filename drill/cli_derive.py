"""`drill derive` (a drill of symbolic items) and `drill check` (a derivation, step by
step). Only typer and the stdlib at module level: sympy loads inside the commands."""


import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

MAX_READ = 100_001  # one byte over the checker's limit, so it can say the file is too big


def _fail(message: str, code: int = 2) -> None:
    sys.stderr.write(f"drill: {message}\n")
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    from drill.cli import DEFAULT_LANG, DbOption, Lang

    LangOption = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the text "
                                                                  "(or set DRILL_LANG).")]

    @app.command()
    def derive(
        chapter: Annotated[Optional[list[str]], typer.Option(
            "--chapter", "-c", help="Chapter slug; repeat for several; none = all.")] = None,
        count: Annotated[int, typer.Option("--count", "-n", min=1, max=200,
                                           help="Number of questions.")] = 10,
        seed: Annotated[Optional[int], typer.Option(min=0, max=2**63 - 1,
                                                    help="Same seed, same drill.")] = None,
        lang: LangOption = DEFAULT_LANG,
        db: DbOption = None,
    ) -> None:
        """Derive: answer with an expression (s*(1-s), p_1 - y_1 ...), graded by equivalence."""
        import random

        from rich.markup import escape

        from drill.cli import _load_banks, _run_session, _warn
        from drill.derive.terminal import DeriveQuiz
        from drill.engine.session import pick_entries
        from drill.i18n import t
        from drill.progress.recorder import Recorder
        from drill.terminal.console import line_reader, prompts_to_stderr, quiz_console

        banks = _load_banks(chapter)
        seed = seed if seed is not None else random.SystemRandom().randrange(100_000)
        entries = pick_entries([b.chapter for b in banks], count, seed, "symbolic")
        if not entries:
            having = sorted({b.chapter.chapter for b in _load_banks(None)
                             for i in b.chapter.items if i.kind == "symbolic"})
            _fail(t("derive_none", lang.value, chapters=", ".join(having) or "–"), 1)
        redirected = prompts_to_stderr()
        console = quiz_console(stderr=redirected)
        console.print(f"[dim]{escape(t('derive_syntax', lang.value))}")
        console.print(f"[dim]{t('commands', lang.value)}")
        recorder = Recorder(_warn, lang.value, db=db)
        session = DeriveQuiz(console, line_reader(console), lang.value, on_record=recorder)
        _run_session(session, entries, console, redirected, lang.value)

    @app.command()
    def check(
        file: Annotated[str, typer.Argument(help="A derivation, one expression per line "
                                                 "('-': standard input).")],
        lang: LangOption = DEFAULT_LANG,
    ) -> None:
        """Check a derivation step by step: exit 0 if every step holds, 1 if one does not,
        2 if it cannot be read. Lines: 'let s = 1/(1+exp(-x))', an expression, '= ...'."""
        from drill.derive.checker import DerivationError, check_steps, parse_derivation
        from drill.derive.report import report_lines
        from drill.i18n import t

        try:
            if file == "-":
                raw = sys.stdin.buffer.read(MAX_READ)
            else:
                with Path(file).open("rb") as handle:
                    raw = handle.read(MAX_READ)
            text = raw.decode("utf-8")
        except OSError as err:
            _fail(t("check_unreadable", lang.value, path=file, error=err.strerror or err))
        except UnicodeDecodeError:
            _fail(t("check_unreadable", lang.value, path=file, error="not UTF-8 text"))
        try:
            derivation = parse_derivation(text)
            first_bad = check_steps(derivation)
        except DerivationError as err:
            _fail(f"check {file}: {err.text(lang.value)}")
        lines, code = report_lines(derivation, first_bad, lang.value)
        typer.echo("\n".join(lines))
        raise typer.Exit(code)
