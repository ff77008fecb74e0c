"""The bank cache serves unchanged banks, re-reads changed ones, survives corruption."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from drill.bank_load import load_chapters

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini.yaml"


def copy_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    return folder


def test_a_changed_bank_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)
    first = load_chapters(["mini"], folder)[0].chapter
    assert list((tmp_path / "cache").glob("*.pickle"))
    path = folder / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Mini chapter", "Changed"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_chapters(["mini"], folder)[0].chapter
    assert first.title.en == "Mini chapter" and second.title.en == "Changed"


def test_a_corrupted_cache_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path / "cache"))
    folder = copy_bank(tmp_path)
    load_chapters(["mini"], folder)
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"\x80\x05garbage")
    assert load_chapters(["mini"], folder)[0].chapter.chapter == "mini"


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", "off")
    assert load_chapters(["mini"], copy_bank(tmp_path))[0].chapter.chapter == "mini"
