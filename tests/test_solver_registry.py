"""The registry: registration checks, steps that must carry LaTeX, and the coercion
limits that turn bad or hostile input into a SolverInputError naming the parameter."""

from __future__ import annotations

import gc
import time

import pytest

from solvers import load_all, registry
from solvers.registry import (
    INT_LIMIT,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_TEXT,
    Answer,
    Param,
    Solution,
    SolverDefinitionError,
    SolverInputError,
    Step,
    coerce_param,
    solver,
)

load_all()  # the real solvers register before any test swaps in a throw-away table

PARAMS = [Param("a", "int", "a count", min=1, max=10, doc_zh="一个计数"),
          Param("b", "float", "b", default=0.0, doc_zh="一个数")]
ANSWERS = [Answer("total", "float", "a + b", doc_zh="a 与 b 之和")]


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    """Registrations in these tests go into a throw-away table, not the real one."""
    monkeypatch.setattr(registry, "REGISTRY", {})


def register(func, params=PARAMS, examples=({"a": 2},), answers=ANSWERS, **kwargs):
    return solver(topic="test", summary="a test solver", params=list(params),
                  answers=list(answers), examples=list(examples), **kwargs)(func)


# ---------------------------------------------------------------- registration


def test_a_well_declared_solver_registers_with_its_examples():
    def add(a, b):
        return Solution({"total": a + b}, [Step("a + b", "a + b（求和）", "a + b", a + b)])

    register(add, examples=[{"a": 2}, {"a": 3, "b": 0.5}])
    spec = registry.REGISTRY["add"]
    assert spec.examples == ({"a": 2}, {"a": 3, "b": 0.5})
    assert all(type(example) is dict for example in spec.examples)
    assert registry.run_solver(spec, spec.examples[1])[1].answers == {"total": 3.5}


@pytest.mark.parametrize("func, takes", [
    (lambda b, a: None, "(b, a)"),            # same names, other order
    (lambda a: None, "(a)"),                  # a declared param the function lacks
    (lambda a, b, c=1: None, "(a, b, c)"),    # a function param with no declared Param
    (lambda a, bb: None, "(a, bb)"),          # a misspelt name
])
def test_registration_refuses_params_that_do_not_match_the_signature(func, takes):
    with pytest.raises(SolverDefinitionError) as err:
        register(func, name="mismatch")
    assert "declares params (a, b)" in str(err.value) and takes in str(err.value)
    assert "mismatch" not in registry.REGISTRY


@pytest.mark.parametrize("func", [lambda a, *rest: None, lambda a, b, **extra: None])
def test_registration_refuses_star_args(func):
    with pytest.raises(SolverDefinitionError, match=r"\*args or \*\*kwargs"):
        register(func, name="star")


@pytest.mark.parametrize("examples, message", [
    ([], "has no examples"),
    ([{"b": 1.0}], r"misses required ones \['a'\]"),
    ([{"a": 1, "c": 2}], r"unknown parameters \['c'\]"),
    (["a=1"], "is not a dict"),
])
def test_registration_needs_examples_that_use_declared_params(examples, message):
    with pytest.raises(SolverDefinitionError, match=message):
        register(lambda a, b: None, name="bad_examples", examples=examples)


def test_registration_without_the_examples_keyword_fails():
    with pytest.raises(SolverDefinitionError, match="has no examples"):
        solver(topic="test", summary="s", params=PARAMS, answers=ANSWERS)(lambda a, b: None)


def test_registration_refuses_an_unknown_kind_and_a_second_registration():
    with pytest.raises(SolverDefinitionError, match="unknown kind 'matrix'"):
        register(lambda m: None, params=[Param("m", "matrix", "m", doc_zh="矩阵")],
                 examples=[{"m": 1}], name="kinds")
    register(lambda a, b: None, name="twice")
    with pytest.raises(SolverDefinitionError, match="registered twice"):
        register(lambda a, b: None, name="twice")


@pytest.mark.parametrize("params, answers, blamed", [
    ([Param("a", "int", "a count", max=10), PARAMS[1]], ANSWERS, "parameter 'a'"),
    ([PARAMS[0], Param("b", "float", "b", default=0.0, doc_zh="  ")], ANSWERS, "parameter 'b'"),
    (PARAMS, [Answer("total", "float", "a + b")], "answer 'total'"),
], ids=["param_without_doc_zh", "param_with_blank_doc_zh", "answer_without_doc_zh"])
def test_registration_refuses_a_param_or_answer_without_a_chinese_description(params, answers,
                                                                              blamed):
    with pytest.raises(SolverDefinitionError, match=f"{blamed} has no doc_zh"):
        register(lambda a, b: None, params=params, answers=answers, name="no_zh")
    assert "no_zh" not in registry.REGISTRY


def test_doc_zh_is_an_optional_keyword_after_the_existing_fields():
    param = Param("n", "int", "a count", 3, (), 0, 9)  # every field before it, by position
    assert (param.default, param.max, param.doc_zh) == (3, 9, "")
    assert Answer("n", "int", "a count").doc_zh == ""
    assert Param("n", "int", "a count", doc_zh="计数").doc_zh == "计数"
    with pytest.raises(TypeError):
        Answer("n", "int", "a count", "计数")  # keyword only: no positional slot to misuse


# ---------------------------------------------------------------- steps


@pytest.mark.parametrize("latex", ["", "   "])
def test_a_step_refuses_an_empty_latex(latex):
    with pytest.raises(SolverDefinitionError, match="no LaTeX"):
        Step("out = 1", "输出 = 1", latex, 1)


def test_a_step_refuses_empty_text_and_keeps_its_fields():
    with pytest.raises(SolverDefinitionError, match="English text"):
        Step("", "中文", "x = 1")
    step = Step("x = 1", "x 等于 1", "x = 1", 1)
    assert (step.text("en"), step.text("zh")) == ("x = 1", "x 等于 1")
    assert step.to_json() == {"text": "x = 1", "latex": "x = 1", "value": 1,
                              "text_zh": "x 等于 1"}


# ---------------------------------------------------------------- ints are exact


def test_ints_never_pass_through_float(monkeypatch):
    monkeypatch.setattr(registry, "INT_LIMIT", 10**30)
    value = coerce_param(Param("n", "int", "n"), 123456789012345678901)
    assert value == 123456789012345678901 and type(value) is int


@pytest.mark.parametrize("raw, want", [(3, 3), (3.0, 3), (-2.0, -2), (INT_LIMIT, INT_LIMIT)])
def test_ints_and_whole_floats_become_exact_ints(raw, want):
    value = coerce_param(Param("n", "int", "n"), raw)
    assert value == want and type(value) is int


BAD_INTS = {  # id: (value, what the message says)
    "fraction": (2.5, "expected a whole number"),
    "inf": (float("inf"), "expected a whole number"),
    "nan": (float("nan"), "expected a whole number"),
    "bool": (True, "expected a number"),
    "text": ("3", "expected a number"),
    "list": ([3], "expected a number"),
    "over_limit": (INT_LIMIT + 1, "too large"),
    "under_limit": (-INT_LIMIT - 1, "too large"),
    "huge_float": (1e308, "too large"),
    "exact_in_message": (123456789012345678901, "123456789012345678901 is too large"),
    "5000_digits": (10**5000, "about 5000 digits"),  # Python cannot even str() it
    "minus_5000_digits": (-(10**5000), "about 5000 digits"),
}


@pytest.mark.parametrize("case", BAD_INTS)
def test_bad_ints_are_refused_naming_the_parameter(case):
    raw, message = BAD_INTS[case]
    with pytest.raises(SolverInputError) as err:
        coerce_param(Param("n", "int", "n"), raw)
    assert err.value.param == "n" and message in err.value.message


@pytest.mark.parametrize("raw, message", [(0, "must be >= 1"), (11, "must be <= 10")])
def test_an_int_param_keeps_within_its_declared_min_and_max(raw, message):
    assert coerce_param(PARAMS[0], 10) == 10
    with pytest.raises(SolverInputError) as err:
        coerce_param(PARAMS[0], raw)
    assert err.value.param == "a" and message in err.value.message


@pytest.mark.parametrize("raw", [10**400, -(10**5000), float("inf"), float("nan")],
                         ids=["400_digits", "minus_5000_digits", "inf", "nan"])
def test_floats_refuse_huge_and_non_finite_numbers(raw):
    with pytest.raises(SolverInputError) as err:
        coerce_param(Param("x", "float", "x"), raw)
    assert err.value.param == "x"


# ---------------------------------------------------------------- size limits


def nested(depth: int) -> list:
    """[[[...[1]...]]], `depth` lists deep, built without recursion."""
    value: list = [1]
    for _ in range(depth - 1):
        value = [value]
    return value


AT_THE_LIMITS = {  # id: (kind, make the value)
    "vec": ("vec", lambda: [1.0] * MAX_ELEMENTS),
    "mat_100x100": ("mat", lambda: [[1.0] * 100] * 100),
    "mats_6x40x40": ("mat_or_mats", lambda: [[[1.0] * 40] * 40] * 6),
    "deepest": ("json", lambda: nested(MAX_DEPTH)),
    "longest_text": ("str", lambda: "x" * MAX_TEXT),
}

OVER_THE_LIMITS = {  # id: (kind, make the value, what the message says)
    "vec_one_too_many": ("vec", lambda: [1.0] * (MAX_ELEMENTS + 1), "more than 10,000 numbers"),
    "vec_10_million": ("vec", lambda: [1.0] * 10**7, "more than 10,000 numbers"),
    "mat_1000x1000": ("mat", lambda: [[1.0] * 1000] * 1000, "more than 10,000 numbers"),
    "million_empty_lists": ("vecs", lambda: [[]] * 10**6, "more than 10,000 numbers or lists"),
    "empty_lists": ("json", lambda: [[] for _ in range(MAX_ELEMENTS + 1)],
                    "more than 10,000 numbers or lists"),
    "big_object": ("json", lambda: {str(k): k for k in range(MAX_ELEMENTS)},
                   "more than 10,000 numbers"),
    "one_too_deep": ("json", lambda: nested(MAX_DEPTH + 1), "nested more than"),
    "100k_deep": ("vec", lambda: nested(10**5), "nested more than"),
    "text_one_too_long": ("str", lambda: "x" * (MAX_TEXT + 1), "text longer than"),
    "text_10_million": ("str", lambda: "x" * 10**7, "text longer than"),
    "long_text_in_list": ("vec", lambda: ["x" * 10**7], "text longer than"),
}


@pytest.mark.parametrize("case", AT_THE_LIMITS)
def test_values_at_the_limits_are_accepted(case):
    kind, make = AT_THE_LIMITS[case]
    coerce_param(Param("p", kind, "p"), make())


@pytest.mark.parametrize("case", OVER_THE_LIMITS)
def test_oversized_values_are_refused_quickly_naming_the_parameter(case):
    kind, make, message = OVER_THE_LIMITS[case]
    value = make()
    gc.disable()  # as timeit does: a full collection of the test process is not the refusal
    try:
        start = time.perf_counter()
        with pytest.raises(SolverInputError) as err:
            coerce_param(Param("p", kind, "p"), value)
        assert time.perf_counter() - start < 0.1
    finally:
        gc.enable()
    assert err.value.param == "p" and message in err.value.message


def test_a_choice_parameter_refuses_a_huge_value_without_crashing():
    mode = Param("mode", "str", "mode", default="max", choices=("max", "avg"))
    for raw in (10**5000, [1] * 100, nested(50)):
        with pytest.raises(SolverInputError) as err:
            coerce_param(mode, raw)
        assert err.value.param == "mode"
    assert coerce_param(Param("base", "str", "base", choices=("e", 2)), "2") == 2


def test_error_messages_stay_short_for_huge_values():
    with pytest.raises(SolverInputError) as err:
        coerce_param(Param("m", "mat", "m"), [[1.0], 10**5000])
    assert err.value.param == "m" and len(str(err.value)) < 120


def test_an_optional_answer_may_be_absent_and_a_required_one_may_not():
    from solvers import get_solver, run_solver

    _, without = run_solver(get_solver("rnn_forward"), {"xs": [[1], [0]], "w_ih": [[1]],
                                                         "w_hh": [[0.5]]})
    assert set(without.answers) == {"hs"}
    _, with_outputs = run_solver(get_solver("rnn_forward"), {"xs": [[1], [0]], "w_ih": [[1]],
                                                              "w_hh": [[0.5]], "w_hy": [[2]]})
    assert set(with_outputs.answers) == {"hs", "ys"}
