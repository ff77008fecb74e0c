"""The question-bank schema (pydantic). One YAML file = one `Chapter`.

See docs/bank-format.md for the format with examples; `drill bank schema` prints
the JSON Schema generated from these models for editors.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from drill.bank.model import LETTERS
from drill.engine.kinds import ASK_KIND_NAMES

SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class Text(Strict):
    """A user-facing text: `en` is required, `zh` (simplified Chinese) expected."""

    en: str = Field(min_length=1)
    zh: str | None = Field(default=None, min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.en


class Draw(Strict):
    """How a template variable or solver parameter is drawn.

    Exactly one source: `int: [lo, hi]` (inclusive), `float: [lo, hi]` (rounded to
    `decimals`), `choices: [...]`, `expr: "..."` (computed from names drawn before it)
    or `value: ...` (a literal, for objects). With `shape: [n, m, ...]` (ints or names
    of earlier variables) an int/float/choices draw fills a nested list of that shape.
    """

    int_range: tuple[int, int] | None = Field(default=None, alias="int")
    float_range: tuple[float, float] | None = Field(default=None, alias="float")
    decimals: int = Field(default=1, ge=0, le=6)
    choices: list[Any] | None = Field(default=None, min_length=1)
    expr: str | None = None
    value: Any = None
    shape: list[int | str] | None = None
    nonzero: bool = Field(default=False, description="redraw entries that come out 0")

    @model_validator(mode="after")
    def _one_source(self) -> "Draw":
        sources = [
            name
            for name, v in (
                ("int", self.int_range),
                ("float", self.float_range),
                ("choices", self.choices),
                ("expr", self.expr),
                ("value", self.value),
            )
            if v is not None
        ]
        if len(sources) != 1:
            raise ValueError(
                "give exactly one of int, float, choices, expr, value"
                + (f" (got {', '.join(sources)})" if sources else "")
            )
        for rng in (self.int_range, self.float_range):
            if rng is not None and rng[0] > rng[1]:
                raise ValueError(f"range {list(rng)} is empty (low > high)")
        if self.shape is not None and sources[0] in ("expr", "value"):
            raise ValueError("shape goes with int, float or choices")
        return self


def _mapping_or_plain(value: Any) -> str:
    """A mapping in YAML (or a model, when dumping) is a Draw/Ask; anything else is plain."""
    return "mapping" if isinstance(value, (dict, BaseModel)) else "plain"


#: A template value: a literal (number, word, list) or, written as a mapping, a Draw.
#: The callable discriminator keeps error messages to the branch the author meant.
Value = Annotated[
    Union[Annotated[Draw, Tag("mapping")], Annotated[Union[bool, int, float, str, list], Tag("plain")]],
    Discriminator(_mapping_or_plain),
]


class Tolerance(Strict):
    """One grading rule for numbers (docs/bank-format.md, "Grading"):

    `decimals: N` — within half a unit of the N-th decimal (the prompt asks "N decimals");
    `sigfigs: N` — within half a unit of the N-th significant figure (the default, 3);
    `rel`/`abs` — |given − expected| ≤ max(abs, rel·|expected|).
    """

    rel: float | None = Field(default=None, ge=0, le=1)
    abs: float | None = Field(default=None, ge=0)
    decimals: int | None = Field(default=None, ge=0, le=12)
    sigfigs: int | None = Field(default=None, ge=1, le=15)

    @model_validator(mode="after")
    def _one_rule(self) -> "Tolerance":
        rules = [name for name, v in (("decimals", self.decimals), ("sigfigs", self.sigfigs),
                                      ("rel/abs", self.rel if self.rel is not None else self.abs))
                 if v is not None]
        if len(rules) != 1:
            raise ValueError("give one rule: decimals, sigfigs, or rel and/or abs"
                             + (f" (got {', '.join(rules)})" if rules else ""))
        return self


class Ask(Strict):
    """One answer the student must give: a solver answer name, with a label.

    `kind` picks how the answer is read and compared (default: from the solver's
    declared answer type); `aliases` maps each accepted label to other spellings.
    """

    answer: str
    label: Text | None = None
    tolerance: Tolerance | None = None
    kind: Literal[ASK_KIND_NAMES] | None = None  # type: ignore[valid-type]
    aliases: dict[str, list[str]] | None = None


class ItemBase(Strict):
    id: str = Field(pattern=SLUG, description="unique across all banks; progress keys on it")
    topic: str = Field(description="a key of the chapter's `topics`")
    source: str | None = Field(default=None, description="where this comes from, e.g. 'Goodfellow §10.7'")
    difficulty: int = Field(default=2, ge=1, le=3)
    hints: list[Text] = Field(default_factory=list)
    explanation: Text | None = None


class ChoiceItem(ItemBase):
    """Multiple choice; `answer` is a letter (`b`) or several (`[a, c]`)."""

    kind: Literal["choice"]
    prompt: Text
    choices: list[Text] = Field(min_length=2, max_length=len(LETTERS))
    answer: str | list[str]
    shuffle: bool = Field(default=True, description="false pins the file order "
                          "(\"all of the above\", an ordered scale)")

    @field_validator("answer")
    @classmethod
    def _letters(cls, v: str | list[str]) -> str | list[str]:
        letters = [v] if isinstance(v, str) else v
        if not letters:
            raise ValueError("give at least one correct letter")
        for letter in letters:
            if len(letter) != 1 or letter not in LETTERS:
                raise ValueError(f"{letter!r} is not a choice letter (a, b, c, ...)")
        if len(set(letters)) != len(letters):
            raise ValueError("a letter is repeated")
        return v

    @property
    def answer_letters(self) -> list[str]:
        return sorted([self.answer] if isinstance(self.answer, str) else self.answer)


class TrueFalseItem(ItemBase):
    kind: Literal["truefalse"]
    prompt: Text
    answer: bool


class ShortItem(ItemBase):
    """Self-graded: the student writes an answer, sees `model_answer`, marks it."""

    kind: Literal["short"]
    prompt: Text
    model_answer: Text


class NumericItem(ItemBase):
    """A template: draws `vars` then `params`, runs `solver`, asks for `ask` answers.

    `constraints` and `distractors` are expressions over vars, params and (after
    solving) answers. With `distractors` the item is asked as multiple choice.
    """

    kind: Literal["numeric"]
    solver: str
    prompt: Text
    vars: dict[str, Value] = Field(default_factory=dict)
    params: dict[str, Value] = Field(default_factory=dict)
    constraints: list[str] = Field(default_factory=list)
    ask: list[
        Annotated[
            Union[Annotated[Ask, Tag("mapping")], Annotated[str, Tag("plain")]],
            Discriminator(_mapping_or_plain),
        ]
    ] = Field(min_length=1)
    tolerance: Tolerance | None = None
    distractors: list[str] = Field(default_factory=list)

    @property
    def asks(self) -> list[Ask]:
        return [Ask(answer=a) if isinstance(a, str) else a for a in self.ask]


class SymbolicItem(ItemBase):
    """A derivation answered with an expression, graded by equivalence (`drill derive`).

    `reference` is a definition read by the whitelist parser and computed by sympy
    (`diff(1/(1+exp(-x)), x)`), never typed as the answer; `symbols` are shorthands the
    student may use (`s: 1/(1+exp(-x))`); `ranges` where each variable is sampled for
    the numeric check; `accept` lists equivalent answers (the first is shown as the
    answer) and `mistakes` common wrong ones — the tests prove both against the reference.
    """

    kind: Literal["symbolic"]
    prompt: Text
    reference: str = Field(min_length=1, max_length=2000)
    symbols: dict[str, str] = Field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    accept: list[str] = Field(min_length=1)
    mistakes: list[str] = Field(default_factory=list)
    label: Text | None = None


Item = Annotated[
    Union[ChoiceItem, TrueFalseItem, ShortItem, NumericItem, SymbolicItem],
    Field(discriminator="kind"),
]


class Chapter(Strict):
    """One bank file."""

    chapter: str = Field(pattern=SLUG, description="short lower-case slug: cnn, rnn, gnn ...")
    title: Text
    sources: list[str] = Field(default_factory=list)
    topics: dict[str, Text] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    def topic_title(self, topic: str, lang: str) -> str:
        text = self.topics.get(topic)
        return text.get(lang) if text else topic


def validate_item(data: dict) -> Any:
    """One item as a bank would hold it -> the engine's runtime item (raises
    pydantic.ValidationError when invalid). For tests and tools that build items in code."""
    from pydantic import TypeAdapter

    from drill.bank.model import item_from_data

    item = TypeAdapter(Item).validate_python(data)
    return item_from_data(item.model_dump(mode="json", by_alias=True, exclude_none=True))
