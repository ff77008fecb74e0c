"""A small safe expression language for bank templates (never Python `eval`).

Allowed: numbers, True/False, names, + - * / // % **, comparisons, and/or/not,
`a if c else b`, indexing `v[i]`, list displays `[a, b, [c, d]]` (at most MAX_LIST
elements each), and the functions in FUNCTIONS. Anything else is
an ExprError at parse time, so `drill bank lint` reports it before a quiz runs.

Budgets keep a hostile bank from hanging or exhausting memory: at most MAX_SOURCE
characters and MAX_NODES syntax nodes; arithmetic on numbers only (no list repetition);
no integer beyond MAX_BITS bits (checked before a power or product is computed) and no
infinite float. Each is an ExprError with a short message.
"""

from __future__ import annotations

import ast
import math
import operator
from functools import lru_cache
from typing import Any, Callable


class ExprError(ValueError):
    """A bad expression, or a name it uses that is not defined."""


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "len": len,
    "sum": sum,
}

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_MAX_POWER = 64
MAX_SOURCE = 500
MAX_NODES = 300
MAX_BITS = 128  # about 38 decimal digits: far beyond any exam number
MAX_LIST = 64


class Expr:
    """A parsed expression: `.names` it reads, `.evaluate(namespace)`."""

    def __init__(self, source: str):
        if len(source) > MAX_SOURCE:
            raise ExprError(f"expression of {len(source)} characters is over {MAX_SOURCE}")
        self.source = source
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as err:
            raise ExprError(f"cannot parse expression {source!r}: {err.msg}") from None
        except (RecursionError, MemoryError, ValueError):
            raise ExprError(f"expression {source[:40]!r}... is nested too deeply") from None
        if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
            raise ExprError(f"expression {source[:40]!r}... has more than {MAX_NODES} parts")
        self._tree = tree.body
        self.names: frozenset[str] = frozenset(_check(tree.body, source))

    def evaluate(self, namespace: dict[str, Any]) -> Any:
        return _eval(self._tree, namespace, self.source)


@lru_cache(maxsize=4096)
def parse_expr(source: str) -> Expr:
    return Expr(source)


def _check(node: ast.AST, source: str) -> set[str]:
    """Validate the tree against the whitelist; return the free names it reads."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (int, float, bool)):
            return set()
        raise ExprError(f"only numbers are allowed as constants in {source!r}")
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _check(node.left, source) | _check(node.right, source)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _check(node.operand, source)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_check(v, source) for v in node.values))
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        return set().union(_check(node.left, source), *(_check(c, source) for c in node.comparators))
    if isinstance(node, ast.IfExp):
        return _check(node.test, source) | _check(node.body, source) | _check(node.orelse, source)
    if isinstance(node, ast.Subscript):
        return _check(node.value, source) | _check(node.slice, source)
    if isinstance(node, ast.List):
        if len(node.elts) > MAX_LIST:
            raise ExprError(f"a list of more than {MAX_LIST} elements in {source[:40]!r}")
        return set().union(*(_check(e, source) for e in node.elts)) if node.elts else set()
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            allowed = ", ".join(FUNCTIONS)
            raise ExprError(f"only these functions may be called in {source!r}: {allowed}")
        return set().union(*(_check(a, source) for a in node.args)) if node.args else set()
    raise ExprError(f"{type(node).__name__} is not allowed in expression {source!r}")


def _eval(node: ast.AST, ns: dict[str, Any], source: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in ns:
            raise ExprError(f"{node.id!r} is not defined (in {source!r})")
        return ns[node.id]
    try:
        if isinstance(node, ast.BinOp):
            left, right = _eval(node.left, ns, source), _eval(node.right, ns, source)
            _check_operands(node.op, left, right, source)
            return _bounded(_BINARY[type(node.op)](left, right), source)
        if isinstance(node, ast.UnaryOp):
            operand = _eval(node.operand, ns, source)
            if not isinstance(node.op, ast.Not) and not _is_number(operand):
                raise ExprError(f"{source!r}: arithmetic works on numbers only")
            return _UNARY[type(node.op)](operand)
        if isinstance(node, ast.BoolOp):
            values = (_eval(v, ns, source) for v in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = _eval(node.left, ns, source)
            for op, comp in zip(node.ops, node.comparators):
                right = _eval(comp, ns, source)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            branch = node.body if _eval(node.test, ns, source) else node.orelse
            return _eval(branch, ns, source)
        if isinstance(node, ast.Subscript):
            return _eval(node.value, ns, source)[_eval(node.slice, ns, source)]
        if isinstance(node, ast.List):
            return [_eval(e, ns, source) for e in node.elts]
        if isinstance(node, ast.Call):
            args = [_eval(a, ns, source) for a in node.args]
            if node.func.id in ("exp",) and args and _is_number(args[0]) and args[0] > 700:
                raise ExprError(f"{source!r}: exp of a number over 700 overflows")
            return _bounded(FUNCTIONS[node.func.id](*args), source)
    except ExprError:
        raise
    except (ArithmeticError, TypeError, ValueError, IndexError, KeyError) as err:
        raise ExprError(f"{source!r}: {str(err)[:80]}") from None
    raise ExprError(f"{type(node).__name__} is not allowed in expression {source!r}")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, bool))


def _bits(x: Any) -> float:
    """Bits of an int (a float's magnitude counts by its exponent)."""
    if isinstance(x, float):
        return math.frexp(x)[1] if math.isfinite(x) and x else 0
    return int(x).bit_length()


def _check_operands(op: ast.operator, left: Any, right: Any, source: str) -> None:
    """Numbers only, and no power or product whose result would exceed MAX_BITS bits
    (estimated before computing it, so `((9**64)**64)**64` costs nothing)."""
    if not (_is_number(left) and _is_number(right)):
        raise ExprError(f"{source!r}: arithmetic works on numbers only (no list repetition)")
    if isinstance(op, ast.Pow):
        if abs(right) > _MAX_POWER:
            raise ExprError(f"exponent too large in {source!r} (at most {_MAX_POWER})")
        if right > 0 and _bits(left) * right > MAX_BITS + 1:
            raise ExprError(f"{source!r}: number too large (over {MAX_BITS} bits)")
    if isinstance(op, ast.Mult) and _bits(left) + _bits(right) > MAX_BITS + 1:
        raise ExprError(f"{source!r}: number too large (over {MAX_BITS} bits)")


def _bounded(value: Any, source: str) -> Any:
    """The value, unless it is an int over MAX_BITS bits or a float that is not finite."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise ExprError(f"{source!r}: number too large (over {MAX_BITS} bits)")
    if isinstance(value, float) and not math.isfinite(value):
        raise ExprError(f"{source!r}: result is not a finite number")
    return value
