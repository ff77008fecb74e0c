"""The CLI through typer's test runner: quiz on piped answers, solve, list, bank."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drill.bank.load import load_chapters
from drill.cli import app
from drill.engine.question import build_question
from drill.engine.session import pick_entries

FIXTURE_BANKS = Path(__file__).parent / "fixtures" / "banks"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
SEED = 11
runner = CliRunner()


def run(*args: str, input: str | None = None, banks: Path | None = FIXTURE_BANKS):
    env = {"DRILL_BANK_DIR": str(banks)} if banks else {}
    return runner.invoke(app, list(args), input=input, env=env)


def piped_answers(seed: int, right: bool) -> list[str]:
    """Answers for the fixture quiz, computed independently of the solver for the conv item."""
    banks, _ = load_chapters(None, FIXTURE_BANKS)
    entries = pick_entries([b.chapter for b in banks], 4, seed)
    lines: list[str] = []
    for entry in entries:
        kind = entry.item.kind
        question = build_question(entry.chapter, entry.item, entry.seed, "en")
        if kind == "numeric":
            names = question.values
            out = names["n"] + 2 * names["padding"] - 3 + 1
            params = names["out_channels"] * (9 + 1)
            lines += [str(out if right else out + 1), str(params)]
        elif kind == "choice":
            by_text = {o.blocks[0].plain: o.letter for o in question.options}
            lines.append(by_text["0"] if right else by_text["4"])
        elif kind == "truefalse":
            lines.append("f" if right else "t")
        else:
            lines += ["the identity path", "y" if right else "n"]
    return lines


def total_row(output: str) -> list[str]:
    line = next(l for l in output.splitlines() if "Total" in l or "合计" in l)
    return re.findall(r"\d+%?", line)


def test_quiz_all_right_on_piped_answers_scores_100_percent():
    result = run("quiz", "--seed", str(SEED), "-n", "4", input="\n".join(piped_answers(SEED, True)) + "\n")
    assert result.exit_code == 0, result.output
    assert total_row(result.output) == ["4", "4", "0", "0", "100%"]
    assert "Worked solution" not in result.output


def test_quiz_wrong_answers_show_the_correct_answer_and_worked_steps():
    result = run("quiz", "--seed", str(SEED), "-n", "4", input="\n".join(piped_answers(SEED, False)) + "\n")
    assert result.exit_code == 0, result.output
    assert total_row(result.output) == ["4", "0", "4", "0", "0%"]
    assert "Worked solution" in result.output
    assert "PyTorch floors" in result.output      # a step of conv2d_shape
    assert re.search(r"Correct answer: [ab]\) 0", result.output)   # the choice item
    assert "Model answer" in result.output        # the short item


def test_quiz_reprompts_on_malformed_answers_then_grades():
    answers = piped_answers(SEED, True)
    noisy = []
    for line in answers:
        noisy += ["[1, 2", "zzz", line] if line.isdigit() else [line]
    result = run("quiz", "--seed", str(SEED), "-n", "4", input="\n".join(noisy) + "\n")
    assert result.exit_code == 0
    assert "Can't read that" in result.output
    assert total_row(result.output) == ["4", "4", "0", "0", "100%"]


def test_quiz_h_shows_hints_s_skips_q_stops():
    result = run("quiz", "--seed", "1", "-n", "4", "--kind", "numeric", input="h\nh\ns\nq\n")
    assert result.exit_code == 0
    assert "Hint 1/1: out = n + 2p − k + 1" in result.output
    assert "No more hints." in result.output
    assert "Skipped" in result.output
    assert "Stopped after 1 of 4." in result.output
    assert total_row(result.output) == ["1", "0", "0", "1", "0%"]


def test_quiz_stops_cleanly_at_end_of_input():
    result = run("quiz", "--seed", "2", "-n", "3", input="")
    assert result.exit_code == 0
    assert "Stopped after 0 of 3." in result.output


def test_quiz_same_seed_same_questions():
    first = run("quiz", "--seed", "5", "-n", "4", input="s\n" * 8)
    second = run("quiz", "--seed", "5", "-n", "4", input="s\n" * 8)
    assert first.output == second.output


def test_quiz_in_chinese():
    result = run("quiz", "--seed", "1", "-n", "2", "--lang", "zh", input="s\ns\n")
    assert "第 1/2 题" in result.output and "各主题得分" in result.output


def test_quiz_unknown_chapter_is_exit_2_with_one_line():
    result = run("quiz", "--chapter", "nope")
    assert result.exit_code == 2
    assert "no chapter nope" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_quiz_on_a_bank_of_broken_items_lists_them_and_has_nothing_to_ask():
    result = run("quiz", input="q\n", banks=BROKEN)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 13 and all(re.match(r".+\.yaml:\d+: ", l) for l in lines[:-1])
    assert lines[-1] == "drill: No questions match these options."


def test_solve_json_follows_the_contract():
    result = run("solve", "conv2d_shape", "height=227", "width=227", "in_channels=3",
                 "out_channels=96", "kernel_size=11", "stride=4", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["solver"] == "conv2d_shape"
    assert data["inputs"]["padding"] == 0 and data["inputs"]["bias"] is True
    assert data["answers"] == {"out_height": 55, "out_width": 55, "params": 34944, "macs": 105415200}
    assert all({"text", "latex", "value"} <= set(step) for step in data["steps"])


def test_solve_pool_stride_defaults_to_kernel_size_in_echoed_inputs():
    result = run("solve", "pool2d_shape", "height=32", "width=32", "kernel_size=2", "--json")
    assert json.loads(result.stdout)["inputs"]["stride"] == 2


def test_solve_reads_strings_and_json_values():
    result = run("solve", "rnn_params", "cell=lstm", "input_size=10", "hidden_size=32",
                 "convention=keras", "--json")
    assert json.loads(result.stdout)["answers"] == {"params": 5504}


@pytest.mark.parametrize("args, fragment", [
    (["nope"], "no solver named 'nope'"),
    (["conv2d_shape", "height=3"], "width: missing required parameter"),
    (["conv2d_shape", "height=3", "width=3", "in_channels=1", "out_channels=1", "kernel_size=5"],
     "kernel_size:"),
    (["conv2d_shape", "hieght=3"], "hieght: unknown parameter"),
    (["conv2d_shape", "height"], "expected key=value"),
    (["dense_params", "in_features=[1,2]", "out_features=2"], "in_features: expected a number"),
    (["rnn_params", "cell=transformer", "input_size=1", "hidden_size=1"], "cell: must be one of"),
    (["rnn_step", "x=[1]", "h_prev=[0,0]", "w_ih=[[1]]", "w_hh=[[1,0],[0,1]]"], "w_ih:"),
])
def test_solve_bad_input_is_exit_2_one_line_on_stderr_nothing_on_stdout(args, fragment):
    result = run("solve", *args, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_solve_list_names_every_required_solver():
    result = run("solve", "--list")
    for name in ["conv2d_shape", "pool2d_shape", "conv2d_forward", "pool2d_forward",
                 "depthwise_separable_params", "dense_params", "rnn_params", "rnn_step",
                 "lstm_step", "gru_step", "clip_grad"]:
        assert name in result.stdout


def test_solve_name_help_lists_parameters_defaults_and_answers():
    result = run("solve", "clip_grad", "--help")
    assert result.exit_code == 0
    for fragment in ("max_norm", "clip_value", "norm | value", "total_norm", "clipped"):
        assert fragment in result.stdout


def test_solve_readable_output_shows_answers_and_steps_in_chinese():
    result = run("solve", "dense_params", "in_features=784", "out_features=10", "--lang", "zh")
    assert result.exit_code == 0
    assert "7850" in result.stdout and "步骤" in result.stdout


def test_list_counts_concept_items_and_templates():
    result = run("list")
    row = next(l for l in result.stdout.splitlines() if "mini" in l)
    assert re.findall(r"\b\d+\b", row) == ["3", "1"]


def test_bank_lint_on_broken_fixture_exits_1_with_file_line_messages():
    result = run("bank", "lint", str(BROKEN / "broken.yaml"), "--seeds", "3")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 11
    assert all(re.match(rf"{re.escape(str(BROKEN / 'broken.yaml'))}:\d+: ", l) for l in lines)


def test_bank_lint_on_the_fixture_bank_is_clean():
    result = run("bank", "lint", str(FIXTURE_BANKS / "mini.yaml"))
    assert result.exit_code == 0 and result.stdout == ""


def test_bank_schema_is_json_schema_for_chapters():
    schema = json.loads(run("bank", "schema").stdout)
    assert set(schema["required"]) >= {"chapter", "title", "topics", "items"}


@pytest.mark.parametrize("args, fragment", [
    (["conv2d_forward", "input=[[1,2],[3,4]]", "kernel=[[1]]", "padding=100000"], "padding"),
    (["conv2d_forward", "input=[[1,2],[3,4]]", "kernel=[[1]]", "padding=1e308"], "padding"),
    (["conv2d_shape", "height=123456789012345678901", "width=3", "in_channels=1",
      "out_channels=1", "kernel_size=1"], "height"),
    (["conv2d_forward", "input=" + "[" * 50_000 + "]" * 50_000, "kernel=[[1]]"], "input"),
    (["dense_params", "in_features=" + "9" * 5000, "out_features=1"], "in_features"),
])
def test_solve_hostile_input_is_exit_2_one_short_line_quickly(args, fragment):
    import time

    start = time.perf_counter()
    result = run("solve", *args, "--json")
    assert time.perf_counter() - start < 2
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and len(lines[0]) < 300, result.stderr


def test_solve_echoes_big_integers_exactly_or_refuses_them():
    result = run("solve", "dense_params", "in_features=150528", "out_features=4096", "--json")
    assert json.loads(result.stdout)["answers"]["params"] == 150528 * 4096 + 4096


def test_solve_name_help_shows_the_solvers_examples():
    result = run("solve", "conv2d_shape", "--help")
    assert "examples" in result.stdout
    assert "drill solve conv2d_shape height=227 width=227" in result.stdout


def test_a_wrong_part_is_shown_as_the_student_typed_it():
    banks, _ = load_chapters(None, FIXTURE_BANKS)
    entries = pick_entries([b.chapter for b in banks], 4, SEED)
    answers = []
    for entry in entries:
        question = build_question(entry.chapter, entry.item, entry.seed, "en")
        if entry.item.kind == "numeric":
            out, params = (f.expected for f in question.fields)
            answers += [str(out), f"{params + 1}.000000"]
            typed = f"{params + 1}.000000"
        else:
            answers += ["s"]
    result = run("quiz", "--seed", str(SEED), "-n", "4", input="\n".join(answers) + "\n")
    assert f"you gave {typed}, correct" in result.output


def test_skipping_a_short_answer_still_shows_the_model_answer():
    banks, _ = load_chapters(None, FIXTURE_BANKS)
    entries = pick_entries([b.chapter for b in banks], 4, SEED)
    short_at = next(i for i, e in enumerate(entries) if e.item.kind == "short")
    answers = ["s"] * short_at + ["s"]
    result = run("quiz", "--seed", str(SEED), "-n", "4", input="\n".join(answers) + "\n")
    assert "The identity path adds I to the Jacobian." in result.output


def test_list_aligns_chinese_titles_by_display_width_and_imports_no_rich():
    import subprocess
    import sys

    from drill.terminal.chapters import display_width

    result = run("list", "--lang", "zh")
    lines = result.stdout.splitlines()
    header, rule, mini = lines[2], lines[3], lines[4]
    assert display_width(header) <= display_width(rule) and mini.startswith("mini")
    assert display_width(mini.rstrip()) == display_width(rule)  # counts line up under the rule
    code = ("import sys, os; os.environ['DRILL_BANK_DIR'] = sys.argv[1]\n"
            "from typer.testing import CliRunner\nfrom drill.cli import app\n"
            "CliRunner().invoke(app, ['list'])\nprint('rich.table' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(FIXTURE_BANKS)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"
