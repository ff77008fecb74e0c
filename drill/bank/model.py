"""The bank as the engine uses it: plain frozen dataclasses, built from validated data.

`drill.bank.schema` (pydantic) validates a YAML file once; its JSON dump is turned into
these classes by `chapter_from_data`, which is also how a cached bank is read back.
Keeping the runtime types free of pydantic keeps the quiz's start-up fast, and the
cache data-only (JSON, never pickle). `tests/test_bank_model.py` keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

LETTERS = "abcdefg"  # not h, s, q: those are quiz commands


class ModelDataError(ValueError):
    """Data that does not have the shape of a validated bank (e.g. a damaged cache)."""


@dataclass
class Text:
    """A user-facing text: `en` always, `zh` (simplified Chinese) where written."""

    en: str
    zh: str | None = None

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.en


@dataclass
class Draw:
    """How a template value is drawn: exactly one of int/float/choices/expr/value."""

    int_range: tuple[int, int] | None = None
    float_range: tuple[float, float] | None = None
    decimals: int = 1
    choices: tuple | None = None
    expr: str | None = None
    value: Any = None
    shape: tuple[int | str, ...] | None = None
    nonzero: bool = False


@dataclass(frozen=True)
class Tolerance:
    """How close a number must be; exactly one rule applies (see `drill.engine.kinds`).

    `decimals`: within half a unit of the last asked decimal; `sigfigs`: within half a
    unit of the last asked significant figure; otherwise `max(abs, rel·|expected|)`.
    """

    rel: float | None = None
    abs: float | None = None
    decimals: int | None = None
    sigfigs: int | None = None


DEFAULT_TOLERANCE = Tolerance(sigfigs=3)


@dataclass
class Ask:
    """One answer a template asks for: a solver answer name, its kind and label."""

    answer: str
    label: Text | None = None
    tolerance: Tolerance | None = None
    kind: str | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class ItemBase:
    id: str
    topic: str
    source: str | None
    difficulty: int
    hints: tuple[Text, ...]
    explanation: Text | None
    prompt: Text


@dataclass
class ChoiceItem(ItemBase):
    """Multiple choice; `answer` letters refer to `choices` in file order."""

    choices: tuple[Text, ...]
    answer: tuple[str, ...]
    multiple: bool
    shuffle: bool = True
    kind: str = "choice"


@dataclass
class TrueFalseItem(ItemBase):
    answer: bool
    kind: str = "truefalse"


@dataclass
class ShortItem(ItemBase):
    model_answer: Text
    kind: str = "short"


@dataclass
class NumericItem(ItemBase):
    """A template: draw `vars` then `params`, run `solver`, ask for `asks`."""

    solver: str
    vars: dict[str, Any]
    params: dict[str, Any]
    constraints: tuple[str, ...]
    asks: tuple[Ask, ...]
    tolerance: Tolerance | None
    distractors: tuple[str, ...]
    kind: str = "numeric"


@dataclass
class SymbolicItem(ItemBase):
    """A derivation answered with an expression (drill.derive grades it): `reference` a
    definition, `symbols` shorthands name -> definition, `ranges` sampling ranges."""

    reference: str
    symbols: dict[str, str]
    ranges: dict[str, tuple[float, float]]
    accept: tuple[str, ...]
    mistakes: tuple[str, ...]
    label: Text | None = None
    kind: str = "symbolic"


Item = Union[ChoiceItem, TrueFalseItem, ShortItem, NumericItem, SymbolicItem]
CONCEPT_KINDS = ("choice", "truefalse", "short")


@dataclass
class Chapter:
    chapter: str
    title: Text
    sources: tuple[str, ...]
    topics: dict[str, Text]
    items: tuple[Item, ...]

    def topic_title(self, topic: str, lang: str) -> str:
        text = self.topics.get(topic)
        return text.get(lang) if text else topic

    def without(self, item_ids: set[str]) -> "Chapter":
        """The chapter with these items left out (broken ones, say)."""
        kept = tuple(i for i in self.items if i.id not in item_ids)
        return Chapter(self.chapter, self.title, self.sources, self.topics, kept)


# --------------------------------------------------------------- from data


def _text(data: Any) -> Text:
    if not isinstance(data, dict) or not isinstance(data.get("en"), str):
        raise ModelDataError(f"not a text: {str(data)[:60]}")
    zh = data.get("zh")
    return Text(data["en"], zh if isinstance(zh, str) else None)


def _opt_text(data: Any) -> Text | None:
    return None if data is None else _text(data)


def _tolerance(data: Any) -> Tolerance | None:
    if data is None:
        return None
    return Tolerance(data.get("rel"), data.get("abs"), data.get("decimals"), data.get("sigfigs"))


def _pair(data: Any) -> tuple | None:
    return None if data is None else tuple(data)


def _value(data: Any) -> Any:
    """A template value: a mapping is a Draw, anything else a literal."""
    if not isinstance(data, dict):
        return data
    return Draw(
        int_range=_pair(data.get("int")),
        float_range=_pair(data.get("float")),
        decimals=data.get("decimals", 1),
        choices=_pair(data.get("choices")),
        expr=data.get("expr"),
        value=data.get("value"),
        shape=_pair(data.get("shape")),
        nonzero=bool(data.get("nonzero", False)),
    )


def _ask(data: Any) -> Ask:
    if isinstance(data, str):
        return Ask(data)
    aliases = {str(k): tuple(v) for k, v in (data.get("aliases") or {}).items()}
    return Ask(data["answer"], _opt_text(data.get("label")), _tolerance(data.get("tolerance")),
               data.get("kind"), aliases)


def item_from_data(data: dict) -> Item:
    """One validated item (as the schema dumps it) -> its runtime dataclass."""
    try:
        common = dict(
            id=data["id"], topic=data["topic"], source=data.get("source"),
            difficulty=data.get("difficulty", 2),
            hints=tuple(_text(h) for h in data.get("hints") or ()),
            explanation=_opt_text(data.get("explanation")), prompt=_text(data["prompt"]),
        )
        kind = data["kind"]
        if kind == "choice":
            answer = data["answer"]
            letters = (answer,) if isinstance(answer, str) else tuple(answer)
            return ChoiceItem(**common, choices=tuple(_text(c) for c in data["choices"]),
                              answer=tuple(sorted(letters)), multiple=not isinstance(answer, str),
                              shuffle=data.get("shuffle", True))
        if kind == "truefalse":
            return TrueFalseItem(**common, answer=bool(data["answer"]))
        if kind == "short":
            return ShortItem(**common, model_answer=_text(data["model_answer"]))
        if kind == "numeric":
            return NumericItem(
                **common, solver=data["solver"],
                vars={k: _value(v) for k, v in (data.get("vars") or {}).items()},
                params={k: _value(v) for k, v in (data.get("params") or {}).items()},
                constraints=tuple(data.get("constraints") or ()),
                asks=tuple(_ask(a) for a in data["ask"]),
                tolerance=_tolerance(data.get("tolerance")),
                distractors=tuple(data.get("distractors") or ()),
            )
        if kind == "symbolic":
            return SymbolicItem(
                **common, reference=data["reference"], symbols=dict(data.get("symbols") or {}),
                ranges={k: tuple(v) for k, v in (data.get("ranges") or {}).items()},
                accept=tuple(data["accept"]), mistakes=tuple(data.get("mistakes") or ()),
                label=_opt_text(data.get("label")),
            )
    except (KeyError, TypeError, AttributeError) as err:
        raise ModelDataError(f"item {str(data)[:40]}: {err!r}") from None
    raise ModelDataError(f"unknown item kind {kind!r}")


def chapter_from_data(data: Any) -> Chapter:
    """A validated chapter (the schema's JSON dump) -> runtime Chapter; ModelDataError if
    the data does not have that shape."""
    if not isinstance(data, dict):
        raise ModelDataError("a chapter is a mapping")
    try:
        return Chapter(
            chapter=data["chapter"], title=_text(data["title"]),
            sources=tuple(data.get("sources") or ()),
            topics={k: _text(v) for k, v in data["topics"].items()},
            items=tuple(item_from_data(i) for i in data["items"]),
        )
    except (KeyError, TypeError, AttributeError) as err:
        raise ModelDataError(f"chapter: {err!r}") from None
