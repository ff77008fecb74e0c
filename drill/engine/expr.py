"""A small safe expression language for bank templates (never Python `eval`).

Allowed: numbers, True/False, names, + - * / // % **, comparisons, and/or/not,
`a if c else b`, indexing `v[i]`, and the functions in FUNCTIONS. Anything else is
an ExprError at parse time, so `drill bank lint` reports it before a quiz runs.
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


class Expr:
    """A parsed expression: `.names` it reads, `.evaluate(namespace)`."""

    def __init__(self, source: str):
        self.source = source
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as err:
            raise ExprError(f"cannot parse expression {source!r}: {err.msg}") from None
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
            if isinstance(node.op, ast.Pow) and abs(right) > _MAX_POWER:
                raise ExprError(f"exponent {right} too large in {source!r}")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](_eval(node.operand, ns, source))
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
        if isinstance(node, ast.Call):
            return FUNCTIONS[node.func.id](*(_eval(a, ns, source) for a in node.args))
    except ExprError:
        raise
    except (ArithmeticError, TypeError, ValueError, IndexError, KeyError) as err:
        raise ExprError(f"{source!r}: {err}") from None
    raise ExprError(f"{type(node).__name__} is not allowed in expression {source!r}")
