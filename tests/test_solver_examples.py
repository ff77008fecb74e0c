"""Every example of every registered solver runs, and its answers and steps are whole.

Parametrized from the registry: a new solver is covered by declaring its examples, with
no list here to edit.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from solvers import load_all, run_solver

REGISTRY = load_all()
EXAMPLES = [(name, index) for name, spec in sorted(REGISTRY.items())
            for index in range(len(spec.examples))]
ELISIONS = (r"\ldots", "...", "…")  # a LaTeX form writes its numbers out, never a gap


def same_json(a: Any, b: Any) -> bool:
    """a == b with the same types all the way down (so 1 and 1.0 differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    return a == b


def finite(value: Any) -> bool:
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


def test_every_solver_has_examples_and_every_example_is_run_here():
    assert {name for name, _ in EXAMPLES} == set(REGISTRY)


@pytest.mark.parametrize("name, index", EXAMPLES, ids=[f"{n}-{i}" for n, i in EXAMPLES])
def test_example_solves_with_finite_answers_and_complete_steps(name, index):
    spec = REGISTRY[name]
    _, solution = run_solver(spec, spec.examples[index])
    required = [a.name for a in spec.answers if not a.optional]
    assert [n for n in solution.answers if n in required] == required
    assert set(solution.answers) <= set(spec.answer_names)
    for answer in spec.answers:
        if answer.name not in solution.answers:
            continue  # an optional answer these inputs do not give
        value = solution.answers[answer.name]
        assert finite(value), answer.name
        if answer.kind == "int":
            assert type(value) is int, answer.name  # counts are JSON integers
    assert solution.steps
    for step in solution.steps:
        assert step.en.strip() and step.zh.strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in step.zh), step.zh
        assert step.latex.strip(), step.en
        assert not any(gap in step.latex for gap in ELISIONS), step.latex


@pytest.mark.parametrize("name, index", EXAMPLES, ids=[f"{n}-{i}" for n, i in EXAMPLES])
def test_example_answers_and_steps_round_trip_through_json_exactly(name, index):
    spec = REGISTRY[name]
    inputs, solution = run_solver(spec, spec.examples[index])
    document = {"inputs": inputs, "answers": solution.answers,
                "steps": [step.to_json() for step in solution.steps]}
    assert same_json(json.loads(json.dumps(document, allow_nan=False)), document)


def test_every_param_and_answer_of_every_solver_has_a_chinese_description():
    # `drill solve NAME --help --lang zh` shows them; @solver refuses an empty one.
    missing = [f"{spec.name}.{item.name}" for spec in REGISTRY.values()
               for item in (*spec.params, *spec.answers)
               if not any("\u4e00" <= ch <= "\u9fff" for ch in item.doc_zh)]
    assert missing == []


def test_every_int_parameter_of_every_solver_declares_a_max():
    missing = [f"{spec.name}.{p.name}" for spec in REGISTRY.values() for p in spec.params
               if p.kind == "int" and p.max is None]
    assert missing == []
