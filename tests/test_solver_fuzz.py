"""Bad input never crashes a solver: anything but SolverInputError is a bug."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers import load_all, run_solver
from solvers.registry import SolverInputError, to_plain

SOLVERS = sorted(load_all())

scalars = st.one_of(
    st.integers(-3, 6), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.sampled_from(["", "relu", "lstm", "keras", "max", "norm", "value"]),
)
vectors = st.lists(st.one_of(st.integers(-3, 3), st.floats(-5, 5)), min_size=0, max_size=5)
matrices = st.lists(vectors, min_size=0, max_size=5)
values = st.one_of(scalars, vectors, matrices, st.lists(matrices, max_size=3))


@st.composite
def solver_calls(draw):
    name = draw(st.sampled_from(SOLVERS))
    spec = load_all()[name]
    raw = {}
    for param in spec.params:
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
    name, raw = call
    try:
        _, solution = run_solver(load_all()[name], raw)
    except SolverInputError:
        return
    assert all(_finite(v) for v in solution.answers.values())


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(SOLVERS), st.data())
def test_plausible_shapes_with_wild_numbers_never_crash(name, data):
    """Valid-looking calls (taken from each solver's own parameter kinds) with extreme numbers."""
    spec = load_all()[name]
    n = data.draw(st.integers(1, 4))
    number = st.one_of(st.integers(0, 5), st.floats(-1e308, 1e308), st.just(0), st.just(1e-320))
    by_kind = {
        "int": st.integers(-2, 8), "float": number, "bool": st.booleans(),
        "vec": st.lists(number, min_size=n, max_size=n),
        "mat": st.lists(st.lists(number, min_size=n, max_size=n), min_size=n, max_size=n),
        "mat_or_mats": st.lists(st.lists(number, min_size=n, max_size=n), min_size=n, max_size=n),
        "number_or_vec": number, "vecs": st.lists(st.lists(number, min_size=n, max_size=n), min_size=1, max_size=3),
        "json": st.none(),
    }
    raw = {}
    for p in spec.params:
        if p.choices:
            raw[p.name] = data.draw(st.sampled_from(p.choices))
        elif p.required or data.draw(st.booleans()):
            raw[p.name] = data.draw(by_kind[p.kind])
    try:
        _, solution = run_solver(spec, raw)
    except SolverInputError:
        return
    assert all(_finite(v) for v in solution.answers.values())
    assert all(_finite(to_plain(step.value)) for step in solution.steps)
