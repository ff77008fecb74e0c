"""Pathological input ends within 2 seconds, with a message, in the parser, in grading
and in `drill check`: a tower of powers, a 100,000-character line, deep nesting, and a
simplification that runs away (stopped by the time budget: "could not decide")."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from drill.cli import app
from drill.derive.parser import ParseError, parse

PATHOLOGICAL = {
    "power tower": "9^9^9^9",
    "100,000 characters": "x+" * 50_000,
    "deep nesting": "(" * 500 + "x" + ")" * 500,
    "deep unary": "-" * 1000 + "x",
    "huge literal": "1e999999 * x",
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_parser_refuses_pathological_input_quickly_with_a_message(name):
    start = time.monotonic()
    with pytest.raises(ParseError) as err:
        parse(PATHOLOGICAL[name])
    assert time.monotonic() - start < 2
    assert str(err.value)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_drill_check_exits_2_quickly_on_pathological_lines(name, tmp_path):
    path = tmp_path / "d.txt"
    path.write_text(f"x\n= {PATHOLOGICAL[name]}\n")
    start = time.monotonic()
    result = CliRunner().invoke(app, ["check", str(path)])
    assert time.monotonic() - start < 2
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and ("line 2" in result.output or "100,000" in result.output)


def test_a_runaway_simplification_is_stopped_by_the_budget_and_undecided():
    from drill.derive.build import Context
    from drill.derive.equivalence import judge

    start = time.monotonic()
    verdict = judge(parse("exp(exp(exp(exp(exp(exp(x))))))"), parse("x"), Context(), budget=1.0)
    assert time.monotonic() - start < 2
    assert verdict.status == "undecided" and verdict.reason in ("timeout", "too_big")


def test_the_budget_kills_a_computation_that_overruns():
    from drill.derive.budget import run_with_budget

    start = time.monotonic()
    assert run_with_budget(lambda: time.sleep(10), 0.3) == ("timeout", None)
    assert time.monotonic() - start < 1
    assert run_with_budget(lambda: 6 * 7, 5) == ("ok", 42)


def test_pathological_answer_to_a_symbolic_item_is_asked_again_quickly():
    from drill.bank.load import load_chapters
    from drill.engine.answer_parse import AnswerParseError
    from drill.engine.question import build_question
    from drill.engine.session import Attempt

    (bank,), _ = load_chapters(["mlp"])
    item = next(i for i in bank.chapter.items if i.id == "mlp-derive-sigmoid")
    attempt = Attempt(build_question(bank.chapter, item, 0, "en"))
    for text in PATHOLOGICAL.values():
        start = time.monotonic()
        with pytest.raises(AnswerParseError):
            attempt.submit(text.replace("x", "s"))
        assert time.monotonic() - start < 2
    assert attempt.field is not None  # nothing was graded
