"""The `symbolic` answer kind's comparer, registered on import in
`drill.engine.kinds.SYMBOLIC_HOOK["equivalent"]`.

A symbolic item (drill.bank.model.SymbolicItem) declares its reference as a definition
(`diff(1/(1+exp(-x)), x)`), the shorthands a student may use (`s: 1/(1+exp(-x))`) and
the sampling ranges of its variables. `judge_answer(text, item)` parses the student's
text with the whitelist parser (ParseError: ask again), refuses names the item does not
declare, and judges it against the reference. Verdicts are cached per (item, text), so
a front-end asking for the detailed verdict after grading pays nothing twice.
"""

from __future__ import annotations

from typing import Any

from drill.derive.build import Context
from drill.derive.equivalence import Verdict, judge
from drill.derive.parser import ParseError, names_in, parse
from drill.engine.answer_parse import AnswerParseError
from drill.engine.kinds import SYMBOLIC_HOOK


def item_context(item: Any) -> Context:
    return Context(dict(item.symbols), {k: tuple(v) for k, v in item.ranges.items()})


def allowed_names(item: Any) -> set[str]:
    """The names an answer may use: the variables of the reference and of the shorthands'
    definitions, and the shorthands themselves."""
    names = names_in(parse(item.reference)) | set(item.symbols) | set(item.ranges)
    for definition in item.symbols.values():
        names |= names_in(parse(definition))
    return names


def read_answer(text: str, item: Any):
    """The AST of a student's answer; ParseError with a column when it cannot be read or
    uses a name the item does not declare."""
    node = parse(text)
    unknown = sorted(names_in(node) - allowed_names(item))
    if unknown:
        allowed = ", ".join(sorted(allowed_names(item)))
        raise ParseError(f"unknown name {unknown[0]!r} (you may use: {allowed})",
                         f"未知的名字 {unknown[0]!r}（可用：{allowed}）")
    return node


_CACHE: dict[tuple, Verdict] = {}
_CACHE_SIZE = 512


def judge_answer(text: str, item: Any) -> Verdict:
    """The verdict on a student's text for a symbolic item (ParseError if unreadable)."""
    text = text.strip()
    key = (item.id, item.reference, tuple(sorted(item.symbols.items())),
           tuple(sorted((k, tuple(v)) for k, v in item.ranges.items())), text)
    if key not in _CACHE:
        node = read_answer(text, item)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = judge(node, parse(item.reference), item_context(item), seed=item.id)
    return _CACHE[key]


def equivalent(given: str, field: Any) -> bool | None:
    """SYMBOLIC_HOOK["equivalent"]: True / False / None (could not decide)."""
    item = getattr(field, "symbolic", None)
    if item is None:
        return None
    try:
        verdict = judge_answer(given, item)
    except ParseError as err:
        raise AnswerParseError(err.text("en"), err.text("zh")) from None
    return {"equivalent": True, "different": False}.get(verdict.status)


SYMBOLIC_HOOK["equivalent"] = equivalent
