"""Start-up stays light: --help and the first quiz question import neither torch nor sympy."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "sympy")

PROBE = """
import sys
from typer.testing import CliRunner
from drill.cli import app
result = CliRunner().invoke(app, {args!r}, input="q\\n")
assert result.exit_code == 0, result.output
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
print(" ".join(sorted(m for m in ("numpy", "yaml", "pydantic") if m in sys.modules)))
"""


def loaded_modules(args: list[str]) -> tuple[set[str], set[str]]:
    code = PROBE.format(args=args, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, light = (out.stdout.splitlines() + ["", ""])[:2]
    return set(heavy.split()), set(light.split())


def test_help_imports_no_heavy_module_and_no_bank_machinery():
    heavy, light = loaded_modules(["--help"])
    assert heavy == set()
    assert light == set()  # numpy, yaml, pydantic wait until a command needs them


def test_first_quiz_question_imports_neither_torch_nor_sympy():
    heavy, _ = loaded_modules(["quiz", "--chapter", "rnn", "--seed", "1", "--kind", "numeric"])
    assert heavy == set()


def test_solve_imports_neither_torch_nor_sympy():
    heavy, _ = loaded_modules(["solve", "lstm_step", "x=[1]", "h_prev=[0]", "c_prev=[0]",
                               "w_ih=[[1],[1],[1],[1]]", "w_hh=[[1],[1],[1],[1]]"])
    assert heavy == set()


def test_help_lists_the_lazy_commands_without_importing_their_modules():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom drill.cli import app\n"
            "out = CliRunner().invoke(app, ['--help']).output\n"
            "print(all(n in out for n in ('worksheet', 'export', 'derive', 'check')))\n"
            "print(sorted(m for m in sys.modules if m.startswith('drill.cli_')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["True", "[]"]
