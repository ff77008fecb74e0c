"""Seeded generation: deterministic, constraints respected, options distinct."""

from __future__ import annotations

import pytest

from drill.bank.model import NumericItem
from drill.bank.schema import validate_item
from drill.engine.generate import GenerationError, generate
from solvers import get_solver


def template(**fields) -> NumericItem:
    base = {
        "id": "t-conv", "kind": "numeric", "topic": "t", "solver": "conv2d_shape",
        "vars": {"n": {"int": [5, 30]}},
        "params": {"height": {"expr": "n"}, "width": {"expr": "n"}, "in_channels": 1,
                   "out_channels": {"choices": [4, 8]}, "kernel_size": {"choices": [3, 5]},
                   "stride": {"choices": [1, 2]}, "padding": {"int": [0, 2]}},
        "ask": ["out_height"],
        "prompt": {"en": "n={n} k={kernel_size}"},
    }
    base.update(fields)
    return validate_item(base)


def test_same_seed_gives_the_same_problem_and_seeds_differ():
    item, spec = template(), get_solver("conv2d_shape")
    first = [generate(item, seed, spec) for seed in range(50)]
    again = [generate(item, seed, spec) for seed in range(50)]
    assert [p.names for p in first] == [p.names for p in again]
    assert [p.solution.answers for p in first] == [p.solution.answers for p in again]
    assert len({str(p.names) for p in first}) > 10


def test_constraints_hold_before_and_after_solving():
    item = template(constraints=["(n + 2*padding - kernel_size) % stride == 0", "out_height >= 10"])
    spec = get_solver("conv2d_shape")
    for seed in range(200):
        p = generate(item, seed, spec)
        n, pad, k, s = (p.names[x] for x in ("n", "padding", "kernel_size", "stride"))
        assert (n + 2 * pad - k) % s == 0
        assert p.solution.answers["out_height"] >= 10


def test_distractors_make_distinct_shuffled_options_containing_the_answer():
    item = template(distractors=["(n - kernel_size) // stride + 1", "(n + 2*padding - kernel_size) // stride"])
    spec = get_solver("conv2d_shape")
    positions = set()
    for seed in range(200):
        p = generate(item, seed, spec)
        assert len(set(p.options)) == 3
        assert p.options[p.answer_index] == p.solution.answers["out_height"]
        positions.add(p.answer_index)
    assert positions == {0, 1, 2}


def test_unsatisfiable_constraints_raise_generation_error():
    with pytest.raises(GenerationError, match="1000 draws"):
        generate(template(constraints=["n > 100"]), 0, get_solver("conv2d_shape"))


def test_solver_rejecting_a_draw_is_a_generation_error_naming_the_parameter():
    item = template(params={"height": 2, "width": 2, "in_channels": 1, "out_channels": 1,
                            "kernel_size": 5})
    with pytest.raises(GenerationError, match="kernel_size"):
        generate(item, 0, get_solver("conv2d_shape"))


def test_shaped_draws_use_earlier_variables():
    item = validate_item({
        "id": "t-rnn", "kind": "numeric", "topic": "t", "solver": "rnn_step",
        "vars": {"H": {"int": [1, 3]}, "I": {"int": [1, 3]}},
        "params": {"x": {"int": [-2, 2], "shape": ["I"]},
                   "h_prev": {"float": [-1, 1], "decimals": 1, "shape": ["H"]},
                   "w_ih": {"float": [-1, 1], "decimals": 1, "shape": ["H", "I"], "nonzero": True},
                   "w_hh": {"float": [-1, 1], "decimals": 1, "shape": ["H", "H"]}},
        "ask": ["h"], "prompt": {"en": "W = {w_ih}"},
    })
    spec = get_solver("rnn_step")
    for seed in range(100):
        p = generate(item, seed, spec)
        H, I = p.names["H"], p.names["I"]
        assert len(p.names["w_ih"]) == H and all(len(r) == I for r in p.names["w_ih"])
        assert all(v != 0 and round(v, 1) == v for r in p.names["w_ih"] for v in r)
        assert len(p.solution.answers["h"]) == H
