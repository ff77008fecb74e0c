"""The solver registry: one table of every solver, its parameters and its answers.

A solver is a pure function registered with `@solver(...)`. It takes validated
keyword arguments and returns a `Solution` (answers + worked steps). `run_solver`
is the single entry point used by `drill solve`, the problem generator and the
tests: it checks names, fills defaults, coerces values by their declared kind, calls
the function and turns the answers into plain JSON values.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable


class SolverInputError(ValueError):
    """Bad input for a solver. `param` names the parameter at fault."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class SameAs:
    """A default that copies another parameter (pool2d stride = kernel_size)."""

    other: str

    def __str__(self) -> str:
        return f"= {self.other}"


@dataclass(frozen=True)
class Param:
    """One solver parameter. `kind` is one of KINDS; `min` is an inclusive lower bound."""

    name: str
    kind: str
    doc: str
    default: Any = REQUIRED
    choices: tuple = ()
    min: float | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Answer:
    """One declared answer: `kind` is int, float, vec, mat, str or list."""

    name: str
    kind: str
    doc: str


@dataclass(frozen=True)
class Step:
    """One worked step: readable text (en, optional zh), optional LaTeX and value."""

    en: str
    zh: str = ""
    latex: str = ""
    value: Any = None

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else self.en

    def to_json(self) -> dict:
        out = {"text": self.en, "latex": self.latex, "value": to_plain(self.value)}
        if self.zh:
            out["text_zh"] = self.zh
        return out


@dataclass
class Solution:
    """What a solver returns. `filled` holds the values it used for parameters left at
    a `None` default (zero biases of the right size), so the echoed inputs show them."""

    answers: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    filled: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SolverSpec:
    name: str
    topic: str
    summary: str
    summary_zh: str
    params: tuple[Param, ...]
    answers: tuple[Answer, ...]
    func: Callable[..., Solution]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def answer_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.answers)


REGISTRY: dict[str, SolverSpec] = {}


def solver(
    *,
    topic: str,
    summary: str,
    summary_zh: str = "",
    params: list[Param],
    answers: list[Answer],
    name: str | None = None,
) -> Callable[[Callable[..., Solution]], Callable[..., Solution]]:
    """Register a solver function under its own name (or `name`)."""

    def register(func: Callable[..., Solution]) -> Callable[..., Solution]:
        key = name or func.__name__
        if key in REGISTRY:
            raise RuntimeError(f"solver {key!r} registered twice")
        REGISTRY[key] = SolverSpec(
            key, topic, summary, summary_zh, tuple(params), tuple(answers), func
        )
        return func

    return register


# ---------------------------------------------------------------- value kinds


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _number(name: str, x: Any) -> float:
    if not _is_number(x):
        raise SolverInputError(name, f"expected a number, got {_show(x)}")
    try:
        value = float(x)
    except OverflowError:
        raise SolverInputError(name, f"{_show(x)} is too large") from None
    if not math.isfinite(value):
        raise SolverInputError(name, f"must be finite, got {x}")
    return value


def _show(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_int(name: str, x: Any) -> int:
    value = _number(name, x)
    if value != int(value):
        raise SolverInputError(name, f"expected a whole number, got {x}")
    return int(value)


def _as_vec(name: str, x: Any) -> list[float]:
    if not isinstance(x, list) or not x:
        raise SolverInputError(name, f"expected a non-empty list of numbers, got {_show(x)}")
    return [_number(name, v) for v in x]


def _as_mat(name: str, x: Any) -> list[list[float]]:
    if not isinstance(x, list) or not x or not all(isinstance(r, list) for r in x):
        raise SolverInputError(name, f"expected a matrix (a list of rows), got {_show(x)}")
    rows = [_as_vec(name, r) for r in x]
    if len({len(r) for r in rows}) != 1:
        raise SolverInputError(name, "rows of the matrix have different lengths")
    return rows


def _as_mat_or_mats(name: str, x: Any) -> list:
    if isinstance(x, list) and x and all(isinstance(m, list) for m in x) and all(
        m and isinstance(m[0], list) for m in x
    ):
        mats = [_as_mat(name, m) for m in x]
        if len({(len(m), len(m[0])) for m in mats}) != 1:
            raise SolverInputError(name, "the matrices (channels) have different shapes")
        return mats
    return _as_mat(name, x)


def _as_number_or_vec(name: str, x: Any) -> float | list[float]:
    return _as_vec(name, x) if isinstance(x, list) else _number(name, x)


def _as_vecs(name: str, x: Any) -> list[list[float]]:
    if not isinstance(x, list) or not x:
        raise SolverInputError(name, f"expected a non-empty list of vectors, got {_show(x)}")
    return [_as_vec(name, v) for v in x]


def _as_bool(name: str, x: Any) -> bool:
    if not isinstance(x, bool):
        raise SolverInputError(name, f"expected true or false, got {_show(x)}")
    return x


def _as_str(name: str, x: Any) -> str:
    if not isinstance(x, str):
        raise SolverInputError(name, f"expected a word, got {_show(x)}")
    return x


KINDS: dict[str, Callable[[str, Any], Any]] = {
    "int": _as_int,
    "float": _number,
    "bool": _as_bool,
    "str": _as_str,
    "vec": _as_vec,
    "mat": _as_mat,
    "mat_or_mats": _as_mat_or_mats,
    "number_or_vec": _as_number_or_vec,
    "vecs": _as_vecs,
    "json": lambda name, x: x,
}


def coerce_param(param: Param, value: Any) -> Any:
    """Check one value against its parameter's kind, choices and lower bound."""
    if value is None and param.default is None:
        return None
    if param.choices:
        if str(value) not in [str(c) for c in param.choices]:
            options = ", ".join(str(c) for c in param.choices)
            raise SolverInputError(param.name, f"must be one of {options}; got {_show(value)}")
        value = next(c for c in param.choices if str(c) == str(value))
        return value
    out = KINDS[param.kind](param.name, value)
    if param.min is not None and _is_number(out) and out < param.min:
        raise SolverInputError(param.name, f"must be >= {param.min:g}, got {value}")
    return out


def fill_inputs(spec: SolverSpec, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate names, fill defaults (PyTorch's where it has them) and coerce values."""
    for key in raw:
        if spec.param(key) is None:
            known = ", ".join(p.name for p in spec.params)
            raise SolverInputError(key, f"unknown parameter of {spec.name} (known: {known})")
    inputs: dict[str, Any] = {}
    for p in spec.params:
        if p.name in raw:
            inputs[p.name] = coerce_param(p, raw[p.name])
        elif p.required:
            raise SolverInputError(p.name, f"missing required parameter ({p.doc})")
    for p in spec.params:
        if p.name not in inputs:
            default = p.default
            inputs[p.name] = inputs[default.other] if isinstance(default, SameAs) else default
    return {p.name: inputs[p.name] for p in spec.params}


def to_plain(value: Any) -> Any:
    """numpy scalars/arrays and tuples -> plain JSON values (ints stay ints)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def _all_finite(value: Any) -> bool:
    if isinstance(value, list):
        return all(_all_finite(v) for v in value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def run_solver(spec: SolverSpec, raw: dict[str, Any]) -> tuple[dict[str, Any], Solution]:
    """Validate `raw`, run the solver, return (inputs with defaults, solution)."""
    inputs = fill_inputs(spec, raw)
    with warnings.catch_warnings():  # overflow becomes inf, reported below as bad input
        warnings.simplefilter("ignore", RuntimeWarning)
        solution = spec.func(**inputs)
    answers = {k: to_plain(v) for k, v in solution.answers.items()}
    if set(answers) != set(spec.answer_names):
        raise RuntimeError(
            f"{spec.name} returned answers {sorted(answers)}, declared {list(spec.answer_names)}"
        )
    for key, value in answers.items():
        if not _all_finite(value):
            raise SolverInputError(key, "the result is not finite for these inputs")
    if not all(_all_finite(to_plain(step.value)) for step in solution.steps):
        raise SolverInputError("inputs", "numbers too large: an intermediate result overflows")
    for key, value in solution.filled.items():
        if inputs.get(key) is None:
            inputs[key] = to_plain(value)
    return inputs, Solution({k: answers[k] for k in spec.answer_names}, solution.steps)
