"""Pure solvers, one module per topic. Each registers its functions in `registry`.

Importing this package is cheap; `load_all()` imports the topic modules (numpy).
Adding a topic = a module here + its name in TOPIC_MODULES.
"""

from __future__ import annotations

import importlib

from solvers.registry import REGISTRY, SolverInputError, SolverSpec, run_solver

TOPIC_MODULES: tuple[str, ...] = ("cnn", "rnn")

__all__ = ["REGISTRY", "SolverInputError", "SolverSpec", "get_solver", "load_all", "run_solver"]


def load_all() -> dict[str, SolverSpec]:
    """Import every topic module so that all solvers are registered."""
    for module in TOPIC_MODULES:
        importlib.import_module(f"solvers.{module}")
    return REGISTRY


def get_solver(name: str) -> SolverSpec:
    """The solver registered as `name`; SolverInputError('solver', ...) if none."""
    registry = load_all()
    if name not in registry:
        raise SolverInputError("solver", f"no solver named {name!r} (see `drill solve --list`)")
    return registry[name]
