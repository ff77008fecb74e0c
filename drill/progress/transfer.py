"""Moving progress between machines: the export document, and reading one back.

    {"format": "drill-progress", "version": 1, "exported_at": "...",
     "answers": [{"uid": "...", "rating": 3, "source": "quiz", "record": {AnswerRecord}}],
     "cards":   [{"item_id": "...", "chapter": "...", "card": {fsrs Card.to_dict()}}]}

Answers carry a uid, so importing the same file twice adds nothing the second time. The
store decides what happens to cards (see `ProgressStore.import_rows`). Reading and writing
the file is the caller's; everything here is plain values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from drill.engine.record import record_from_json
from drill.progress.schedule import check_card
from drill.progress.store import CardRow, Notice, utc_text

FORMAT = "drill-progress"
VERSION = 1
SOURCES = ("quiz", "review", "import")


class TransferError(Exception):
    """A file that is not a usable export; `notice` says why, in en and zh."""

    def __init__(self, key: str, **values: Any):
        super().__init__(f"{key}: {values}")
        self.notice = Notice(key, values)


def export_document(answers: Iterable[dict[str, Any]], cards: list[CardRow],
                    now: datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_text(now),
        "answers": list(answers),
        "cards": [{"item_id": c.item_id, "chapter": c.chapter, "card": c.card}
                  for c in sorted(cards, key=lambda c: c.item_id)],
    }


def read_document(data: Any, name: str) -> tuple[list[dict[str, Any]], dict[str, dict]]:
    """The answers (`{uid, rating, source, record: AnswerRecord}`) and cards (item id ->
    card) of an export; TransferError naming the first entry that is not right."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError("import_not_drill", path=name)
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise TransferError("import_newer", path=name, found=version, known=VERSION)
    answers = [_answer(entry, n, name) for n, entry in enumerate(_list(data, "answers", name), 1)]
    cards = dict(_card(entry, n, name) for n, entry in enumerate(_list(data, "cards", name), 1))
    return answers, cards


def _list(data: dict, key: str, name: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TransferError("import_bad", path=name, section=key, n=0, error="not a list")
    return value


def _answer(entry: Any, n: int, name: str) -> dict[str, Any]:
    try:
        uid, rating = entry["uid"], entry.get("rating")
        if not isinstance(uid, str) or not 0 < len(uid) <= 64:
            raise ValueError("uid must be a short string")
        if rating is not None and (type(rating) is not int or not 1 <= rating <= 4):
            raise ValueError("rating must be 1-4 or null")
        record = record_from_json(entry["record"])
        utc_text(record.answered_at)
        if not all(isinstance(v, str) for v in (record.item_id, record.chapter, record.result)):
            raise ValueError("item_id, chapter and result must be strings")
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise TransferError("import_bad", path=name, section="answers", n=n,
                            error=_why(err)) from None
    source = entry.get("source")
    return {"uid": uid, "rating": rating, "record": record,
            "source": source if source in SOURCES else "import"}


def _card(entry: Any, n: int, name: str) -> tuple[str, dict]:
    try:
        item_id = entry["item_id"]
        if not isinstance(item_id, str):
            raise ValueError("item_id must be a string")
        return item_id, check_card(entry["card"])
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise TransferError("import_bad", path=name, section="cards", n=n,
                            error=_why(err)) from None


def _why(err: Exception) -> str:
    return f"missing {err}" if isinstance(err, KeyError) else str(err)
