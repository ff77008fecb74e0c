"""Are two expressions the same function? Numbers first, then a proof, never a guess.

`judge(given, expected, ctx, seed)`:
1. both are evaluated (30 digits, mpmath) at random points of their variables
   (the context's ranges, else half in (0.2, 1.8) and half in (-1.8, 1.8), two
   decimals so a counter-example reads well); a point where they differ is a
   counter-example: "different";
2. when they agree everywhere tried, sympy must also prove `simplify(given − expected)
   == 0` (or of the difference rewritten through exp): "equivalent"; else "undecided".
Points where either side is undefined or not real are skipped; fewer than MIN_POINTS
usable points is "undecided". The whole judgement runs under a time budget
(drill.derive.budget): running out is "undecided" too. Never a false "equivalent".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from random import Random

from drill.derive.budget import run_with_budget

POINTS = 8
MAX_TRIES = 60
MIN_POINTS = 3
RELATIVE = 1e-9
BUDGET_SECONDS = 1.5


@dataclass
class Verdict:
    status: str                          # equivalent | different | undecided
    point: dict[str, float] = field(default_factory=dict)
    given: float | None = None           # values at the counter-example
    expected: float | None = None
    reason: str = ""                     # undecided: timeout | too_big | unproven | few_points | error

    @property
    def holds(self) -> bool:
        return self.status == "equivalent"


def judge(given, expected, ctx, seed: str = "", budget: float = BUDGET_SECONDS) -> Verdict:
    """Verdict on ASTs `given` vs `expected` read in Context `ctx`."""
    status, value = run_with_budget(lambda: asdict(decide(given, expected, ctx, seed)), budget)
    if status == "ok":
        return Verdict(**value)
    return Verdict("undecided", reason={"timeout": "timeout", "memory": "too_big"}.get(status, "error"))


def decide(given, expected, ctx, seed: str = "") -> Verdict:
    """The verdict, computed here and now (no time budget: `judge` runs this in a child)."""
    import sympy

    from drill.derive.build import to_sympy

    a, b = to_sympy(given, ctx), to_sympy(expected, ctx)
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    rng = Random(f"{seed}|{sympy.srepr(a)[:500]}|{sympy.srepr(b)[:500]}")
    usable = 0
    fa, fb = _numeric(a, symbols), _numeric(b, symbols)
    for attempt in range(MAX_TRIES):
        if usable >= POINTS:
            break
        point = [_draw(rng, ctx.ranges.get(s.name), attempt) for s in symbols]
        va, vb = _value(fa, point), _value(fb, point)
        if va is None or vb is None:
            continue
        usable += 1
        if abs(va - vb) > RELATIVE * max(1.0, abs(vb)):
            return Verdict("different", {s.name: v for s, v in zip(symbols, point)}, va, vb)
    if usable < MIN_POINTS:
        return Verdict("undecided", reason="few_points")
    return Verdict("equivalent") if _proved_zero(a - b) else Verdict("undecided", reason="unproven")


def _draw(rng: Random, bounds, attempt: int) -> float:
    if bounds is None:
        bounds = (0.2, 1.8) if attempt % 2 == 0 else (-1.8, 1.8)
    low, high = bounds
    value = round(rng.uniform(low, high), 2)
    return value if value not in (0.0, low, high) or low == high else round((low + high) / 2, 2) or 0.37


def _numeric(expr, symbols):
    """`expr` as a function of `symbols` over mpmath numbers (lambdify prints the sympy
    tree, whose names are whitelisted identifiers: no student text reaches it)."""
    import sympy

    return sympy.lambdify(symbols, expr, modules="mpmath")


def _value(function, point: list[float]) -> float | None:
    """The real value at `point` (30 digits), or None where it is undefined or not real."""
    import mpmath

    try:
        with mpmath.workdps(30):
            value = function(*(mpmath.mpf(str(v)) for v in point))
            value = mpmath.mpmathify(value)
            if isinstance(value, mpmath.mpc):
                if abs(value.imag) > 1e-12 * max(1, abs(value.real)):
                    return None
                value = value.real
            if not mpmath.isfinite(value):
                return None
            return float(value)
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        return None


def _proved_zero(difference) -> bool:
    import sympy

    if difference == 0:
        return True
    for attempt in (lambda d: sympy.cancel(sympy.together(d)),
                    sympy.simplify,
                    lambda d: sympy.simplify(d.rewrite(sympy.exp))):
        try:
            if attempt(difference) == 0:
                return True
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            continue
    return False
