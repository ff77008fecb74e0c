"""The progress store: every graded answer and every item's review card, in one SQLite file.

Durability, because an answer shown as graded must never be lost:
- WAL journal with `synchronous=FULL`: a committed answer survives a crash or power loss;
- one `BEGIN IMMEDIATE ... COMMIT` per answer (the answer row and its card together), so
  two quizzes in two terminals never lose each other's rows;
- a busy timeout of several seconds, then a quiet retry: a writer waits, it never shows
  "database is locked".

The schema version is `PRAGMA user_version`, raised by the numbered MIGRATIONS. A file
that is not a database, or is damaged, is moved aside (`<name>.corrupt-<time>`) and a
fresh store is started; a store written by a newer drill, or a place that cannot be
written, raises `StoreUnavailable`, so a quiz can go on without saving.

No fsrs here: a card is the JSON dict of `fsrs.Card.to_dict()`, and the caller's `update`
function turns the old card into the new one inside the answer's transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from drill.engine.record import AnswerRecord, record_from_json

BUSY_SECONDS = 8.0    # sqlite's own wait for another writer's lock
WRITE_TRIES = 4       # then whole-transaction retries, quietly, before giving up
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26

# MIGRATIONS[n - 1] takes a store from schema n - 1 to n. Append; never edit a shipped one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (   # 1: answers (the log) and cards (the schedule, derived from the log)
        """CREATE TABLE answers (
            id          INTEGER PRIMARY KEY,
            uid         TEXT NOT NULL UNIQUE,   -- stable across export and import
            item_id     TEXT NOT NULL,
            chapter     TEXT NOT NULL,
            item_kind   TEXT NOT NULL,
            result      TEXT NOT NULL,          -- right | wrong | skipped | undecided
            rating      INTEGER,                -- the FSRS rating it gave, 1-4; NULL: none
            source      TEXT NOT NULL,          -- quiz | review | import
            answered_at TEXT NOT NULL,          -- UTC, YYYY-MM-DDTHH:MM:SS+00:00
            record      TEXT NOT NULL           -- the whole AnswerRecord, JSON
        )""",
        "CREATE INDEX answers_item ON answers (item_id, answered_at)",
        "CREATE INDEX answers_chapter ON answers (chapter, answered_at)",
        """CREATE TABLE cards (
            item_id   TEXT PRIMARY KEY,
            chapter   TEXT NOT NULL,
            due       TEXT NOT NULL,            -- UTC, same fixed-width form: compares as text
            state     INTEGER NOT NULL,         -- fsrs State: 1 learning, 2 review, 3 relearning
            stability REAL,                     -- days
            card      TEXT NOT NULL             -- fsrs Card.to_dict(), JSON
        )""",
        "CREATE INDEX cards_due ON cards (chapter, due)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Notice:
    """Something to tell the student, as an i18n key and its values (drill.i18n)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        from drill.i18n import t

        return t(self.key, lang, **self.values)


class StoreUnavailable(Exception):
    """The store cannot be used (newer schema, unwritable, damaged while writing)."""

    def __init__(self, key: str, **values: Any):
        super().__init__(f"{key}: {values}")
        self.notice = Notice(key, values)


@dataclass(frozen=True)
class AnswerRow:
    """An answer as the statistics and the scheduler read it (no JSON parsing)."""

    item_id: str
    chapter: str
    item_kind: str
    result: str
    rating: int | None
    source: str
    answered_at: datetime


@dataclass(frozen=True)
class CardRow:
    item_id: str
    chapter: str
    due: datetime
    state: int
    stability: float | None
    card: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    added: int      # answers new to this store
    known: int      # answers it had already (same uid)
    cards: int      # cards written


def utc_text(moment: datetime | str) -> str:
    """A moment as the store's fixed-width UTC text, so text order is time order."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ------------------------------------------------------------------ opening


def _damaged(err: sqlite3.Error) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(err)
    return "not a database" in text or "malformed" in text


def _busy(err: sqlite3.Error) -> bool:
    text = str(err)
    return "locked" in text or "busy" in text


def _move_aside(path: Path) -> Path:
    """Rename a damaged store (and its -wal/-shm companions) to `<name>.corrupt-<time>`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    return target


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]   # NOTADB shows here
        if version > SCHEMA_VERSION:
            raise StoreUnavailable("db_newer", path=str(path), found=version,
                                   known=SCHEMA_VERSION)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        _migrate(conn)
        conn.execute("SELECT count(*) FROM cards").fetchone()   # a damaged table shows here
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Run the migrations this store lacks, each in its own transaction; another process
    migrating at the same moment is waited for, then found done."""
    while conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _unavailable(path: Path, err: BaseException) -> StoreUnavailable:
    if isinstance(err, sqlite3.OperationalError) and _busy(err):
        return StoreUnavailable("db_busy", path=str(path))
    reason = getattr(err, "strerror", None) or str(err)
    return StoreUnavailable("db_unwritable", path=str(path), error=reason)


# ------------------------------------------------------------------ the store


class ProgressStore:
    """One open store. `ProgressStore.open(path)` -> (store, notices to show)."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    @classmethod
    def open(cls, path: Path) -> tuple["ProgressStore", list[Notice]]:
        try:
            return cls(_connect(path), path), []
        except StoreUnavailable:
            raise
        except sqlite3.DatabaseError as err:
            if not _damaged(err):
                raise _unavailable(path, err) from None
        except OSError as err:
            raise _unavailable(path, err) from None
        try:
            moved = _move_aside(path)
            store = cls(_connect(path), path)
        except (OSError, sqlite3.Error) as err:
            raise _unavailable(path, err) from None
        return store, [Notice("db_moved_aside", {"path": str(path), "moved": str(moved)})]

    def close(self) -> None:
        self.conn.close()

    # -------------------------------------------------------------- writing

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """`work` inside one IMMEDIATE transaction, committed; a busy database is waited
        for (busy timeout) and retried quietly; other failures raise StoreUnavailable."""
        for attempt in range(WRITE_TRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(self.conn)
                    self.conn.execute("COMMIT")
                    return result
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as err:
                if _busy(err) and attempt + 1 < WRITE_TRIES:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise StoreUnavailable("db_write_failed", path=str(self.path),
                                       error=str(err)) from None
            except sqlite3.Error as err:
                raise StoreUnavailable("db_write_failed", path=str(self.path),
                                       error=str(err)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def record(self, answer: AnswerRecord, rating: int | None,
               update: Callable[[dict | None], dict | None] | None = None,
               source: str = "quiz") -> None:
        """Keep one graded answer and move its card (`update(old card) -> new card`), in
        one committed transaction."""
        row = (uuid.uuid4().hex, answer.item_id, answer.chapter, answer.item_kind,
               answer.result, rating, source, utc_text(answer.answered_at),
               _dumps(answer.to_json()))

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(_INSERT_ANSWER, row)
            if update is not None:
                new = update(self.card(answer.item_id))
                if new is not None:
                    _put_card(conn, answer.item_id, answer.chapter, new)

        self._transaction(write)

    def import_rows(self, answers: list[dict[str, Any]], cards: dict[str, dict[str, Any]],
                    replay: Callable[[str, list[tuple[int | None, str]]], dict | None]
                    ) -> ImportResult:
        """Merge exported answers (`{uid, rating, source, record}`) in one transaction.
        An item this store had never seen takes the exported card as it is; an item with
        answers on both sides gets its card rebuilt by `replay(item_id, [(rating,
        answered_at)])` over the merged history, oldest first."""

        def write(conn: sqlite3.Connection) -> ImportResult:
            seen = {r[0] for r in conn.execute("SELECT DISTINCT item_id FROM answers")}
            added, touched = 0, {}
            for entry in answers:
                record = entry["record"]
                row = (entry["uid"], record.item_id, record.chapter, record.item_kind,
                       record.result, entry["rating"], entry.get("source") or "import",
                       utc_text(record.answered_at), _dumps(record.to_json()))
                if conn.execute(_INSERT_ANSWER.replace("INSERT", "INSERT OR IGNORE"),
                                row).rowcount:
                    added += 1
                    touched[record.item_id] = record.chapter
            written = 0
            for item_id, chapter in touched.items():
                if item_id not in seen and item_id in cards:
                    card = cards[item_id]
                else:
                    history = conn.execute(
                        "SELECT rating, answered_at FROM answers WHERE item_id = ? "
                        "ORDER BY answered_at, id", (item_id,)).fetchall()
                    card = replay(item_id, [(r, at) for r, at in history])
                if card is not None:
                    _put_card(conn, item_id, chapter, card)
                    written += 1
            return ImportResult(added, len(answers) - added, written)

        return self._transaction(write)

    def reset(self, chapters: Iterable[str] | None = None) -> tuple[int, int]:
        """Delete answers and cards (of these chapters; all when None); the counts."""
        where, args = _chapter_filter(chapters)

        def write(conn: sqlite3.Connection) -> tuple[int, int]:
            answers = conn.execute(f"DELETE FROM answers{where}", args).rowcount
            cards = conn.execute(f"DELETE FROM cards{where}", args).rowcount
            return answers, cards

        return self._transaction(write)

    # -------------------------------------------------------------- reading

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as err:
            raise StoreUnavailable("db_read_failed", path=str(self.path),
                                   error=str(err)) from None

    def card(self, item_id: str) -> dict[str, Any] | None:
        rows = self._read("SELECT card FROM cards WHERE item_id = ?", (item_id,))
        return json.loads(rows[0][0]) if rows else None

    def cards(self, chapters: Iterable[str] | None = None) -> list[CardRow]:
        where, args = _chapter_filter(chapters)
        rows = self._read(
            f"SELECT item_id, chapter, due, state, stability, card FROM cards{where}", args)
        return [CardRow(i, c, _moment(d), s, st, json.loads(card))
                for i, c, d, s, st, card in rows]

    def answers(self, chapters: Iterable[str] | None = None) -> list[AnswerRow]:
        """Every answer (of these chapters), oldest first."""
        where, args = _chapter_filter(chapters)
        rows = self._read(
            "SELECT item_id, chapter, item_kind, result, rating, source, answered_at "
            f"FROM answers{where} ORDER BY answered_at, id", args)
        return [AnswerRow(i, c, k, r, rt, s, _moment(at)) for i, c, k, r, rt, s, at in rows]

    def records(self, item_ids: Iterable[str]) -> dict[str, list[AnswerRecord]]:
        """The full answer records of these items, oldest first."""
        ids = list(dict.fromkeys(item_ids))
        found: dict[str, list[AnswerRecord]] = {i: [] for i in ids}
        if not ids:
            return found
        marks = ",".join("?" * len(ids))
        for item_id, text in self._read(f"SELECT item_id, record FROM answers WHERE item_id "
                                        f"IN ({marks}) ORDER BY answered_at, id", ids):
            found[item_id].append(record_from_json(json.loads(text)))
        return found

    def counts(self, chapters: Iterable[str] | None = None) -> tuple[int, int]:
        where, args = _chapter_filter(chapters)
        answers = self._read(f"SELECT count(*) FROM answers{where}", args)[0][0]
        cards = self._read(f"SELECT count(*) FROM cards{where}", args)[0][0]
        return answers, cards

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every answer as `{uid, rating, source, record}`, oldest first."""
        for uid, rating, source, text in self._read(
                "SELECT uid, rating, source, record FROM answers ORDER BY answered_at, id"):
            yield {"uid": uid, "rating": rating, "source": source, "record": json.loads(text)}


_INSERT_ANSWER = ("INSERT INTO answers (uid, item_id, chapter, item_kind, result, rating, "
                  "source, answered_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _put_card(conn: sqlite3.Connection, item_id: str, chapter: str, card: dict) -> None:
    conn.execute(
        "INSERT INTO cards (item_id, chapter, due, state, stability, card) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET chapter = "
        "excluded.chapter, due = excluded.due, state = excluded.state, "
        "stability = excluded.stability, card = excluded.card",
        (item_id, chapter, utc_text(card["due"]), int(card["state"]), card.get("stability"),
         _dumps(card)))


def _chapter_filter(chapters: Iterable[str] | None) -> tuple[str, list[str]]:
    if chapters is None:
        return "", []
    slugs = sorted(set(chapters))
    return f" WHERE chapter IN ({','.join('?' * len(slugs))})", slugs


def _dumps(value: Any) -> str:
    """JSON for the store; a numpy scalar or array that slipped into a record is listed."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
