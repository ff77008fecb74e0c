"""The checks a schema cannot express, run on every bank when it is loaded.

Each check yields `Problem(item index or None, data path, message, severity)`; the
loader turns them into `file:line: message` findings and leaves broken items out, so a
quiz, `drill list` and `drill bank lint` all see the same verdict. Templates are also
generated for a few seeds (`seeds`), in both languages, and every answer is checked to
suit the kind that will grade it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from drill.bank.yaml_read import dotted_key
from drill.bank.model import LETTERS, Chapter, ChoiceItem, Item, NumericItem, SymbolicItem, Text
from drill.engine.expr import ExprError, parse_expr
from drill.engine.kinds import KINDS, kind_fits
from drill.engine.text import PlaceholderError, placeholders

if TYPE_CHECKING:
    from solvers.registry import SolverSpec

LOAD_SEEDS = 3
QUIZ_KEYS = {"h", "s", "q"}  # typed at any answer prompt, they are commands
_DECIMALS_ASKED = re.compile(r"(\d+)\s*(?:decimal|decimal places|位小数)")


@dataclass
class Problem:
    index: int | None          # the item at fault (None: the chapter itself)
    key: tuple                 # data path inside the item (or chapter), for the line
    message: str
    severity: str = "error"


def check_chapter(chapter: Chapter, seeds: int = LOAD_SEEDS) -> list[Problem]:
    """Every problem of one chapter: per item, then missing translations (warnings)."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(chapter.items):
        if item.id in first:
            problems.append(Problem(index, ("id",), f"duplicate id {item.id!r} (item "
                                                    f"{first[item.id] + 1} of this bank has it too)"))
        first.setdefault(item.id, index)
    for index, item in enumerate(chapter.items):
        problems.extend(Problem(index, key, message)
                        for key, message in check_item(chapter, item, seeds))
    for key, text in _texts(chapter):
        if not text.zh:
            index = key[1] if key[0] == "items" else None
            path = key[2:] if key[0] == "items" else key
            problems.append(Problem(index, path, f"{dotted_key(key)}: no `zh` text", "warning"))
    return problems


def check_item(chapter: Chapter, item: Item, seeds: int) -> Iterator[tuple[tuple, str]]:
    if item.topic not in chapter.topics:
        yield ("topic",), f"unknown topic {item.topic!r} (topics: {', '.join(chapter.topics)})"
    if isinstance(item, ChoiceItem):
        yield from _check_choice(item)
    elif isinstance(item, NumericItem):
        static = list(_check_template_static(item))
        yield from static
        if not static:
            yield from _check_template_draws(chapter, item, seeds)
    else:
        if isinstance(item, SymbolicItem):
            yield from _check_symbolic(item)
        yield from _check_placeholders(item, set())


def _check_symbolic(item: SymbolicItem) -> Iterator[tuple[tuple, str]]:
    """Every expression of a symbolic item reads with the whitelist parser (no sympy
    here: equivalence is proved by tests/test_derive_items.py) and uses declared names."""
    from drill.derive.parser import ParseError, names_in, parse

    known = set(item.symbols) | set(item.ranges)
    try:
        known |= names_in(parse(item.reference))
    except ParseError as err:
        yield ("reference",), f"reference: {err}"
        return
    for name, definition in item.symbols.items():
        try:
            known |= names_in(parse(definition))
        except ParseError as err:
            yield ("symbols", name), f"shorthand {name}: {err}"
    for name, (low, high) in item.ranges.items():
        if not low < high:
            yield ("ranges", name), f"range of {name} is empty: [{low}, {high}]"
    for section in ("accept", "mistakes"):
        for i, text in enumerate(getattr(item, section)):
            try:
                unknown = names_in(parse(text)) - known
            except ParseError as err:
                yield (section, i), f"{section} {text!r}: {err}"
                continue
            if unknown:
                yield (section, i), f"{section} {text!r} uses {sorted(unknown)[0]!r}, which " \
                    "is neither in the reference nor a shorthand"


# ------------------------------------------------------------------ choice items


def _check_choice(item: ChoiceItem) -> Iterator[tuple[tuple, str]]:
    for letter in item.answer:
        if LETTERS.index(letter) >= len(item.choices):
            yield ("answer",), f"answer {letter!r} is out of range: only {len(item.choices)} choices"
    texts = [c.en.strip() for c in item.choices]
    if len(set(texts)) != len(texts):
        yield ("choices",), "two choices have the same text"
    yield from _check_placeholders(item, set(LETTERS[:len(item.choices)]))


def _item_texts(item: Item) -> Iterator[tuple[tuple, Text]]:
    yield ("prompt",), item.prompt
    for i, hint in enumerate(item.hints):
        yield ("hints", i), hint
    if item.explanation is not None:
        yield ("explanation",), item.explanation
    for i, choice in enumerate(getattr(item, "choices", ())):
        yield ("choices", i), choice
    if getattr(item, "model_answer", None) is not None:
        yield ("model_answer",), item.model_answer  # type: ignore[union-attr]
    for i, ask in enumerate(getattr(item, "asks", ())):
        if ask.label is not None:
            yield ("ask", i, "label"), ask.label


def _check_placeholders(item: Item, known: set[str]) -> Iterator[tuple[tuple, str]]:
    """Every `{name}` is well formed and names something drawn (or, in a choice item, an
    option letter: `{b}` shows the letter that option got after shuffling)."""
    for key, text in _item_texts(item):
        for lang, template in (("en", text.en), ("zh", text.zh)):
            if template is None:
                continue
            try:
                used = placeholders(template)
            except PlaceholderError as err:
                yield key + (lang,), str(err)
                continue
            for name, _ in used:
                if name not in known:
                    what = "an option letter" if isinstance(item, ChoiceItem) else "a var or param"
                    yield key + (lang,), f"{lang}: placeholder {{{name}}} is not {what}" + \
                        ("" if known else " (literal braces are written {{ and }})")


# ------------------------------------------------------------------ templates


def _solver_spec(name: str) -> tuple["SolverSpec | None", str]:
    """The solver named `name`, or None and why not (unknown, or its module is broken)."""
    from solvers import get_solver
    from solvers.registry import SolverDefinitionError, SolverInputError

    try:
        return get_solver(name), ""
    except SolverInputError:
        return None, f"unknown solver {name!r} (see `drill solve --list`)"
    except (SolverDefinitionError, ImportError, SyntaxError) as err:
        return None, f"solver {name!r} cannot be loaded: {str(err)[:120]}"


def _check_template_static(item: NumericItem) -> Iterator[tuple[tuple, str]]:
    from drill.engine.generate import ask_kind

    spec, why = _solver_spec(item.solver)
    if spec is None:
        yield ("solver",), why
        return
    param_names = {p.name for p in spec.params}
    for name in item.params:
        if name not in param_names:
            yield ("params", name), (f"{item.solver} has no parameter {name!r} "
                                     f"(parameters: {', '.join(sorted(param_names))})")
    for p in spec.params:
        if p.required and p.name not in item.params:
            yield ("params",), f"missing solver parameter {p.name!r} ({p.doc})"
    for name in item.vars:
        if name in item.params:
            yield ("vars", name), f"{name!r} is both a var and a param"
    for i, ask in enumerate(item.asks):
        if ask.answer not in spec.answer_names:
            yield ("ask", i), (f"{item.solver} gives no answer {ask.answer!r} "
                               f"(answers: {', '.join(spec.answer_names)})")
        tol = ask.tolerance or item.tolerance
        if not KINDS[ask_kind(ask, spec)].numeric:
            continue  # counts, labels ... are exact: no precision to match
        for lang, template in (("en", item.prompt.en), ("zh", item.prompt.zh),
                               *((lang, getattr(ask.label, lang, None)) for lang in ("en", "zh"))):
            asked = _DECIMALS_ASKED.search(template or "")
            if asked and (tol is None or tol.decimals != int(asked.group(1))):
                yield ("ask", i), (f"the text asks for {asked.group(1)} decimals: give this answer "
                                   f"`tolerance: {{decimals: {asked.group(1)}}}` so it is graded "
                                   "at that precision")
                break
    for i, ask in enumerate(item.asks):
        reserved = sorted({fold for label, spellings in ask.aliases.items()
                           for fold in (label, *spellings) if fold.strip().lower() in QUIZ_KEYS})
        if reserved:
            yield ("ask", i, "aliases"), (f"{reserved[0]!r} cannot be typed as an answer: h, s and "
                                          "q are quiz commands (hint, skip, quit)")
    if item.distractors and len(item.asks) != 1:
        yield ("distractors",), "distractors need exactly one asked answer"
    yield from _check_placeholders(item, set(item.vars) | set(item.params))
    yield from _check_expressions(item, spec.answer_names)


def _check_expressions(item: NumericItem, answers: tuple[str, ...]) -> Iterator[tuple[tuple, str]]:
    known: set[str] = set()
    for section in ("vars", "params"):
        for name, value in getattr(item, section).items():
            expr = getattr(value, "expr", None)
            if expr is not None:
                yield from _check_expr((section, name), expr, known)
            for size in getattr(value, "shape", None) or ():
                if isinstance(size, str) and size not in known:
                    yield (section, name), f"shape uses {size!r}, which is not drawn before it"
            known.add(name)
    known |= set(answers)
    shadowed = (set(item.vars) | set(item.params)) & set(answers)
    for section, sources in (("constraints", item.constraints), ("distractors", item.distractors)):
        for i, source in enumerate(sources):
            yield from _check_expr((section, i), source, known)
            clash = shadowed & _names_of(source)
            if clash:
                name = sorted(clash)[0]
                yield (section, i), (f"{source!r} uses {name!r}, which is both a drawn value and "
                                     f"an answer of the solver: draw the value as a var with "
                                     f"another name (pass it as `{name}: {{expr: that_var}}`)")


def _names_of(source: str) -> set[str]:
    try:
        return set(parse_expr(source).names)
    except ExprError:
        return set()


def _check_expr(key: tuple, source: str, known: set[str]) -> Iterator[tuple[tuple, str]]:
    try:
        expr = parse_expr(source)
    except ExprError as err:
        yield key, str(err)
        return
    for name in sorted(expr.names - known):
        yield key, f"{source!r} uses {name!r}, which is not a var, param or answer known here"


def _check_template_draws(chapter: Chapter, item: NumericItem,
                          seeds: int) -> Iterator[tuple[tuple, str]]:
    """Build the question for `seeds` seeds in both languages; every answer must suit
    the kind that grades it."""
    from drill.engine.generate import GenerationError
    from drill.engine.question import build_question

    for seed in range(seeds):
        try:
            for lang in ("en", "zh"):
                question = build_question(chapter, item, seed, lang)
        except GenerationError as err:
            yield ("constraints",) if "constraints" in str(err) else ("solver",), str(err)
            return
        except (PlaceholderError, ExprError) as err:
            yield ("prompt",), f"text does not render for seed {seed}: {err}"
            return
        for i, field in enumerate(question.fields):
            if field.kind not in KINDS or not kind_fits(field.kind, field.expected):
                yield ("ask", i), (f"answer {field.name!r} = {str(field.expected)[:40]} cannot be "
                                   f"graded as kind {field.kind!r}")
                return


# ------------------------------------------------------------------ texts


def _texts(chapter: Chapter) -> Iterator[tuple[tuple, Text]]:
    """Every Text in a chapter with its data path."""
    yield ("title",), chapter.title
    for name, text in chapter.topics.items():
        yield ("topics", name), text
    for index, item in enumerate(chapter.items):
        for key, text in _item_texts(item):
            yield ("items", index) + key, text
