"""`drill bank lint` reports every problem of a broken bank with its line."""

from __future__ import annotations

from pathlib import Path

import time

import pytest

from drill.bank.lint import expand_paths, lint_paths
from drill.bank.load import BankDirError, BankError, load_bank, validate_bank

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
    assert [f.line for f in findings] == [5]
    assert "<" not in findings[0].message  # no token names such as <block end>


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


def test_a_broken_bank_loads_without_its_broken_items_and_says_why():
    bank = load_bank(BROKEN / "broken.yaml")
    assert bank.chapter.items == ()  # every item of this fixture is broken in some way
    assert [f.line for f in bank.errors] == [line for line, _ in EXPECTED]
    good = BROKEN.parent / "banks" / "mini.yaml"
    assert len(load_bank(good).chapter.items) == 4 and load_bank(good).findings == []


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "chapter: {slug}\ntitle: {{en: T, zh: T}}\ntopics: {{t: {{en: T, zh: T}}}}\nitems:\n"
TF = "  - {{id: {id}, kind: truefalse, topic: t, prompt: {{en: P, zh: P}}, answer: true}}\n"


def test_a_billion_laughs_alias_chain_is_refused_within_a_second(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n" + HEADER.format(slug="bomb")
                 + TF.format(id="x"))
    start = time.perf_counter()
    findings = lint_paths([path])
    assert time.perf_counter() - start < 1.0
    assert [(f.line, "alias" in f.message or "anchor" in f.message) for f in findings] == [(1, True)]


@pytest.mark.parametrize("text, line, words", [
    (HEADER.format(slug="tabs") + "\t- {id: x}\n", 5, "tab character: indent with spaces"),
    (HEADER.format(slug="docs") + TF.format(id="x") + "---\nchapter: other\n", 6,
     "one bank per file"),
])
def test_yaml_problems_are_told_in_words_a_person_understands(tmp_path, text, line, words):
    findings = lint_paths([write(tmp_path, text[9:13] + ".yaml", text)])
    assert [(f.line, words in f.message) for f in findings] == [(line, True)]


def test_a_file_whose_chapter_differs_from_its_name_is_refused(tmp_path):
    path = write(tmp_path, "foo.yaml", HEADER.format(slug="bar") + TF.format(id="x"))
    with pytest.raises(BankError, match="must match the file name 'foo'"):
        validate_bank(path)


def test_lint_takes_folders_and_lints_a_file_named_twice_once(tmp_path):
    a = write(tmp_path, "a.yaml", HEADER.format(slug="a") + TF.format(id="x") + TF.format(id="y"))
    write(tmp_path, "b.yaml", HEADER.format(slug="b") + TF.format(id="x"))
    assert expand_paths([tmp_path]) == [a, tmp_path / "b.yaml"]
    findings = lint_paths(expand_paths([tmp_path, a, tmp_path / "." / "a.yaml"]))
    assert [(f.path.name, f.line, "duplicate id 'x'" in f.message) for f in findings] == [
        ("b.yaml", 5, True)]


def test_a_missing_or_empty_bank_folder_is_an_error(tmp_path):
    with pytest.raises(BankDirError, match="no \\*.yaml"):
        expand_paths([tmp_path])
    with pytest.raises(BankDirError, match="does not exist"):
        expand_paths([tmp_path / "nope"])


def test_absurdly_long_texts_are_flagged(tmp_path):
    long = "x" * 30_000
    path = write(tmp_path, "long.yaml", HEADER.format(slug="long") + TF.format(id="ok")
                 + f"  - {{id: y, kind: truefalse, topic: t, prompt: {{en: {long}, zh: P}}, "
                   "answer: true}\n")
    findings = [f for f in lint_paths([path]) if f.severity == "error"]
    assert len(findings) == 1 and "over 20000" in findings[0].message
    assert len(str(findings[0])) < 400
