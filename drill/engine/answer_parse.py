"""Parse what a student types into numbers, vectors and matrices — with a whitelist.

Accepted: `28`, `-0.25`, `2.5e-3`, `1/4`, `[1, 2]`, `[[1, 0], [0, 1]]`, `1, 2, 3`,
`[1 2 3]`; full-width characters from a Chinese IME (`，`, `［`, `－`) and the Unicode
minus are folded to ASCII first. Nothing is ever evaluated: a tokenizer and a small
recursive-descent parser accept exactly this grammar and raise AnswerParseError
for anything else.

    answer := items            (one item = a number; several = a vector)
    item   := number | '[' items ']' | '(' items ')'
    items  := item ((',' | space) item)*
    number := real ('/' real)?
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Union

Number = Union[int, float]
Parsed = Union[Number, list]

MAX_LENGTH = 4000
MAX_DEPTH = 6
_REAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TOKEN = re.compile(rf"\s*(?:(?P<num>{_REAL}(?:\s*/\s*{_REAL})?)|(?P<sym>[\[\](),]))")
_FOLD = {"−": "-", "–": "-", "、": ",", "【": "[", "】": "]", "。": ".", "｡": "."}


class AnswerParseError(ValueError):
    """The text is not a number, vector or matrix; the message says why (en, zh)."""

    def __init__(self, en: str, zh: str = ""):
        super().__init__(en)
        self.zh = zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


def _superscript_or_subscript(text: str) -> str | None:
    """The first superscript or subscript character (², ₁ ...), which NFKC would fold
    into a plain digit: 171000² must never read as 1710002."""
    for ch in text:
        if ord(ch) > 127 and unicodedata.decomposition(ch).startswith(("<super>", "<sub>")):
            return ch
    return None


def normalize(text: str) -> str:
    """Fold full-width and look-alike characters to ASCII (`。` from a Chinese input mode
    is a decimal point); AnswerParseError for superscripts and subscripts."""
    odd = _superscript_or_subscript(text)
    if odd is not None:
        raise AnswerParseError(f"{odd!r} is a superscript or subscript: type plain digits "
                               "(e.g. 171000, not 171000²)",
                               f"{odd!r} 是上标或下标：请输入普通数字（如 171000，而不是 171000²）")
    text = unicodedata.normalize("NFKC", text)
    return "".join(_FOLD.get(ch, ch) for ch in text).strip()


def _number(token: str) -> Number:
    if len(token) > 60:
        raise AnswerParseError("number too long", "数字太长")
    if "/" in token:
        top, bottom = (float(part) for part in token.split("/"))
        if bottom == 0:
            raise AnswerParseError("division by zero in a fraction", "分数的分母为零")
        value: Number = top / bottom
    elif re.fullmatch(r"[+-]?\d+", token):
        value = int(token)
    else:
        value = float(token)
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerParseError("not a finite number", "不是有限的数")
    return value


def _tokenize(text: str) -> list[tuple[str, str, bool]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            bad = text[pos:].lstrip()[:12]
            raise AnswerParseError(f"cannot read {bad!r}: type a number like 0.25, 1/4 or [1, 2]",
                                   f"无法识别 {bad!r}：请输入数字，如 0.25、1/4 或 [1, 2]")
        kind = "num" if match.group("num") else "sym"
        spaced = match.start(kind) > pos  # whitespace before it: "1 -2" is two numbers
        tokens.append((kind, match.group(kind).replace(" ", ""), spaced))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, bool]]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos][:2] if self.pos < len(self.tokens) else None

    def items(self, closer: str | None, depth: int) -> list[Parsed]:
        out: list[Parsed] = []
        while True:
            tok = self.peek()
            if tok is None or tok == ("sym", closer):
                break
            if tok == ("sym", ",") and out:
                self.pos += 1
                continue
            if out and self.tokens[self.pos - 1][:2] != ("sym", ",") and not self.tokens[self.pos][2]:
                raise AnswerParseError(f"put a comma or a space before {tok[1]!r}",
                                       f"请在 {tok[1]!r} 前加逗号或空格")
            out.append(self.item(depth))
        if not out:
            raise AnswerParseError("empty answer", "答案为空") if closer is None \
                    else AnswerParseError("empty brackets", "括号内为空")
        return out

    def item(self, depth: int) -> Parsed:
        tok = self.peek()
        assert tok is not None
        self.pos += 1
        if tok[0] == "num":
            return _number(tok[1])
        if tok[1] in "[(":
            if depth >= MAX_DEPTH:
                raise AnswerParseError("brackets nested too deep", "括号嵌套太深")
            closer = "]" if tok[1] == "[" else ")"
            inner = self.items(closer, depth + 1)
            if self.peek() != ("sym", closer):
                raise AnswerParseError(f"missing {closer!r}", f"缺少 {closer!r}")
            self.pos += 1
            return inner
        raise AnswerParseError(f"unexpected {tok[1]!r}", f"多余的 {tok[1]!r}")


def parse_answer(text: str) -> Parsed:
    """A number, or a (nested) list of numbers; AnswerParseError otherwise."""
    if len(text) > MAX_LENGTH:
        raise AnswerParseError("answer too long", "答案太长")
    tokens = _tokenize(normalize(text))
    parser = _Parser(tokens)
    items = parser.items(None, 0)
    if parser.peek() is not None:
        raise AnswerParseError(f"unexpected {parser.peek()[1]!r}", f"多余的 {parser.peek()[1]!r}")  # type: ignore[index]
    value = items[0] if len(items) == 1 else items
    shape_of(value)  # raises on ragged rows
    return value


def shape_of(value: Parsed) -> tuple[int, ...]:
    """(), (n,) or (rows, cols) ... of a number or nested list; AnswerParseError if ragged."""
    if not isinstance(value, list):
        return ()
    inner = {shape_of(v) for v in value}
    if len(inner) > 1:
        raise AnswerParseError("rows have different lengths", "各行长度不一致")
    return (len(value),) + (inner.pop() if inner else ())
