"""From a graded answer to the next review: the FSRS rating, and the card it moves.

What an answer tells the scheduler (`rating_for`):

    right, no hint          Good (Easy when also quick: QUICK_SECONDS per answer part)
    right with a hint       Hard
    wrong, or skipped       Again
    self-graded (short)     the student's own Again / Hard / Good / Easy
    undecided               no rating: the self-grade was skipped, the card stays

A card is fsrs's `Card.to_dict()`: plain JSON, which is what the store keeps. Every review
time is the answer's own `answered_at` (UTC), so replaying the answer log rebuilds the
same cards. fsrs is imported by the functions that use it: a quiz starts without it.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable

from drill.engine.answer_parse import AnswerParseError, normalize
from drill.engine.record import AnswerRecord

if TYPE_CHECKING:
    from fsrs import Scheduler

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4   # fsrs.Rating's values
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
# An answer this fast (seconds per answer part) is Easy: it was known, not worked out.
QUICK_SECONDS = {"truefalse": 6.0, "choice": 10.0, "numeric": 30.0}

SELF_RATING_WORDS = {
    AGAIN: ("1", "a", "again", "n", "no", "重来", "忘了", "不会", "错"),
    HARD: ("2", "h", "hard", "困难", "难", "勉强"),
    GOOD: ("3", "g", "good", "y", "yes", "良好", "好", "会", "对"),
    EASY: ("4", "e", "easy", "简单", "容易"),
}
_SELF_RATINGS = {word: rating for rating, words in SELF_RATING_WORDS.items() for word in words}


def read_self_rating(text: str) -> int:
    """How well a self-graded answer was known: 1-4, a/h/g/e, again/hard/good/easy, the
    Chinese words, or y/n (good/again); AnswerParseError otherwise."""
    word = " ".join(normalize(text).lower().split())
    if word in _SELF_RATINGS:
        return _SELF_RATINGS[word]
    raise AnswerParseError("type 1 again, 2 hard, 3 good or 4 easy (or a/h/g/e)",
                           "请输入 1 重来、2 困难、3 良好 或 4 简单（或 a/h/g/e）")


def rating_for(record: AnswerRecord) -> int | None:
    """The FSRS rating (1-4) this graded answer gives its item; None for undecided."""
    if record.result == "undecided":
        return None
    if record.result != "right":
        return AGAIN
    if record.self_rating is not None:
        return record.self_rating
    if record.hints_used:
        return HARD
    quick = QUICK_SECONDS.get(record.item_kind)
    if quick is not None and record.seconds <= quick * max(1, len(record.parts)):
        return EASY
    return GOOD


def make_scheduler(fuzz: bool = True) -> "Scheduler":
    """fsrs's scheduler with its default parameters (fuzz spreads due dates a little;
    tests turn it off)."""
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=fuzz)


def review_time(answered_at: str | datetime) -> datetime:
    """An answer's time as fsrs wants it: aware, in UTC."""
    moment = datetime.fromisoformat(answered_at) if isinstance(answered_at, str) else answered_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def review(card: dict[str, Any] | None, item_id: str, rating: int, at: datetime,
           scheduler: "Scheduler") -> dict[str, Any]:
    """The card after one review with `rating` at `at`; a new card for an item never
    reviewed (its id is the crc32 of the item id: stable, and fsrs needs no clock)."""
    from fsrs import Card, Rating

    current = Card.from_dict(card) if card is not None else \
        Card(card_id=zlib.crc32(item_id.encode()), due=review_time(at))
    updated, _log = scheduler.review_card(current, Rating(rating), review_time(at))
    return updated.to_dict()


def replay(history: Iterable[tuple[int | None, str | datetime]], item_id: str,
           scheduler: "Scheduler") -> dict[str, Any] | None:
    """The card a list of (rating, answered_at), oldest first, leads to; None when no
    answer rated the item."""
    card = None
    for rating, at in history:
        if rating is not None:
            card = review(card, item_id, rating, review_time(at), scheduler)
    return card


def card_due(card: dict[str, Any]) -> datetime:
    return review_time(card["due"])


def check_card(card: Any) -> dict[str, Any]:
    """An exported card, checked by fsrs itself (ValueError/KeyError/TypeError if it is not
    one); returned as fsrs writes it."""
    from fsrs import Card

    if not isinstance(card, dict):
        raise TypeError("a card must be an object")
    return Card.from_dict(card).to_dict()
