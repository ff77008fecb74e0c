"""`drill bank lint` reports every problem of a broken bank with its line."""

from __future__ import annotations

from pathlib import Path

from drill.bank_lint import lint_paths
from drill.bank_load import BankError, load_bank

BROKEN = Path(__file__).parent / "fixtures" / "broken"

EXPECTED = [  # (line, a fragment of the message) for broken.yaml, in order
    (12, "answer 'd' is out of range"),
    (16, "missing `en` text"),
    (18, "duplicate id 'b-choice'"),
    (26, "unknown solver 'conv9d_shape'"),
    (33, "missing solver parameter 'out_features'"),
    (35, "no parameter 'out_feature'"),
    (36, "en: placeholder {out_features}"),
    (36, "zh: placeholder {out_features}"),
    (45, "constraints not satisfied"),
    (51, "kernel_size"),
    (62, "unknown topic 'nowhere'"),
]


def test_lint_reports_each_error_of_the_broken_fixture_with_its_line():
    findings = [f for f in lint_paths([BROKEN / "broken.yaml"], seeds=5) if f.severity == "error"]
    got = [(f.line, f.message) for f in findings]
    assert len(got) == len(EXPECTED), "\n".join(str(f) for f in findings)
    for (line, message), (want_line, fragment) in zip(got, EXPECTED):
        assert line == want_line and fragment in message, (line, message)


def test_lint_findings_print_as_file_line_message():
    finding = lint_paths([BROKEN / "broken.yaml"], seeds=1)[0]
    assert str(finding).startswith(f"{BROKEN / 'broken.yaml'}:12: ")


def test_yaml_syntax_error_is_reported_with_its_line():
    findings = lint_paths([BROKEN / "syntax.yaml"])
    assert [(f.line, "YAML syntax" in f.message) for f in findings] == [(5, True)]


def test_unknown_field_and_wrong_type_name_the_field(tmp_path):
    bank = tmp_path / "typo.yaml"
    bank.write_text(
        "chapter: typo\ntitle: {en: T, zh: T}\ntopics: {t: {en: T, zh: T}}\nitems:\n"
        "  - id: x\n    kind: truefalse\n    topic: t\n    promt: {en: P, zh: P}\n"
        "    answer: true\n  - id: y\n    kind: numeric\n    topic: t\n    solver: dense_params\n"
        "    params: {in_features: null, out_features: 2}\n    ask: [params]\n"
        "    prompt: {en: P, zh: P}\n",
        encoding="utf-8",
    )
    messages = {(f.line, f.message) for f in lint_paths([bank])}
    assert (5, "items[0]: missing field 'prompt'") in messages
    assert (8, "items[0].promt: unknown field 'promt'") in messages
    assert any(line == 14 and "in_features: wrong type" in m for line, m in messages)


def test_duplicate_yaml_keys_are_reported(tmp_path):
    bank = tmp_path / "dup.yaml"
    bank.write_text("chapter: dup\nchapter: dup\ntitle: {en: T}\ntopics: {t: {en: T}}\n"
                    "items: [{id: a, kind: truefalse, topic: t, prompt: {en: P}, answer: true}]\n")
    messages = [(f.line, f.message) for f in lint_paths([bank]) if f.severity == "error"]
    assert messages == [(2, "duplicate key 'chapter'")]


def test_missing_zh_is_a_warning_not_an_error(tmp_path):
    bank = tmp_path / "enonly.yaml"
    bank.write_text("chapter: enonly\ntitle: {en: T}\ntopics: {t: {en: T}}\n"
                    "items: [{id: a, kind: truefalse, topic: t, prompt: {en: P}, answer: true}]\n")
    findings = lint_paths([bank])
    assert findings and all(f.severity == "warning" and "zh" in f.message for f in findings)


def test_a_broken_bank_cannot_be_loaded_for_a_quiz():
    try:
        load_bank(BROKEN / "broken.yaml")
    except BankError as err:
        assert err.findings[0].line == 16
    else:
        raise AssertionError("a broken bank loaded")
