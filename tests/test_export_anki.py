"""`drill export anki`: an .apkg Anki opens (SQLite in a zip), stable ids, exact bytes."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drill.bank.load import load_chapters
from drill.cli import app
from drill.export.anki import FIELDS, write_apkg
from drill.export.variants import draw

STAMP = 1_767_225_600  # 2026-01-01


@pytest.fixture(scope="module")
def rnn():
    banks, _ = load_chapters(["rnn"])
    return banks[0].chapter


def open_notes(path: Path, tmp_path: Path) -> list[tuple]:
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        archive.extract("collection.anki2", tmp_path)
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = connection.execute("select id, guid, tags, flds from notes order by id").fetchall()
        cards = connection.execute("select count(*) from cards").fetchone()[0]
        assert connection.execute("select count(*) from col").fetchone()[0] == 1
    finally:
        connection.close()
    assert cards == len(notes)  # one card per note
    return notes


def test_deck_has_a_note_per_item_and_variant_with_fields_and_tags(rnn, tmp_path):
    drawn = draw([rnn], 3, 4, "en")
    path = tmp_path / "rnn.apkg"
    assert write_apkg(drawn, path, STAMP) == len(drawn)
    notes = open_notes(path, tmp_path)
    templates = sum(i.kind == "numeric" for i in rnn.items)
    assert len(notes) == (len(rnn.items) - templates) + 4 * templates
    for _, _, tags, fields in notes:
        front, back, item = fields.split("\x1f")
        assert len(FIELDS) == 3 and front and back and item
        assert {"drill", "drill::rnn"} <= set(tags.split())
        assert any(t.startswith("drill::rnn::") for t in tags.split())
    numeric = [f for _, _, tags, f in notes if "drill::kind::numeric" in tags]
    assert len(numeric) == 4 * templates
    assert all("<ol>" in f.split("\x1f")[1] for f in numeric)  # the worked steps on the back
    assert all(r"\(" in f.split("\x1f")[1] for f in numeric)   # TeX for MathJax


def test_same_seed_and_timestamp_give_identical_bytes(rnn, tmp_path):
    drawn = draw([rnn], 8, 2, "both")
    write_apkg(drawn, tmp_path / "a.apkg", STAMP)
    write_apkg(draw([rnn], 8, 2, "both"), tmp_path / "b.apkg", STAMP)
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


def test_guids_are_stable_across_exports_so_reimport_updates(rnn, tmp_path):
    (tmp_path / "one").mkdir(), (tmp_path / "two").mkdir()
    write_apkg(draw([rnn], 8, 2, "en"), tmp_path / "one.apkg", STAMP)
    write_apkg(draw([rnn], 8, 2, "zh"), tmp_path / "two.apkg", STAMP + 86_400)
    first = open_notes(tmp_path / "one.apkg", tmp_path / "one")
    second = open_notes(tmp_path / "two.apkg", tmp_path / "two")
    assert [n[1] for n in first] == [n[1] for n in second]
    assert len({n[1] for n in first}) == len(first)  # no two notes share a guid
    other_seed = draw([rnn], 9, 2, "en")
    write_apkg(other_seed, tmp_path / "three.apkg", STAMP)
    (tmp_path / "three").mkdir()
    third = open_notes(tmp_path / "three.apkg", tmp_path / "three")
    concept = {n[1] for n in first if "kind::numeric" not in n[2]}
    assert concept <= {n[1] for n in third}       # conceptual items keep their note
    assert {n[1] for n in first} != {n[1] for n in third}  # new variants are new notes


def test_chinese_survives_in_the_deck(rnn, tmp_path):
    write_apkg(draw([rnn], 1, 1, "zh"), tmp_path / "zh.apkg", STAMP)
    notes = open_notes(tmp_path / "zh.apkg", tmp_path)
    assert all(re.search("[\u4e00-\u9fff]", n[3]) for n in notes)
    assert any("解题步骤" in n[3] for n in notes)


def test_cli_writes_the_deck_and_refuses_standard_output(tmp_path):
    runner = CliRunner()
    path = tmp_path / "rnn.apkg"
    env = {"SOURCE_DATE_EPOCH": str(STAMP)}
    args = ["export", "anki", "-c", "rnn", "-n", "1", "--seed", "4", "-o"]
    first = runner.invoke(app, args + [str(path)], env=env)
    assert first.exit_code == 0, first.output
    before = path.read_bytes()
    assert runner.invoke(app, args + [str(path)], env=env).exit_code == 0
    assert path.read_bytes() == before
    assert runner.invoke(app, args + ["-"]).exit_code == 2
    assert runner.invoke(app, ["export", "anki", "-c", "nochapter", "-o", str(path)]).exit_code == 2


def test_cli_moodle_to_standard_output_and_bad_lang():
    runner = CliRunner()
    out = runner.invoke(app, ["export", "moodle", "-c", "rnn", "-n", "1", "-o", "-", "--lang", "zh"])
    assert out.exit_code == 0 and "<quiz>" in out.stdout
    assert runner.invoke(app, ["export", "moodle", "--lang", "fr", "-o", "-"]).exit_code == 2
