"""Progress at the command line: quiz answers kept through Ctrl-C, SIGKILL, two terminals,
damaged and unwritable stores; review, stats --json, --focus weak, export/import/reset;
and start-up that imports none of it until needed."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fsrs import Scheduler
from typer.testing import CliRunner

from drill.cli import app
from drill.progress.recorder import Recorder
from drill.progress.store import SCHEMA_VERSION, ProgressStore
from progress_support import (CONV, FIXTURE_BANKS, FLIP, POOL, SHORT, answer, days_ago,
                              drill_env, drill_process)

runner = CliRunner()


def invoke(db: Path, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input,
                         env={"DRILL_BANK_DIR": str(FIXTURE_BANKS), "DRILL_DB": str(db)})


def answers_in(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)          # recovers a WAL left by a killed process
    try:
        return conn.execute("SELECT item_id, result FROM answers ORDER BY id").fetchall()
    finally:
        conn.close()


def stored(db: Path, records) -> None:
    store, _ = ProgressStore.open(db)
    recorder = Recorder(lambda m: pytest.fail(m), store=store,
                        scheduler=Scheduler(enable_fuzzing=False))
    for record in records:
        recorder(record)
    store.close()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "progress.sqlite3"


# ------------------------------------------------------------------ every answer kept


def test_every_graded_answer_of_a_quiz_is_recorded(db):
    result = invoke(db, "quiz", "--kind", "numeric", "-n", "3", "--seed", "4",
                    input="1\n2\ns\n1\n2\n")
    assert result.exit_code == 0, result.output
    assert answers_in(db) == [(CONV, "wrong"), (CONV, "skipped"), (CONV, "wrong")]


def test_a_self_graded_item_asks_again_hard_good_easy(db):
    seed = next(s for s in range(200) if _first_item(s, "concept") == SHORT)
    result = invoke(db, "quiz", "--kind", "concept", "-n", "1", "--seed", str(seed),
                    input="my words\nmaybe\nh\n")
    assert result.exit_code == 0, result.output
    assert "1 again · 2 hard · 3 good · 4 easy" in result.output
    assert "Can't read that" in result.output
    conn = sqlite3.connect(db)
    (rating, record), = conn.execute("SELECT rating, record FROM answers")
    assert rating == 2 and json.loads(record)["self_rating"] == 2


def _first_item(seed: int, kind: str) -> str:
    from drill.engine.session import pick_entries
    from progress_support import mini

    return pick_entries([mini()], 1, seed, kind)[0].item.id


def wait_for(proc: subprocess.Popen, text: str, timeout: float = 30.0) -> str:
    """Read the process's stdout until `text` shows (the verdict reached the screen)."""
    seen, deadline = "", time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while text not in seen:
        assert time.monotonic() < deadline, f"never saw {text!r}: {seen!r}"
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 65536).decode("utf-8", "replace")
            assert chunk, f"stdout closed before {text!r}: {seen!r}"
            seen += chunk
    return seen


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)])
def test_an_answer_shown_as_graded_survives_a_signal_right_after(db, sig, code):
    proc = drill_process(db, "quiz", "--kind", "numeric", "-n", "5", "--seed", "1")
    proc.stdin.write("s\n")
    proc.stdin.flush()
    wait_for(proc, "Skipped. Answer:")
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode == code
    assert answers_in(db) == [(CONV, "skipped")]


def test_two_quizzes_in_two_terminals_keep_every_answer_and_never_say_locked(db, tmp_path):
    count = 120
    procs = []
    for n in (1, 2):   # every question skipped: one answer each, as fast as they can go
        out = open(tmp_path / f"out{n}", "w")
        procs.append(drill_process(db, "quiz", "--kind", "numeric", "-n", str(count),
                                   "--seed", str(n), stdout=out))
        out.close()
    for proc in procs:
        proc.stdin.write("s\n" * count)
        proc.stdin.close()
    for proc in procs:
        proc.wait(timeout=90)
        err = proc.stderr.read()
        assert proc.returncode == 0, err
        assert "locked" not in err and "drill:" not in err, err
    assert answers_in(db) == [(CONV, "skipped")] * (2 * count)


# ------------------------------------------------------------------ stores that cannot be used


def test_a_corrupted_store_is_moved_aside_named_on_stderr_and_the_quiz_runs(db):
    db.write_bytes(b"\x00garbage" * 1000)
    result = invoke(db, "quiz", "--kind", "numeric", "-n", "1", "--seed", "1", input="s\n")
    assert result.exit_code == 0, result.output
    (line,) = [l for l in result.stderr.splitlines() if "damaged" in l]
    moved = next(db.parent.glob("progress.sqlite3.corrupt-*"))
    assert str(db) in line and str(moved) in line
    assert moved.read_bytes() == b"\x00garbage" * 1000
    assert answers_in(db) == [(CONV, "skipped")]


def test_a_store_from_a_newer_drill_warns_once_and_the_quiz_runs(db):
    ProgressStore.open(db)[0].close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = invoke(db, "quiz", "--kind", "numeric", "-n", "2", "--seed", "1", input="s\ns\n")
    assert result.exit_code == 0, result.output
    warnings = [l for l in result.stderr.splitlines() if "not being saved" in l]
    assert len(warnings) == 1 and "newer drill" in warnings[0]
    assert "Total" in result.output
    stats = invoke(db, "stats")
    assert stats.exit_code == 1 and stats.stderr.count("\n") == 1 and "newer" in stats.stderr


def read_only(path: Path):
    """Make `path` read-only, even for root (who ignores mode bits: then `chattr +i`);
    returns the function that undoes it."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        return lambda: os.chmod(path, mode)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root where `chattr +i` is unavailable: no read-only folder")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("existing", [False, True])
def test_a_read_only_folder_warns_once_and_the_quiz_runs(tmp_path, existing):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "progress.sqlite3"
    undo = []
    try:
        if existing:
            stored(db, [answer(CONV, "wrong", days_ago(1))])
            undo.append(read_only(db))
        undo.append(read_only(folder))
        proc = subprocess.run([sys.executable, "-m", "drill", "quiz", "--kind", "numeric", "-n",
                               "2", "--seed", "1"], input="s\ns\n", capture_output=True,
                              text=True, env=drill_env(db), timeout=60)
    finally:
        for step in reversed(undo):
            step()
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and "answers are not being saved" in warnings[0], proc.stderr
    assert str(db) in warnings[0]
    assert "Total" in proc.stdout


def test_db_off_records_nothing_and_says_nothing(db):
    result = runner.invoke(app, ["quiz", "--kind", "numeric", "-n", "1", "--db", "off"],
                           input="s\n", env={"DRILL_BANK_DIR": str(FIXTURE_BANKS)})
    assert result.exit_code == 0 and result.stderr == ""


# ------------------------------------------------------------------ review


def test_review_asks_what_is_due_and_new_items_up_to_the_daily_limit(db):
    stored(db, [answer(FLIP, "wrong", days_ago(2)),              # due 2 days ago
                answer(POOL, "right", days_ago(1), seconds=1)])  # Easy: due in a week
    result = invoke(db, "review", "--new", "1", input="t\ns\n")
    assert result.exit_code == 0, result.output
    assert "2 to review: 1 due, 1 new" in result.output
    assert "flips the kernel" in result.output and "filters 3x3" in result.output
    assert "max pool" not in result.output
    assert answers_in(db)[-2:] == [(FLIP, "wrong"), (CONV, "skipped")]
    again = invoke(db, "review", "--new", "1")
    assert again.exit_code == 0, again.output
    assert "Nothing is due now." in again.output
    assert "Today's 1 new items are done" in again.output
    assert "The next review is due" in again.output and "(in 1 min)" in again.output


def test_each_review_of_a_template_draws_fresh_numbers(db):
    seeds = set()
    for _ in range(3):
        stored(db, [answer(CONV, "wrong", days_ago(1))])
        result = invoke(db, "review", "-c", "mini", "-n", "1", "--new", "0", input="s\n")
        assert result.exit_code == 0, result.output
        seeds.add(json.loads(sqlite3.connect(db).execute(
            "SELECT record FROM answers ORDER BY id DESC LIMIT 1").fetchone()[0])["seed"])
    assert len(seeds) == 3


# ------------------------------------------------------------------ stats, focus


def test_stats_json_has_totals_and_chapters_by_slug(db):
    stored(db, [answer(CONV, "wrong", days_ago(20)), answer(CONV, "wrong", days_ago(3)),
                answer(CONV, "right", days_ago(1)), answer(FLIP, "right", days_ago(1)),
                answer(POOL, "skipped", days_ago(0))])
    result = invoke(db, "stats", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_answers"] == 5 and data["right"] == 2
    assert data["accuracy_7d"] == {"right": 2, "answered": 4, "rate": 0.5}
    assert data["accuracy_30d"]["answered"] == 5
    assert data["streak_days"] == 2
    mini = data["chapters"]["mini"]
    assert (mini["items"], mini["seen"], mini["answers"]) == (4, 3, 5)
    assert set(mini) >= {"due", "mastered", "accuracy_7d", "accuracy_30d"}
    (conv,) = [w for w in data["weakest"] if w["item_id"] == CONV]
    assert conv["mistake"] == {"kind": "off_by_one", "field": "out_height", "detail": None,
                               "count": 2}
    assert len(data["daily"]) == 14 and data["daily"][-1]["answers"] == 1
    shown = invoke(db, "stats", "--lang", "zh")
    assert shown.exit_code == 0 and "输出高度：差 1（2 次）" in shown.output
    assert "█" in shown.output or "▓" in shown.output


def test_stats_on_an_empty_store_says_how_to_begin(db):
    result = invoke(db, "stats")
    assert result.exit_code == 0 and "No answers recorded yet" in result.output
    assert json.loads(invoke(db, "stats", "--json").stdout)["total_answers"] == 0


def test_focus_weak_asks_the_items_missed_most(db):
    stored(db, [answer(CONV, "wrong", days_ago(3, None), seed=s) for s in range(3)]
           + [answer(FLIP, "wrong", days_ago(2)), answer(FLIP, "right", days_ago(1))]
           + [answer(POOL, "right", days_ago(1)), answer(SHORT, "right", days_ago(1))])
    one = invoke(db, "quiz", "--focus", "weak", "-n", "1", "--seed", "3", input="s\n")
    assert one.exit_code == 0, one.output
    assert "filters 3x3" in one.output and "--focus weak" in one.output
    two = invoke(db, "quiz", "--focus", "weak", "-n", "4", "--seed", "3", input="s\n" * 4)
    assert "flips the kernel" in two.output and "max pool" not in two.output
    assert "residual" not in two.output


def test_focus_weak_without_misses_is_an_ordinary_quiz_with_a_note(db):
    result = invoke(db, "quiz", "--focus", "weak", "-n", "2", input="s\ns\n")
    assert result.exit_code == 0 and "No missed questions recorded yet" in result.stderr


# ------------------------------------------------------------------ export, import, reset


def test_export_import_round_trip_at_the_command_line(db, tmp_path):
    stored(db, [answer(CONV, "wrong", days_ago(1)), answer(FLIP, "right", days_ago(1))])
    exported, second = tmp_path / "out.json", tmp_path / "second.db"
    assert invoke(db, "progress", "export", str(exported)).exit_code == 0
    result = invoke(second, "progress", "import", str(exported))
    assert result.exit_code == 0 and "Imported 2 new answers (0 already here)" in result.output
    result = invoke(second, "progress", "export", "-")
    round_trip = json.loads(result.stdout)
    original = json.loads(exported.read_text())
    assert round_trip["answers"] == original["answers"] and round_trip["cards"] == original["cards"]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = invoke(second, "progress", "import", str(bad))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "bad.json" in result.stderr


def test_reset_asks_first_and_yes_skips_the_question(db):
    stored(db, [answer(CONV, "wrong", days_ago(1)), answer(FLIP, "right", days_ago(1))])
    declined = invoke(db, "progress", "reset", "--chapter", "mini", input="n\n")
    assert declined.exit_code == 1 and "Delete 2 answers and 2 review cards (mini)" in declined.output
    assert len(answers_in(db)) == 2
    accepted = invoke(db, "progress", "reset", "-c", "mini", input="y\n")
    assert accepted.exit_code == 0 and "Deleted 2 answers" in accepted.output
    stored(db, [answer(CONV, "wrong", days_ago(1))])
    scripted = invoke(db, "progress", "reset", "--yes")
    assert scripted.exit_code == 0 and "Delete " not in scripted.output
    assert answers_in(db) == []


# ------------------------------------------------------------------ start-up


PROBE = """
import sys
from typer.testing import CliRunner
from drill.cli import app
result = CliRunner().invoke(app, {args!r}, input="q\\n")
assert result.exit_code == 0, result.output
print(" ".join(sorted(m for m in ("sqlite3", "fsrs", "platformdirs") if m in sys.modules)))
"""


@pytest.mark.parametrize("args, allowed", [
    (["--help"], set()),
    (["list"], {"platformdirs"}),          # the bank cache's folder (not progress)
    (["quiz", "--seed", "1"], {"platformdirs"}),
])
def test_help_list_and_a_quiz_start_import_no_progress_machinery(db, args, allowed):
    env = drill_env(db)
    env.pop("DRILL_CACHE_DIR", None)
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], env=env,
                         capture_output=True, text=True, check=True)
    assert set(out.stdout.split()) <= allowed


def test_every_message_of_the_cli_is_in_english_and_chinese():
    from drill.i18n import MESSAGES

    missing = [key for key, text in MESSAGES.items()
               if not key.endswith("_one") and not text.get("zh")]
    assert missing == []


def test_ctrl_c_during_the_write_waits_until_the_answer_is_committed(db):
    import io

    from rich.console import Console

    from drill.engine.session import pick_entries
    from drill.terminal.quiz import TerminalQuiz
    from progress_support import mini

    finished = []

    def record_then_interrupted(record):
        os.kill(os.getpid(), signal.SIGINT)    # Ctrl-C in the middle of the write ...
        time.sleep(0.05)
        finished.append(record)                # ... which still runs to its end

    answers = iter(["s", "s"])
    quiz = TerminalQuiz(Console(file=io.StringIO()), lambda prompt: next(answers), "en",
                        on_record=record_then_interrupted)
    records = quiz.run(pick_entries([mini()], 2, 1, "numeric"))
    assert len(finished) == 1 and records == finished and quiz.interrupted
