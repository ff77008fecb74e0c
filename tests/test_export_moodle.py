"""`drill export moodle`: the XML Moodle imports, and every variant's answer re-solved."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from drill.bank.load import load_chapters
from drill.bank.model import Tolerance
from drill.engine.kinds import allowed_error, within_tolerance
from drill.engine.question import build_question
from drill.export.moodle import fraction_text, moodle_xml, tolerance_of
from drill.export.variants import draw, variant_seeds

CHAPTERS = ["cnn", "rnn", "autoencoders"]
SEED, VARIANTS = 5, 3
# Moodle's grade list (question_bank::fraction_options_full), in percent
MOODLE_GRADES = {round(100 * g, 5) for g in (1, .9, .8333333, .8, .75, .7, .6666667, .6, .5, .4,
                                             .3333333, .3, .25, .2, .1666667, .1428571, .125,
                                             .1111111, .1, .05, 0)}
MOODLE_GRADES |= {-g for g in MOODLE_GRADES}
REQUIRED = {
    "multichoice": ["single", "shuffleanswers", "answernumbering", "correctfeedback",
                    "partiallycorrectfeedback", "incorrectfeedback", "answer"],
    "truefalse": ["answer"],
    "essay": ["responseformat", "responsefieldlines", "attachments", "graderinfo"],
    "numerical": ["answer", "answer/tolerance"],
    "cloze": [],
}
GAP = re.compile(r"\{1:(NUMERICAL|SHORTANSWER):=([^:}]*)(?::([^}]*))?\}")


@pytest.fixture(scope="module")
def chapters():
    banks, _ = load_chapters(CHAPTERS)
    return {b.chapter.chapter: b.chapter for b in banks}


@pytest.fixture(scope="module")
def export(chapters):
    drawn = draw(list(chapters.values()), SEED, VARIANTS, "both")
    return drawn, moodle_xml(drawn)


def questions(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    return list(root)


def _item(chapters, item_id):
    for chapter in chapters.values():
        for item in chapter.items:
            if item.id == item_id:
                return chapter, item
    raise AssertionError(item_id)


def _resolved(chapters, question: ET.Element):
    """The question rebuilt from its idnumber (item id - variant seed)."""
    item_id, seed = question.findtext("idnumber").rsplit("-", 1)
    chapter, item = _item(chapters, item_id)
    return build_question(chapter, item, int(seed), "en")


def test_every_question_has_the_elements_moodle_requires(export):
    _, result = export
    kinds = set()
    for q in questions(result.xml):
        qtype = q.get("type")
        kinds.add(qtype)
        if qtype == "category":
            assert q.findtext("category/text").startswith("$course$/top/drill/")
            continue
        assert q.findtext("name/text")
        assert q.find("questiontext").get("format") == "html"
        assert q.findtext("questiontext/text")
        assert q.find("generalfeedback/text") is not None
        assert float(q.findtext("defaultgrade")) >= 1
        for path in REQUIRED[qtype]:
            assert q.find(path) is not None, (qtype, path)
    assert {"category", "multichoice", "truefalse", "essay", "numerical", "cloze"} <= kinds
    assert result.questions == sum(q.get("type") != "category" for q in questions(result.xml))


def test_choice_grades_are_in_moodle_grade_list_and_add_up(export):
    _, result = export
    for q in questions(result.xml):
        if q.get("type") != "multichoice":
            continue
        assert q.findtext("shuffleanswers") == "true"
        grades = [float(a.get("fraction")) for a in q.findall("answer")]
        assert all(round(g, 5) in MOODLE_GRADES for g in grades), grades
        assert sum(g for g in grades if g > 0) == pytest.approx(100, abs=1e-3)
        if q.findtext("single") == "true":
            assert grades.count(100) == 1


def test_truefalse_has_true_and_false_with_one_right(export):
    _, result = export
    for q in questions(result.xml):
        if q.get("type") == "truefalse":
            answers = {a.findtext("text"): float(a.get("fraction")) for a in q.findall("answer")}
            assert set(answers) == {"true", "false"} and sorted(answers.values()) == [0, 100]


def test_numerical_variants_match_re_solving_with_the_same_seed(export, chapters):
    _, result = export
    checked = 0
    for q in questions(result.xml):
        if q.get("type") != "numerical":
            continue
        field = _resolved(chapters, q).fields[0]
        answer = float(q.findtext("answer/text"))
        tolerance = float(q.findtext("answer/tolerance"))
        assert answer == field.expected
        assert tolerance == tolerance_of(field, field.expected)
        if field.tolerance is not None:  # Moodle's |given - answer| <= tol is the quiz's rule
            assert within_tolerance(answer + tolerance, field.expected, field.tolerance)
            assert not within_tolerance(answer + 1.01 * tolerance, field.expected, field.tolerance)
        checked += 1
    assert checked >= VARIANTS


def _flat(value):
    if isinstance(value, list):
        return [x for v in value for x in _flat(v)]
    return [value]


def test_cloze_gaps_match_re_solving_field_by_field(export, chapters):
    _, result = export
    checked = 0
    for q in questions(result.xml):
        if q.get("type") != "cloze":
            continue
        fields = _resolved(chapters, q).fields
        expected = [(f, v) for f in fields for v in _flat(f.expected)]
        gaps = GAP.findall(q.findtext("questiontext/text"))
        assert len(gaps) == len(expected) == int(q.findtext("defaultgrade"))
        for (kind, answer, tolerance), (field, value) in zip(gaps, expected):
            if kind == "NUMERICAL":
                assert float(answer) == value
                assert float(tolerance) == tolerance_of(field, value)
            else:
                assert answer == value
        checked += 1
    assert checked >= VARIANTS


def test_multichoice_templates_key_the_solved_option(chapters):
    templates = [(c, i) for c in chapters.values() for i in c.items
                 if i.kind == "numeric" and build_question(c, i, 1, "en").options][:3]
    assert templates, "no numeric template with distractors in the banks"
    unique = list({c.chapter: c for c, _ in templates}.values())
    ids = {i.id for _, i in templates}
    drawn = [d for d in draw(unique, SEED, 2, "en") if d.item.id in ids]
    choices = [q for q in questions(moodle_xml(drawn).xml) if q.get("type") == "multichoice"]
    assert len(choices) == 2 * len(templates)
    for q in choices:
        solved = _resolved({"x": _chapter_of(templates, q)}, q)
        right = [a.findtext("text") for a in q.findall("answer") if float(a.get("fraction")) == 100]
        keyed = next(iter(solved.fields[0].expected))
        option = solved.options["abcdefg".index(keyed)]
        assert right == [f"<p>{option.blocks[0].runs[0].plain}</p>"]


def _chapter_of(templates, q):
    item_id = q.findtext("idnumber").rsplit("-", 1)[0]
    return next(c for c, i in templates if i.id == item_id)


def test_tolerance_rules_become_moodle_absolute_tolerance():
    from drill.engine.question import AnswerField

    def tol(expected, **rule):
        return tolerance_of(AnswerField("x", "", "number", expected, Tolerance(**rule)), expected)

    assert tol(0.123, decimals=3) == pytest.approx(0.0005)
    assert tol(0.012345, sigfigs=3) == pytest.approx(0.00005)
    assert tol(4567.0, sigfigs=2) == pytest.approx(50)
    assert tol(200.0, rel=0.01, abs=0.5) == pytest.approx(2.0)
    assert tol(10.0, rel=0.01, abs=0.5) == pytest.approx(0.5)
    assert tolerance_of(AnswerField("n", "", "count", 28, None), 28) == 0
    assert allowed_error(0.0, Tolerance(sigfigs=3)) == pytest.approx(0.0005)
    assert fraction_text(100 / 3) == "33.33333" and fraction_text(-50) == "-50"


def test_same_seed_same_bytes_other_seed_other_draws(chapters):
    chosen = [chapters["cnn"]]
    one = moodle_xml(draw(chosen, 9, 2, "en")).xml
    assert one == moodle_xml(draw(chosen, 9, 2, "en")).xml
    assert one != moodle_xml(draw(chosen, 10, 2, "en")).xml
    assert variant_seeds("a", 1, 5) == variant_seeds("a", 1, 5) and len(set(variant_seeds("a", 1, 50))) == 50


def test_chinese_survives_in_multilang_spans(export):
    _, result = export
    root = ET.fromstring(result.xml.encode("utf-8"))
    texts = [q.findtext("questiontext/text") for q in root if q.get("type") != "category"]
    assert all('<span lang="en" class="multilang">' in t and '<span lang="zh_cn" class="multilang">' in t
               for t in texts if "multilang" in t)
    assert sum(bool(re.search("[\u4e00-\u9fff]", t)) for t in texts) == len(texts)
    zh_only = moodle_xml(draw([export[0][0].chapter], SEED, 1, "zh")).xml
    assert "multilang" not in zh_only and re.search("[\u4e00-\u9fff]", zh_only)


def test_kinds_without_a_moodle_form_are_reported_not_exported():
    banks, _ = load_chapters(["linalg"])
    result = moodle_xml(draw([banks[0].chapter], 1, 1, "en"))
    assert result.skipped and all("vector_up_to_sign" in s for s in result.skipped)
    ids = {s.split(":")[0] for s in result.skipped}
    assert not any(q.findtext("idnumber", "").rsplit("-", 1)[0] in ids for q in questions(result.xml))


def test_an_item_kind_without_a_moodle_form_is_reported_not_exported(export):
    from dataclasses import replace

    drawn, _ = export
    essay = next(d for d in drawn if d.item.kind == "short")
    odd = replace(essay, item=replace(essay.item, kind="symbolic"))
    result = moodle_xml([essay, odd])
    assert result.questions == 1
    assert result.skipped == [f"{essay.item.id}: item kind symbolic has no Moodle form"]
