"""The quiz as a library: pick entries, then grade one `Attempt` per question.

No terminal here. A front-end (the terminal quiz, a review session, a test) builds the
question, shows it its own way, and feeds what the student typed to the attempt:

    attempt = Attempt(question)
    while not attempt.done:
        attempt.submit(text)          # AnswerParseError: ask again, nothing is graded
    record = attempt.record()         # the AnswerRecord the progress store keeps

`answer_question(question, texts)` does this in one call for scripts and tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from random import Random
from typing import Callable

from drill.bank.model import CONCEPT_KINDS, Chapter, Item
from drill.engine.kinds import KINDS
from drill.engine.question import AnswerField, Question
from drill.engine.record import AnswerRecord, PartVerdict, overall_result
from drill.engine.text import Block

KIND_FILTERS = {"concept": CONCEPT_KINDS, "numeric": ("numeric",),
                "all": CONCEPT_KINDS + ("numeric",), "symbolic": ("symbolic",)}


@dataclass
class QuizEntry:
    chapter: Chapter
    item: Item
    seed: int


def pick_entries(chapters: list[Chapter], count: int, seed: int,
                 kind: str = "all") -> list[QuizEntry]:
    """`count` items shuffled by `seed`; templates repeat (with new draws) if needed.

    Chapters are taken in slug order, so `-c rnn -c cnn` and `-c cnn -c rnn` with one
    seed give the same quiz.
    """
    rng = Random(seed)
    wanted = KIND_FILTERS[kind]
    pool = [(c, item) for c in sorted(chapters, key=lambda c: c.chapter)
            for item in c.items if item.kind in wanted]
    rng.shuffle(pool)
    chosen = pool[:count]
    templates = [pair for pair in pool if pair[1].kind == "numeric"]
    while len(chosen) < count and templates:
        chosen.append(rng.choice(templates))
    return [QuizEntry(chapter, item, rng.randrange(2**31)) for chapter, item in chosen]


class Attempt:
    """One student's go at one question: parts answered in order, hints, timing."""

    def __init__(self, question: Question, clock: Callable[[], float] = time.monotonic):
        self.question = question
        self._clock = clock
        self._started = clock()
        self._parts: list[PartVerdict] = []
        self.hints_used = 0
        self._self_grade: bool | None = None
        self._self_rating: int | None = None

    @property
    def field(self) -> AnswerField | None:
        """The field the next answer goes to (None when every part is answered)."""
        index = len(self._parts)
        return self.question.fields[index] if index < len(self.question.fields) else None

    @property
    def needs_self_grade(self) -> bool:
        """A self-graded part was written and awaits the student's own verdict."""
        return any(p.verdict == "undecided" and p.kind == "text" for p in self._parts) \
            and self._self_grade is None

    @property
    def done(self) -> bool:
        return self.field is None and not self.needs_self_grade

    def hint(self) -> list[Block] | None:
        """The next hint, or None when there is none left."""
        if self.hints_used >= len(self.question.hints):
            return None
        self.hints_used += 1
        return self.question.hints[self.hints_used - 1]

    def submit(self, text: str) -> PartVerdict:
        """Read and grade `text` as the current field's answer (AnswerParseError when it
        cannot be read: nothing is recorded and the student is asked again)."""
        field = self.field
        if field is None:
            raise RuntimeError("every part of this question is answered")
        kind = KINDS[field.kind]
        given = kind.read(text, field)
        verdict = kind.compare(given, field)
        part = PartVerdict(field.name, field.kind, text, given, field.expected,
                           "undecided" if verdict is None else ("right" if verdict else "wrong"))
        self._parts.append(part)
        return part

    def skip(self) -> None:
        """Skip every part not answered yet."""
        while (field := self.field) is not None:
            self._parts.append(PartVerdict(field.name, field.kind, None, None, field.expected,
                                           "skipped"))

    def self_grade(self, right: bool, rating: int | None = None) -> None:
        """The student's own verdict on a self-graded (short) answer; `rating` says how
        well, 1-4 (again, hard, good, easy), for the review schedule."""
        self._self_grade = right
        self._self_rating = rating

    @property
    def parts(self) -> tuple[PartVerdict, ...]:
        return tuple(self._parts)

    def record(self, now: datetime | None = None) -> AnswerRecord:
        parts = []
        for p in self._parts:
            if p.kind == "text" and p.verdict == "undecided" and self._self_grade is not None:
                p = PartVerdict(p.field, p.kind, p.typed, p.given, p.expected,
                                "right" if self._self_grade else "wrong")
            parts.append(p)
        q = self.question
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return AnswerRecord(
            item_id=q.item_id, item_kind=q.item_kind, chapter=q.chapter, topic=q.topic,
            seed=q.seed, values=q.values, parts=tuple(parts),
            result=overall_result([p.verdict for p in parts]), hints_used=self.hints_used,
            seconds=round(self._clock() - self._started, 3), answered_at=stamp, lang=q.lang,
            self_rating=self._self_rating,
        )


def answer_question(question: Question, texts: list[str | None],
                    self_grade: bool | None = None) -> AnswerRecord:
    """Grade a whole question from typed answers (None = skip the rest); AnswerParseError
    for an answer that cannot be read."""
    attempt = Attempt(question)
    for text in texts:
        if attempt.field is None:
            break
        if text is None:
            attempt.skip()
            break
        attempt.submit(text)
    if self_grade is not None:
        attempt.self_grade(self_grade)
    return attempt.record()

