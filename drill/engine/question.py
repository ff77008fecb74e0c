"""A question as one structured value: what every front-end renders and grades.

`build_question(chapter, item, seed, lang)` turns a bank item into a `Question`: text
blocks (paragraphs of runs, matrices), options (shuffled per item and seed unless the
item pins them), answer fields (each with its kind, expected value and tolerance), hints,
explanation and the solver's worked steps. Nothing in it is terminal markup; the
terminal, worksheets and exports each render the same value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Any

from drill.bank.model import (
    LETTERS,
    Chapter,
    ChoiceItem,
    Item,
    NumericItem,
    ShortItem,
    SymbolicItem,
    Text,
    Tolerance,
    TrueFalseItem,
)
from drill.engine.kinds import KINDS, tolerance_note
from drill.engine.text import Block, Paragraph, ValueRun, plain_text, render_blocks


@dataclass
class Option:
    letter: str
    blocks: list[Block]


@dataclass
class AnswerField:
    """One answer the student gives, graded by `KINDS[kind]`."""

    name: str
    label: str
    kind: str
    expected: Any
    tolerance: Tolerance | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    n_options: int = 0
    note: str = ""  # how precise, in words ("3 significant figures")
    symbolic: Any = None  # the SymbolicItem a `symbolic` field is judged against

    def shown_expected(self, lang: str) -> str:
        return KINDS[self.kind].show(self.expected, lang)


@dataclass
class Question:
    item_id: str
    item_kind: str
    chapter: str
    chapter_title: str
    topic: str
    topic_title: str
    seed: int
    lang: str
    values: dict[str, Any]             # what was drawn (vars and params), for the record
    body: list[Block]
    options: list[Option]
    fields: list[AnswerField]
    hints: list[list[Block]]
    explanation: list[Block] | None
    model_answer: list[Block] | None = None
    steps: list[Any] = field(default_factory=list)   # solver Steps (en, zh, latex, value)
    multiple: bool = False             # a choice with several keyed options
    source: str | None = None


def option_order(item: ChoiceItem, seed: int) -> list[int]:
    """File positions of the options in the order shown: shuffled by (id, seed) unless
    the item pins its order with `shuffle: false`."""
    order = list(range(len(item.choices)))
    if item.shuffle:
        Random(f"{item.id}:{seed}:options").shuffle(order)
    return order


def letter_names(item: ChoiceItem, order: list[int]) -> dict[str, str]:
    """Placeholder values `{b}` -> the letter the option written as (b) got in this draw."""
    return {LETTERS[original]: LETTERS[shown] for shown, original in enumerate(order)}


def _blocks(text: Text | None, lang: str, names: dict[str, Any]) -> list[Block] | None:
    return None if text is None else render_blocks(text.get(lang), names)


def build_question(chapter: Chapter, item: Item, seed: int, lang: str) -> Question:
    """The question for this item and seed in `lang`; GenerationError for a template that
    cannot produce one (a bank bug, found by validation at load)."""
    names: dict[str, Any] = {}
    values: dict[str, Any] = {}
    options: list[Option] = []
    steps: list[Any] = []
    multiple = False
    if isinstance(item, ChoiceItem):
        order = option_order(item, seed)
        names = letter_names(item, order)
        options = [Option(LETTERS[shown], render_blocks(item.choices[original].get(lang), names))
                   for shown, original in enumerate(order)]
        keyed = frozenset(names[letter] for letter in item.answer)
        multiple = item.multiple
        fields = [AnswerField("choice", "", "choice", keyed, n_options=len(options))]
        values = {"order": "".join(LETTERS[i] for i in order)}
    elif isinstance(item, TrueFalseItem):
        fields = [AnswerField("truefalse", "", "truefalse", item.answer)]
    elif isinstance(item, ShortItem):
        fields = [AnswerField("text", "", "text", item.model_answer.get(lang))]
    elif isinstance(item, SymbolicItem):
        import drill.derive.grade  # noqa: F401 - registers the comparer (sympy: only here)

        label = item.label.get(lang) if item.label else ""
        fields = [AnswerField("answer", label, "symbolic", item.accept[0], symbolic=item)]
    else:
        fields, options, names, steps = _numeric_parts(item, seed, lang)
        values = names
    return Question(
        item_id=item.id, item_kind=item.kind, chapter=chapter.chapter,
        chapter_title=chapter.title.get(lang), topic=item.topic,
        topic_title=chapter.topic_title(item.topic, lang), seed=seed, lang=lang,
        values=values, body=render_blocks(item.prompt.get(lang), names), options=options,
        fields=fields, hints=[render_blocks(h.get(lang), names) for h in item.hints],
        explanation=_blocks(item.explanation, lang, names),
        model_answer=_blocks(getattr(item, "model_answer", None), lang, {}),
        steps=steps, multiple=multiple, source=item.source,
    )


def _numeric_parts(item: NumericItem, seed: int, lang: str):
    """Fields, options, drawn names and steps of one draw of a template."""
    from drill.engine.generate import ask_kind, generate, tolerance_for
    from solvers import get_solver

    spec = get_solver(item.solver)
    problem = generate(item, seed, spec)
    if problem.options is not None:
        options = [Option(LETTERS[i], [Paragraph((ValueRun(KINDS["number"].show(v, lang), v),))])
                   for i, v in enumerate(problem.options)]
        keyed = frozenset(LETTERS[problem.answer_index])
        label = _label(item.asks[0], lang, problem.names)
        fields = [AnswerField(item.asks[0].answer, label, "choice", keyed, n_options=len(options))]
        return fields, options, problem.names, problem.solution.steps
    fields = []
    for ask in item.asks:
        kind = ask_kind(ask, spec)
        tol = tolerance_for(item, ask) if KINDS[kind].numeric else None
        fields.append(AnswerField(
            ask.answer, _label(ask, lang, problem.names), kind, problem.expected(ask), tol,
            dict(ask.aliases),
            note=tolerance_note(tol, lang) if tol is not None else "",
        ))
    return fields, [], problem.names, problem.solution.steps


def _label(ask: Any, lang: str, names: dict[str, Any]) -> str:
    """The answer field's label, its placeholders filled ("h ({n} numbers)")."""
    if ask.label is None:
        return ask.answer
    return plain_text(render_blocks(ask.label.get(lang), names))
