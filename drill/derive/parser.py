"""Plain maths -> a small tuple AST, by a whitelist tokenizer and recursive descent.

Never eval, sympify or parse_expr of the text: only the tokens below exist, only the
functions in FUNCTIONS can be called, and the result is plain tuples (no sympy here,
so banks can be checked at load without importing it).

Syntax: numbers (`2`, `0.5`, `1e-3`), names (`x`, `z_1`, `p_i`, Greek letters), `+ - * /`,
`^` or `**` for powers (right-associative; `-x^2` is `-(x^2)`), implicit multiplication
(`2x`, `s(1-s)`, `x y`), parentheses, `exp log ln sqrt tanh sigma ...`, `sum(body, k, 1, 3)`
over a small explicit range (`z_k` becomes `z_1`, `z_2` ...), `diff(f, x)` and `diff(f, x, 2)`.

AST nodes: ("num", "2.5") ("name", "x") ("neg", a) ("add", a, b) ("sub", a, b)
("mul", a, b) ("div", a, b) ("pow", a, b) ("call", "exp", (args...)) ("diff", f, "x", n).
Budgets keep pathological input cheap: MAX_TEXT characters, MAX_TOKENS tokens,
MAX_DEPTH nesting, numeric exponents up to MAX_EXPONENT, sums of at most MAX_SUM_TERMS.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_TEXT = 2000
MAX_TOKENS = 800
MAX_DEPTH = 40
MAX_EXPONENT = 1000
MAX_NUMBER_CHARS = 30
MAX_SUM_TERMS = 20
MAX_DIFF_ORDER = 3

#: name -> number of arguments. sum and diff are special forms (see above).
FUNCTIONS = {
    "exp": 1, "log": 1, "ln": 1, "sqrt": 1, "tanh": 1, "sinh": 1, "cosh": 1,
    "sin": 1, "cos": 1, "tan": 1, "sigma": 1, "sigmoid": 1, "abs": 1, "relu": 1,
    "softplus": 1, "max": 2, "min": 2,
}
SPECIAL = {"sum", "diff"}
CONSTANTS = {"pi", "e"}
#: Unicode a student may paste, folded to the plain syntax.
_FOLD = str.maketrans({"σ": " sigma ", "π": " pi ", "·": "*", "×": "*", "−": "-", "–": "-",
                       "γ": " gamma ", "β": " beta ", "μ": " mu ", "α": " alpha ",
                       "ε": " epsilon ", "θ": " theta ", "λ": " lambda_ ", "²": "^2", "³": "^3",
                       "（": "(", "）": ")", "，": ","})
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?)
  | (?P<op>\*\*|[-+*/^(),=])
""", re.VERBOSE)


@dataclass
class ParseError(Exception):
    """Text that is not an expression; `column` is 1-based (0: the whole text)."""

    en: str
    zh: str
    column: int = 0

    def __str__(self) -> str:
        return self.en if not self.column else f"column {self.column}: {self.en}"

    def text(self, lang: str) -> str:
        message = self.zh if lang == "zh" else self.en
        if not self.column:
            return message
        return (f"第 {self.column} 列：" if lang == "zh" else f"column {self.column}: ") + message


@dataclass
class Token:
    kind: str   # num | name | op | end
    text: str
    column: int


def fold(text: str) -> str:
    return text.translate(_FOLD)


def tokenize(text: str) -> list[Token]:
    """The tokens of `text` (already folded); ParseError at the first character that is
    not part of the whitelist."""
    if len(text) > MAX_TEXT:
        raise ParseError(f"too long: {len(text)} characters (at most {MAX_TEXT})",
                         f"太长：{len(text)} 个字符（最多 {MAX_TEXT}）")
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            ch = text[pos]
            raise ParseError(f"unexpected character {ch!r}", f"无法识别的字符 {ch!r}", pos + 1)
        kind = match.lastgroup
        if kind != "space":
            value = match.group()
            if kind == "num" and (len(value) > MAX_NUMBER_CHARS or _big_power(value)):
                raise ParseError(f"number {value[:12]} is too long or too large",
                                 f"数字 {value[:12]} 太长或太大", pos + 1)
            tokens.append(Token(kind, "^" if value == "**" else value, pos + 1))
            if len(tokens) > MAX_TOKENS:
                raise ParseError(f"too many symbols (at most {MAX_TOKENS})",
                                 f"符号太多（最多 {MAX_TOKENS} 个）", pos + 1)
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _big_power(number: str) -> bool:
    _, _, power = number.lower().partition("e")
    return bool(power) and abs(int(power)) > 300


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, op: str) -> Token:
        if self.tok.text != op or self.tok.kind != "op":
            found = self.tok.text or "the end"
            raise ParseError(f"expected {op!r}, found {found!r}" if self.tok.text else
                             f"expected {op!r} before the end",
                             f"此处应为 {op!r}，却是 {found!r}" if self.tok.text else
                             f"结尾前缺少 {op!r}", self.tok.column)
        return self.take()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"nested too deeply (at most {MAX_DEPTH} levels)",
                             f"嵌套太深（最多 {MAX_DEPTH} 层）", self.tok.column)

    # expr := term (('+'|'-') term)*
    def expr(self):
        self.deeper()
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-" and self.tok.text:
            op = self.take().text
            node = ("add" if op == "+" else "sub", node, self.term())
        self.depth -= 1
        return node

    # term := unary (('*'|'/'|implicit) unary)*
    def term(self):
        node = self.unary()
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text in ("*", "/"):
                self.take()
                node = ("mul" if tok.text == "*" else "div", node, self.unary())
            elif tok.kind in ("num", "name") or (tok.kind == "op" and tok.text == "("):
                node = ("mul", node, self.power())   # implicit: 2x, s(1-s); no sign after it
            else:
                return node

    # unary := ('-'|'+') unary | power
    def unary(self):
        if self.tok.kind == "op" and self.tok.text in ("-", "+"):
            op = self.take().text
            self.deeper()
            node = self.unary()
            self.depth -= 1
            return ("neg", node) if op == "-" else node
        return self.power()

    # power := atom ('^' unary)?      right-associative through unary
    def power(self):
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "^":
            column = self.take().column
            self.deeper()
            exponent = self.unary()
            self.depth -= 1
            _check_exponent(exponent, column)
            return ("pow", base, exponent)
        return base

    def atom(self):
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return ("num", tok.text)
        if tok.kind == "name":
            self.take()
            if tok.text in SPECIAL:
                return self.special(tok)
            if tok.text in FUNCTIONS:
                return self.call(tok)
            return ("name", tok.text)
        if tok.kind == "op" and tok.text == "(":
            self.take()
            node = self.expr()
            self.expect(")")
            return node
        if tok.kind == "end":
            raise ParseError("the expression ends too early", "表达式不完整", tok.column)
        raise ParseError(f"unexpected {tok.text!r}", f"此处不应出现 {tok.text!r}", tok.column)

    def args(self, name: Token) -> list:
        if not (self.tok.kind == "op" and self.tok.text == "("):
            raise ParseError(f"{name.text} needs parentheses: {name.text}(...)",
                             f"{name.text} 需要括号：{name.text}(...)", name.column)
        self.take()
        args = [self.expr()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.take()
            args.append(self.expr())
        self.expect(")")
        return args

    def call(self, name: Token):
        args = self.args(name)
        want = FUNCTIONS[name.text]
        if len(args) != want:
            raise ParseError(f"{name.text} takes {want} argument(s), got {len(args)}",
                             f"{name.text} 需要 {want} 个参数，给了 {len(args)} 个", name.column)
        return ("call", name.text, tuple(args))

    def special(self, name: Token):
        args = self.args(name)
        if name.text == "diff":
            if len(args) not in (2, 3) or args[1][0] != "name":
                raise ParseError("write diff(f, x) or diff(f, x, 2)",
                                 "请写成 diff(f, x) 或 diff(f, x, 2)", name.column)
            order = _small_int(args[2], name) if len(args) == 3 else 1
            if not 1 <= order <= MAX_DIFF_ORDER:
                raise ParseError(f"diff order must be 1 to {MAX_DIFF_ORDER}",
                                 f"求导阶数须为 1 到 {MAX_DIFF_ORDER}", name.column)
            return ("diff", args[0], args[1][1], order)
        if len(args) != 4 or args[1][0] != "name":
            raise ParseError("write sum(body, k, 1, 3)", "请写成 sum(式子, k, 1, 3)", name.column)
        var, lo, hi = args[1][1], _small_int(args[2], name), _small_int(args[3], name)
        if not 0 <= hi - lo < MAX_SUM_TERMS:
            raise ParseError(f"a sum runs over 1 to {MAX_SUM_TERMS} terms",
                             f"求和项数须为 1 到 {MAX_SUM_TERMS}", name.column)
        terms = [_substitute_index(args[0], var, k) for k in range(lo, hi + 1)]
        node = terms[0]
        for term in terms[1:]:
            node = ("add", node, term)
        return node


def _small_int(node, name: Token) -> int:
    negative = node[0] == "neg"
    inner = node[1] if negative else node
    if inner[0] != "num" or not inner[1].isdigit() or len(inner[1]) > 3:
        raise ParseError(f"{name.text}: a bound or order must be a small whole number",
                         f"{name.text}：上下限或阶数须为较小的整数", name.column)
    return -int(inner[1]) if negative else int(inner[1])


def _substitute_index(node, var: str, k: int):
    """The sum's index `var` -> k, in names too: `z_k` -> `z_1`."""
    tag = node[0]
    if tag == "name":
        name = node[1]
        if name == var:
            return ("num", str(k))
        base, _, sub = name.partition("_")
        return ("name", f"{base}_{k}") if sub == var else node
    if tag == "num":
        return node
    if tag == "call":
        return ("call", node[1], tuple(_substitute_index(a, var, k) for a in node[2]))
    if tag == "diff":
        return ("diff", _substitute_index(node[1], var, k), node[2], node[3])
    return (tag,) + tuple(_substitute_index(a, var, k) for a in node[1:])


def constant_value(node) -> float | None:
    """The value of a subtree without names (plain floats, overflow -> inf), else None."""
    tag = node[0]
    try:
        if tag == "num":
            return float(node[1])
        if tag == "name":
            return {"pi": math.pi, "e": math.e}.get(node[1])
        if tag == "neg":
            v = constant_value(node[1])
            return None if v is None else -v
        if tag in ("add", "sub", "mul", "div", "pow"):
            a, b = constant_value(node[1]), constant_value(node[2])
            if a is None or b is None:
                return None
            if tag == "add":
                return a + b
            if tag == "sub":
                return a - b
            if tag == "mul":
                return a * b
            if tag == "div":
                return a / b if b else math.inf
            if abs(b) > MAX_EXPONENT or (a == 0 and b < 0):
                return math.inf
            return abs(a) ** b if a >= 0 or float(b).is_integer() else math.nan
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.inf
    return None


def _check_exponent(exponent, column: int) -> None:
    value = constant_value(exponent)
    if value is not None and not (abs(value) <= MAX_EXPONENT):
        shown = "too large to write" if math.isinf(value) or math.isnan(value) else f"{value:.12g}"
        raise ParseError(f"exponent {shown} is too large (at most {MAX_EXPONENT})",
                         f"指数 {shown} 太大（最多 {MAX_EXPONENT}）", column)


def parse(text: str):
    """One expression -> its AST; ParseError (with the column) when it is not one."""
    text = fold(text)
    tokens = tokenize(text)
    parser = _Parser(tokens)
    if parser.tok.kind == "end":
        raise ParseError("empty expression", "表达式为空", 0)
    node = parser.expr()
    if parser.tok.kind != "end":
        tok = parser.tok
        raise ParseError(f"unexpected {tok.text!r}", f"此处不应出现 {tok.text!r}", tok.column)
    return node


def parse_chain(text: str) -> list:
    """`a = b = c` (or `= b` continuing a derivation: the leading `=` is dropped) ->
    the ASTs of its parts."""
    text = fold(text)
    tokens = tokenize(text)
    parts, start = [], 0
    if tokens[0].kind == "op" and tokens[0].text == "=":
        start = 1
    i = start
    while True:
        parser = _Parser(tokens)
        parser.i = i
        if parser.tok.kind == "end" or parser.tok.text == "=":
            raise ParseError("an expression is missing here", "此处缺少表达式", parser.tok.column)
        parts.append(parser.expr())
        tok = parser.tok
        if tok.kind == "end":
            return parts
        if tok.kind == "op" and tok.text == "=":
            i = parser.i + 1
            continue
        raise ParseError(f"unexpected {tok.text!r}", f"此处不应出现 {tok.text!r}", tok.column)


def names_in(node) -> set[str]:
    """Every variable name an AST uses (not functions, constants or diff variables)."""
    tag = node[0]
    if tag == "name":
        return set() if node[1] in CONSTANTS else {node[1]}
    if tag == "num":
        return set()
    if tag == "call":
        return set().union(*(names_in(a) for a in node[2]))
    if tag == "diff":
        return names_in(node[1]) | {node[2]}
    return set().union(*(names_in(a) for a in node[1:]))
