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
from drill.render import answers_table, print_steps
from solvers import get_solver, load_all
from solvers.registry import REQUIRED, SameAs, SolverInputError, SolverSpec, run_solver


def parse_assignments(args: list[str]) -> dict[str, Any]:
    """`key=value` words -> dict; values as JSON where they parse, else strings."""
    raw: dict[str, Any] = {}
    for arg in args:
        key, sep, text = arg.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SolverInputError(arg, "expected key=value (for example height=32)")
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


def _default_text(default: Any) -> str:
    if default is REQUIRED:
        return "(required)"
    return str(default) if isinstance(default, SameAs) else json.dumps(default)


def solver_list_table(lang: str) -> Table:
    table = Table(title="drill solve NAME key=value ... [--json]", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("topic")
    table.add_column("what it computes")
    for spec in sorted(load_all().values(), key=lambda s: (s.topic, s.name)):
        summary = spec.summary_zh if lang == "zh" and spec.summary_zh else spec.summary
        table.add_row(spec.name, spec.topic, summary)
    return table


def solver_help(spec: SolverSpec, lang: str) -> list[Any]:
    """Renderables describing one solver's parameters and answers."""
    summary = spec.summary_zh if lang == "zh" and spec.summary_zh else spec.summary
    params = Table(title="parameters", title_justify="left")
    for column in ("name", "kind", "default", "meaning"):
        params.add_column(column)
    for p in spec.params:
        kind = " | ".join(str(c) for c in p.choices) if p.choices else p.kind
        params.add_row(p.name, escape(kind), escape(_default_text(p.default)), escape(p.doc))
    answers = Table(title="answers", title_justify="left")
    for column in ("name", "kind", "meaning"):
        answers.add_column(column)
    for a in spec.answers:
        answers.add_row(a.name, a.kind, escape(a.doc))
    usage = f"drill solve {spec.name} " + " ".join(
        f"{p.name}=…" for p in spec.params if p.required
    ) + " [--json]"
    return [f"[bold]{spec.name}[/bold] — {escape(summary)}", escape(usage), params, answers]
