"""One validation at load: a quiz, `drill list` and lint see the same broken items,
and the runtime model stays in step with the schema."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from typer.testing import CliRunner

from drill.bank import model, schema
from drill.cli import app

HEADER = "chapter: user\ntitle: {en: User bank, zh: 用户题库}\ntopics: {t: {en: T, zh: 主题}}\nitems:\n"
GOOD = "  - {id: u-ok, kind: truefalse, topic: t, prompt: {en: Fine?, zh: 好？}, answer: true}\n"
UNKNOWN_SOLVER = """  - id: u-solver
    kind: numeric
    topic: t
    solver: conv9d_shape
    prompt: {en: x, zh: x}
    ask: [out_height]
"""
BAD_PLACEHOLDER = """  - id: u-placeholder
    kind: numeric
    topic: t
    solver: dense_params
    params: {in_features: 3, out_features: 2}
    prompt: {en: "{foo} and {in_features.__class__.__mro__}", zh: "{in_features}"}
    ask: [params]
"""


def user_bank(tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "user.yaml").write_text(HEADER + GOOD + UNKNOWN_SOLVER + BAD_PLACEHOLDER,
                                      encoding="utf-8")
    return folder


def test_a_quiz_reports_broken_items_as_file_line_and_goes_on_without_them(tmp_path):
    folder = user_bank(tmp_path)
    result = CliRunner().invoke(app, ["quiz", "--seed", "1", "-n", "3"], input="t\n",
                                env={"DRILL_BANK_DIR": str(folder)})
    assert result.exit_code == 0, result.output
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"{folder / 'user.yaml'}:9: unknown solver 'conv9d_shape' (see `drill solve --list`)",
        f"{folder / 'user.yaml'}:17: placeholder {{in_features.__class__.__mro__}} must be a "
        "plain name (no attribute, index or position)",
    ]
    assert "Traceback" not in result.output
    assert "1 question · seed 1" in result.stdout
    assert "100%" in result.stdout


def test_list_marks_a_bank_with_broken_items(tmp_path):
    result = CliRunner().invoke(app, ["list"], env={"DRILL_BANK_DIR": str(user_bank(tmp_path))})
    assert result.exit_code == 0
    assert "2 broken item(s) left out" in result.stdout


def test_missing_or_empty_bank_dir_is_a_clear_error_with_nonzero_exit(tmp_path):
    for folder in (tmp_path / "nope", tmp_path):
        for args in (["quiz"], ["list"], ["bank", "lint"]):
            result = CliRunner().invoke(app, args, env={"DRILL_BANK_DIR": str(folder)})
            assert result.exit_code == 2, (args, result.output)
            assert "bank folder" in result.stderr and "Traceback" not in result.output


def test_runtime_model_and_schema_have_the_same_fields():
    pairs = [(model.ChoiceItem, schema.ChoiceItem), (model.TrueFalseItem, schema.TrueFalseItem),
             (model.ShortItem, schema.ShortItem), (model.Chapter, schema.Chapter),
             (model.Text, schema.Text), (model.Tolerance, schema.Tolerance),
             (model.Ask, schema.Ask)]
    renamed = {"asks": "ask", "multiple": None}
    for runtime, validated in pairs:
        names = {renamed.get(f.name, f.name) for f in dataclasses.fields(runtime)} - {None}
        assert names == set(validated.model_fields), runtime.__name__
    draw = {f.name for f in dataclasses.fields(model.Draw)}
    assert draw == set(schema.Draw.model_fields)
    numeric = {renamed.get(f.name, f.name) for f in dataclasses.fields(model.NumericItem)}
    assert numeric == set(schema.NumericItem.model_fields)


def test_a_cached_quiz_start_imports_neither_pydantic_nor_yaml():
    code = ("import sys; from drill.bank.load import load_chapters; load_chapters(['rnn']); "
            "load_chapters(['rnn']); print('pydantic' in sys.modules, 'yaml' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code.replace("load_chapters(['rnn']); load", "load")],
                            capture_output=True, text=True, check=True)
    assert second.stdout.split() == ["False", "False"], (first.stdout, second.stdout)


HOSTILE_PARAMS = """  - id: u-pad-{n}
    kind: numeric
    topic: t
    solver: conv2d_forward
    params: {{input: [[1, 2], [3, 4]], kernel: [[1]], padding: {padding}}}
    prompt: {{en: x, zh: x}}
    ask: [output]
"""


def test_hostile_solver_parameters_in_a_bank_are_refused_at_load_quickly(tmp_path):
    import time

    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "user.yaml").write_text(
        HEADER + GOOD + HOSTILE_PARAMS.format(n=1, padding="1.0e+308")
        + HOSTILE_PARAMS.format(n=2, padding=5000), encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["quiz", "--seed", "1", "-n", "1"], input="t\n",
                                env={"DRILL_BANK_DIR": str(folder)})
    assert time.perf_counter() - start < 2
    assert result.exit_code == 0, result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all("padding" in e and len(e) < 300 for e in errors)


def test_a_ten_megabyte_bank_is_refused_at_once(tmp_path):
    import time

    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "big.yaml").write_text(HEADER.replace("user", "big") + GOOD.replace(
        "Fine?", "x" * 10_000_000), encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["bank", "lint", str(folder)])
    assert time.perf_counter() - start < 1
    assert result.exit_code == 1 and "over the 2,000,000-byte limit" in result.stdout


def test_a_constraint_on_a_name_that_is_both_drawn_and_an_answer_is_refused(tmp_path):
    from drill.bank.lint import lint_paths

    path = tmp_path / "clash.yaml"
    path.write_text(HEADER.replace("user", "clash") + """  - id: c-clash
    kind: numeric
    topic: t
    solver: dense_params
    vars: {params: {int: [1, 3]}}
    params: {in_features: 3, out_features: 2}
    constraints: ["params > 2"]
    prompt: {en: "{in_features}", zh: "{in_features}"}
    ask: [params]
""", encoding="utf-8")
    (finding,) = lint_paths([path])
    assert finding.line == 11 and "both a drawn value and an answer" in finding.message


def test_an_alias_that_is_a_quiz_command_is_a_bank_error(tmp_path):
    from drill.bank.lint import lint_paths

    path = tmp_path / "keys.yaml"
    path.write_text(HEADER.replace("user", "keys") + """  - id: k-alias
    kind: numeric
    topic: t
    solver: tensor_shape
    params: {op: broadcast, a: [2, 3], b: [3]}
    prompt: {en: "broadcast?", zh: "广播？"}
    ask:
      - answer: status
        aliases: {ok: [s, 可以]}
""", encoding="utf-8")
    findings = [f for f in lint_paths([path]) if f.severity == "error"]
    assert [("quiz commands" in f.message) for f in findings] == [True], findings
