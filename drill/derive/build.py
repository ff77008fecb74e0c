"""AST (drill.derive.parser) -> sympy expression. Imports sympy: only derivation code
paths reach this module.

Names become real sympy Symbols (positive when their sampling range is), shorthand names
(`s: 1/(1+exp(-x))`) are replaced by their definitions, `e` and `pi` are the constants.
"""

from __future__ import annotations

import sympy

from drill.derive.parser import ParseError, names_in, parse


class BuildError(ParseError):
    """An expression that parses but cannot be built (a cycle of shorthands, say)."""


class Context:
    """How names are read: shorthand definitions and the variables' sampling ranges."""

    def __init__(self, shorthands: dict[str, str] | None = None,
                 ranges: dict[str, tuple[float, float]] | None = None):
        self.ranges = dict(ranges or {})
        self._symbols: dict[str, sympy.Symbol] = {}
        self._defs: dict[str, object] = {}
        self._built: dict[str, sympy.Expr] = {}
        for name, definition in (shorthands or {}).items():
            self.define(name, parse(definition) if isinstance(definition, str) else definition)

    def define(self, name: str, node) -> None:
        """`name` stands for `node` from now on; BuildError if that makes a cycle."""
        seen, todo = set(), set(names_in(node))
        while todo:
            current = todo.pop()
            if current == name:
                raise BuildError(f"the shorthand {name} is defined in terms of itself",
                                 f"简写 {name} 的定义用到了它自己")
            if current in self._defs and current not in seen:
                seen.add(current)
                todo |= names_in(self._defs[current])
        self._defs[name] = node
        self._built.pop(name, None)

    @property
    def shorthands(self) -> set[str]:
        return set(self._defs)

    def symbol(self, name: str) -> sympy.Symbol:
        if name not in self._symbols:
            low, _ = self.ranges.get(name, (-1.0, 1.0))
            self._symbols[name] = sympy.Symbol(name, positive=True) if low > 0 else \
                sympy.Symbol(name, real=True)
        return self._symbols[name]

    def name(self, name: str, busy: frozenset = frozenset()) -> sympy.Expr:
        if name == "pi":
            return sympy.pi
        if name == "e":
            return sympy.E
        if name in self._defs:
            if name in busy:
                raise BuildError(f"the shorthand {name} is defined in terms of itself",
                                 f"简写 {name} 的定义用到了它自己")
            if name not in self._built:
                self._built[name] = to_sympy(self._defs[name], self, busy | {name})
            return self._built[name]
        return self.symbol(name)


_CALLS = {
    "exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "sqrt": sympy.sqrt,
    "tanh": sympy.tanh, "sinh": sympy.sinh, "cosh": sympy.cosh, "sin": sympy.sin,
    "cos": sympy.cos, "tan": sympy.tan, "abs": sympy.Abs,
    "sigma": lambda a: 1 / (1 + sympy.exp(-a)), "sigmoid": lambda a: 1 / (1 + sympy.exp(-a)),
    "relu": lambda a: sympy.Max(0, a), "softplus": lambda a: sympy.log(1 + sympy.exp(a)),
    "max": sympy.Max, "min": sympy.Min,
}


def to_sympy(node, ctx: Context, busy: frozenset = frozenset()) -> sympy.Expr:
    tag = node[0]
    if tag == "num":
        mantissa, _, power = node[1].lower().partition("e")
        if power and abs(int(power)) > 300:
            _too_big(node[1])
        return sympy.Rational(node[1])
    if tag == "name":
        return ctx.name(node[1], busy)
    if tag == "neg":
        return -to_sympy(node[1], ctx, busy)
    if tag == "call":
        return _CALLS[node[1]](*(to_sympy(a, ctx, busy) for a in node[2]))
    if tag == "diff":
        return sympy.diff(to_sympy(node[1], ctx, busy), ctx.symbol(node[2]), node[3])
    a, b = to_sympy(node[1], ctx, busy), to_sympy(node[2], ctx, busy)
    if tag == "add":
        return a + b
    if tag == "sub":
        return a - b
    if tag == "mul":
        return a * b
    if tag == "div":
        return a / b
    return a ** b


def _too_big(text: str):
    raise BuildError(f"number {text} is too large", f"数字 {text} 太大")
