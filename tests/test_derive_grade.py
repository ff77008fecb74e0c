"""The `symbolic` answer kind through the engine: the comparer registers itself, grades
by equivalence, asks again for unreadable text, and never says "correct" when undecided."""

from __future__ import annotations

import pytest

from drill.bank.load import load_chapters
from drill.engine.answer_parse import AnswerParseError
from drill.engine.kinds import SYMBOLIC_HOOK
from drill.engine.question import build_question
from drill.engine.session import answer_question


@pytest.fixture(scope="module")
def sigmoid():
    (bank,), _ = load_chapters(["mlp"])
    item = next(i for i in bank.chapter.items if i.id == "mlp-derive-sigmoid")
    return bank.chapter, item


def test_building_a_symbolic_question_registers_the_comparer(sigmoid):
    question = build_question(*sigmoid, 0, "en")
    assert "equivalent" in SYMBOLIC_HOOK
    assert question.fields[0].kind == "symbolic" and question.fields[0].expected == "s*(1-s)"


def test_an_equivalent_answer_is_right_and_a_mistake_wrong(sigmoid):
    question = build_question(*sigmoid, 0, "en")
    assert answer_question(question, ["s(1 - s)"]).result == "right"
    assert answer_question(question, ["σ(x)(1-σ(x))"]).result == "right"
    assert answer_question(question, ["s(1 + s)"]).result == "wrong"


def test_unreadable_or_undeclared_answers_are_asked_again(sigmoid):
    question = build_question(*sigmoid, 0, "zh")
    with pytest.raises(AnswerParseError) as err:
        answer_question(question, ["s*(1-"])
    assert "列" in err.value.text("zh")
    with pytest.raises(AnswerParseError):
        answer_question(question, ["y*(1-y)"])  # y is not a name of this item


def test_feedback_reads_not_equivalent_at_a_point_with_both_values(sigmoid):
    from drill.derive.grade import judge_answer
    from drill.derive.messages import answer_text

    verdict = judge_answer("s*(1+s)", sigmoid[1])
    text = answer_text(verdict, "en")
    assert text.startswith("not equivalent (at x = ") and " yours is " in text and ", expected " in text
    assert answer_text(verdict, "zh").startswith("不等价（在 x = ")


def test_undecided_is_never_graded_right():
    from types import SimpleNamespace

    from drill.derive.build import Context
    from drill.derive.equivalence import decide
    from drill.derive.grade import equivalent
    from drill.derive.parser import parse

    # log(x^2) and 2 log(x) agree wherever both are real, but not for x < 0: no proof
    verdict = decide(parse("log(x^2)"), parse("2*log(x)"), Context())
    assert verdict.status == "undecided"
    item = SimpleNamespace(id="t", reference="2*log(x)", symbols={}, ranges={})
    assert equivalent("log(x^2)", SimpleNamespace(symbolic=item)) is None
