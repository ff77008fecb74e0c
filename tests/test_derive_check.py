"""`drill check`: a correct derivation exits 0, one with a wrong step 3 exits 1 and shows
a counter-example at that step, garbage exits 2 with the line and column."""

from __future__ import annotations

from typer.testing import CliRunner

from drill.cli import app

CORRECT = """\
# the sigmoid's derivative
let s = 1/(1+exp(-x))
diff(1/(1+exp(-x)), x)
= exp(-x)/(1+exp(-x))^2
= s*(1 - s)
"""

WRONG_STEP_3 = """\
let s = 1/(1+exp(-x))
diff(1/(1+exp(-x)), x)
= exp(-x)/(1+exp(-x))^2
= s*(1 + s)
= s + s^2
"""


def run(args, stdin=None):
    return CliRunner().invoke(app, args, input=stdin)


def test_a_correct_derivation_exits_0_with_a_check_per_step(tmp_path):
    path = tmp_path / "sigmoid.txt"
    path.write_text(CORRECT)
    result = run(["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("✓") == 2
    assert "All 3 steps hold." in result.output


def test_a_wrong_step_3_exits_1_and_is_marked_with_a_counter_example():
    result = run(["check", "-"], WRONG_STEP_3)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    marked = [line for line in lines if "first wrong step" in line]
    assert len(marked) == 1 and marked[0].strip().startswith("step 3:")
    assert "✗ not equal: at x = " in marked[0] and "the previous step is" in marked[0]
    assert "Step 3 (line 4) does not hold." in lines[-1]
    assert "step 4: ✓" in result.output  # later steps are still judged against their predecessor


def test_a_wrong_step_in_chinese():
    result = run(["check", "-", "--lang", "zh"], WRONG_STEP_3)
    assert result.exit_code == 1
    assert "第一个错误的步骤" in result.output and "不相等" in result.output


def test_garbage_exits_2_with_line_and_column_on_one_line():
    result = run(["check", "-"], "x^2\n= 2x +* 3\n")
    assert result.exit_code == 2
    assert result.output == "drill: check -: line 2: column 7: unexpected '*'\n"
    binary = run(["check", "-"], "\xff\xfe garbage \x00")
    assert binary.exit_code in (1, 2)


def test_a_chain_on_one_line_and_an_undeclared_expression():
    assert run(["check", "-"], "(x+1)^2 = x^2 + 2x + 1 = (x + 1)(1 + x)\n").exit_code == 0
    assert run(["check", "-"], "(x+1)^2 = x^2 + 1\n").exit_code == 1


def test_missing_file_and_empty_input_exit_2():
    assert run(["check", "/nonexistent/derivation.txt"]).exit_code == 2
    assert run(["check", "-"], "\n# only a comment\n").exit_code == 2
