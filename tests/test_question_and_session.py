"""Questions as structured values, shuffled options, and the quiz as a library."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from drill.bank.model import Chapter, Text
from drill.bank.schema import validate_item
from drill.engine.answer_parse import AnswerParseError
from drill.engine.question import build_question, option_order
from drill.engine.record import record_from_json
from drill.engine.session import Attempt, answer_question, pick_entries
from drill.engine.text import plain_text


def chapter(*items) -> Chapter:
    return Chapter("t", Text("T", "T"), (), {"t": Text("Topic", "主题")}, tuple(items))


CHOICE = validate_item({
    "id": "c-lstm", "kind": "choice", "topic": "t",
    "prompt": {"en": "Pick", "zh": "选"},
    "choices": [{"en": "right"}, {"en": "wrong 1"}, {"en": "wrong 2"}, {"en": "wrong 3"}],
    "answer": "a",
    "explanation": {"en": "({b}) forgets the tanh; ({a}) is right."},
})
TEMPLATE = validate_item({
    "id": "t-conv", "kind": "numeric", "topic": "t", "solver": "conv2d_shape",
    "vars": {"n": {"int": [5, 30]}},
    "params": {"height": {"expr": "n"}, "width": {"expr": "n"}, "in_channels": 1,
               "out_channels": {"choices": [4, 8]}, "kernel_size": 3},
    "ask": [{"answer": "out_height", "label": {"en": "height"}}, "params"],
    "prompt": {"en": "n={n}"},
})


def test_options_are_shuffled_per_seed_deterministically_and_the_key_follows():
    orders = {tuple(option_order(CHOICE, seed)) for seed in range(50)}
    assert len(orders) > 10
    for seed in range(50):
        q = build_question(chapter(CHOICE), CHOICE, seed, "en")
        assert q == build_question(chapter(CHOICE), CHOICE, seed, "en")
        (key,) = q.fields[0].expected
        shown = next(o for o in q.options if o.letter == key)
        assert plain_text(shown.blocks) == "right"


def test_explanations_name_the_letter_each_option_got_in_this_draw():
    for seed in range(20):
        q = build_question(chapter(CHOICE), CHOICE, seed, "en")
        letter_of = {plain_text(o.blocks): o.letter for o in q.options}
        assert plain_text(q.explanation) == \
            f"({letter_of['wrong 1']}) forgets the tanh; ({letter_of['right']}) is right."


def test_shuffle_false_pins_the_file_order():
    pinned = validate_item({**_raw_choice(), "shuffle": False})
    for seed in range(20):
        assert option_order(pinned, seed) == [0, 1, 2, 3]


def _raw_choice() -> dict:
    return {"id": "c-pinned", "kind": "choice", "topic": "t", "prompt": {"en": "Pick"},
            "choices": [{"en": "1"}, {"en": "2"}, {"en": "3"}, {"en": "all of the above"}],
            "answer": "d"}


def test_a_numeric_question_has_typed_fields_with_kinds_and_steps():
    q = build_question(chapter(TEMPLATE), TEMPLATE, 3, "en")
    n = q.values["n"]
    assert [f.kind for f in q.fields] == ["count", "count"]
    assert [f.expected for f in q.fields] == [n - 2, 4 * 10 if q.values["out_channels"] == 4 else 80]
    assert q.steps and all(step.latex for step in q.steps)
    assert plain_text(q.body) == f"n={n}"


def test_attempt_grades_each_part_and_records_everything():
    q = build_question(chapter(TEMPLATE), TEMPLATE, 3, "en")
    ticks = iter([100.0, 107.5])
    attempt = Attempt(q, clock=lambda: next(ticks))
    assert attempt.hint() is None  # this template has no hints
    with pytest.raises(AnswerParseError):
        attempt.submit("[1, 2")
    part = attempt.submit(f"{q.fields[0].expected}.0")
    assert part.verdict == "right" and part.typed.endswith(".0")
    attempt.submit("1")
    assert attempt.done
    record = attempt.record(now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert record.result == "wrong" and [p.verdict for p in record.parts] == ["right", "wrong"]
    assert record.seed == 3 and record.values["n"] == q.values["n"]
    assert record.seconds == 7.5 and record.answered_at == "2026-11-28T00:00:00+00:00"
    assert record_from_json(json.loads(json.dumps(record.to_json()))) == record


def test_hints_used_are_counted_and_run_out():
    item = validate_item({**_raw_choice(), "id": "c-h", "hints": [{"en": "one"}, {"en": "two"}]})
    attempt = Attempt(build_question(chapter(item), item, 0, "en"))
    assert [plain_text(attempt.hint()), plain_text(attempt.hint()), attempt.hint()] == \
        ["one", "two", None]
    attempt.skip()
    assert attempt.record().hints_used == 2 and attempt.record().result == "skipped"


def test_answer_question_grades_a_whole_question_without_a_terminal():
    q = build_question(chapter(CHOICE), CHOICE, 7, "zh")
    (key,) = q.fields[0].expected
    assert answer_question(q, [key]).result == "right"
    wrong = next(o.letter for o in q.options if o.letter != key)
    assert answer_question(q, [wrong]).result == "wrong"


def test_a_short_answer_is_self_graded():
    item = validate_item({"id": "s", "kind": "short", "topic": "t", "prompt": {"en": "Why?"},
                          "model_answer": {"en": "Because."}})
    q = build_question(chapter(item), item, 0, "en")
    attempt = Attempt(q)
    attempt.submit("my reasons")
    assert attempt.needs_self_grade and not attempt.done
    attempt.self_grade(True)
    record = attempt.record()
    assert attempt.done and record.result == "right" and record.parts[0].typed == "my reasons"


def test_pick_entries_ignores_the_order_chapters_are_given_in():
    a = Chapter("a", Text("A"), (), {"t": Text("T")}, (CHOICE,))
    b = Chapter("b", Text("B"), (), {"t": Text("T")}, (TEMPLATE,))
    first = [(e.item.id, e.seed) for e in pick_entries([a, b], 6, 5)]
    second = [(e.item.id, e.seed) for e in pick_entries([b, a], 6, 5)]
    assert first == second and len(first) == 6


def test_answer_labels_fill_their_placeholders():
    item = validate_item({**_template_data(), "ask": [
        {"answer": "out_height", "label": {"en": "height of the {n}x{n} input's output"}}]})
    q = build_question(chapter(item), item, 3, "en")
    assert q.fields[0].label == f"height of the {q.values['n']}x{q.values['n']} input's output"


def test_a_label_placeholder_that_names_nothing_is_a_bank_error():
    from drill.bank.checks import check_chapter

    item = validate_item({**_template_data(), "ask": [
        {"answer": "out_height", "label": {"en": "height ({m} numbers)"}}]})
    problems = check_chapter(chapter(item), seeds=1)
    assert [(p.key, "placeholder {m}" in p.message) for p in problems if p.severity == "error"] \
        == [(("ask", 0, "label", "en"), True)]


def _template_data() -> dict:
    return {
        "id": "t-conv2", "kind": "numeric", "topic": "t", "solver": "conv2d_shape",
        "vars": {"n": {"int": [5, 30]}},
        "params": {"height": {"expr": "n"}, "width": {"expr": "n"}, "in_channels": 1,
                   "out_channels": 4, "kernel_size": 3},
        "ask": ["out_height"], "prompt": {"en": "n={n}", "zh": "n={n}"},
    }
