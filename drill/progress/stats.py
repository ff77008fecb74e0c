"""The numbers `drill stats` shows, computed from answers and cards given as values.

- per chapter: items in the bank, items seen, due now, mastered (a review card whose
  stability is at least MASTERED_DAYS, the age Anki calls "mature");
- accuracy over the last 7 and 30 days (right / answered; a skip counts as not right);
- the weakest items, by their recent misses (`weakest`), with their most common mistake;
- the streak: consecutive days with an answer, ending today (or yesterday, when today
  has none yet: the streak is still alive);
- answers per day for the last DAYS days.

Days are the student's calendar days (`tz`; None: this machine's time zone).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Iterable

from drill.bank.model import LETTERS
from drill.engine.record import AnswerRecord, PartVerdict

if TYPE_CHECKING:
    from drill.progress.store import AnswerRow, CardRow

MASTERED_DAYS = 21.0
RECENT = 10          # weakness looks at an item's last 10 answers: old misses fade out
WEAKEST = 5
DAYS = 14
REVIEW_STATE = 2     # fsrs State.Review
MISSED = ("wrong", "skipped")
# given / expected ratios that name a classic slip (a lost factor 2, a unit off by 10^k)
FACTORS = (("2", 2.0), ("1/2", 0.5), ("10", 10.0), ("1/10", 0.1), ("100", 100.0),
           ("1/100", 0.01), ("1000", 1000.0), ("1/1000", 0.001))


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of `moment` where the student is (`tz`; None: this machine's)."""
    return moment.astimezone(tz).date()


@dataclass(frozen=True)
class Accuracy:
    right: int = 0
    answered: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class Weakness:
    item_id: str
    chapter: str
    answers: int      # among the item's last RECENT answers
    misses: int

    @property
    def score(self) -> float:
        """The miss rate, pulled towards ½ while there are few answers (Laplace)."""
        return (self.misses + 1) / (self.answers + 2)


@dataclass(frozen=True)
class Mistake:
    """The most common way an item was missed: `kind` names the slip, `field` the answer
    field it was in ("" for a whole-item mistake), `detail` the specifics (a factor such
    as "1/2", choice letters in file order, "true"/"false")."""

    kind: str     # skipped off_by_one sign factor value choice truefalse self
    field: str
    detail: str | None
    count: int
    of: int       # misses looked at


@dataclass
class ChapterStats:
    chapter: str
    items: int | None       # None: no bank has this chapter any more
    seen: int = 0
    due: int = 0
    mastered: int = 0
    answers: int = 0
    right: int = 0
    last_7: Accuracy = Accuracy()
    last_30: Accuracy = Accuracy()


@dataclass
class Stats:
    total_answers: int
    right: int
    last_7: Accuracy
    last_30: Accuracy
    streak: int
    due: int
    chapters: dict[str, ChapterStats]
    weakest: list[tuple[Weakness, Mistake | None]] = field(default_factory=list)
    daily: list[tuple[date, int, int]] = field(default_factory=list)   # day, answers, right


def weakest(rows: Iterable[AnswerRow], limit: int | None = None,
            recent: int = RECENT) -> list[Weakness]:
    """Items missed among their last `recent` answers, weakest first (`rows` oldest first)."""
    by_item: dict[str, list[AnswerRow]] = defaultdict(list)
    for row in rows:
        if row.result != "undecided":
            by_item[row.item_id].append(row)
    found = []
    for item_id, history in by_item.items():
        last = history[-recent:]
        misses = sum(row.result in MISSED for row in last)
        if misses:
            found.append(Weakness(item_id, last[-1].chapter, len(last), misses))
    found.sort(key=lambda w: (-w.score, -w.misses, w.item_id))
    return found[:limit]


def classify(record: AnswerRecord) -> tuple[str, str, str | None] | None:
    """How this answer was missed: (kind, field, detail), from its first part not right;
    None for an answer that was right."""
    part = next((p for p in record.parts if p.verdict != "right"), None)
    if part is None or record.result not in MISSED:
        return None
    if part.verdict == "skipped" or part.given is None:
        return ("skipped", "", None)
    if part.kind == "text":
        return ("self", "", None)
    if part.kind == "truefalse":
        return ("truefalse", "", "true" if part.given else "false")
    if part.kind == "choice":
        order = record.values.get("order") if isinstance(record.values, dict) else None
        if isinstance(order, str):
            return ("choice", "", _file_letters(part, order))
        return ("value", part.field, None)   # a numeric template asked as a choice
    return _numeric_slip(part)


def _file_letters(part: PartVerdict, order: str) -> str | None:
    """The letters the student chose, as written in the bank (options are shuffled)."""
    try:
        return "".join(sorted(order[LETTERS.index(letter)] for letter in part.given))
    except (ValueError, IndexError, TypeError):
        return None


def _numeric_slip(part: PartVerdict) -> tuple[str, str, str | None]:
    given, expected = part.given, part.expected
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (given, expected)):
        return ("value", part.field, None)
    if expected != 0 and math.isclose(given, -expected, rel_tol=1e-3):
        return ("sign", part.field, None)
    if float(given).is_integer() and float(expected).is_integer() and abs(given - expected) == 1:
        return ("off_by_one", part.field, None)
    if expected != 0 and given != 0:
        for name, factor in FACTORS:
            if math.isclose(given / expected, factor, rel_tol=0.01):
                return ("factor", part.field, name)
    return ("value", part.field, None)


def common_mistake(records: list[AnswerRecord], recent: int = RECENT) -> Mistake | None:
    """The most common slip among the misses of an item's last `recent` answers."""
    decided = [r for r in records if r.result != "undecided"][-recent:]
    slips = [s for s in map(classify, decided) if s is not None]
    if not slips:
        return None
    (kind, name, detail), count = Counter(slips).most_common(1)[0]
    return Mistake(kind, name, detail, count, len(slips))


def streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    length = 0
    while day in days:
        length += 1
        day -= timedelta(days=1)
    return length


def compute_stats(rows: list[AnswerRow], cards: list[CardRow],
                  bank_items: dict[str, list[str]], now: datetime, tz: tzinfo | None = None,
                  records: dict[str, list[AnswerRecord]] | None = None,
                  weak_limit: int = WEAKEST, days: int = DAYS) -> Stats:
    """Everything `drill stats` shows. `bank_items`: chapter slug -> its item ids (the
    chapters asked about); `records`: full records of the weakest items, for mistakes."""
    today = local_day(now, tz)
    since_7, since_30 = now - timedelta(days=7), now - timedelta(days=30)
    known = {i for ids in bank_items.values() for i in ids}
    chapters = {slug: ChapterStats(slug, len(ids)) for slug, ids in sorted(bank_items.items())}
    seen: dict[str, set[str]] = defaultdict(set)
    window: dict[str, Counter] = defaultdict(Counter)
    active: set[date] = set()
    per_day: dict[date, Counter] = defaultdict(Counter)
    total = Counter()
    for row in rows:
        if row.result == "undecided":
            continue
        ch = chapters.setdefault(row.chapter, ChapterStats(row.chapter, None))
        right = row.result == "right"
        ch.answers += 1
        ch.right += right
        total["all"] += 1
        total["right"] += right
        if row.item_id in known or ch.items is None:
            seen[row.chapter].add(row.item_id)
        for label, since in (("7", since_7), ("30", since_30)):
            if row.answered_at >= since:
                window[row.chapter][label] += 1
                window[row.chapter][label + "r"] += right
                total[label] += 1
                total[label + "r"] += right
        day = local_day(row.answered_at, tz)
        active.add(day)
        per_day[day]["all"] += 1
        per_day[day]["right"] += right
    due_total = 0
    for card in cards:
        ch = chapters.get(card.chapter)
        if ch is None or (ch.items is not None and card.item_id not in known):
            continue
        if card.due <= now:
            ch.due += 1
            due_total += 1
        if card.state == REVIEW_STATE and (card.stability or 0) >= MASTERED_DAYS:
            ch.mastered += 1
    for slug, ch in chapters.items():
        ch.seen = len(seen[slug])
        counts = window[slug]
        ch.last_7 = Accuracy(counts["7r"], counts["7"])
        ch.last_30 = Accuracy(counts["30r"], counts["30"])
    weak = weakest(rows, weak_limit)
    records = records or {}
    return Stats(
        total_answers=total["all"], right=total["right"],
        last_7=Accuracy(total["7r"], total["7"]), last_30=Accuracy(total["30r"], total["30"]),
        streak=streak(active, today), due=due_total, chapters=chapters,
        weakest=[(w, common_mistake(records.get(w.item_id, []))) for w in weak],
        daily=[(d, per_day[d]["all"], per_day[d]["right"])
               for d in (today - timedelta(days=n) for n in range(days - 1, -1, -1))],
    )


def stats_json(stats: Stats) -> dict[str, Any]:
    """`drill stats --json`: one object; rates are fractions (None with no answers)."""

    def accuracy(a: Accuracy) -> dict[str, Any]:
        return {"right": a.right, "answered": a.answered,
                "rate": None if a.rate is None else round(a.rate, 4)}

    return {
        "total_answers": stats.total_answers,
        "right": stats.right,
        "accuracy_7d": accuracy(stats.last_7),
        "accuracy_30d": accuracy(stats.last_30),
        "streak_days": stats.streak,
        "due": stats.due,
        "chapters": {
            slug: {"items": ch.items, "seen": ch.seen, "due": ch.due, "mastered": ch.mastered,
                   "answers": ch.answers, "right": ch.right,
                   "accuracy_7d": accuracy(ch.last_7), "accuracy_30d": accuracy(ch.last_30)}
            for slug, ch in stats.chapters.items()},
        "weakest": [
            {"item_id": w.item_id, "chapter": w.chapter, "recent_answers": w.answers,
             "recent_misses": w.misses,
             "mistake": None if m is None else {"kind": m.kind, "field": m.field,
                                                "detail": m.detail, "count": m.count}}
            for w, m in stats.weakest],
        "daily": [{"date": d.isoformat(), "answers": n, "right": r} for d, n, r in stats.daily],
    }
