"""Choosing what to ask (review plans, --focus weak) and the numbers of `drill stats`, as
pure functions over answers and cards with a fixed clock."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta, timezone
from random import Random

from drill.bank.model import Chapter, Text
from drill.engine.record import PartVerdict
from drill.progress.review import focus_entries, new_items_today, plan_review
from drill.progress.stats import (classify, common_mistake, compute_stats, streak, weakest)
from drill.progress.store import AnswerRow, CardRow
from progress_support import CONV, FLIP, POOL, SHORT, T0, answer, mini

UTC = timezone.utc


def row(item_id: str, result: str, at, source: str = "quiz", chapter: str = "mini") -> AnswerRow:
    return AnswerRow(item_id, chapter, "numeric", result, None, source, at)


def card(item_id: str, due, state: int = 2, stability: float = 3.0) -> CardRow:
    return CardRow(item_id, "mini", due, state, stability, {})


def big_chapter(n: int) -> Chapter:
    """The fixture chapter with its true/false item copied n times (ids tf-00, tf-01 ...)."""
    base = mini()
    flip = next(i for i in base.items if i.id == FLIP)
    items = tuple(dataclasses.replace(flip, id=f"tf-{k:02d}") for k in range(n))
    return Chapter("big", Text("Big"), (), base.topics, items)


# ------------------------------------------------------------------ review plans


def test_review_takes_due_items_most_overdue_first_and_leaves_the_others():
    chapter = big_chapter(6)
    cards = [card("tf-00", T0 - timedelta(hours=1)), card("tf-01", T0 - timedelta(days=3)),
             card("tf-02", T0 + timedelta(hours=2)), card("tf-03", T0 - timedelta(minutes=1)),
             card("tf-04", T0 + timedelta(days=1)), card("tf-05", T0 + timedelta(days=2))]
    plan = plan_review([chapter], cards, T0, Random(1), count=10, new_per_day=5)
    assert [e.item.id for e in plan.entries] == ["tf-01", "tf-00", "tf-03"]
    assert (plan.due, plan.new, plan.next_due) == (3, 0, T0 + timedelta(hours=2))
    short = plan_review([chapter], cards, T0, Random(1), count=2, new_per_day=5)
    assert [e.item.id for e in short.entries] == ["tf-01", "tf-00"] and short.due == 3


def test_new_items_fill_up_to_the_daily_limit_spread_among_the_due_ones():
    chapter = big_chapter(12)
    cards = [card(f"tf-{k:02d}", T0 - timedelta(hours=k)) for k in range(4)]
    plan = plan_review([chapter], cards, T0, Random(1), count=20, new_per_day=5, new_today=3)
    ids = [e.item.id for e in plan.entries]
    assert ids == ["tf-03", "tf-04", "tf-02", "tf-01", "tf-05", "tf-00"]
    assert (plan.new, plan.new_left) == (2, 0)
    none_left = plan_review([chapter], cards, T0, Random(1), count=20, new_per_day=5, new_today=7)
    assert none_left.new == 0 and len(none_left.entries) == 4


def test_every_review_entry_gets_a_fresh_seed():
    chapter = big_chapter(3)
    seeds = {e.seed for n in range(20)
             for e in plan_review([chapter], [], T0, Random(n), new_per_day=3).entries}
    assert len(seeds) > 50


def test_todays_new_items_are_those_review_brought_in_today_where_the_student_lives():
    answers = [row("a", "right", T0 - timedelta(days=1), "review"),   # yesterday
               row("a", "right", T0, "review"),                         # not new any more
               row("b", "wrong", T0 - timedelta(hours=2), "review"),
               row("c", "wrong", T0 - timedelta(hours=1), "quiz"),     # a quiz's, not review's
               row("d", "right", T0 - timedelta(hours=8), "review")]   # 01:00 UTC today
    assert new_items_today(answers, T0, UTC) == 2
    beijing = timezone(timedelta(hours=8))   # T0 is 17:00 there; d was at 09:00: today too
    assert new_items_today(answers, T0, beijing) == 2
    new_york = timezone(timedelta(hours=-5))  # T0 is 04:00 there; d was 20:00 yesterday
    assert new_items_today(answers, T0, new_york) == 1


# ------------------------------------------------------------------ weak items


def test_weakest_ranks_recent_misses_and_lets_old_ones_fade():
    rows = ([row("often", "wrong", T0 + timedelta(minutes=k)) for k in range(4)]
            + [row("once", "wrong", T0), row("once", "right", T0 + timedelta(hours=1))]
            + [row("fixed", "wrong", T0 + timedelta(minutes=k)) for k in range(3)]
            + [row("fixed", "right", T0 + timedelta(days=1, minutes=k)) for k in range(10)]
            + [row("fine", "right", T0)])
    assert [w.item_id for w in weakest(rows)] == ["often", "once"]
    assert weakest(rows)[0].misses == 4


def test_focus_weak_picks_the_most_missed_items_of_the_kind_asked():
    chapter = mini()
    rows = ([row(CONV, "wrong", T0 + timedelta(minutes=k)) for k in range(3)]
            + [row(FLIP, "wrong", T0), row(FLIP, "right", T0)]
            + [row(POOL, "right", T0), row(SHORT, "skipped", T0)])
    two = focus_entries([chapter], rows, 2, seed=1)
    assert {e.item.id for e in two} == {CONV, SHORT}
    three = focus_entries([chapter], rows, 3, seed=1)
    assert {e.item.id for e in three} == {CONV, SHORT, FLIP}
    numeric = focus_entries([chapter], rows, 4, seed=1, kind="numeric")
    assert [e.item.id for e in numeric] == [CONV] * 4 and len({e.seed for e in numeric}) == 4
    assert focus_entries([chapter], [row(POOL, "right", T0)], 5, seed=1) == []


# ------------------------------------------------------------------ mistakes and numbers


def test_mistakes_are_named_off_by_one_sign_factor_or_the_option_chosen():
    conv = answer(CONV, "wrong", T0)
    assert classify(conv) == ("off_by_one", "out_height", None)

    def with_given(given, expected):
        part = PartVerdict("loss", "number", str(given), given, expected, "wrong")
        return dataclasses.replace(conv, parts=(part,))

    assert classify(with_given(-0.25, 0.25)) == ("sign", "loss", None)
    assert classify(with_given(0.5, 0.25)) == ("factor", "loss", "2")
    assert classify(with_given(0.025, 0.25)) == ("factor", "loss", "1/10")
    assert classify(with_given(0.3, 0.25)) == ("value", "loss", None)
    pool = answer(POOL, "wrong", T0, seed=5)   # the bank's option (b) "4", wherever it was shown
    assert classify(pool) == ("choice", "", "b")
    assert classify(answer(FLIP, "wrong", T0)) == ("truefalse", "", "true")
    assert classify(answer(CONV, "skipped", T0)) == ("skipped", "", None)
    assert classify(answer(CONV, "right", T0)) is None
    mistake = common_mistake([answer(CONV, "wrong", T0, seed=s) for s in range(3)]
                             + [answer(CONV, "skipped", T0)])
    assert (mistake.kind, mistake.count, mistake.of) == ("off_by_one", 3, 4)


def test_the_streak_counts_days_in_a_row_ending_today_or_yesterday():
    today = date(2025, 3, 3)
    days = {today - timedelta(days=k) for k in (0, 1, 2, 4)}
    assert streak(days, today) == 3
    assert streak(days - {today}, today) == 2          # nothing yet today: still alive
    assert streak({today - timedelta(days=2)}, today) == 0


def test_stats_count_seen_due_mastered_and_windowed_accuracy():
    chapter = mini()
    rows = [row(CONV, "wrong", T0 - timedelta(days=20)), row(CONV, "right", T0 - timedelta(days=2)),
            row(FLIP, "skipped", T0 - timedelta(hours=1)), row(SHORT, "undecided", T0),
            row("gone-item", "right", T0 - timedelta(days=1), chapter="gone")]
    cards = [card(CONV, T0 - timedelta(minutes=1)), card(FLIP, T0 + timedelta(days=40), 2, 30.0),
             card(POOL, T0 + timedelta(days=1), 1, 25.0)]
    stats = compute_stats(rows, cards, {"mini": [i.id for i in chapter.items]}, T0, UTC)
    mini_stats = stats.chapters["mini"]
    assert (mini_stats.items, mini_stats.seen, mini_stats.due, mini_stats.mastered) == (4, 2, 1, 1)
    assert (stats.last_7.right, stats.last_7.answered) == (2, 3)
    assert (stats.last_30.right, stats.last_30.answered) == (2, 4)
    assert stats.total_answers == 4 and stats.chapters["gone"].items is None
    assert stats.streak == 3 and stats.daily[-1] == (date(2025, 3, 3), 1, 0)
