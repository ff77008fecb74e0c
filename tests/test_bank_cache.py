"""The bank cache: JSON data only, serves unchanged banks, re-reads changed ones,
rebuilds damaged entries, and never leaves temporary files behind."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from drill.bank import cache
from drill.bank.load import load_bank, load_chapters

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini.yaml"


def copy_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    return folder


def entries(tmp_path: Path) -> list[Path]:
    """The cache's chapter entries (each has a small `.summary.json` beside it)."""
    return [p for p in (tmp_path / "cache").glob("*") if not p.name.endswith(".summary.json")]


def test_the_cache_is_json_and_a_hit_needs_no_yaml_or_validation(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)
    first = load_bank(folder / "mini.yaml")
    (entry,) = entries(tmp_path)
    assert entry.suffix == ".json" and json.loads(entry.read_text())["chapter"]["chapter"] == "mini"
    monkeypatch.setattr(cache, "validate_bank", lambda *a: (_ for _ in ()).throw(AssertionError))
    assert load_bank(folder / "mini.yaml").chapter == first.chapter


def test_a_changed_bank_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)
    first = load_chapters(["mini"], folder)[0][0].chapter
    path = folder / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Mini chapter", "Changed"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_chapters(["mini"], folder)[0][0].chapter
    assert first.title.en == "Mini chapter" and second.title.en == "Changed"


def test_damaged_or_planted_entries_are_rebuilt_never_run(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)
    load_bank(folder / "mini.yaml")
    (entry,) = entries(tmp_path)
    good = json.loads(entry.read_text())
    for content in (b"\x80\x05garbage", b"[" * 100_000, b'{"key": 1}',
                    json.dumps({**good, "chapter": {"chapter": 5}}).encode(),
                    json.dumps({**good, "findings": [["x"]]}).encode()):
        entry.write_bytes(content)
        assert load_bank(folder / "mini.yaml").chapter.chapter == "mini"
        assert json.loads(entry.read_text()) == good


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", fail)
    assert load_bank(folder / "mini.yaml").chapter.chapter == "mini"
    assert entries(tmp_path) == []


def test_stale_temporary_files_of_dead_writers_are_cleaned_up(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    stale = tmp_path / "cache" / ".tmp-dead.json"
    stale.write_text("{")
    old = time.time() - 2 * cache.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    load_bank(copy_bank(tmp_path) / "mini.yaml")
    assert not stale.exists()


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", "off")
    assert load_chapters(["mini"], copy_bank(tmp_path))[0][0].chapter.chapter == "mini"


def test_list_reads_summaries_from_the_cache_without_building_chapters(tmp_path, monkeypatch):
    from drill.bank.load import bank_summary

    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    path = copy_bank(tmp_path) / "mini.yaml"
    expected = load_bank(path).summary()
    assert expected["counts"] == {"choice": 1, "truefalse": 1, "short": 1, "numeric": 1}
    monkeypatch.setattr("drill.bank.model.chapter_from_data",
                        lambda *a: (_ for _ in ()).throw(AssertionError))
    monkeypatch.setattr(cache, "validate_bank", lambda *a: (_ for _ in ()).throw(AssertionError))
    assert bank_summary(path) == expected
    (summary_file,) = (tmp_path / "cache").glob("*.summary.json")
    assert summary_file.stat().st_size < 1000  # list reads a few hundred bytes per bank
