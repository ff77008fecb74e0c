"""Attention solvers against torch (F.scaled_dot_product_attention, nn.Linear,
nn.MultiheadAttention) and published examples."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def _mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    # Half hand-worked small integers, half arbitrary floats.
    if rng.random() < 0.5:
        return [[rng.randint(-3, 3) for _ in range(cols)] for _ in range(rows)]
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


def _t(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


# ---------------------------------------------------------------- attention


def test_attention_matches_f_scaled_dot_product_attention_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n_q, n_k, d, d_v = rng.randint(1, 4), rng.randint(1, 5), rng.randint(1, 6), rng.randint(1, 4)
        scaled = rng.random() < 0.7
        q, k, v = _mat(rng, n_q, d), _mat(rng, n_k, d), _mat(rng, n_k, d_v)
        got = solve("attention", query=q, key=k, value=v, scaled=scaled)
        qt, kt, vt = _t(q), _t(k), _t(v)
        want = F.scaled_dot_product_attention(qt[None], kt[None], vt[None],
                                              scale=None if scaled else 1.0)[0]
        torch.testing.assert_close(_t(got["output"]), want, rtol=1e-10, atol=1e-10)
        # The logits and weights, from torch's own softmax over the keys (last axis).
        logits = qt @ kt.T / (math.sqrt(d) if scaled else 1.0)
        torch.testing.assert_close(_t(got["scores"]), logits, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(_t(got["weights"]), torch.softmax(logits, dim=-1),
                                   rtol=1e-10, atol=1e-12)


def test_attention_illustrated_transformer_scores_14_and_12_give_weights_088_and_012():
    # Alammar, "The Illustrated Transformer": q1·k1 = 112, q1·k2 = 96; divided by
    # √d_k = √64 = 8 they are 14 and 12, and the softmax gives 0.88 and 0.12.
    got = solve("attention", query=[[1] + [0] * 63], key=[[112] + [0] * 63, [96] + [0] * 63],
                value=[[1, 0], [0, 1]])
    assert got["scores"] == [[14.0, 12.0]]
    assert [round(w, 2) for w in got["weights"][0]] == [0.88, 0.12]


def test_attention_d2l_identical_keys_give_the_mean_of_the_values():
    # Dive into Deep Learning §11.3 (DotProductAttention): keys all ones, values
    # arange(40).reshape(10, 4); with 2 and 6 valid keys the outputs are [2, 3, 4, 5] and
    # [10, 11, 12, 13] (here the valid keys are passed alone, so no mask is needed).
    values = [[4 * i + j for j in range(4)] for i in range(10)]
    for valid, want in ((2, [2, 3, 4, 5]), (6, [10, 11, 12, 13])):
        got = solve("attention", query=[[0.3, -1.2]], key=[[1, 1]] * valid,
                    value=values[:valid])
        assert got["output"][0] == pytest.approx(want, abs=1e-12)


def test_attention_steps_name_the_scaling_convention():
    _, sol = run_solver(get_solver("attention"), dict(query=[[1, 0, 0, 0]], key=[[2, 0, 0, 0]],
                                                      value=[[1]]))
    assert "√d_k" in sol.steps[0].en and "d_k = 4" in sol.steps[0].en
    assert any("Q Kᵀ / √4 = Q Kᵀ / 2" in step.en for step in sol.steps)


def test_attention_rejects_keys_of_another_width_than_the_queries():
    with pytest.raises(SolverInputError) as err:
        solve("attention", query=[[1, 2]], key=[[1, 2, 3]], value=[[1]])
    assert err.value.param == "key"


def test_attention_rejects_values_not_one_per_key():
    with pytest.raises(SolverInputError) as err:
        solve("attention", query=[[1, 2]], key=[[1, 2], [3, 4]], value=[[1]])
    assert err.value.param == "value"


# ---------------------------------------------------------------- additive_attention


def test_additive_attention_matches_torch_linear_layers_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        n, d_q, d_k, h, d_v = (rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 3),
                               rng.randint(1, 4), rng.randint(1, 3))
        q, keys = _mat(rng, 1, d_q)[0], _mat(rng, n, d_k)
        w_q, w_k, v = _mat(rng, h, d_q), _mat(rng, h, d_k), _mat(rng, 1, h)[0]
        values = _mat(rng, n, d_v) if rng.random() < 0.5 else None
        raw = dict(query=q, keys=keys, w_q=w_q, w_k=w_k, v=v)
        if values is not None:
            raw["values"] = values
        got = solve("additive_attention", **raw)
        # d2l's AdditiveAttention: three bias-free nn.Linear layers.
        lin_q = torch.nn.Linear(d_q, h, bias=False, dtype=torch.float64)
        lin_k = torch.nn.Linear(d_k, h, bias=False, dtype=torch.float64)
        lin_v = torch.nn.Linear(h, 1, bias=False, dtype=torch.float64)
        with torch.no_grad():
            lin_q.weight.copy_(_t(w_q))
            lin_k.weight.copy_(_t(w_k))
            lin_v.weight.copy_(_t([v]))
            features = torch.tanh(lin_q(_t(q))[None, :] + lin_k(_t(keys)))
            scores = lin_v(features).squeeze(-1)
            weights = torch.softmax(scores, dim=0)
            context = weights @ _t(values if values is not None else keys)
        torch.testing.assert_close(_t(got["scores"]), scores, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(_t(got["weights"]), weights, rtol=1e-10, atol=1e-12)
        torch.testing.assert_close(_t(got["context"]), context, rtol=1e-10, atol=1e-10)


def test_additive_attention_d2l_identical_keys_give_the_mean_of_the_values():
    # Dive into Deep Learning §11.3 (AdditiveAttention), the same check as for the dot
    # product: equal keys, equal scores, uniform weights, so [2, 3, 4, 5] and
    # [10, 11, 12, 13] whatever the (random) projection weights.
    rng = random.Random(2)
    values = [[4 * i + j for j in range(4)] for i in range(10)]
    for valid, want in ((2, [2, 3, 4, 5]), (6, [10, 11, 12, 13])):
        got = solve("additive_attention", query=_mat(rng, 1, 20)[0], keys=[[1, 1]] * valid,
                    w_q=_mat(rng, 8, 20), w_k=_mat(rng, 8, 2), v=_mat(rng, 1, 8)[0],
                    values=values[:valid])
        assert got["weights"] == pytest.approx([1 / valid] * valid)
        assert got["context"] == pytest.approx(want, abs=1e-12)


def test_additive_attention_values_default_to_the_keys():
    inputs, sol = run_solver(get_solver("additive_attention"),
                             dict(query=[1], keys=[[1], [3]], w_q=[[1]], w_k=[[1]], v=[1]))
    assert inputs["values"] == [[1.0], [3.0]]
    w = sol.answers["weights"]
    assert sol.answers["context"] == pytest.approx([w[0] * 1 + w[1] * 3])


@pytest.mark.parametrize("param, raw", [
    ("w_q", dict(query=[1, 2], keys=[[1]], w_q=[[1]], w_k=[[1]], v=[1])),
    ("w_k", dict(query=[1], keys=[[1, 2]], w_q=[[1]], w_k=[[1]], v=[1])),
    ("v", dict(query=[1], keys=[[1]], w_q=[[1]], w_k=[[1]], v=[1, 2])),
    ("values", dict(query=[1], keys=[[1], [2]], w_q=[[1]], w_k=[[1]], v=[1], values=[[1]])),
])
def test_additive_attention_blames_the_parameter_of_the_wrong_shape(param, raw):
    with pytest.raises(SolverInputError) as err:
        solve("additive_attention", **raw)
    assert err.value.param == param


# ---------------------------------------------------------------- multi-head params


def test_multihead_attention_params_match_nn_multiheadattention_over_random_draws():
    rng = random.Random(3)
    for _ in range(DRAWS):
        heads = rng.randint(1, 6)
        e = heads * rng.randint(1, 6)
        bias = rng.random() < 0.7
        kdim = rng.choice([None, rng.randint(1, 12)])
        vdim = rng.choice([None, rng.randint(1, 12)])
        raw = dict(embed_dim=e, num_heads=heads, bias=bias)
        raw.update({k: v for k, v in (("kdim", kdim), ("vdim", vdim)) if v is not None})
        got = solve("multihead_attention_params", **raw)
        mha = torch.nn.MultiheadAttention(e, heads, bias=bias, kdim=kdim, vdim=vdim)
        assert got["params"] == sum(p.numel() for p in mha.parameters())
        assert got["out_proj"] == sum(p.numel() for p in mha.out_proj.parameters())
        assert got["head_dim"] == mha.head_dim
        assert type(got["params"]) is int


def test_multihead_attention_params_transformer_base_and_bert_base():
    # Vaswani et al. (2017), base model: d_model = 512, h = 8, so d_k = d_v = 64 and one
    # attention layer has 4·512² + 4·512 weights; BERT-base: 768 wide, 12 heads of 64.
    base = solve("multihead_attention_params", embed_dim=512, num_heads=8)
    assert base["head_dim"] == 64 and base["params"] == 4 * 512**2 + 4 * 512 == 1_050_624
    bert = solve("multihead_attention_params", embed_dim=768, num_heads=12)
    assert bert["head_dim"] == 64 and bert["params"] == 2_362_368


def test_multihead_attention_params_do_not_depend_on_the_number_of_heads():
    counts = {solve("multihead_attention_params", embed_dim=48, num_heads=h)["params"]
              for h in (1, 2, 3, 4, 6, 8, 12, 16, 24, 48)}
    assert counts == {4 * 48 * 48 + 4 * 48}


def test_multihead_attention_params_rejects_embed_dim_not_divisible_like_torch():
    with pytest.raises(AssertionError):
        torch.nn.MultiheadAttention(10, 3)
    with pytest.raises(SolverInputError) as err:
        solve("multihead_attention_params", embed_dim=10, num_heads=3)
    assert err.value.param == "num_heads"


# ---------------------------------------------------------------- positional encoding


def _torch_positional_encoding(max_len: int, d: int, base: float) -> torch.Tensor:
    # d2l's PositionalEncoding (§11.6), written for any d (an odd d ends with a sine).
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    div = torch.pow(torch.tensor(base, dtype=torch.float64),
                    torch.arange(0, d, 2, dtype=torch.float64) / d)
    angles = pos / div
    p = torch.zeros(max_len, d, dtype=torch.float64)
    p[:, 0::2] = torch.sin(angles)
    p[:, 1::2] = torch.cos(angles[:, : d // 2])
    return p


def test_positional_encoding_matches_the_d2l_matrix_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        d, pos = rng.randint(1, 16), rng.randint(0, 60)
        base = rng.choice([10000, 100, 1000, rng.uniform(2, 20000)])
        got = solve("positional_encoding", position=pos, d_model=d, base=base)
        want = _torch_positional_encoding(pos + 1, d, base)[pos]
        torch.testing.assert_close(_t(got["encoding"]), want, rtol=1e-12, atol=1e-12)


def test_positional_encoding_machine_learning_mastery_example():
    # Saeed, "A Gentle Introduction to Positional Encoding in Transformer Models, Part 1"
    # (Machine Learning Mastery, 2022): "I am a robot", n = 100, d = 4.
    published = [
        [0.0, 1.0, 0.0, 1.0],
        [0.84147098, 0.54030231, 0.09983342, 0.99500417],
        [0.90929743, -0.41614684, 0.19866933, 0.98006658],
        [0.14112001, -0.9899925, 0.29552021, 0.95533649],
    ]
    for pos, row in enumerate(published):
        got = solve("positional_encoding", position=pos, d_model=4, base=100)
        assert got["encoding"] == pytest.approx(row, abs=5e-9)


def test_positional_encoding_pairs_share_one_angle_and_have_unit_norm():
    got = solve("positional_encoding", position=7, d_model=8)
    angles, enc = got["angles"], got["encoding"]
    assert angles[0::2] == angles[1::2]
    for i in range(4):  # sin² + cos² = 1 for each frequency
        assert enc[2 * i] ** 2 + enc[2 * i + 1] ** 2 == pytest.approx(1)
