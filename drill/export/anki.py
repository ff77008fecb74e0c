"""Anki decks (.apkg, through genanki) from drawn questions.

One note per conceptual item (the question on the front; the answer and the explanation
on the back) and one per variant of a numeric template (the answer with its precision,
then the worked steps). One deck per chapter, `drill::<chapter>`.

Stable ids, so a re-export updates the cards already imported instead of adding copies:
a note's guid is `guid_for(item id)` for a conceptual item and `guid_for(item id, variant
seed)` for a variant (the same export seed draws the same variant seeds); the model and
deck ids are fixed numbers derived from their names.

Byte-for-byte output: genanki stamps notes, cards and the model with one timestamp and
numbers notes and cards from it, and zips the collection with the temporary file's
time; `write_apkg` passes the timestamp it is given and writes the zip itself with fixed
entry times, so the same questions and timestamp give the same bytes. Anki updates an
already-imported note only when the file's note is newer (its default), so the caller
picks a timestamp that grows when the content changes (the CLI: the newest bank file).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from html import escape
from pathlib import Path

from drill.engine.question import Question
from drill.export.html import blocks_html, heading, side_by_side, steps_html
from drill.export.variants import Drawn
from drill.i18n import t

MODEL_NAME = "drill question"
FIELDS = ("Front", "Back", "Item")
CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n" \
      "table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: nothing of the clock leaks in


def stable_id(name: str) -> int:
    """A fixed 31-bit id from a name (Anki model and deck ids must stay put across exports)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big") >> 1 | 1 << 30


def note_guid(drawn: Drawn) -> str:
    import genanki

    if drawn.variant is None:
        return genanki.guid_for(drawn.item.id)
    return genanki.guid_for(drawn.item.id, drawn.seed)


def tag(text: str) -> str:
    """Anki tags are space-separated: spaces inside one become underscores."""
    return "_".join(text.split())


def note_tags(drawn: Drawn) -> list[str]:
    chapter, topic = tag(drawn.chapter.chapter), tag(drawn.item.topic)
    return ["drill", f"drill::{chapter}", f"drill::{chapter}::{topic}", f"drill::kind::{drawn.item.kind}"]


# ------------------------------------------------------------------ card sides


def front_html(q: Question) -> str:
    html = blocks_html(q.body)
    if q.options:
        html += "<ol type=\"a\">" + "".join(f"<li>{blocks_html(o.blocks)}</li>" for o in q.options) + "</ol>"
        if q.multiple:
            html += heading(t("letters_multi", q.lang))
    elif q.item_kind == "truefalse":
        html += heading(t("export_true_or_false", q.lang))
    elif q.item_kind == "numeric":
        for answer in q.fields:
            words = " · ".join(w for w in (answer.label, answer.note) if w)
            if words:
                html += f"<p>{escape(words, quote=False)} = ?</p>"
    return html


def back_html(q: Question) -> str:
    """The answer, then the model answer, the explanation and the worked steps."""
    html = ""
    if q.item_kind == "short":
        html += heading(t("model_answer", q.lang)) + blocks_html(q.model_answer)
    else:
        lines = []
        for answer in q.fields:
            shown = answer.shown_expected(q.lang)
            if answer.kind == "truefalse":
                shown = t("true" if answer.expected else "false", q.lang)
            lines.append(f"{answer.label} = {shown}" if answer.label else shown)
        html += heading(t("answers", q.lang)) + "".join(
            f"<p>{escape(line, quote=False)}</p>" for line in lines)
    if q.explanation:
        html += heading(t("why", q.lang).rstrip(" ：:")) + blocks_html(q.explanation)
    steps = steps_html(q)
    if steps:
        html += heading(t("worked", q.lang)) + steps
    return html


# ------------------------------------------------------------------ the package


def build_package(drawn: list[Drawn]):
    """The genanki Package: a deck per chapter, a note per exported question."""
    import genanki

    model = genanki.Model(
        stable_id(MODEL_NAME), MODEL_NAME, fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                    "afmt": "{{FrontSide}}<hr id=\"answer\">{{Back}}"}],
        css=CSS, sort_field_index=2)
    decks: dict[str, genanki.Deck] = {}
    for d in drawn:
        slug = d.chapter.chapter
        if slug not in decks:
            name = f"drill::{slug}"
            title = " / ".join(dict.fromkeys(d.chapter.title.get(lang) for lang in d.by_lang))
            decks[slug] = genanki.Deck(stable_id(name), name, description=escape(title, quote=False))
        item = d.item.id if d.variant is None else f"{d.item.id} #{d.variant}"
        fields = [side_by_side({lang: front_html(q) for lang, q in d.by_lang.items()}),
                  side_by_side({lang: back_html(q) for lang, q in d.by_lang.items()}),
                  escape(item, quote=False)]
        decks[slug].add_note(genanki.Note(model=model, fields=fields, tags=note_tags(d),
                                          guid=note_guid(d)))
    return genanki.Package([decks[slug] for slug in sorted(decks)])


def write_apkg(drawn: list[Drawn], path: Path, timestamp: int) -> int:
    """Write the deck file; returns the number of notes. The same questions and timestamp
    give the same bytes (see the module doc)."""
    import itertools

    package = build_package(drawn)
    handle, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(db_path)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(timestamp * 1000))
            connection.commit()
        finally:
            connection.close()
        data = Path(db_path).read_bytes()
    finally:
        os.unlink(db_path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (("collection.anki2", data), ("media", json.dumps({}).encode())):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return len(drawn)
