"""How the CLI behaves at the edges: interrupts, closed or garbled input, odd encodings,
redirected output, narrow terminals, bad options — each ends the way a person expects."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drill.cli import app

FIXTURE_BANKS = Path(__file__).parent / "fixtures" / "banks"
runner = CliRunner()
ENV = {**os.environ, "DRILL_BANK_DIR": str(FIXTURE_BANKS)}


def drill(*args: str, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", ENV)
    return subprocess.run([sys.executable, "-m", "drill", *args], capture_output=True, **kw)


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    return runner.invoke(app, list(args), input=input,
                         env={"DRILL_BANK_DIR": str(FIXTURE_BANKS), **(env or {})})


# ------------------------------------------------------------------ interrupts


def test_ctrl_c_at_a_prompt_shows_the_summary_then_exits_130(monkeypatch):
    answers = iter(["s"])

    def read_line(factory_console):
        def read(prompt):
            try:
                return next(answers)
            except StopIteration:
                raise KeyboardInterrupt from None
        return read

    monkeypatch.setattr("drill.terminal.console.line_reader", read_line)
    result = invoke("quiz", "--seed", "1", "-n", "3")
    assert result.exit_code == 130
    assert "Stopped after 1 of 3." in result.stdout and "Total" in result.stdout


def test_ctrl_c_while_the_cli_is_still_starting_exits_130_without_a_traceback():
    code = ("import builtins, drill.entry as e\n"
            "real = builtins.__import__\n"
            "def imp(name, *a, **k):\n"
            "    if name == 'typer': raise KeyboardInterrupt\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = imp\n"
            "e.main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 130 and "Traceback" not in out.stderr


def test_ctrl_c_in_solve_and_lint_exits_130(monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("drill.terminal.solve.solve", interrupt)
    assert invoke("solve", "dense_params", "in_features=1", "out_features=1").exit_code == 130
    monkeypatch.setattr("drill.bank.lint.lint_paths", interrupt)
    assert invoke("bank", "lint").exit_code == 130


# ------------------------------------------------------------------ input


def test_a_closed_stdin_is_the_end_of_input():
    out = subprocess.run(f"{sys.executable} -m drill quiz -n 2 --seed 1 <&-", shell=True,
                         capture_output=True, text=True, env=ENV)
    assert out.returncode == 0, out.stderr
    assert "Stopped after 0 of 2." in out.stdout and "Traceback" not in out.stderr


def test_invalid_utf8_on_stdin_is_asked_again_not_a_crash():
    env = {**ENV, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    out = drill("quiz", "-n", "1", "--seed", "1", "--kind", "concept", input=b"\xff\xfe\nq\n",
                env=env)
    assert out.returncode == 0, out.stderr
    assert b"Traceback" not in out.stderr and b"Can't read that" in out.stdout


# ------------------------------------------------------------------ output


def test_an_ascii_only_terminal_gets_replacement_characters_not_a_crash():
    env = {**ENV, "PYTHONIOENCODING": "ascii"}
    for args in (["solve", "dense_params", "in_features=784", "out_features=10", "--lang", "zh"],
                 ["list", "--lang", "zh"], ["quiz", "-n", "1", "--seed", "1", "--lang", "zh"]):
        out = drill(*args, env=env, input=b"q\n")
        assert out.returncode == 0, (args, out.stderr)
        assert b"Traceback" not in out.stderr


def test_output_to_a_file_is_not_hard_wrapped():
    out = drill("quiz", "-n", "3", "--seed", "4", input=b"s\ns\ns\ns\ns\ns\n")
    lines = out.stdout.decode().splitlines()
    assert any(len(line) > 100 for line in lines)  # long prompts stay on one line
    text_lines = [line for line in lines if not set("│┃›") & set(line)]  # not tables or prompts
    assert text_lines and not any(line != line.rstrip() for line in text_lines)


def test_prompts_go_to_the_terminal_when_stdout_is_redirected(tmp_path):
    """`drill quiz > file` at a terminal: the student sees the questions; the file gets
    the score."""
    master, slave = pty.openpty()
    target = tmp_path / "out.txt"
    with target.open("wb") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "drill", "quiz", "-n", "1", "--seed", "1",
                                 "--kind", "concept"], stdin=slave, stdout=stdout, stderr=slave,
                                env=ENV)
        os.close(slave)
        seen = b""
        deadline = time.time() + 20
        while b"\xe2\x80\xba" not in seen and time.time() < deadline:  # the prompt's ›
            if select.select([master], [], [], 0.5)[0]:
                seen += os.read(master, 4096)
        os.write(master, b"s\n")
        proc.wait(timeout=20)
        try:
            while select.select([master], [], [], 0.2)[0]:
                seen += os.read(master, 4096)
        except OSError:
            pass
    os.close(master)
    assert b"Question 1/1" in seen
    assert "Total" in target.read_text() and "Question 1/1" not in target.read_text()


def test_narrow_terminals_wrap_names_instead_of_cutting_them():
    result = invoke("solve", "conv2d_shape", "--help", env={"COLUMNS": "40"})
    assert "in_channels" in result.stdout and "out_channels" in result.stdout
    assert "in_chan…" not in result.stdout
    result = invoke("quiz", "-n", "1", "--seed", "2", input="s\n", env={"COLUMNS": "40"})
    assert "100%" in result.stdout or "0%" in result.stdout
    assert "…" not in result.stdout.split("Score by topic")[-1]


def test_chinese_headers_in_solve_list_and_help():
    assert "计算内容" in invoke("solve", "--list", "--lang", "zh").stdout
    help_text = invoke("solve", "clip_grad", "--help", "--lang", "zh").stdout
    assert "参数" in help_text and "默认值" in help_text and "示例" in help_text


# ------------------------------------------------------------------ options


@pytest.mark.parametrize("args, fragment", [
    (["quiz", "--lang", "fr"], "'fr' is not one of"),
    (["quiz", "--seed", "-5"], "--seed"),
    (["quiz", "-n", "0"], "--count"),
    (["quiz", "--bogus"], "No such option"),
    (["nonsense"], "No such command"),
])
def test_bad_options_are_one_line_and_exit_2(args, fragment):
    out = drill(*args, text=True)
    assert out.returncode == 2, out
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("drill: ")
    assert out.stdout == ""


def test_the_printed_repeat_command_repeats_the_quiz():
    first = invoke("quiz", "-c", "mini", "-n", "3", "--kind", "concept", "--seed", "9",
                   input="s\n" * 6)
    line = first.stdout.splitlines()[0]
    command = line[line.index("(") + 1:line.index(" repeats")]
    assert command == "drill quiz -c mini -n 3 --kind concept --seed 9"
    again = invoke(*command.split()[1:], input="s\n" * 6)
    assert again.stdout == first.stdout


def test_list_json_gives_one_object_per_chapter():
    rows = json.loads(invoke("list", "--json").stdout)
    assert [r["slug"] for r in rows] == ["mini"]
    assert rows[0]["counts"] == {"choice": 1, "truefalse": 1, "short": 1, "numeric": 1}
    assert rows[0]["title"] == {"en": "Mini chapter", "zh": "小章节"}


def test_arrow_keys_edit_the_line_at_a_terminal_prompt():
    """With readline, `1 2 ← 3` is the answer 132; without it the escape code would be
    typed into the answer and read as garbage."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "drill", "quiz", "-n", "1", "--seed", "1",
                             "--kind", "numeric"], stdin=slave, stdout=slave, stderr=slave,
                            env={**ENV, "TERM": "xterm"})
    os.close(slave)
    seen = b""

    def read_until(marker: bytes, count: int = 1, seconds: float = 20) -> None:
        nonlocal seen
        deadline = time.time() + seconds
        while seen.count(marker) < count and time.time() < deadline:
            if select.select([master], [], [], 0.3)[0]:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    return

    read_until("›".encode())
    os.write(master, b"12\x1b[D3\n")  # 1, 2, left arrow, 3
    read_until("›".encode(), count=2)
    os.write(master, b"q\n")
    proc.wait(timeout=20)
    read_until(b"Total", seconds=5)
    os.close(master)
    assert b"Can't read that" not in seen
    assert b"you gave 132," in seen
