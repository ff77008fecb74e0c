r"""Moodle XML ("Moodle XML format" question import) from drawn questions.

What each item becomes:

- choice -> `multichoice` (single, or multiple with fractions 100/k for each of the k
  keyed options and -100/(n-k) for the others, both in Moodle's list of grades);
- truefalse -> `truefalse`; short -> `essay` with the model answer as grader information;
- a numeric template -> its own category `drill/<chapter>/<item id>` holding the N
  variants: one scalar answer as `numerical`, distractors as `multichoice`, several
  answers (or vectors, matrices, labels) as `cloze` with one NUMERICAL gap per number;
  the worked steps are the general feedback.

Tolerance: Moodle's numerical answers take an absolute ("nominal") tolerance, so each
variant carries `allowed_error(expected, tolerance)` of its own expected value — the very
bound the terminal quiz grades with (decimals N: ½·10⁻ᴺ; sigfigs N: ½ unit of the N-th
significant figure; rel/abs: max(abs, rel·|expected|)); a count's tolerance is 0.
Numbers are written with `repr`, which reads back to the same float.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from drill.engine.kinds import allowed_error
from drill.engine.question import AnswerField, Question
from drill.export.html import blocks_html, heading, multilang, steps_html
from drill.export.variants import Drawn
from drill.i18n import t

ROOT_CATEGORY = "$course$/top/drill"
PENALTY = "0.3333333"
#: kinds a cloze gap can grade exactly as the quiz does (order-free sets and sign-free
#: vectors have no cloze form).
CLOZE_KINDS = ("count", "number", "vector", "matrix", "label", "labels")
_CLOZE_SPECIAL = str.maketrans({c: "\\" + c for c in '\\}#~/"'})


@dataclass
class MoodleExport:
    xml: str
    questions: int = 0
    skipped: list[str] = field(default_factory=list)  # "item id: why", one per template left out


def number_text(value: float | int) -> str:
    """A number as Moodle reads it back exactly: ints plain, floats by repr (1e-05 too)."""
    return str(value) if isinstance(value, int) else repr(float(value))


def tolerance_of(answer: AnswerField, expected: float) -> float:
    """The absolute tolerance Moodle applies to this expected value (see module doc)."""
    return 0.0 if answer.tolerance is None else allowed_error(expected, answer.tolerance)


def fraction_text(percent: float) -> str:
    """A grade as Moodle writes it (5 decimals, trimmed): 100, 33.33333, -50."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ XML pieces


def _text_el(parent: ET.Element, tag: str, html: str, fmt: str | None = "html") -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = html
    return node


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _category(path: str) -> ET.Element:
    q = ET.Element("question", {"type": "category"})
    category = ET.SubElement(q, "category")
    ET.SubElement(category, "text").text = path
    _text_el(q, "info", "")
    return q


def _each(drawn: Drawn, html_of) -> str:
    return multilang({lang: html_of(q) for lang, q in drawn.by_lang.items()})


def _head(drawn: Drawn, qtype: str, body: str | None = None) -> ET.Element:
    q = ET.Element("question", {"type": qtype})
    name = drawn.item.id if drawn.variant is None else f"{drawn.item.id} #{drawn.variant}"
    _text_el(q, "name", name, fmt=None)
    _text_el(q, "questiontext", body if body is not None else _each(drawn, lambda x: blocks_html(x.body)))
    _text_el(q, "generalfeedback", _each(drawn, _feedback))
    return q


def _feedback(q: Question) -> str:
    """Explanation, then the worked steps under their heading."""
    html = blocks_html(q.explanation)
    steps = steps_html(q)
    if steps:
        html += heading(t("worked", q.lang)) + steps
    return html


def _tail(q: ET.Element, drawn: Drawn, grade: int = 1) -> None:
    _simple(q, "defaultgrade", str(grade))
    _simple(q, "penalty", PENALTY)
    _simple(q, "hidden", "0")
    _simple(q, "idnumber", drawn.item.id if drawn.variant is None else f"{drawn.item.id}-{drawn.seed}")


def _answer(q: ET.Element, percent: float, html: str, fmt: str = "html") -> ET.Element:
    node = _text_el(q, "answer", html, fmt)
    node.set("fraction", fraction_text(percent))
    _text_el(node, "feedback", "")
    return node


# ------------------------------------------------------------------ question types


def multichoice(drawn: Drawn) -> ET.Element:
    numeric = drawn.item.kind == "numeric"  # a template with distractors: say what is asked
    q = _head(drawn, "multichoice", _each(drawn, _body_with_label) if numeric else None)
    first = drawn.first
    keyed = first.fields[0].expected
    _tail(q, drawn)
    _simple(q, "single", "false" if first.multiple else "true")
    _simple(q, "shuffleanswers", "true")
    _simple(q, "answernumbering", "abc")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text_el(q, tag, "")
    _simple(q, "shownumcorrect", "")
    n_right, n_wrong = len(keyed), len(first.options) - len(keyed)
    for index, option in enumerate(first.options):
        right = option.letter in keyed
        if first.multiple:
            percent = 100 / n_right if right else -100 / max(n_wrong, 1)
        else:
            percent = 100 if right else 0
        html = multilang({lang: blocks_html(x.options[index].blocks) for lang, x in drawn.by_lang.items()})
        _answer(q, percent, html)
    return q


def truefalse(drawn: Drawn) -> ET.Element:
    q = _head(drawn, "truefalse")
    _tail(q, drawn)
    truth = drawn.first.fields[0].expected
    _answer(q, 100 if truth else 0, "true", "moodle_auto_format")
    _answer(q, 0 if truth else 100, "false", "moodle_auto_format")
    return q


def essay(drawn: Drawn) -> ET.Element:
    q = _head(drawn, "essay")
    _tail(q, drawn, grade=1)
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"),
                       ("responsefieldlines", "10"), ("minwordlimit", ""), ("maxwordlimit", ""),
                       ("attachments", "0"), ("attachmentsrequired", "0"), ("maxbytes", "0"),
                       ("filetypeslist", "")):
        _simple(q, tag, value)
    _text_el(q, "graderinfo", _each(drawn, lambda x: blocks_html(x.model_answer)))
    _text_el(q, "responsetemplate", "")
    return q


def numerical(drawn: Drawn) -> ET.Element:
    q = _head(drawn, "numerical", _each(drawn, _body_with_label))
    _tail(q, drawn)
    answer = drawn.first.fields[0]
    node = _answer(q, 100, number_text(answer.expected), "moodle_auto_format")
    _simple(node, "tolerance", number_text(tolerance_of(answer, answer.expected)))
    for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"),
                       ("showunits", "3"), ("unitsleft", "0")):
        _simple(q, tag, value)
    return q


def _body_with_label(q: Question) -> str:
    """The question text and, under it, what to give and how precisely."""
    html = blocks_html(q.body)
    answer = q.fields[0]
    words = " · ".join(w for w in (answer.label, answer.note) if w)
    return html + (heading(words) if words else "")


def cloze_gap(answer: AnswerField, value) -> str:
    """One gap: {1:NUMERICAL:=28:0} for a number, {1:SHORTANSWER:=up~=上} for a label."""
    if isinstance(value, str):
        spellings = [value, *answer.aliases.get(value, ())]
        return "{1:SHORTANSWER:" + "~".join("=" + s.translate(_CLOZE_SPECIAL) for s in spellings) + "}"
    return "{1:NUMERICAL:=%s:%s}" % (number_text(value), number_text(tolerance_of(answer, value)))


def _gaps(answer: AnswerField, value=None) -> str:
    """Gaps shaped like the answer: a number, [ a, b ] for a vector (or a list of counts
    or labels), one bracketed row per line for a matrix."""
    value = answer.expected if value is None else value
    if not isinstance(value, list):
        return cloze_gap(answer, value)
    if value and isinstance(value[0], list):
        return "<br>".join(_gaps(answer, row) for row in value)
    return "[ " + ", ".join(cloze_gap(answer, v) for v in value) + " ]"


def cloze(drawn: Drawn) -> ET.Element:
    """Several answers (or vectors and matrices): one gap per number; the gaps sit outside
    the multilang spans so each is asked once."""
    body = _each(drawn, lambda x: blocks_html(x.body))
    gaps = 0
    for index, answer in enumerate(drawn.first.fields):
        label = multilang({lang: _field_words(x.fields[index]) for lang, x in drawn.by_lang.items()})
        body += f"<p>{label}: {_gaps(answer)}</p>"
        gaps += _gaps(answer).count("{1:")
    q = _head(drawn, "cloze", body)
    _tail(q, drawn, grade=gaps)
    return q


def _field_words(answer: AnswerField) -> str:
    from html import escape

    words = " · ".join(w for w in (answer.label, answer.note) if w)
    return escape(words, quote=False)


def _template_form(drawn: Drawn):
    """How a numeric variant is set, or the reason it cannot be."""
    q = drawn.first
    if q.options:
        return multichoice
    kinds = [f.kind for f in q.fields]
    if len(kinds) == 1 and kinds[0] in ("count", "number") and not isinstance(q.fields[0].expected, list):
        return numerical
    missing = [k for k in kinds if k not in CLOZE_KINDS]
    if missing:
        return f"answer kind {missing[0]} has no Moodle form"
    return cloze


# ------------------------------------------------------------------ the file


CONCEPT_FORMS = {"choice": multichoice, "truefalse": truefalse, "short": essay}


def moodle_xml(drawn: list[Drawn]) -> MoodleExport:
    """The quiz file: per chapter its conceptual items, then each template's category."""
    quiz = ET.Element("quiz")
    out = MoodleExport("")
    chapters = sorted({d.chapter.chapter for d in drawn})
    for slug in chapters:
        mine = [d for d in drawn if d.chapter.chapter == slug]
        concept = [d for d in mine if d.item.kind in CONCEPT_FORMS]
        out.skipped += [f"{d.item.id}: item kind {d.item.kind} has no Moodle form" for d in mine
                        if d.item.kind not in CONCEPT_FORMS and d.item.kind != "numeric"]
        if concept:
            quiz.append(_category(f"{ROOT_CATEGORY}/{slug}"))
            for d in concept:
                quiz.append(CONCEPT_FORMS[d.item.kind](d))
                out.questions += 1
        templates = list(dict.fromkeys(d.item.id for d in mine if d.item.kind == "numeric"))
        for item_id in templates:
            variants = [d for d in mine if d.item.id == item_id]
            forms = [_template_form(d) for d in variants]
            reason = next((f for f in forms if isinstance(f, str)), None)
            if reason:
                out.skipped.append(f"{item_id}: {reason}")
                continue
            quiz.append(_category(f"{ROOT_CATEGORY}/{slug}/{item_id}"))
            for d, form in zip(variants, forms):
                quiz.append(form(d))
                out.questions += 1
    ET.indent(quiz, "  ")
    out.xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
    return out
