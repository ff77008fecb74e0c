"""Worksheets end to end: the PDF of a fixed seed, variants and their keys, grading,
fonts, and the command line's one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drill.cli import app
from drill.engine.kinds import show_value
from drill.engine.session import answer_question
from drill.worksheet.codes import SheetSpec
from drill.worksheet.fonts import FontError, font_setup
from drill.worksheet.grade import grade_rows, gradebook_csv, read_rows
from drill.worksheet.make import make_sheets, sheet_for_code
from drill.worksheet.pdf import compile_typst
from drill.worksheet.typst_doc import document

pypdf = pytest.importorskip("pypdf")
SPEC = SheetSpec(("cnn", "rnn"), 12, 7)


def pdf_pages(data: bytes) -> list[str]:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return [p.extract_text().replace("\u2212", "-") for p in pages]


def numbers_of(value) -> list:
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in numbers_of(v)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def shown_numbers(blocks) -> list:
    """The drawn numbers a problem prints: values in its text, matrices, tables."""
    from drill.engine.text import MatrixBlock, Paragraph, TableBlock, ValueRun

    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out += [x for r in block.runs if isinstance(r, ValueRun) for x in numbers_of(r.value)]
        elif isinstance(block, MatrixBlock):
            out += numbers_of(block.rows)
        elif isinstance(block, TableBlock):
            out += numbers_of(block.rows)
    return out


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_pdf_of_a_fixed_seed_has_its_pages_numbers_and_answers():
    from solvers.fmt import num

    sheet = make_sheets(SPEC, 0, None, "en", None)[0]
    pages = pdf_pages(compile_typst(document([sheet], ("Libertinus Serif",)), []))
    assert len(pages) == 5
    key_start = next(i for i, p in enumerate(pages) if "Answer key" in p)
    problems, key = squeeze(" ".join(pages[:key_start])), squeeze(" ".join(pages[key_start:]))
    assert len(sheet.problems) == 12
    for p in sheet.problems:
        assert f"{p.number}." in problems
        for x in shown_numbers(p.question.body):
            assert squeeze(num(x)) in problems, (p.number, x)
        for f in p.question.fields:
            if f.kind == "text":
                continue
            shown = [num(x) for x in numbers_of(f.expected)] or [f.shown_expected("en")]
            for s in shown:
                assert squeeze(s).replace(",", "") in key.replace(",", ""), (p.number, s)


def test_thirty_variants_differ_and_each_key_is_rebuilt_from_its_code_and_grades_right():
    spec = SheetSpec(("cnn", "rnn"), 6, 11, "numeric")
    sheets = make_sheets(spec, 30, None, "en", None)
    assert len({s.code for s in sheets}) == 30
    draws = {tuple(repr(p.question.values) for p in s.problems) for s in sheets}
    assert len(draws) == 30
    items = {tuple(p.question.item_id for p in s.problems) for s in sheets}
    assert len(items) == 1  # same structure, new numbers
    for sheet in sheets:
        again = sheet_for_code(sheet.code, "en", None)
        for p, q in zip(sheet.problems, again.problems):
            assert [f.expected for f in p.question.fields] == [f.expected for f in q.question.fields]
            typed = [f.shown_expected("en") for f in q.question.fields]
            assert answer_question(q.question, typed).result == "right"


def shifted(value):
    """Every number of an answer moved far off: a wrong answer of the right shape."""
    if isinstance(value, list):
        return [shifted(v) for v in value]
    return value + 1000


def test_grade_marks_right_wrong_malformed_and_missing_answers():
    sheet = make_sheets(SheetSpec(("cnn",), 3, 5, "numeric"), 1, None, "en", None)[0]
    p1, p2, p3 = sheet.problems
    right = " | ".join(f.shown_expected("en") for f in p1.question.fields)
    wrong_parts = [show_value(shifted(f.expected)) for f in p2.question.fields]
    csv_text = (f"code,name,1,2,3\n{sheet.code},Ana,\"{right}\",\"{' | '.join(wrong_parts)}\",\n"
                f"{sheet.code},Bo,zzz,,\nNOPE,Cy,1,2,3\n")
    _, rows = read_rows(csv_text)
    grades = grade_rows(rows, lambda code: sheet_for_code(code, "en", None))
    ana, bo, cy = grades
    assert ana.problems[0].verdict == "right" and ana.problems[0].score == 1
    if all(f.kind in ("count", "number") for f in p2.question.fields):
        assert ana.problems[1].verdict == "wrong"
    else:
        assert ana.problems[1].verdict in ("wrong", "partial")
    assert ana.problems[2].verdict == "missing"
    assert bo.problems[0].verdict == "unreadable" and bo.score == 0
    assert cy.error and not cy.problems
    book = gradebook_csv(grades).splitlines()
    assert book[0].startswith("code,name,score,out_of,percent,p1,p2,p3")
    assert book[1].startswith(f"{sheet.code},Ana,")
    assert "not a variant code" in book[3]


def test_chinese_without_a_cjk_font_fails_with_how_to_install(monkeypatch):
    import drill.worksheet.fonts as fonts

    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with pytest.raises(FontError) as err:
        font_setup("zh", None)
    assert "fonts-noto-cjk" in err.value.text("en") and "fonts-noto-cjk" in err.value.text("zh")
    assert font_setup("en", None)[1] == []


def test_chinese_pdf_when_a_cjk_font_is_installed():
    from drill.worksheet.fonts import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    sheet = make_sheets(SheetSpec(("rnn",), 4, 3), 0, None, "zh", None)[0]
    families, paths = font_setup("zh", None)
    text = " ".join(pdf_pages(compile_typst(document([sheet], families), paths)))
    assert "参考答案" in text and "姓名" in text


def test_cli_writes_sheet_and_separate_key_and_rejects_bad_input(tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "s.md"
    result = runner.invoke(app, ["worksheet", "-c", "cnn", "-n", "3", "--seed", "2", "-f", "md",
                                 "-o", str(out), "--key", "separate"])
    assert result.exit_code == 0, result.output
    assert "**1.**" in out.read_text() and "Answer key" in (tmp_path / "s-key.md").read_text()
    bad = runner.invoke(app, ["worksheet", "key", "NOT-A-CODE"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    nochap = runner.invoke(app, ["worksheet", "-c", "nosuch", "-o", str(out)])
    assert nochap.exit_code == 2


def test_exam_has_the_preset_sections_points_and_a_chapter_mix():
    from drill.worksheet.preset import load_preset

    preset = load_preset()
    sheet = make_sheets(SheetSpec((), 0, 4, exam=True), 0, None, "en", preset)[0]
    assert [s.points for s in sheet.sections] == [s.count * s.points for s in preset.sections]
    assert [p.question.item_kind for p in sheet.problems] == [
        s.kind for s in preset.sections for _ in range(s.count)]
    assert len({p.question.chapter for p in sheet.problems}) >= 6
    assert set(p.question.chapter for p in sheet.problems) <= set(preset.chapters)
