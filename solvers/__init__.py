"""Pure solvers, in topic modules. Each registers its functions in `registry`.

A topic module is any `solvers/<name>.py` except the shared `registry` and `fmt` and
private `_*` modules: dropping a new one in is enough, there is no list to edit. A
chapter may span modules (`cnn.py` shapes and counts, `cnn_forward.py` forward passes);
each solver's `topic=` groups it. A module that imports numpy says `NEEDS_NUMPY = True`;
the solvers of every other module must run without numpy ever being imported (tested:
the closed-form ones start a quiz, and numpy alone takes ~60 ms to import).

Importing this package is cheap (no numpy). `get_solver(name)` imports only the module
that defines `name`, found by reading the modules' source text for `@solver(` … `def
NAME(` (and an explicit `name="..."` in the decorator), not by importing them; should
that scan miss, it imports every module. `load_all()` imports every topic module
(`drill solve --list`, the bank lint, the tests).
"""

from __future__ import annotations

import importlib
import os
import re

from solvers.registry import REGISTRY, SolverInputError, SolverSpec, run_solver

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
SHARED_MODULES = frozenset({"registry", "fmt", "arith"})  # machinery used by the topics, no solvers

# `@solver(` at the start of a line, the decorator's arguments, then the `def NAME(` it
# decorates (the next line that starts with `def`).
_DECORATED = re.compile(r"^@solver\((?P<args>.*?)^def[ \t]+(?P<func>\w+)[ \t]*\(",
                        re.MULTILINE | re.DOTALL)
# `name="..."` as one of the decorator's own keywords: first, or after a comma or newline
# (so `Param(name=...)` inside it is not taken for it).
_NAME_KEYWORD = re.compile(r"(?:\A|[,\n])[ \t]*name[ \t]*=[ \t]*[\"']([A-Za-z_]\w*)[\"']")

__all__ = [
    "REGISTRY", "SolverInputError", "SolverSpec", "get_solver", "load_all", "run_solver",
    "scan_solvers", "solver_module", "solver_names", "topic_modules",
]


def topic_modules(directory: str = PACKAGE_DIR) -> list[str]:
    """The names of the topic modules in `directory`, sorted: every `<name>.py` except
    SHARED_MODULES and private modules (`_*`, so `__init__` too)."""
    names = (entry[:-3] for entry in os.listdir(directory) if entry.endswith(".py"))
    return sorted(n for n in names if n not in SHARED_MODULES and not n.startswith("_"))


def scan_solvers(directory: str = PACKAGE_DIR) -> dict[str, str]:
    """Solver name -> the topic module (in `directory`) that defines it, read from the
    source text without importing anything. A fast hint: `get_solver` checks it."""
    found: dict[str, str] = {}
    for module in topic_modules(directory):
        with open(os.path.join(directory, f"{module}.py"), encoding="utf-8") as source:
            text = source.read()
        for match in _DECORATED.finditer(text):
            renamed = _NAME_KEYWORD.search(match["args"])
            found[renamed[1] if renamed else match["func"]] = module
    return found


def solver_names() -> list[str]:
    """Every solver's name, sorted, without importing a topic module."""
    return sorted(scan_solvers())


def solver_module(name: str, directory: str = PACKAGE_DIR) -> str | None:
    """The module that defines solver `name` (e.g. 'solvers.cnn'), without importing it;
    None if no topic module's source declares it.

    A plain substring test finds the few modules that mention `def NAME(` (about a
    millisecond for the whole package); only those are scanned with the full pattern,
    and only when none matches is every module scanned (a solver registered under an
    explicit `name=`).
    """
    needle = f"def {name}("
    for module in topic_modules(directory):
        with open(os.path.join(directory, f"{module}.py"), encoding="utf-8") as source:
            text = source.read()
        if needle in text and any(m["func"] == name and not _NAME_KEYWORD.search(m["args"])
                                  for m in _DECORATED.finditer(text)):
            return f"{__name__}.{module}"
    module = scan_solvers(directory).get(name)
    return f"{__name__}.{module}" if module else None


def load_all() -> dict[str, SolverSpec]:
    """Import every topic module so that all solvers are registered."""
    for module in topic_modules():
        importlib.import_module(f"{__name__}.{module}")
    return REGISTRY


def get_solver(name: str) -> SolverSpec:
    """The solver registered as `name`, importing only its module; SolverInputError
    ('solver', ...) if there is none."""
    if name not in REGISTRY:
        module = solver_module(name)
        if module is not None:
            importlib.import_module(module)
        if name not in REGISTRY:
            load_all()  # the scan missed it (or there is no such solver): look everywhere
    if name not in REGISTRY:
        raise SolverInputError("solver", f"no solver named {name!r} (see `drill solve --list`)")
    return REGISTRY[name]
