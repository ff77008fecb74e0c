"""`drill bank lint`: every problem in the banks as `file:line: message`.

Schema errors come from loading (drill.bank_load); this module adds the checks a
schema cannot express: ids unique across banks, topics, choice letters, solver
names and parameters, placeholders, expressions, and a trial generation of every
template over `seeds` seeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from drill.bank_load import BankError, Finding, LoadedBank, dotted_key, load_bank
from drill.bank_schema import LETTERS, ChoiceItem, NumericItem, Text
from drill.expr import ExprError, parse_expr
from drill.generate import GenerationError, generate, placeholders
from solvers import load_all

LINT_SEEDS = 25


def lint_paths(paths: list[Path], seeds: int = LINT_SEEDS) -> list[Finding]:
    """All findings for these bank files, errors and warnings, in file/line order."""
    findings: list[Finding] = []
    banks: list[LoadedBank] = []
    for path in paths:
        try:
            banks.append(load_bank(path))
        except BankError as err:
            findings.extend(err.findings)
            if err.partial is not None:
                banks.append(err.partial)
    first_seen: dict[str, tuple[Path, int]] = {}
    for bank in banks:
        for index, item in enumerate(bank.chapter.items):
            line = bank.line_of("items", index, "id")
            if item.id in first_seen:
                other, other_line = first_seen[item.id]
                findings.append(Finding(bank.path, line,
                                        f"duplicate id {item.id!r} (first at {other}:{other_line})"))
            else:
                first_seen[item.id] = (bank.path, line)
        findings.extend(lint_bank(bank, seeds))
    return sorted(findings, key=lambda f: (str(f.path), f.line))


def lint_bank(bank: LoadedBank, seeds: int = LINT_SEEDS) -> list[Finding]:
    chapter, path = bank.chapter, bank.path
    out: list[Finding] = []
    if chapter.chapter != path.stem:
        out.append(Finding(path, bank.line_of("chapter"),
                           f"chapter slug {chapter.chapter!r} must match the file name {path.stem!r}"))
    for key, text in _texts(chapter):
        if not text.zh:
            out.append(Finding(path, bank.line_of(*key), f"{dotted_key(key)}: no `zh` text",
                               "warning"))
    for index, item in enumerate(chapter.items):
        def at(*key: Any) -> int:
            return bank.line_of("items", index, *key)

        if item.topic not in chapter.topics:
            out.append(Finding(path, at("topic"), f"unknown topic {item.topic!r} "
                               f"(topics: {', '.join(chapter.topics)})"))
        if isinstance(item, ChoiceItem):
            for letter in item.answer_letters:
                if LETTERS.index(letter) >= len(item.choices):
                    out.append(Finding(path, at("answer"), f"answer {letter!r} is out of range: "
                                       f"only {len(item.choices)} choices"))
            texts = [c.en.strip() for c in item.choices]
            if len(set(texts)) != len(texts):
                out.append(Finding(path, at("choices"), "two choices have the same text"))
        if isinstance(item, NumericItem):
            out.extend(Finding(path, at(*key), msg) for key, msg in _lint_template(item, seeds))
    return out


def _static_template_checks(item: NumericItem) -> Iterator[tuple[tuple, str]]:
    spec = load_all().get(item.solver)
    if spec is None:
        yield ("solver",), f"unknown solver {item.solver!r} (see `drill solve --list`)"
        return
    param_names = {p.name for p in spec.params}
    for name in item.params:
        if name not in param_names:
            yield ("params", name), f"{item.solver} has no parameter {name!r} " \
                                    f"(parameters: {', '.join(sorted(param_names))})"
    for p in spec.params:
        if p.required and p.name not in item.params:
            yield ("params",), f"missing solver parameter {p.name!r} ({p.doc})"
    for name in item.vars:
        if name in item.params:
            yield ("vars", name), f"{name!r} is both a var and a param"
    for i, ask in enumerate(item.asks):
        if ask.answer not in spec.answer_names:
            yield ("ask", i), f"{item.solver} gives no answer {ask.answer!r} " \
                              f"(answers: {', '.join(spec.answer_names)})"
    if item.distractors and len(item.asks) != 1:
        yield ("distractors",), "distractors need exactly one asked answer"
    drawn = list(item.vars) + list(item.params)
    for key, text in [(("prompt",), item.prompt)] + [(("hints", i), h) for i, h in enumerate(item.hints)]:
        for lang, template in (("en", text.en), ("zh", text.zh)):
            if template is None:
                continue
            try:
                used = placeholders(template)
            except ValueError as err:
                yield key + (lang,), f"malformed placeholder: {err}"
                continue
            for name in used:
                if name not in drawn:
                    yield key + (lang,), f"{lang}: placeholder {{{name}}} has no var or param"
    yield from _lint_expressions(item, spec.answer_names)


def _lint_template(item: NumericItem, seeds: int) -> Iterator[tuple[tuple, str]]:
    """Static checks first; the trial generation runs only on a template that passes them."""
    static = list(_static_template_checks(item))
    yield from static
    spec = load_all().get(item.solver)
    if static or spec is None:
        return
    for seed in range(seeds):
        try:
            problem = generate(item, seed, spec)
            for lang in ("en", "zh"):
                problem.prompt(lang)
                problem.hints(lang)
        except GenerationError as err:
            yield ("constraints",) if "constraints" in str(err) else ("solver",), str(err)
            return
        except (ValueError, KeyError, IndexError, TypeError) as err:
            yield ("prompt",), f"prompt does not render for seed {seed}: {err}"
            return


def _lint_expressions(item: NumericItem, answers: tuple[str, ...]) -> Iterator[tuple[tuple, str]]:
    known: set[str] = set()
    for section in ("vars", "params"):
        for name, value in getattr(item, section).items():
            expr = getattr(value, "expr", None)
            if expr is not None:
                yield from _check_expr((section, name), expr, known)
            for size in getattr(value, "shape", None) or []:
                if isinstance(size, str) and size not in known:
                    yield (section, name), f"shape uses {size!r}, which is not drawn before it"
            known.add(name)
    known |= set(answers)
    for i, source in enumerate(item.constraints):
        yield from _check_expr(("constraints", i), source, known)
    for i, source in enumerate(item.distractors):
        yield from _check_expr(("distractors", i), source, known)


def _check_expr(key: tuple, source: str, known: set[str]) -> Iterator[tuple[tuple, str]]:
    try:
        expr = parse_expr(source)
    except ExprError as err:
        yield key, str(err)
        return
    for name in sorted(expr.names - known):
        yield key, f"{source!r} uses {name!r}, which is not a var, param or answer known here"


def _texts(chapter: Any) -> Iterator[tuple[tuple, Text]]:
    """Every Text in a chapter with its data path."""
    yield ("title",), chapter.title
    for name, text in chapter.topics.items():
        yield ("topics", name), text
    for index, item in enumerate(chapter.items):
        for field_name in ("prompt", "explanation", "model_answer"):
            text = getattr(item, field_name, None)
            if text is not None:
                yield ("items", index, field_name), text
        for i, text in enumerate(getattr(item, "choices", [])):
            yield ("items", index, "choices", i), text
        for i, text in enumerate(item.hints):
            yield ("items", index, "hints", i), text
        for i, ask in enumerate(getattr(item, "asks", [])):
            if ask.label is not None:
                yield ("items", index, "ask", i, "label"), ask.label

