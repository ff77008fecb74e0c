"""`drill solve`: parse key=value arguments, run a solver, print JSON or rich steps.

The interface is fixed by CONTRACT.md: values parse as JSON where they can, else as
plain strings; bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from drill.i18n import t
from drill.terminal.render import answers_table, print_steps
from solvers import get_solver, load_all
from solvers.registry import REQUIRED, SameAs, SolverInputError, SolverSpec, run_solver


MAX_ARG_CHARS = 100_000
MAX_NESTING = 8


def _nesting(text: str) -> int:
    """How deep brackets nest in a JSON text (counted before parsing, so 50,000 `[` cost
    nothing and never reach the recursive parser)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_assignments(args: list[str]) -> dict[str, Any]:
    """`key=value` words -> dict; values as JSON where they parse, else strings."""
    raw: dict[str, Any] = {}
    for arg in args:
        key, sep, text = arg.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SolverInputError(arg[:40], "expected key=value (for example height=32)")
        if len(arg) > MAX_ARG_CHARS:
            raise SolverInputError(key[:40], f"value longer than {MAX_ARG_CHARS:,} characters")
        if _nesting(text) > MAX_NESTING:
            raise SolverInputError(key[:40], f"lists nested more than {MAX_NESTING} deep")
        if key in raw:
            raise SolverInputError(key, "given twice")
        try:
            raw[key] = json.loads(text)
        except ValueError:
            raw[key] = text
    return raw


def solve(name: str, args: list[str]) -> tuple[SolverSpec, dict[str, Any], Any]:
    """Run solver `name` on `key=value` args; SolverInputError on any bad input."""
    spec = get_solver(name)
    inputs, solution = run_solver(spec, parse_assignments(args))
    return spec, inputs, solution


def to_json(spec: SolverSpec, inputs: dict[str, Any], solution: Any) -> str:
    return json.dumps(
        {
            "solver": spec.name,
            "inputs": inputs,
            "answers": solution.answers,
            "steps": [step.to_json() for step in solution.steps],
        },
        ensure_ascii=False,
        allow_nan=False,
    )


def print_solution(console: Console, spec: SolverSpec, solution: Any, lang: str) -> None:
    console.print(answers_table(solution.answers, lang))
    console.print(f"[bold]{t('steps', lang)}[/bold]")
    print_steps(console, solution.steps, lang)


def _default_text(default: Any, lang: str = "en") -> str:
    if default is REQUIRED:
        return t("required", lang)
    return str(default) if isinstance(default, SameAs) else json.dumps(default)


def _table(title: str, columns: list[str], lang: str) -> Table:
    """A table whose cells wrap instead of being cut with "…": a parameter name must be
    readable in full, however narrow the terminal."""
    table = Table(title=t(title, lang), title_justify="left")
    for column in columns:
        table.add_column(t(column, lang), overflow="fold")
    return table


def _in_lang(en: str, zh: str, lang: str) -> str:
    return zh if lang == "zh" and zh else en


def solver_list_table(lang: str) -> Table:
    table = _table("solve_list_title", ["col_name", "col_topic", "col_computes"], lang)
    table.columns[0].style = "bold"
    table.columns[0].no_wrap = True
    for spec in sorted(load_all().values(), key=lambda s: (s.topic, s.name)):
        table.add_row(spec.name, spec.topic, escape(_in_lang(spec.summary, spec.summary_zh, lang)))
    return table


def solver_help(spec: SolverSpec, lang: str) -> list[Any]:
    """Renderables describing one solver's parameters, answers and examples."""
    params = _table("col_parameters", ["col_name", "col_kind", "col_default", "col_meaning"], lang)
    params.columns[0].no_wrap = True
    for p in spec.params:
        kind = " | ".join(str(c) for c in p.choices) if p.choices else p.kind
        doc = _in_lang(p.doc, p.doc_zh, lang)
        params.add_row(p.name, escape(kind), escape(_default_text(p.default, lang)), escape(doc))
    answers = _table("col_answers", ["col_name", "col_kind", "col_meaning"], lang)
    answers.columns[0].no_wrap = True
    for a in spec.answers:
        answers.add_row(a.name, a.kind, escape(_in_lang(a.doc, a.doc_zh, lang)))
    usage = f"drill solve {spec.name} " + " ".join(
        f"{p.name}=…" for p in spec.params if p.required
    ) + " [--json]"
    examples = [f"  drill solve {spec.name} " + " ".join(
        f"{k}={_shell_value(v)}" for k, v in example.items()) for example in spec.examples]
    summary = _in_lang(spec.summary, spec.summary_zh, lang)
    return [f"[bold]{spec.name}[/bold] — {escape(summary)}", escape(usage), params, answers,
            f"[bold]{t('col_examples', lang)}[/bold]", *(escape(e) for e in examples)]


def _shell_value(value: Any) -> str:
    """A parameter value as typed on a shell command line (JSON, quoted if needed)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(", ", ":"))
    return f"'{text}'" if any(ch in text for ch in " []{}\"'*?") else text
