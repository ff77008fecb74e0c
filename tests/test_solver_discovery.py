"""Solvers are plug-ins: topic modules are found in the package directory (no list to
edit), and get_solver imports only the module that defines the solver asked for."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from solvers import (
    PACKAGE_DIR,
    get_solver,
    load_all,
    scan_solvers,
    solver_module,
    solver_names,
    topic_modules,
)
from solvers.registry import SolverInputError

TOY_MODULE = '''\
"""A topic module dropped in by a test."""
from solvers.registry import Answer, Param, Solution, Step, solver


@solver(
    topic="toy",
    summary="Twice a number.",
    params=[Param("x", "float", "a number", doc_zh="一个数")],
    answers=[Answer("y", "float", "2x", doc_zh="x 的两倍")],
    examples=[{"x": 1.5}],
)
def toy_double(x) -> Solution:
    """y = 2x."""
    return Solution({"y": 2 * x}, [Step("y = 2x", "y = 2x（两倍）", "y = 2x", 2 * x)])
'''


def run_python(code: str, pythonpath: Path | None = None) -> list[str]:
    """Run `code` in a fresh interpreter, with `pythonpath` (if given) first on sys.path
    and as its working directory; its stdout lines."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=pythonpath)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the solvers package at tmp_path/solvers with a new topic module toy.py."""
    copy = tmp_path / "solvers"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "toy.py").write_text(TOY_MODULE, encoding="utf-8")
    return copy


def test_topic_modules_are_the_python_files_but_shared_and_private_ones(tmp_path):
    for name in ("optim.py", "registry.py", "fmt.py", "_helpers.py", "__init__.py",
                 "notes.txt", "cnn.pyc"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert topic_modules(str(tmp_path)) == ["optim"]
    real = topic_modules()
    assert {"cnn", "rnn"} <= set(real) and not {"registry", "fmt", "__init__"} & set(real)


def test_a_module_dropped_into_the_package_is_found_without_editing_a_list(package_copy):
    assert "toy" in topic_modules(str(package_copy))
    assert scan_solvers(str(package_copy))["toy_double"] == "toy"
    lines = run_python(
        "import sys, solvers\n"
        f"assert solvers.__file__.startswith({str(package_copy)!r}), solvers.__file__\n"
        "print(solvers.solver_module('toy_double'))\n"
        "spec = solvers.get_solver('toy_double')\n"
        "print(solvers.run_solver(spec, spec.examples[0])[1].answers['y'])\n"
        "print('solvers.cnn' in sys.modules)\n"
        "print(sorted(solvers.load_all()) == solvers.solver_names())\n",
        pythonpath=package_copy.parent,
    )
    assert lines == ["solvers.toy", "3.0", "False", "True"]


def test_a_private_module_is_not_scanned(tmp_path):
    (tmp_path / "_draft.py").write_text(TOY_MODULE, encoding="utf-8")
    (tmp_path / "toy.py").write_text(TOY_MODULE.replace("toy_double", "toy_triple"),
                                     encoding="utf-8")
    assert scan_solvers(str(tmp_path)) == {"toy_triple": "toy"}


@pytest.mark.parametrize("name, loaded, not_loaded", [
    ("conv2d_shape", "solvers.cnn", "solvers.rnn"),
    ("conv2d_shape", "solvers.cnn", "solvers.cnn_forward"),  # same topic, other module
    ("lstm_step", "solvers.rnn_cells", "solvers.cnn"),
    ("lstm_step", "solvers.rnn_cells", "solvers.rnn"),
])
def test_get_solver_imports_only_the_module_that_defines_the_solver(name, loaded, not_loaded):
    lines = run_python(
        "import sys, solvers\n"
        f"solvers.get_solver({name!r})\n"
        f"print({loaded!r} in sys.modules, {not_loaded!r} in sys.modules)\n"
    )
    assert lines == ["True False"]


def test_the_package_registry_and_fmt_import_no_numpy_and_no_topic_module():
    lines = run_python(
        "import sys, solvers, solvers.registry, solvers.fmt\n"
        "solvers.solver_names(), solvers.solver_module('lstm_step')\n"
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith('solvers.') "
        "and m not in {'solvers.registry', 'solvers.fmt'}))\n"
    )
    assert lines == ["[]"]


def test_get_solver_falls_back_to_importing_every_module_when_the_scan_misses():
    lines = run_python(
        "import sys, solvers\n"
        "solvers.solver_module = lambda name, directory=None: None\n"
        "print(solvers.get_solver('lstm_step').name)\n"
        "print('solvers.cnn' in sys.modules and 'solvers.rnn' in sys.modules)\n"
    )
    assert lines == ["lstm_step", "True"]


def test_the_scan_agrees_with_the_registry():
    registry = load_all()
    assert solver_names() == sorted(registry)
    for name, spec in registry.items():
        assert solver_module(name) == spec.func.__module__, name


def test_solver_module_of_an_unknown_name_is_none_and_get_solver_refuses_it():
    assert solver_module("no_such_solver") is None
    with pytest.raises(SolverInputError) as err:
        get_solver("no_such_solver")
    assert err.value.param == "solver"


def test_the_scan_takes_an_explicit_name_over_the_function_name(tmp_path):
    (tmp_path / "named.py").write_text('''\
@solver(
    topic="t",
    name="renamed",
    params=[Param("x", "float", "x")],
)
def first(x): ...


@solver(topic="t", name='other', params=[])
def second(): ...


@solver(
    topic="t",
    params=[Param(name="kept", kind="float", doc="a Param's name= is not the solver's")],
)
def third(kept): ...
''', encoding="utf-8")
    assert scan_solvers(str(tmp_path)) == {"renamed": "named", "other": "named",
                                           "third": "named"}


def test_the_scan_is_fast_enough_for_cli_start_up():
    files = len(topic_modules())
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        scan_solvers()
        best = min(best, time.perf_counter() - start)
    assert best / files < 0.002  # seconds per topic module
