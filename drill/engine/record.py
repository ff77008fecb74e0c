"""The answer record: one graded answer as a value, ready to be stored.

What the progress store writes and what review sessions, statistics and worksheets
read. Plain data, JSON round-trip (`to_json` / `record_from_json`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

VERDICTS = ("right", "wrong", "skipped", "undecided")


@dataclass
class PartVerdict:
    """One answer field: what was typed, what it was read as, what was expected."""

    field: str
    kind: str
    typed: str | None          # as the student typed it; None when skipped
    given: Any                 # as read (JSON value); None when skipped
    expected: Any
    verdict: str               # right | wrong | skipped | undecided


@dataclass
class AnswerRecord:
    item_id: str
    item_kind: str
    chapter: str
    topic: str
    seed: int
    values: dict[str, Any]     # drawn values (templates) or the option order (choice)
    parts: tuple[PartVerdict, ...]
    result: str                # right | wrong | skipped | undecided
    hints_used: int
    seconds: float
    answered_at: str           # ISO 8601, UTC
    lang: str
    self_rating: int | None = None  # a self-graded answer: 1-4 again/hard/good/easy

    @property
    def answer_text(self) -> str:
        """Everything typed, part by part."""
        return " | ".join(p.typed for p in self.parts if p.typed is not None)

    def to_json(self) -> dict[str, Any]:
        return _plain(asdict(self))


def record_from_json(data: dict[str, Any]) -> AnswerRecord:
    parts = tuple(PartVerdict(**p) for p in data["parts"])
    return AnswerRecord(**{**data, "parts": parts})


def overall_result(verdicts: list[str]) -> str:
    """wrong if any part is wrong; skipped if any is skipped; undecided if any cannot be
    decided; right only when every part is right."""
    for verdict in ("wrong", "skipped", "undecided"):
        if verdict in verdicts:
            return verdict
    return "right" if verdicts else "skipped"


def _plain(value: Any) -> Any:
    """frozensets (choice letters) as sorted lists, tuples as lists: JSON values."""
    if isinstance(value, (frozenset, set)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
