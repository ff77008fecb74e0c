"""The solver registry: one table of every solver, its parameters and its answers.

A solver is a pure function registered with `@solver(...)`. It takes validated
keyword arguments and returns a `Solution` (answers + worked steps). `run_solver`
is the single entry point used by `drill solve`, the problem generator and the
tests: it checks names, fills defaults, coerces values by their declared kind, calls
the function and turns the answers into plain JSON values.

Registration checks each solver once, at import (`@solver`: params match the function,
every Param and Answer has a Chinese `doc_zh`, at least one example). Coercion bounds
every input (INT_LIMIT, MAX_ELEMENTS, MAX_DEPTH, MAX_TEXT, each Param's min/max), so bad
or hostile input ends as a SolverInputError naming the parameter, cheaply, before a
solver sees it. No numpy here (start-up).
"""

from __future__ import annotations

import inspect
import math
import reprlib
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

# Limits on any one input value, so that bad or hostile input ends as a SolverInputError
# before it can take much time or memory. Int parameters also declare their own `max`.
INT_LIMIT = 10**12  # |int| for any int parameter, whatever its own max
MAX_ELEMENTS = 10_000  # numbers in one parameter (and lists/objects, counted apart)
MAX_DEPTH = 8  # nested lists/objects in one parameter (a list of matrices needs 3)
MAX_TEXT = 1_000  # characters in one string


class SolverInputError(ValueError):
    """Bad input for a solver. `param` names the parameter at fault."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class SolverDefinitionError(RuntimeError):
    """A solver is written wrongly (its registration or its steps), not bad input."""


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
    """One solver parameter. `kind` is one of KINDS; `min` and `max` are inclusive bounds
    (every int parameter should declare a `max`; INT_LIMIT holds for those that do not).
    `doc` describes it in English, `doc_zh` in simplified Chinese (`@solver` requires it)."""

    name: str
    kind: str
    doc: str
    default: Any = REQUIRED
    choices: tuple = ()
    min: float | None = None
    max: float | None = None
    doc_zh: str = field(default="", kw_only=True)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Answer:
    """One declared answer: `kind` is int, float, vec, mat, str or list; `doc` describes it
    in English, `doc_zh` in simplified Chinese (`@solver` requires it). An `optional`
    answer may be absent for some inputs (rnn_forward's `ys` without `w_hy`)."""

    name: str
    kind: str
    doc: str
    doc_zh: str = field(default="", kw_only=True)
    optional: bool = field(default=False, kw_only=True)


@dataclass(frozen=True)
class Step:
    """One worked step: readable text in English and Chinese, its LaTeX form and its value.

    The English text and the LaTeX are required: an empty one raises SolverDefinitionError
    when the step is built, so no solver can quietly leave a step without its formula.
    """

    en: str
    zh: str
    latex: str
    value: Any = None

    def __post_init__(self) -> None:
        if not self.en.strip():
            raise SolverDefinitionError("a step needs its English text")
        if not self.latex.strip():
            raise SolverDefinitionError(f"step {_show(self.en)} has no LaTeX form")

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
    """A registered solver: its parameters, answers, function and worked examples (each
    example a dict of raw inputs, as `drill solve` would pass them)."""

    name: str
    topic: str
    summary: str
    summary_zh: str
    params: tuple[Param, ...]
    answers: tuple[Answer, ...]
    func: Callable[..., Solution]
    examples: tuple[dict[str, Any], ...] = field(default=(), hash=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def answer_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.answers)

    @property
    def needs_numpy(self) -> bool:
        """Whether the solver's module declares `NEEDS_NUMPY = True`. A module that does not
        is closed-form arithmetic: its solvers must run without numpy ever being imported
        (a tested promise; it keeps the first question of a quiz fast)."""
        return bool(self.func.__globals__.get("NEEDS_NUMPY", False))


REGISTRY: dict[str, SolverSpec] = {}


def solver(
    *,
    topic: str,
    summary: str,
    summary_zh: str = "",
    params: list[Param],
    answers: list[Answer],
    examples: list[dict[str, Any]] | None = None,
    name: str | None = None,
) -> Callable[[Callable[..., Solution]], Callable[..., Solution]]:
    """Register a solver function under its own name (or `name`).

    Checked here, at import, so a mistake fails at once with SolverDefinitionError: the
    declared `params` are exactly the function's parameters in the same order, every
    kind is known, every Param and Answer has a `doc_zh`, and `examples` holds at least
    one dict of inputs using declared names and giving every required parameter.
    """

    def register(func: Callable[..., Solution]) -> Callable[..., Solution]:
        key = name or func.__name__
        check_params(key, func, params)
        check_docs(key, params, answers)
        check_examples(key, params, examples)
        if key in REGISTRY:
            raise SolverDefinitionError(f"solver {key!r} registered twice")
        REGISTRY[key] = SolverSpec(
            key, topic, summary, summary_zh, tuple(params), tuple(answers), func,
            tuple(dict(example) for example in examples or ()),
        )
        return func

    return register


def check_params(key: str, func: Callable[..., Any], params: list[Param]) -> None:
    """SolverDefinitionError unless func takes exactly the declared params, in the same
    order (no *args or **kwargs), and every declared kind is one of KINDS."""
    taken = inspect.signature(func).parameters.values()
    if any(arg.kind in (arg.VAR_POSITIONAL, arg.VAR_KEYWORD) for arg in taken):
        raise SolverDefinitionError(
            f"solver {key!r}: {func.__name__}() takes *args or **kwargs; name every parameter"
        )
    declared = [p.name for p in params]
    names = [arg.name for arg in taken]
    if names != declared:
        raise SolverDefinitionError(
            f"solver {key!r}: @solver declares params ({', '.join(declared)}) but "
            f"{func.__name__}() takes ({', '.join(names)}); they must match in name and order"
        )
    for p in params:
        if p.kind not in KINDS:
            raise SolverDefinitionError(
                f"solver {key!r}: parameter {p.name!r} has unknown kind {p.kind!r} "
                f"(known: {', '.join(KINDS)})"
            )


def check_docs(key: str, params: list[Param], answers: list[Answer]) -> None:
    """SolverDefinitionError unless every Param and Answer has a Chinese description
    (`drill solve NAME --help --lang zh` shows them)."""
    for what, items in (("parameter", params), ("answer", answers)):
        for item in items:
            if not item.doc_zh.strip():
                raise SolverDefinitionError(
                    f"solver {key!r}: {what} {item.name!r} has no doc_zh; add "
                    f'doc_zh="..." (its description in simplified Chinese)'
                )


def check_examples(key: str, params: list[Param],
                   examples: list[dict[str, Any]] | None) -> None:
    """SolverDefinitionError unless there is at least one example and each is a dict of
    declared parameter names that gives every required parameter."""
    if not examples:
        raise SolverDefinitionError(
            f"solver {key!r} has no examples: add examples=[{{...inputs...}}] to @solver"
        )
    declared = {p.name for p in params}
    required = {p.name for p in params if p.required}
    for index, example in enumerate(examples):
        if not isinstance(example, dict):
            raise SolverDefinitionError(f"solver {key!r}: example {index} is not a dict")
        unknown = sorted(set(example) - declared)
        missing = sorted(required - set(example))
        if unknown or missing:
            raise SolverDefinitionError(
                f"solver {key!r}: example {index} has unknown parameters {unknown} "
                f"or misses required ones {missing}"
            )


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


class _ShortRepr(reprlib.Repr):
    """reprlib's bounded repr, except that a huge int is described, not converted (Python
    refuses to write ints of more than 4300 digits, and big ones are slow to write)."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:
            return f"<an integer of about {int(x.bit_length() * math.log10(2))} digits>"
        return super().repr_int(x, level)


_SHORT_REPR = _ShortRepr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxstring, _SHORT_REPR.maxlong = 3, 40, 40


def _show(x: Any) -> str:
    """A value for an error message: short, and cheap however big the value is."""
    text = _SHORT_REPR.repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_int(name: str, x: Any) -> int:
    """An exact int: ints as given (never through float, so 123456789012345678901 stays
    exact) and whole floats (2.0 -> 2); |x| at most INT_LIMIT."""
    if not _is_number(x):
        raise SolverInputError(name, f"expected a number, got {_show(x)}")
    if isinstance(x, float) and not x.is_integer():
        raise SolverInputError(name, f"expected a whole number, got {_show(x)}")
    if abs(x) > INT_LIMIT:
        raise SolverInputError(name, f"{_show(x)} is too large (at most 10^12 in size)")
    return int(x)  # a whole float (JSON and YAML may write a count as 2.0) becomes an int


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


def check_size(name: str, value: Any) -> None:
    """SolverInputError unless `value` holds at most MAX_ELEMENTS numbers (or other
    scalars) and MAX_ELEMENTS lists/objects, nests at most MAX_DEPTH deep and has no
    string over MAX_TEXT characters. Walks without recursion and stops at the first
    excess, so refusing a hostile value costs little."""
    scalars = containers = 0
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, (list, tuple, dict)):
            scalars += 1
            if scalars > MAX_ELEMENTS:
                raise SolverInputError(name, f"more than {MAX_ELEMENTS:,} numbers")
            if isinstance(item, str) and len(item) > MAX_TEXT:
                raise SolverInputError(name, f"text longer than {MAX_TEXT:,} characters")
            continue
        containers += 1
        if containers > MAX_ELEMENTS or len(item) > 2 * MAX_ELEMENTS:
            raise SolverInputError(name, f"more than {MAX_ELEMENTS:,} numbers or lists")
        if depth >= MAX_DEPTH:
            raise SolverInputError(name, f"nested more than {MAX_DEPTH} levels deep")
        pending.extend((child, depth + 1) for child in
                       ([*item.keys(), *item.values()] if isinstance(item, dict) else item))


def _as_choice(param: Param, value: Any) -> Any:
    """The declared choice that `value` names; 2 and "2" both name a choice 2."""
    key = value if isinstance(value, str) else _show(value)
    for choice in param.choices:
        if str(choice) == key:
            return choice
    options = ", ".join(str(c) for c in param.choices)
    raise SolverInputError(param.name, f"must be one of {options}; got {_show(value)}")


def _check_bounds(param: Param, value: Any) -> None:
    if not _is_number(value):
        return
    if param.min is not None and value < param.min:
        raise SolverInputError(param.name, f"must be >= {param.min:g}, got {_show(value)}")
    if param.max is not None and value > param.max:
        raise SolverInputError(param.name, f"must be <= {param.max:g}, got {_show(value)}")


def coerce_param(param: Param, value: Any) -> Any:
    """Check one value against the size limits, then its parameter's choices or kind,
    then its bounds; return the value as the solver receives it."""
    if value is None and param.default is None:
        return None
    check_size(param.name, value)
    if param.choices:
        return _as_choice(param, value)
    out = KINDS[param.kind](param.name, value)
    _check_bounds(param, out)
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
    required = {a.name for a in spec.answers if not a.optional}
    if not required <= set(answers) <= set(spec.answer_names):
        raise SolverDefinitionError(
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
    return inputs, Solution({k: answers[k] for k in spec.answer_names if k in answers},
                            solution.steps)
