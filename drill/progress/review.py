"""What a review session asks: the items that are due, then new ones up to a daily limit;
and what `drill quiz --focus weak` asks.

Pure: cards and answers come in as values (the caller reads them from the store), the
clock as `now`, the seeds from `rng`. Every entry gets a fresh seed, so a numeric
template reviewed again is a new draw of the same problem, never the numbers it had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from random import Random
from typing import TYPE_CHECKING

from drill.bank.model import Chapter, Item
from drill.engine.session import KIND_FILTERS, QuizEntry
from drill.progress.stats import local_day, weakest

if TYPE_CHECKING:
    from drill.progress.store import AnswerRow, CardRow

DEFAULT_NEW_PER_DAY = 10
DEFAULT_SESSION = 20


@dataclass
class ReviewPlan:
    entries: list[QuizEntry]
    due: int                    # items due now, in these chapters (also beyond this session)
    new: int                    # new items in this session
    new_per_day: int
    new_left: int               # new items review may still bring in today, after this one
    next_due: datetime | None   # the earliest card due later than now


def new_items_today(answers: list[AnswerRow], now: datetime, tz: tzinfo | None = None) -> int:
    """Items that review brought in today: answered for the first time today, in a review
    (`answers` oldest first). A quiz's items do not use up the daily limit."""
    first: dict[str, AnswerRow] = {}
    for row in answers:
        first.setdefault(row.item_id, row)
    today = local_day(now, tz)
    return sum(1 for row in first.values()
               if row.source == "review" and local_day(row.answered_at, tz) == today)


def plan_review(chapters: list[Chapter], cards: list[CardRow], now: datetime, rng: Random,
                count: int = DEFAULT_SESSION, new_per_day: int = DEFAULT_NEW_PER_DAY,
                new_today: int = 0) -> ReviewPlan:
    """Due items first claim the session (most overdue first); new items (bank order: a
    chapter's file goes from basics to harder things) fill what is left, up to today's
    remaining allowance, spread among the due ones. Cards of items no bank has are ignored."""
    due_at = {card.item_id: card.due for card in cards}
    items = [(c, item) for c in sorted(chapters, key=lambda c: c.chapter) for item in c.items]
    due = sorted(((due_at[item.id], c, item) for c, item in items
                  if item.id in due_at and due_at[item.id] <= now), key=lambda d: d[0])
    fresh = [(c, item) for c, item in items if item.id not in due_at]
    allowance = max(0, new_per_day - new_today)
    chosen_due = [(c, item) for _, c, item in due[:count]]
    chosen_new = fresh[:min(allowance, count - len(chosen_due))]
    later = [due_at[item.id] for _, item in items
             if item.id in due_at and due_at[item.id] > now]
    entries = [QuizEntry(c, item, rng.randrange(2**31))
               for c, item in _spread(chosen_due, chosen_new)]
    return ReviewPlan(entries, len(due), len(chosen_new), new_per_day,
                      allowance - len(chosen_new), min(later) if later else None)


def _spread(due: list, new: list) -> list:
    """The new items placed evenly among the due ones, keeping both orders."""
    total = len(due) + len(new)
    slots = {int((j + 0.5) * total / len(new)) for j in range(len(new))} if new else set()
    due_left, new_left = iter(due), iter(new)
    return [next(new_left) if index in slots else next(due_left) for index in range(total)]


def focus_entries(chapters: list[Chapter], answers: list[AnswerRow], count: int, seed: int,
                  kind: str = "all") -> list[QuizEntry]:
    """A quiz from the `count` items missed most (`stats.weakest` over `answers`), in a
    seeded order; templates among them repeat with new draws to fill `count`, as in
    `pick_entries`. Empty when nothing of these chapters and kind was missed."""
    wanted = KIND_FILTERS[kind]
    by_id: dict[str, tuple[Chapter, Item]] = {
        item.id: (c, item) for c in chapters for item in c.items if item.kind in wanted}
    chosen = [by_id[w.item_id] for w in weakest(answers) if w.item_id in by_id][:count]
    rng = Random(seed)
    rng.shuffle(chosen)
    templates = [pair for pair in chosen if pair[1].kind == "numeric"]
    while len(chosen) < count and templates:
        chosen.append(rng.choice(templates))
    return [QuizEntry(c, item, rng.randrange(2**31)) for c, item in chosen]
