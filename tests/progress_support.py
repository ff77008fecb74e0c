"""Shared by the tests/test_progress_*.py files: answer records of the fixture bank, made
with the real engine at fixed times, and a drill subprocess."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from drill.bank.load import load_chapters
from drill.bank.model import Chapter
from drill.engine.question import build_question
from drill.engine.record import AnswerRecord
from drill.engine.session import answer_question

FIXTURE_BANKS = Path(__file__).parent / "fixtures" / "banks"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)   # a Monday, 09:00 UTC
CONV, POOL, FLIP, SHORT = "mini-conv-size", "mini-pool-params", "mini-flip", "mini-residual"


def mini() -> Chapter:
    banks, _ = load_chapters(None, FIXTURE_BANKS)
    return banks[0].chapter


def item(chapter: Chapter, item_id: str):
    return next(i for i in chapter.items if i.id == item_id)


def answer(item_id: str, result: str, at: datetime, seed: int = 1, seconds: float = 60.0,
           hints: int = 0, self_rating: int | None = None,
           chapter: Chapter | None = None) -> AnswerRecord:
    """A record of the fixture bank's `item_id`, graded by the engine: `result` is right,
    wrong (the conv item's height off by one; the other choice; the wrong t/f) or skipped."""
    chapter = chapter or mini()
    question = build_question(chapter, item(chapter, item_id), seed, "en")
    texts: list[str | None]
    if result == "skipped":
        texts = [None]
    elif question.item_kind == "numeric":
        height, params = (f.expected for f in question.fields)
        texts = [str(height if result == "right" else height + 1), str(params)]
    elif question.item_kind == "choice":
        (key,) = question.fields[0].expected
        other = next(o.letter for o in question.options if o.letter != key)
        texts = [key if result == "right" else other]
    elif question.item_kind == "truefalse":
        texts = ["f" if result == "right" else "t"]
    else:
        texts = ["my words"]
    grade = None if question.item_kind != "short" else result == "right"
    record = answer_question(question, texts, grade)
    if self_rating is not None:
        record = dataclasses.replace(record, self_rating=self_rating)
    assert record.result == result, (item_id, result, record.result)
    return dataclasses.replace(record, answered_at=at.isoformat(timespec="seconds"),
                               seconds=seconds, hints_used=hints)


def days_ago(n: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(timezone.utc)) - timedelta(days=n)


def drill_env(db: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DRILL_BANK_DIR": str(FIXTURE_BANKS), "DRILL_DB": str(db),
            "PYTHONUNBUFFERED": "1", **extra}


def drill_process(db: Path, *args: str, **kw) -> subprocess.Popen:
    kw.setdefault("env", drill_env(db))
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "drill", *args], stdin=subprocess.PIPE,
                            text=True, **kw)
