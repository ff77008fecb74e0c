"""The quiz's `on_record`: keeps each graded answer and moves its review card, at once.

    recorder = Recorder(print_warning, lang="en", db=None)   # --db, $DRILL_DB, or the default
    TerminalQuiz(..., on_record=recorder)

The store is opened on the first answer (a quiz starts without sqlite3 or fsrs). When it
cannot be used — a newer schema, an unwritable place, a failed write — the recorder says
so once, in one line, and the quiz goes on without saving.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from drill.engine.record import AnswerRecord
from drill.i18n import t
from drill.progress.schedule import make_scheduler, rating_for, review, review_time

if TYPE_CHECKING:
    from fsrs import Scheduler

    from drill.progress.store import ProgressStore


class Recorder:
    def __init__(self, warn: Callable[[str], None], lang: str = "en", db: Path | None = None,
                 source: str = "quiz", scheduler: "Scheduler | None" = None,
                 store: "ProgressStore | None" = None):
        self.warn, self.lang, self.db, self.source = warn, lang, db, source
        self._scheduler = scheduler
        self._store = store
        self._off = False
        self.saved = 0
        self._card_warned = False

    @property
    def scheduler(self) -> "Scheduler":
        if self._scheduler is None:
            self._scheduler = make_scheduler()
        return self._scheduler

    def store(self) -> "ProgressStore | None":
        """The open store, opened now if need be; None when answers are not being saved."""
        if self._store is None and not self._off:
            from drill.progress.location import store_path
            from drill.progress.store import ProgressStore, StoreUnavailable

            path = store_path(self.db)
            if path is None:   # --db off / DRILL_DB=off: asked for, nothing to say
                self._off = True
                return None
            try:
                self._store, notices = ProgressStore.open(path)
            except StoreUnavailable as err:
                self._give_up(err.notice.text(self.lang))
                return None
            for notice in notices:
                self.warn(notice.text(self.lang))
        return self._store

    def __call__(self, record: AnswerRecord) -> None:
        store = self.store()
        if store is None:
            return
        from drill.progress.store import StoreUnavailable

        rating = rating_for(record)
        update = None if rating is None else (lambda card: self._move(card, record, rating))
        try:
            store.record(record, rating, update, self.source)
        except StoreUnavailable as err:
            self._give_up(err.notice.text(self.lang))
            return
        self.saved += 1

    def _move(self, card: dict | None, record: AnswerRecord, rating: int) -> dict | None:
        """The item's next card; a scheduling failure keeps the answer (the card can be
        rebuilt from the log) and says so once."""
        try:
            return review(card, record.item_id, rating, review_time(record.answered_at),
                          self.scheduler)
        except Exception as err:  # noqa: BLE001 - the answer matters more than the card
            if not self._card_warned:
                self._card_warned = True
                self.warn(t("card_not_moved", self.lang, error=err))
            return None

    def _give_up(self, why: str) -> None:
        self._off = True
        if self._store is not None:
            self._store.close()
            self._store = None
        self.warn(t("not_saving", self.lang, why=why))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
