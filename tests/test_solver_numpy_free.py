"""Closed-form solvers run without numpy: importing it takes ~60 ms, and these solvers
(shapes, parameter counts, clipping) are the ones a quiz opens with.

A module that needs numpy declares `NEEDS_NUMPY = True` (`SolverSpec.needs_numpy`); every
solver of every other module runs here in a fresh interpreter, which must end with numpy
never imported. Parametrized from the registry: a new solver needs no entry here.
"""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from solvers import load_all

REGISTRY = load_all()
NUMPY_FREE = sorted(name for name, spec in REGISTRY.items() if not spec.needs_numpy)

RUN_FIRST_EXAMPLE = """\
import sys
from solvers import get_solver, run_solver
spec = get_solver({name!r})
run_solver(spec, spec.examples[0])
print(sorted(m for m in sys.modules if m == "numpy" or m.startswith("numpy.")))
"""


@pytest.mark.parametrize("name", NUMPY_FREE)
def test_a_closed_form_solver_runs_its_first_example_without_importing_numpy(name):
    out = subprocess.run([sys.executable, "-c", RUN_FIRST_EXAMPLE.format(name=name)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    module = REGISTRY[name].func.__module__
    assert out.stdout.strip() == "[]", (
        f"{name} imported numpy: keep {module} and what it imports free of numpy, or move "
        f"the solver to a module that declares NEEDS_NUMPY = True"
    )


def test_the_shape_and_count_solvers_stay_closed_form():
    # The contract's closed-form solvers, so declaring NEEDS_NUMPY on their modules cannot
    # quietly take them out of the test above.
    assert {"conv2d_shape", "pool2d_shape", "depthwise_separable_params", "dense_params",
            "rnn_params", "clip_grad", "squash"} <= set(NUMPY_FREE)


def test_a_module_that_declares_needs_numpy_does_import_it():
    # A stale declaration would hide that module's solvers from the test above.
    stale = sorted({spec.func.__module__ for spec in REGISTRY.values() if spec.needs_numpy
                    and not any(isinstance(value, types.ModuleType) and value.__name__ == "numpy"
                                for value in spec.func.__globals__.values())})
    assert stale == []
