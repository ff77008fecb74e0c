"""The SQLite store: schema and migrations, durability settings, damaged and newer files,
two processes writing at once, reset, and export/import."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from fsrs import Scheduler

from drill.progress import store as store_module
from drill.progress.recorder import Recorder
from drill.progress.schedule import replay
from drill.progress.store import SCHEMA_VERSION, ProgressStore, StoreUnavailable
from drill.progress.transfer import TransferError, export_document, read_document
from progress_support import CONV, FLIP, POOL, SHORT, T0, answer

SCHEDULER = Scheduler(enable_fuzzing=False)


def recorder_for(store: ProgressStore) -> Recorder:
    return Recorder(lambda message: pytest.fail(message), store=store, scheduler=SCHEDULER)


def test_a_new_store_is_at_the_latest_schema_in_wal_mode_with_full_sync(tmp_path):
    store, notices = ProgressStore.open(tmp_path / "deep" / "p.db")
    assert notices == []
    pragma = lambda name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("user_version") == SCHEMA_VERSION
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2           # FULL
    assert pragma("busy_timeout") >= 5000


def test_an_answer_is_one_committed_row_with_its_card(tmp_path):
    path = tmp_path / "p.db"
    store, _ = ProgressStore.open(path)
    record = answer(CONV, "wrong", T0)
    recorder_for(store)(record)
    assert not store.conn.in_transaction
    other = sqlite3.connect(path)              # another connection sees it at once
    (item_id, result, rating, text), = other.execute(
        "SELECT item_id, result, rating, record FROM answers")
    assert (item_id, result, rating) == (CONV, "wrong", 1)
    assert json.loads(text) == record.to_json()
    assert other.execute("SELECT item_id, due FROM cards").fetchall() == \
        [(CONV, (T0 + timedelta(minutes=1)).isoformat())]


def test_migrations_run_in_order_and_only_once(tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    ProgressStore.open(path)[0].close()
    added = ("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",)
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (added,))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    store, _ = ProgressStore.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    store.close()
    ProgressStore.open(path)[0].close()        # already there: nothing runs twice


def test_a_store_from_a_newer_drill_is_left_alone(tmp_path):
    path = tmp_path / "p.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreUnavailable) as raised:
        ProgressStore.open(path)
    assert raised.value.notice.key == "db_newer"
    assert "newer drill" in raised.value.notice.text("en")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_file_is_moved_aside_and_a_fresh_store_started(tmp_path, damage):
    path = tmp_path / "p.db"
    if damage == "garbage":
        path.write_bytes(b"this is not sqlite, it is an essay" * 200)
    else:
        store, _ = ProgressStore.open(path)
        for n in range(50):
            recorder_for(store)(answer(CONV, "right", T0 + timedelta(minutes=n)))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        data = path.read_bytes()
        path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))   # header kept, pages gone
    store, notices = ProgressStore.open(path)
    (notice,) = notices
    moved = notice.values["moved"]
    assert notice.key == "db_moved_aside" and moved.startswith(str(path) + ".corrupt-")
    assert str(path) in notice.text("en") and moved in notice.text("zh")
    assert store.counts() == (0, 0)
    recorder_for(store)(answer(FLIP, "right", T0))
    assert store.counts() == (1, 1)


def test_an_unwritable_place_raises_store_unavailable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StoreUnavailable) as raised:
        ProgressStore.open(blocker / "p.db")
    assert raised.value.notice.key == "db_unwritable"


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from drill.progress.recorder import Recorder
    from progress_support import CONV, FLIP, T0, answer
    from datetime import timedelta
    records = [answer(CONV if n % 2 else FLIP, "wrong", T0 + timedelta(seconds=n))
               for n in range({count})]
    recorder = Recorder(lambda m: print("WARN", m, file=sys.stderr), db=Path({db!r}))
    recorder.store()
    Path({ready!r}).touch()
    while not Path({go!r}).exists():
        time.sleep(0.005)
    for record in records:
        recorder(record)
    print(recorder.saved)
""")


def test_two_processes_writing_at_once_lose_nothing_and_never_say_locked(tmp_path):
    db, go, count = tmp_path / "p.db", tmp_path / "go", 100
    ProgressStore.open(db)[0].close()
    tests = str(__import__("pathlib").Path(__file__).parent)
    procs = []
    for n in range(2):
        code = WRITER.format(tests=tests, count=count, db=str(db), ready=str(tmp_path / f"r{n}"),
                             go=str(go))
        procs.append(subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    for n in range(2):                         # both loaded and holding an open store
        for _ in range(3000):
            if (tmp_path / f"r{n}").exists():
                break
            __import__("time").sleep(0.01)
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.split() == [str(count)]
        assert "locked" not in err and "WARN" not in err, err
    store, _ = ProgressStore.open(db)
    assert store.counts() == (2 * count, 2)
    reviews = {c.item_id: c.card for c in store.cards()}
    # every answer moved its card: the card equals a replay of all the item's answers
    for item_id in (CONV, FLIP):
        history = [(1, at) for at in sorted(r.answered_at for r in store.records([item_id])[item_id])]
        assert len(history) == count
        assert reviews[item_id]["state"] == replay(history, item_id, SCHEDULER)["state"]


def test_reset_of_one_chapter_keeps_the_others(tmp_path):
    store, _ = ProgressStore.open(tmp_path / "p.db")
    other = answer(CONV, "right", T0)
    other = type(other)(**{**other.__dict__, "chapter": "other", "item_id": "other-1"})
    for record in (answer(CONV, "right", T0), answer(FLIP, "wrong", T0), other):
        recorder_for(store)(record)
    assert store.counts(["mini"]) == (2, 2)
    assert store.reset(["mini"]) == (2, 2)
    assert store.counts() == (1, 1)
    assert store.reset() == (1, 1)


# ------------------------------------------------------------------ export / import


def filled_store(path, records) -> ProgressStore:
    store, _ = ProgressStore.open(path)
    for record in records:
        recorder_for(store)(record)
    return store


def round_trip(document: dict) -> dict:
    return json.loads(json.dumps(document))


def test_export_then_import_round_trips_and_a_second_import_adds_nothing(tmp_path):
    records = [answer(CONV, "wrong", T0), answer(CONV, "right", T0 + timedelta(minutes=2)),
               answer(POOL, "right", T0, seconds=2), answer(SHORT, "right", T0, self_rating=4),
               answer(SHORT, "skipped", T0 + timedelta(hours=1))]
    source = filled_store(tmp_path / "a.db", records)
    exported = round_trip(export_document(source.export_rows(), source.cards(), T0))
    target, _ = ProgressStore.open(tmp_path / "b.db")
    answers, cards = read_document(exported, "file.json")
    result = target.import_rows(answers, cards, lambda i, h: replay(h, i, SCHEDULER))
    assert (result.added, result.known, result.cards) == (5, 0, 3)
    again = round_trip(export_document(target.export_rows(), target.cards(), T0))
    assert again == exported
    result = target.import_rows(*read_document(exported, "file.json"),
                                lambda i, h: replay(h, i, SCHEDULER))
    assert (result.added, result.known, result.cards) == (0, 5, 0)


def test_importing_into_a_store_with_its_own_answers_replays_the_merged_history(tmp_path):
    laptop = filled_store(tmp_path / "a.db", [answer(FLIP, "right", T0, seconds=1)])
    desktop = filled_store(tmp_path / "b.db", [answer(FLIP, "wrong", T0 + timedelta(days=9))])
    exported = round_trip(export_document(laptop.export_rows(), laptop.cards(), T0))
    desktop.import_rows(*read_document(exported, "x"), lambda i, h: replay(h, i, SCHEDULER))
    merged = replay([(4, T0.isoformat()), (1, (T0 + timedelta(days=9)).isoformat())], FLIP,
                    SCHEDULER)
    assert desktop.card(FLIP) == merged and desktop.counts() == (2, 1)


@pytest.mark.parametrize("document, key", [
    ([], "import_not_drill"),
    ({"format": "something-else"}, "import_not_drill"),
    ({"format": "drill-progress", "version": 99}, "import_newer"),
    ({"format": "drill-progress", "version": 1, "answers": [{"uid": "x"}]}, "import_bad"),
    ({"format": "drill-progress", "version": 1, "answers": [],
      "cards": [{"item_id": "a", "card": {"due": "soon"}}]}, "import_bad"),
])
def test_a_file_that_is_not_a_usable_export_is_refused_with_a_reason(document, key):
    with pytest.raises(TransferError) as raised:
        read_document(document, "f.json")
    assert raised.value.notice.key == key
    assert "f.json" in raised.value.notice.text("zh")
