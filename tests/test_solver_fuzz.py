"""Bad input never crashes or stalls a solver: anything but SolverInputError is a bug.

Everything here is derived from the registry (solver names, parameter kinds, choices,
examples), so a new solver is fuzzed without editing this file. A parameter kind with
no strategy below fails `test_every_param_kind_has_a_strategy` loudly.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers import load_all, run_solver
from solvers.registry import KINDS, SolverInputError, to_plain

REGISTRY = load_all()
SOLVERS = sorted(REGISTRY)
CHOICE_WORDS = sorted({str(c) for spec in REGISTRY.values() for p in spec.params
                       for c in p.choices})
SECONDS = 1.0  # "well under a second" for any one call, however hostile its input

scalars = st.one_of(
    st.integers(-3, 6), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.sampled_from(["", *CHOICE_WORDS]),
)
vectors = st.lists(st.one_of(st.integers(-3, 3), st.floats(-5, 5)), min_size=0, max_size=5)
matrices = st.lists(vectors, min_size=0, max_size=5)
values = st.one_of(scalars, vectors, matrices, st.lists(matrices, max_size=3))


def run_timed(name: str, raw: dict):
    """run_solver(name, raw) -> solution, or None on SolverInputError; never slow."""
    start = time.perf_counter()
    try:
        return run_solver(REGISTRY[name], raw)[1]
    except SolverInputError:
        return None
    finally:
        assert time.perf_counter() - start < SECONDS, (name, list(raw))


@st.composite
def solver_calls(draw):
    name = draw(st.sampled_from(SOLVERS))
    raw = {}
    for param in REGISTRY[name].params:
        if draw(st.booleans()) or param.required:
            raw[param.name] = draw(values)
    if draw(st.integers(0, 9)) == 0:
        raw["not_a_param"] = 1
    return name, raw


def _finite(value) -> bool:
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(solver_calls())
def test_random_inputs_either_solve_to_finite_answers_or_raise_solver_input_error(call):
    solution = run_timed(*call)
    if solution is not None:
        assert all(_finite(v) for v in solution.answers.values())


def strategy_for(kind: str, n: int) -> st.SearchStrategy:
    """Values that look right for a parameter kind (sides of length n), with wild numbers."""
    number = st.one_of(st.integers(0, 5), st.floats(-1e308, 1e308), st.just(0), st.just(1e-320))
    row = st.lists(number, min_size=n, max_size=n)
    by_kind = {
        "int": st.integers(-2, 8), "float": number, "bool": st.booleans(),
        "str": st.sampled_from(["", *CHOICE_WORDS]),
        "vec": row,
        "mat": st.lists(row, min_size=n, max_size=n),
        "mat_or_mats": st.lists(row, min_size=n, max_size=n),
        "number_or_vec": number, "vecs": st.lists(row, min_size=1, max_size=3),
        "json": st.none(),
    }
    if kind not in by_kind:
        pytest.fail(f"no fuzz strategy for parameter kind {kind!r}: add one to strategy_for")
    return by_kind[kind]


def test_every_param_kind_has_a_strategy():
    for kind in KINDS:
        strategy_for(kind, 2)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(SOLVERS), st.data())
def test_plausible_shapes_with_wild_numbers_never_crash(name, data):
    """Valid-looking calls (taken from each solver's own parameter kinds) with extreme numbers."""
    spec = REGISTRY[name]
    n = data.draw(st.integers(1, 4))
    raw = {}
    for p in spec.params:
        if p.choices:
            raw[p.name] = data.draw(st.sampled_from(p.choices))
        elif p.required or data.draw(st.booleans()):
            raw[p.name] = data.draw(strategy_for(p.kind, n))
    solution = run_timed(name, raw)
    if solution is not None:
        assert all(_finite(v) for v in solution.answers.values())
        assert all(_finite(to_plain(step.value)) for step in solution.steps)


# ---------------------------------------------------------------- hostile input


def _nested(depth: int) -> list:
    value: list = [0]
    for _ in range(depth - 1):
        value = [value]
    return value


HOSTILE = {  # built once: some are big
    "int_1e30": 10**30,
    "int_5000_digits": 10**5000,  # Python refuses to str() it
    "int_minus_5000_digits": -(10**5000),
    "int_inexact_as_float": 123456789012345678901,
    "int_1e12_plus_1": 10**12 + 1,
    "float_1e308": 1e308,
    "list_1e6": [1] * 10**6,
    "matrix_1000x1000": [[1.0] * 1000] * 1000,
    "channels_100x100x100": [[[1.0] * 100] * 100] * 100,
    "empty_lists_1e6": [[]] * 10**6,
    "nested_1e5_deep": _nested(10**5),
    "text_1e7": "x" * 10**7,
}
# Numbers a float parameter may well accept (1e308 is finite): they must not crash or
# stall, but the solver may answer, or blame the result rather than the parameter.
PLAIN_FLOATS = {"int_1e30", "int_inexact_as_float", "int_1e12_plus_1", "float_1e308"}
HOSTILE_CASES = [(name, p.name, case) for name in SOLVERS for p in REGISTRY[name].params
                 for case in HOSTILE]


@pytest.mark.parametrize("name, param, case", HOSTILE_CASES,
                         ids=[f"{n}-{p}-{c}" for n, p, c in HOSTILE_CASES])
def test_hostile_values_end_quickly_in_solver_input_error_naming_the_parameter(name, param,
                                                                               case):
    """One parameter of a solver's first example replaced by a hostile value."""
    spec = REGISTRY[name]
    raw = {**spec.examples[0], param: HOSTILE[case]}
    kind = spec.param(param).kind
    start = time.perf_counter()
    try:
        run_solver(spec, raw)
    except SolverInputError as err:
        blamed = err.param
    else:
        blamed = None
    assert time.perf_counter() - start < 0.5
    if not (kind in ("float", "number_or_vec") and case in PLAIN_FLOATS):
        assert blamed == param


@pytest.mark.parametrize("padding", [100000, 1e308, 10**12, 1000])
def test_conv2d_forward_huge_padding_is_refused_quickly(padding):
    start = time.perf_counter()
    with pytest.raises(SolverInputError) as err:
        run_solver(REGISTRY["conv2d_forward"],
                   dict(input=[[1, 2], [3, 4]], kernel=[[1]], padding=padding))
    assert time.perf_counter() - start < 0.5
    assert err.value.param == "padding"
