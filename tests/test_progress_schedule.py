"""Ratings from graded answers, and FSRS due dates under a fixed clock (no fuzz)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from drill.engine.answer_parse import AnswerParseError
from drill.progress.recorder import Recorder
from drill.progress.schedule import (AGAIN, EASY, GOOD, HARD, card_due, rating_for,
                                     read_self_rating, replay, review)
from drill.progress.store import ProgressStore
from progress_support import CONV, FLIP, POOL, SHORT, T0, answer

SCHEDULER = Scheduler(enable_fuzzing=False)


# ------------------------------------------------------------------ ratings


@pytest.mark.parametrize("item_id, result, seconds, hints, rating", [
    (CONV, "right", 200.0, 0, GOOD),
    (CONV, "right", 20.0, 0, EASY),      # quick: known, not worked out
    (CONV, "right", 20.0, 1, HARD),      # a hint, however quick
    (CONV, "wrong", 5.0, 0, AGAIN),
    (CONV, "skipped", 5.0, 0, AGAIN),
    (POOL, "right", 4.0, 0, EASY),
    (POOL, "right", 30.0, 0, GOOD),
    (FLIP, "wrong", 2.0, 0, AGAIN),
])
def test_a_graded_answer_gives_the_rating_of_the_rules(item_id, result, seconds, hints, rating):
    record = answer(item_id, result, T0, seconds=seconds, hints=hints)
    assert rating_for(record) == rating


def test_a_self_graded_answer_gives_the_students_own_rating():
    assert rating_for(answer(SHORT, "right", T0, self_rating=HARD)) == HARD
    assert rating_for(answer(SHORT, "right", T0, self_rating=EASY, seconds=1)) == EASY
    assert rating_for(answer(SHORT, "wrong", T0, self_rating=AGAIN)) == AGAIN


@pytest.mark.parametrize("text, rating", [
    ("1", AGAIN), ("a", AGAIN), ("Again", AGAIN), ("n", AGAIN), ("重来", AGAIN),
    ("2", HARD), ("h", HARD), ("困难", HARD), ("３", GOOD), ("g", GOOD), ("y", GOOD),
    ("良好", GOOD), ("4", EASY), ("E", EASY), ("简单", EASY),
])
def test_self_ratings_are_read_in_digits_letters_words_and_chinese(text, rating):
    assert read_self_rating(text) == rating


def test_an_unreadable_self_rating_is_asked_again():
    with pytest.raises(AnswerParseError):
        read_self_rating("5")


# ------------------------------------------------------------------ due dates


def test_a_miss_comes_back_within_minutes_and_a_quick_right_answer_in_days():
    missed = card_due(review(None, CONV, AGAIN, T0, SCHEDULER))
    known = card_due(review(None, CONV, EASY, T0, SCHEDULER))
    assert missed == T0 + timedelta(minutes=1)       # fsrs's first learning step
    # FSRS-6's initial stability for Easy is w3 = 8.2956 days; at 90% retention the
    # interval equals the stability, rounded to whole days
    assert known == T0 + timedelta(days=8)


def test_right_answers_push_the_next_review_further_and_a_lapse_pulls_it_back():
    card, at, intervals = None, T0, []
    for _ in range(5):
        card = review(card, CONV, GOOD, at, SCHEDULER)
        due = card_due(card)
        intervals.append(due - at)
        at = due
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=20)
    lapsed = review(card, CONV, AGAIN, at, SCHEDULER)
    assert card_due(lapsed) - at == timedelta(minutes=10)   # the relearning step
    assert lapsed["stability"] < card["stability"]


def test_due_dates_are_the_ones_fsrs_itself_computes():
    ratings = [GOOD, GOOD, AGAIN, HARD, GOOD, EASY]
    ours, theirs, at = None, Card(card_id=1, due=T0), T0
    for rating in ratings:
        ours = review(ours, CONV, rating, at, SCHEDULER)
        theirs, _ = SCHEDULER.review_card(theirs, Rating(rating), at)
        assert card_due(ours) == theirs.due
        assert ours["stability"] == pytest.approx(theirs.stability)
        at = theirs.due + timedelta(hours=1)
    assert State(ours["state"]) == theirs.state


def test_replaying_the_answer_log_rebuilds_the_same_card():
    history = [(GOOD, T0), (None, T0 + timedelta(minutes=3)), (GOOD, T0 + timedelta(minutes=11)),
               (AGAIN, T0 + timedelta(days=3))]
    card = None
    for rating, at in history:
        if rating is not None:
            card = review(card, FLIP, rating, at, SCHEDULER)
    assert replay([(r, at.isoformat()) for r, at in history], FLIP, SCHEDULER) == card
    assert replay([(None, T0)], FLIP, SCHEDULER) is None


def test_the_recorder_moves_the_card_at_the_answers_own_time(tmp_path):
    store, _ = ProgressStore.open(tmp_path / "p.db")
    recorder = Recorder(lambda message: pytest.fail(message), store=store, scheduler=SCHEDULER)
    recorder(answer(POOL, "right", T0, seconds=3))                        # Easy
    recorder(answer(FLIP, "wrong", T0))                                   # Again
    recorder(answer(SHORT, "right", T0, self_rating=HARD))                # Hard
    due = {c.item_id: c.due for c in store.cards()}
    assert due == {POOL: T0 + timedelta(days=8), FLIP: T0 + timedelta(minutes=1),
                   SHORT: T0 + timedelta(minutes=5, seconds=30)}   # Hard: between the steps
    undecided = answer(SHORT, "skipped", T0 + timedelta(hours=1))
    recorder(undecided)
    assert store.counts() == (4, 3)
