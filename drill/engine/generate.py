"""Seeded problem generation: draw a template's values, solve, build the question.

The same (item id, seed) always gives the same problem: each item draws from its own
`random.Random(f"{id}:{seed}")`, so adding items to a bank does not change others.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from random import Random
from typing import Any

from drill.bank.model import DEFAULT_TOLERANCE, Ask, Draw, NumericItem, Tolerance
from drill.engine.expr import Expr, ExprError, parse_expr
from drill.engine.kinds import DEFAULT_KIND, within_tolerance
from solvers.registry import Solution, SolverInputError, SolverSpec, run_solver

MAX_DRAWS = 1000
MAX_SHAPE = 64


class GenerationError(Exception):
    """A template that cannot produce a problem (a bank bug, reported by lint)."""


@dataclass
class NumericProblem:
    """One drawn instance of a numeric template (its text is built in drill.engine.question)."""

    item: NumericItem
    seed: int
    names: dict[str, Any]          # vars and params as drawn (for the prompt)
    inputs: dict[str, Any]         # solver inputs with defaults filled in
    solution: Solution
    options: list[Any] | None = None   # multiple choice (distractors), shuffled
    answer_index: int | None = None

    def expected(self, ask: Ask) -> Any:
        return self.solution.answers[ask.answer]


def tolerance_for(item: NumericItem, ask: Ask) -> Tolerance:
    """The ask's tolerance, else the item's, else the default (3 significant figures)."""
    return ask.tolerance or item.tolerance or DEFAULT_TOLERANCE


def ask_kind(ask: Ask, spec: SolverSpec) -> str:
    """The answer kind of an ask: as the bank says, else from the solver's answer type."""
    if ask.kind:
        return ask.kind
    declared = next((a.kind for a in spec.answers if a.name == ask.answer), "float")
    return DEFAULT_KIND.get(declared, "number")


# ------------------------------------------------------------------ drawing


def _resolve_size(size: int | str, names: dict[str, Any]) -> int:
    value = names.get(size) if isinstance(size, str) else size
    if isinstance(size, str) and size not in names:
        raise ExprError(f"shape uses {size!r}, which is not drawn before it")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_SHAPE:
        raise ExprError(f"shape size {size!r} = {value!r} is not a whole number 1..{MAX_SHAPE}")
    return value


def _draw_scalar(spec: Draw, rng: Random) -> Any:
    for _ in range(100):
        if spec.int_range is not None:
            value: Any = rng.randint(*spec.int_range)
        elif spec.float_range is not None:
            value = round(rng.uniform(*spec.float_range), spec.decimals) + 0.0  # no -0.0
        else:
            value = copy.deepcopy(rng.choice(spec.choices))  # type: ignore[arg-type]
        if not (spec.nonzero and value == 0):
            return value
    raise ExprError("nonzero: 100 draws in a row gave 0")


def _fill(shape: list[int], spec: Draw, rng: Random) -> Any:
    if not shape:
        return _draw_scalar(spec, rng)
    return [_fill(shape[1:], spec, rng) for _ in range(shape[0])]


def draw_value(spec: Any, names: dict[str, Any], rng: Random) -> Any:
    """One template value: a literal is copied, a Draw is drawn or computed."""
    if not isinstance(spec, Draw):
        return copy.deepcopy(spec)
    if spec.expr is not None:
        return parse_expr(spec.expr).evaluate(names)
    if spec.value is not None:
        return copy.deepcopy(spec.value)
    shape = [_resolve_size(s, names) for s in spec.shape or []]
    return _fill(shape, spec, rng)


# ------------------------------------------------------------------ options


def _coincide(a: Any, b: Any, tol: Tolerance, exact: bool) -> bool:
    """Two options a student could not tell apart: equal as shown, or (numbers graded
    with a tolerance) each within the other's tolerance."""
    from solvers.fmt import num

    if num(a) == num(b) or a == b:
        return True
    if exact:
        return False
    return within_tolerance(a, b, tol) or within_tolerance(b, a, tol)


def _options(item: NumericItem, correct: Any, distractors: list[Expr], ns: dict[str, Any],
             rng: Random, exact: bool) -> tuple[list[Any], int] | None:
    """Correct value + distractor values, shuffled; None when two coincide."""
    values = [correct]
    for expr in distractors:
        value = expr.evaluate(ns)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise GenerationError(f"distractor {expr.source!r} gave {value!r}, not a finite number")
        if isinstance(value, float) and value.is_integer() and isinstance(correct, int):
            value = int(value)
        values.append(value)
    tol = tolerance_for(item, item.asks[0])
    for i, a in enumerate(values):
        if any(_coincide(a, b, tol, exact) for b in values[:i]):
            return None
    order = list(range(len(values)))
    rng.shuffle(order)
    return [values[i] for i in order], order.index(0)


# ------------------------------------------------------------------ generation


def generate(item: NumericItem, seed: int, spec: SolverSpec) -> NumericProblem:
    """Draw until the constraints hold (at most MAX_DRAWS times), solve, build options."""
    rng = Random(f"{item.id}:{seed}")
    try:
        constraints = [parse_expr(c) for c in item.constraints]
        distractors = [parse_expr(d) for d in item.distractors]
    except ExprError as err:
        raise GenerationError(str(err)) from None
    drawn_names = set(item.vars) | set(item.params)
    before = [c for c in constraints if c.names <= drawn_names]
    after = [c for c in constraints if not c.names <= drawn_names]
    for attempt in range(MAX_DRAWS):
        names: dict[str, Any] = {}
        raw: dict[str, Any] = {}
        try:
            for name, value in item.vars.items():
                names[name] = draw_value(value, names, rng)
            for name, value in item.params.items():
                raw[name] = names[name] = draw_value(value, names, rng)
            if not all(c.evaluate(names) for c in before):
                continue
        except ExprError as err:
            raise GenerationError(str(err)) from None
        try:
            inputs, solution = run_solver(spec, raw)
        except SolverInputError as err:
            raise GenerationError(
                f"solver {spec.name} rejected draw {attempt} of seed {seed} ({err}); "
                f"add a constraint that excludes it"
            ) from None
        ns = {**solution.answers, **names}
        try:
            if not all(c.evaluate(ns) for c in after):
                continue
            if not distractors:
                return NumericProblem(item, seed, names, inputs, solution)
            exact = ask_kind(item.asks[0], spec) == "count"
            options = _options(item, solution.answers[item.asks[0].answer], distractors, ns,
                               rng, exact)
        except ExprError as err:
            raise GenerationError(str(err)) from None
        if options is not None:
            return NumericProblem(item, seed, names, inputs, solution, options[0], options[1])
    raise GenerationError(
        f"constraints not satisfied (or options not distinct) in {MAX_DRAWS} draws"
    )
