"""CNN solvers against torch (nn.Conv2d, F.conv2d, pooling) and textbook answers."""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest
import torch
import torch.nn.functional as F

from solvers import cnn_forward, get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def test_conv2d_shape_matches_nn_conv2d_over_random_draws():
    rng = random.Random(0)
    checked = 0
    while checked < DRAWS:
        groups = rng.choice([1, 1, 2, 4])
        c_in = groups * rng.randint(1, 4)
        c_out = groups * rng.randint(1, 4)
        k, s, p, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(0, 2), rng.randint(1, 2)
        h, w = rng.randint(1, 20), rng.randint(1, 20)
        bias = rng.random() < 0.7
        if d * (k - 1) + 1 > min(h, w) + 2 * p:
            continue
        conv = torch.nn.Conv2d(c_in, c_out, k, stride=s, padding=p, dilation=d,
                               groups=groups, bias=bias)
        out = conv(torch.zeros(1, c_in, h, w))
        got = solve("conv2d_shape", height=h, width=w, in_channels=c_in, out_channels=c_out,
                    kernel_size=k, stride=s, padding=p, dilation=d, groups=groups, bias=bias)
        assert (got["out_height"], got["out_width"]) == tuple(out.shape[2:])
        assert got["params"] == sum(t.numel() for t in conv.parameters())
        assert got["macs"] == out.numel() * conv.weight[0].numel()
        checked += 1


def test_conv2d_shape_alexnet_conv1_textbook():
    # 227x227x3, 96 filters 11x11 stride 4 -> 55x55x96, 34,944 parameters (CS231n/AlexNet).
    got = solve("conv2d_shape", height=227, width=227, in_channels=3, out_channels=96,
                kernel_size=11, stride=4)
    assert (got["out_height"], got["out_width"], got["params"]) == (55, 55, 34944)
    assert got["macs"] == 55 * 55 * 96 * 363  # 105,415,200


def test_conv2d_shape_rejects_kernel_larger_than_padded_input():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_shape", height=3, width=3, in_channels=1, out_channels=1, kernel_size=5)
    assert err.value.param == "kernel_size"


def test_conv2d_shape_counts_are_ints():
    got = solve("conv2d_shape", height=8, width=8, in_channels=2, out_channels=4, kernel_size=3)
    assert all(type(v) is int for v in got.values())


def test_conv2d_shape_vgg_three_stacked_3x3_use_27c2_weights_vs_49c2_for_one_7x7():
    # Simonyan & Zisserman (VGG), sec. 2.3: 3·(3²C²) = 27C² vs 7²C² = 49C², no bias.
    c = 64
    one_3x3 = solve("conv2d_shape", height=56, width=56, in_channels=c, out_channels=c,
                    kernel_size=3, padding=1, bias=False)
    one_7x7 = solve("conv2d_shape", height=56, width=56, in_channels=c, out_channels=c,
                    kernel_size=7, padding=3, bias=False)
    assert 3 * one_3x3["params"] == 27 * c * c
    assert one_7x7["params"] == 49 * c * c
    assert (one_3x3["out_height"], one_3x3["out_width"]) == (56, 56)  # "same" padding


# ---------------------------------------------------------------- pool2d_shape


def test_pool2d_shape_matches_torch_pooling_over_random_draws():
    rng = random.Random(1)
    checked = rejected = 0
    while checked < DRAWS:
        c, h, w = rng.randint(1, 4), rng.randint(1, 20), rng.randint(1, 20)
        k, p = rng.randint(1, 5), rng.randint(0, 3)
        stride = rng.choice([None, 1, 2, 3])
        raw = dict(height=h, width=w, channels=c, kernel_size=k, padding=p)
        if stride is not None:
            raw["stride"] = stride
        x = torch.zeros(1, c, h, w)
        try:
            out_max = F.max_pool2d(x, k, stride=stride, padding=p)
            out_avg = F.avg_pool2d(x, k, stride=stride, padding=p)
        except RuntimeError:
            with pytest.raises(SolverInputError) as err:
                solve("pool2d_shape", **raw)
            assert err.value.param == ("padding" if 2 * p > k else "kernel_size")
            rejected += 1
            continue
        got = solve("pool2d_shape", **raw)
        assert (got["out_height"], got["out_width"]) == tuple(out_max.shape[2:])
        assert out_avg.shape == out_max.shape
        checked += 1
    assert rejected > 0  # the draws also exercised what torch refuses


def test_pool2d_shape_vgg16_five_2x2_pools_take_224_to_7():
    # VGG-16: 224x224 input, five 2x2 stride-2 max pools -> 7x7x512 before the FC layers.
    sizes = [224]
    for _ in range(5):
        got = solve("pool2d_shape", height=sizes[-1], width=sizes[-1], channels=512,
                    kernel_size=2)
        sizes.append(got["out_height"])
    assert sizes == [224, 112, 56, 28, 14, 7]


def test_pool2d_shape_alexnet_overlapping_3x3_stride_2_pool_takes_55_to_27():
    # CS231n / Krizhevsky et al.: 55x55x96 -> 3x3 max pool, stride 2 -> 27x27x96.
    got = solve("pool2d_shape", height=55, width=55, channels=96, kernel_size=3, stride=2)
    assert (got["out_height"], got["out_width"]) == (27, 27)


def test_pool2d_shape_stride_defaults_to_kernel_size():
    inputs, _ = run_solver(get_solver("pool2d_shape"), dict(height=8, width=8, kernel_size=4))
    assert inputs["stride"] == 4


def test_pool2d_shape_rejects_padding_above_half_the_kernel():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_shape", height=8, width=8, kernel_size=3, padding=2)
    assert err.value.param == "padding"


def test_pool2d_shape_rejects_window_larger_than_input():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_shape", height=3, width=8, kernel_size=5, padding=0)
    assert err.value.param == "kernel_size"


def test_pool2d_shape_counts_are_ints():
    got = solve("pool2d_shape", height=9, width=7, kernel_size=2)
    assert all(type(v) is int for v in got.values())


# ---------------------------------------------------------------- conv2d_forward


def _rand_mat(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    # Mix small integers (hand-worked style) with arbitrary floats.
    if rng.random() < 0.5:
        return [[rng.randint(-3, 3) for _ in range(cols)] for _ in range(rows)]
    return [[rng.uniform(-2, 2) for _ in range(cols)] for _ in range(rows)]


def test_conv2d_forward_matches_f_conv2d_over_random_draws():
    rng = random.Random(2)
    checked = rejected = 0
    while checked < DRAWS:
        c, h, w = rng.randint(1, 3), rng.randint(1, 7), rng.randint(1, 7)
        kh, kw = rng.randint(1, 4), rng.randint(1, 4)
        s, p = rng.randint(1, 3), rng.randint(0, 2)
        bias = rng.choice([0, 0.5, rng.uniform(-2, 2)])
        x = [_rand_mat(rng, h, w) for _ in range(c)]
        k = [_rand_mat(rng, kh, kw) for _ in range(c)]
        # One channel may be given as a plain matrix.
        raw = dict(input=x[0] if c == 1 and rng.random() < 0.5 else x,
                   kernel=k[0] if c == 1 and rng.random() < 0.5 else k,
                   bias=bias, stride=s, padding=p)
        xt = torch.tensor(x, dtype=torch.float64)[None]
        kt = torch.tensor(k, dtype=torch.float64)[None]
        try:
            want = F.conv2d(xt, kt, torch.tensor([bias], dtype=torch.float64),
                            stride=s, padding=p)[0, 0]
        except RuntimeError:
            with pytest.raises(SolverInputError) as err:
                solve("conv2d_forward", **raw)
            assert err.value.param == "kernel"
            rejected += 1
            continue
        got = solve("conv2d_forward", **raw)["output"]
        torch.testing.assert_close(torch.tensor(got, dtype=torch.float64), want,
                                   rtol=1e-12, atol=1e-12)
        checked += 1
    assert rejected > 0


def test_conv2d_forward_d2l_single_channel_corr2d_example():
    # Zhang et al., Dive into Deep Learning, "Cross-Correlation Operation":
    # 0·0 + 1·1 + 3·2 + 4·3 = 19, output [[19, 25], [37, 43]].
    _, sol = run_solver(get_solver("conv2d_forward"),
                        dict(input=[[0, 1, 2], [3, 4, 5], [6, 7, 8]], kernel=[[0, 1], [2, 3]]))
    assert sol.answers["output"] == [[19, 25], [37, 43]]
    first_cell = "out[0][0] = 0·0 + 1·1 + 3·2 + 4·3 = 19"
    assert any(first_cell in step.en and first_cell in step.zh for step in sol.steps)
    first_latex = r"y_{0,0} = 0 \cdot 0 + 1 \cdot 1 + 3 \cdot 2 + 4 \cdot 3 = 19"
    assert any(step.latex == first_latex for step in sol.steps)
    assert sol.steps[-1].latex == r"Y = \begin{bmatrix} 19 & 25 \\ 37 & 43 \end{bmatrix}"


def test_conv2d_forward_d2l_two_input_channels_sum_to_one_output():
    # Dive into Deep Learning, "Multiple Input Channels": output [[56, 72], [104, 120]],
    # the first cell being (0·0 + 1·1 + 3·2 + 4·3) + (1·1 + 2·2 + 4·3 + 5·4) = 19 + 37.
    _, sol = run_solver(get_solver("conv2d_forward"), dict(
        input=[[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]],
        kernel=[[[0, 1], [2, 3]], [[1, 2], [3, 4]]],
    ))
    assert sol.answers["output"] == [[56, 72], [104, 120]]
    assert any("= 19 + 37 = 56" in step.en for step in sol.steps)
    assert any(step.latex.endswith("= 19 + 37 = 56") for step in sol.steps)


def test_conv2d_forward_steps_stay_short_for_a_big_input():
    rng = random.Random(3)
    x = [_rand_mat(rng, 40, 40) for _ in range(3)]
    k = [_rand_mat(rng, 7, 7) for _ in range(3)]
    _, sol = run_solver(get_solver("conv2d_forward"), dict(input=x, kernel=k, padding=3))
    assert len(sol.answers["output"]) == 40
    assert len(sol.steps) <= 8
    assert sum(len(step.en) + len(step.zh) for step in sol.steps) < 6000
    assert sum(len(step.latex) for step in sol.steps) < 6000


def test_conv2d_forward_rejects_kernel_with_other_channel_count():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_forward", input=[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], kernel=[[1]])
    assert err.value.param == "kernel"


def test_conv2d_forward_rejects_kernel_larger_than_padded_input():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_forward", input=[[1, 2], [3, 4]], kernel=[[1, 0, 1]] * 3)
    assert err.value.param == "kernel"


def test_conv2d_forward_rejects_ragged_input():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_forward", input=[[1, 2, 3], [4, 5]], kernel=[[1]])
    assert err.value.param == "input"


def test_conv2d_forward_rejects_channels_of_different_shapes():
    with pytest.raises(SolverInputError) as err:
        solve("conv2d_forward", input=[[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]],
              kernel=[[[1]], [[1]]])
    assert err.value.param == "input"


# ---------------------------------------------------------------- pool2d_forward


def test_pool2d_forward_matches_torch_max_and_avg_pool_over_random_draws():
    rng = random.Random(4)
    checked = rejected = 0
    while checked < DRAWS:
        h, w, k = rng.randint(1, 8), rng.randint(1, 8), rng.randint(1, 4)
        stride = rng.choice([None, 1, 2, 3])
        mode = rng.choice(["max", "avg"])
        x = _rand_mat(rng, h, w)
        raw = dict(input=x, kernel_size=k, mode=mode)
        if stride is not None:
            raw["stride"] = stride
        pool = F.max_pool2d if mode == "max" else F.avg_pool2d
        try:
            want = pool(torch.tensor(x, dtype=torch.float64)[None, None], k, stride=stride)[0, 0]
        except RuntimeError:
            with pytest.raises(SolverInputError) as err:
                solve("pool2d_forward", **raw)
            assert err.value.param == "kernel_size"
            rejected += 1
            continue
        got = solve("pool2d_forward", **raw)["output"]
        torch.testing.assert_close(torch.tensor(got, dtype=torch.float64), want,
                                   rtol=1e-12, atol=1e-12)
        checked += 1
    assert rejected > 0


def test_pool2d_forward_cs231n_2x2_max_pool_figure():
    # CS231n "Pooling layer" figure: 2x2 filters, stride 2 -> [[6, 8], [3, 4]].
    x = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
    _, sol = run_solver(get_solver("pool2d_forward"), dict(input=x, kernel_size=2))
    assert sol.answers["output"] == [[6, 8], [3, 4]]
    assert any("max(1, 1, 5, 6) = 6" in step.en for step in sol.steps)
    assert any(step.latex == r"y_{0,0} = \max(1, 1, 5, 6) = 6" for step in sol.steps)


def test_pool2d_forward_d2l_3x3_input_2x2_window_stride_1_max_and_avg():
    # Dive into Deep Learning, "Pooling": max [[4, 5], [7, 8]], avg [[2, 3], [5, 6]].
    x = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert solve("pool2d_forward", input=x, kernel_size=2, stride=1)["output"] == [[4, 5], [7, 8]]
    assert solve("pool2d_forward", input=x, kernel_size=2, stride=1,
                 mode="avg")["output"] == [[2, 3], [5, 6]]


def test_pool2d_forward_default_mode_is_max_and_stride_is_kernel_size():
    inputs, _ = run_solver(get_solver("pool2d_forward"), dict(input=[[1, 2], [3, 4]],
                                                              kernel_size=2))
    assert (inputs["mode"], inputs["stride"]) == ("max", 2)


def test_pool2d_forward_steps_stay_short_for_a_big_window():
    rng = random.Random(5)
    _, sol = run_solver(get_solver("pool2d_forward"),
                        dict(input=_rand_mat(rng, 30, 30), kernel_size=10, stride=1, mode="avg"))
    assert sum(len(step.en) + len(step.zh) for step in sol.steps) < 4000
    assert sum(len(step.latex) for step in sol.steps) < 4000


def test_pool2d_forward_rejects_unknown_mode():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_forward", input=[[1, 2], [3, 4]], kernel_size=2, mode="min")
    assert err.value.param == "mode"


def test_pool2d_forward_rejects_window_larger_than_input():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_forward", input=[[1, 2], [3, 4]], kernel_size=3)
    assert err.value.param == "kernel_size"


def test_pool2d_forward_rejects_zero_stride():
    with pytest.raises(SolverInputError) as err:
        solve("pool2d_forward", input=[[1, 2], [3, 4]], kernel_size=1, stride=0)
    assert err.value.param == "stride"


# ---------------------------------------------------------------- limits of the forward passes


def solve_quickly(name: str, **raw) -> SolverInputError:
    """The SolverInputError that solver `name` raises for `raw`, within 0.5 s and 5 MB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SolverInputError) as err:
            solve(name, **raw)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5 and peak < 5 * 2**20
    return err.value


@pytest.mark.parametrize("padding", [100000, 1e308, 10**30], ids=["1e5", "1e308", "1e30"])
def test_conv2d_forward_refuses_a_huge_padding_at_once(padding):
    # Before these limits padding=100000 allocated 298 GiB and 1e308 gave a traceback.
    err = solve_quickly("conv2d_forward", input=[[1, 2], [3, 4]], kernel=[[1]], padding=padding)
    assert err.param == "padding"


def test_conv2d_forward_refuses_a_padded_input_over_the_cap_before_building_it():
    # padding=1000 is allowed, but 2002x2002 padded cells are past MAX_PADDED_CELLS.
    err = solve_quickly("conv2d_forward", input=[[1, 2], [3, 4]], kernel=[[1]], padding=1000)
    assert err.param == "padding" and "padded input" in err.message
    assert str(cnn_forward.MAX_PADDED_CELLS) in err.message.replace(",", "")


def test_conv2d_forward_refuses_an_output_over_the_cap():
    # 100x100 (the most numbers an input may hold) padded by 1: 102x102 output cells.
    err = solve_quickly("conv2d_forward", input=[[1.0] * 100] * 100, kernel=[[1]], padding=1)
    assert err.param == "padding" and "output" in err.message
    assert len(solve("conv2d_forward", input=[[1.0] * 100] * 100, kernel=[[1]])["output"]) == 100


def test_pool2d_forward_refuses_an_output_over_the_cap(monkeypatch):
    # Inputs are small enough today that pooling never reaches the cap; lower it to check.
    monkeypatch.setattr(cnn_forward, "MAX_OUTPUT_CELLS", 4)
    err = solve_quickly("pool2d_forward", input=[[1, 2, 3]] * 3, kernel_size=1)
    assert err.param == "input" and "output" in err.message
    assert solve("pool2d_forward", input=[[1, 2]] * 2, kernel_size=1)["output"] == [[1, 2]] * 2


@pytest.mark.parametrize("name, raw, param", [
    ("conv2d_shape", dict(height=227, width=227, in_channels=3, out_channels=96,
                          kernel_size=1001), "kernel_size"),
    ("conv2d_shape", dict(height=10**6, width=227, in_channels=3, out_channels=96,
                          kernel_size=11), "height"),
    ("pool2d_shape", dict(height=8, width=8, kernel_size=2, stride=10**12), "stride"),
    ("pool2d_forward", dict(input=[[1, 2], [3, 4]], kernel_size=123456789012345678901),
     "kernel_size"),
    ("dense_params", dict(in_features=10**30, out_features=10), "in_features"),
])
def test_int_parameters_keep_within_their_declared_max(name, raw, param):
    assert solve_quickly(name, **raw).param == param


# ---------------------------------------------------------------- depthwise_separable_params


def _count(module: torch.nn.Module) -> int:
    return sum(t.numel() for t in module.parameters())


def test_depthwise_separable_params_match_nn_conv2d_over_random_draws():
    rng = random.Random(6)
    for _ in range(DRAWS):
        c_in, c_out, k = rng.randint(1, 64), rng.randint(1, 64), rng.randint(1, 7)
        bias = rng.random() < 0.7
        # meta tensors: shapes and counts without allocating or initialising weights.
        depthwise = torch.nn.Conv2d(c_in, c_in, k, groups=c_in, bias=bias, device="meta")
        pointwise = torch.nn.Conv2d(c_in, c_out, 1, bias=bias, device="meta")
        standard = torch.nn.Conv2d(c_in, c_out, k, bias=bias, device="meta")
        got = solve("depthwise_separable_params", in_channels=c_in, out_channels=c_out,
                    kernel_size=k, bias=bias)
        assert got["depthwise"] == _count(depthwise)
        assert got["pointwise"] == _count(pointwise)
        assert got["total"] == _count(depthwise) + _count(pointwise)
        assert got["standard"] == _count(standard)
        assert got["ratio"] == pytest.approx(got["total"] / got["standard"], rel=1e-15)


def test_depthwise_separable_ratio_is_mobilenet_1_over_n_plus_1_over_k2_without_bias():
    # Howard et al., MobileNets (2017), sec. 3.1: cost ratio 1/N + 1/D_K²; with 3x3
    # kernels "8 to 9 times less computation" than standard convolutions.
    got = solve("depthwise_separable_params", in_channels=512, out_channels=512,
                kernel_size=3, bias=False)
    assert (got["depthwise"], got["pointwise"]) == (512 * 9, 512 * 512)
    assert got["ratio"] == pytest.approx(1 / 512 + 1 / 9, rel=1e-12)
    assert 8 < 1 / got["ratio"] < 9


def test_depthwise_separable_params_counts_are_ints_and_ratio_float():
    got = solve("depthwise_separable_params", in_channels=3, out_channels=8, kernel_size=3)
    assert all(type(got[name]) is int for name in ("depthwise", "pointwise", "total",
                                                   "standard"))
    assert type(got["ratio"]) is float


def test_depthwise_separable_params_rejects_zero_channels():
    with pytest.raises(SolverInputError) as err:
        solve("depthwise_separable_params", in_channels=0, out_channels=8, kernel_size=3)
    assert err.value.param == "in_channels"


# ---------------------------------------------------------------- dense_params


def test_dense_params_match_nn_linear_over_random_draws():
    rng = random.Random(7)
    for _ in range(DRAWS):
        n_in, n_out, bias = rng.randint(1, 2000), rng.randint(1, 2000), rng.random() < 0.7
        linear = torch.nn.Linear(n_in, n_out, bias=bias, device="meta")
        got = solve("dense_params", in_features=n_in, out_features=n_out, bias=bias)
        assert got["params"] == _count(linear)
        assert type(got["params"]) is int


def test_dense_params_mnist_softmax_784_to_10_has_7850():
    assert solve("dense_params", in_features=784, out_features=10)["params"] == 7850


def test_dense_params_chollet_mnist_network_summary():
    # Chollet, Deep Learning with Python, ch. 2: Dense(512) on 28*28 inputs, then Dense(10).
    assert solve("dense_params", in_features=28 * 28, out_features=512)["params"] == 401920
    assert solve("dense_params", in_features=512, out_features=10)["params"] == 5130


def test_dense_params_rejects_zero_out_features_and_non_bool_bias():
    with pytest.raises(SolverInputError) as err:
        solve("dense_params", in_features=4, out_features=0)
    assert err.value.param == "out_features"
    with pytest.raises(SolverInputError) as err:
        solve("dense_params", in_features=4, out_features=2, bias="yes")
    assert err.value.param == "bias"


# ---------------------------------------------------------------- squash


def test_squash_matches_a_torch_second_formulation_over_random_draws():
    # Second formulation: v = s·|s| / (1 + |s|²), computed in torch float64.
    rng = random.Random(7)
    for _ in range(DRAWS):
        s = [rng.uniform(-4, 4) for _ in range(rng.randint(1, 8))]
        t = torch.tensor(s, dtype=torch.float64)
        n = torch.linalg.vector_norm(t)
        want_v = t * n / (1 + n * n)
        got = solve("squash", s=s)
        assert torch.allclose(torch.tensor(got["v"], dtype=torch.float64), want_v, atol=1e-12)
        assert got["norm"] == pytest.approx(float(torch.linalg.vector_norm(want_v)), abs=1e-12)
        assert 0 <= got["norm"] < 1


def test_squash_textbook_values():
    # Sabour et al. (2017): |s| = 1 gives |v| = 1/2; s = (3, 4) gives |v| = 25/26 along s.
    assert solve("squash", s=[1.0, 0.0])["norm"] == pytest.approx(0.5)
    got = solve("squash", s=[3, 4])
    assert got["norm"] == pytest.approx(25 / 26)
    assert got["v"] == pytest.approx([25 / 26 * 0.6, 25 / 26 * 0.8])


def test_squash_of_zero_is_zero():
    assert solve("squash", s=[0, 0, 0]) == {"v": [0.0, 0.0, 0.0], "norm": 0.0}


# ---------------------------------------------------------------- receptive_field


def _span_of_output(layers: list[dict], length: int, index: int) -> tuple[int, int]:
    """(first, last) input position that output `index` of the chain depends on, found by
    torch autograd through 1-D convolutions with all-ones kernels (pooling layers as
    average pooling): the gradient is positive exactly where the output looks."""
    x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
    y = x
    for layer in layers:
        k, s, d = layer["kernel_size"], layer.get("stride", 1), layer.get("dilation", 1)
        if layer.get("pool"):
            y = F.avg_pool1d(y, k, stride=s)
        else:
            y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    (grad,) = torch.autograd.grad(y[0, 0, index], x)
    seen = torch.nonzero(grad[0, 0] > 0).flatten()
    return int(seen[0]), int(seen[-1])


def _random_chain(rng: random.Random) -> list[dict]:
    layers = []
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.25:
            k = rng.randint(2, 3)
            layers.append({"kernel_size": k, "stride": rng.choice([k, 2]), "pool": True})
        else:
            layer = {"kernel_size": rng.randint(1, 5)}
            if rng.random() < 0.5:
                layer["stride"] = rng.randint(1, 3)
            if rng.random() < 0.4:
                layer["dilation"] = rng.randint(1, 4)
            layers.append(layer)
    return layers


def test_receptive_field_matches_the_span_torch_autograd_finds_over_random_chains():
    rng = random.Random(10)
    for _ in range(DRAWS):
        layers = _random_chain(rng)
        # Every prefix of a chain is itself a chain: checking the last layer of each draw
        # (1 to 5 layers deep) covers the per-layer values too.
        depth = rng.randint(1, len(layers))
        chain = layers[:depth]
        got = solve("receptive_field",
                    layers=[{k: v for k, v in layer.items() if k != "pool"} for layer in chain])
        length = got["rf"][-1] + 3 * got["jump"][-1] + 2
        first0, last0 = _span_of_output(chain, length, 0)
        first1, _ = _span_of_output(chain, length, 1)
        assert got["rf"][-1] == last0 - first0 + 1
        assert got["jump"][-1] == first1 - first0
        assert all(type(v) is int for v in got["rf"] + got["jump"])


def test_receptive_field_cs231n_three_stacked_3x3_convs_see_7x7():
    # CS231n notes, "Prefer a stack of small filter CONV to one large receptive field
    # CONV layer": three 3x3 layers give each third-layer neuron a 7x7 view of the input.
    got = solve("receptive_field", layers=[{"kernel_size": 3}] * 3)
    assert got == {"rf": [3, 5, 7], "jump": [1, 1, 1]}


def test_receptive_field_yu_koltun_dilations_1_2_4_give_3_7_15():
    # Yu & Koltun (2016), §2: with dilations 2^i the receptive field of F_(i+1) is
    # (2^(i+2) − 1) x (2^(i+2) − 1): 3, 7, 15.
    got = solve("receptive_field", layers=[{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)])
    assert got["rf"] == [3, 7, 15]


def test_receptive_field_pooling_multiplies_the_growth_of_later_layers():
    got = solve("receptive_field", layers=[{"kernel_size": 3}, {"kernel_size": 2, "stride": 2},
                                           {"kernel_size": 3}])
    assert got == {"rf": [3, 4, 8], "jump": [1, 2, 2]}


@pytest.mark.parametrize("layers", [
    [], None, [{"kernel_size": 3, "padding": 1}], [{"stride": 2}], [{"kernel_size": 0}],
    [{"kernel_size": 2.5}], [{"kernel_size": True}], [3], [{"kernel_size": 3, "stride": 0}],
])
def test_receptive_field_rejects_bad_layers_naming_layers(layers):
    with pytest.raises(SolverInputError) as err:
        solve("receptive_field", layers=layers)
    assert err.value.param == "layers"


# ---------------------------------------------------------------- conv_transpose2d_shape


def test_conv_transpose2d_shape_matches_nn_conv_transpose2d_over_random_draws():
    rng = random.Random(11)
    checked = rejected = 0
    while checked < DRAWS:
        h, w = rng.randint(1, 9), rng.randint(1, 9)
        c_in, c_out = rng.randint(1, 4), rng.randint(1, 4)
        k, s, p = rng.randint(1, 5), rng.randint(1, 3), rng.randint(0, 3)
        op, d = rng.randint(0, 2), rng.randint(1, 2)
        bias = rng.random() < 0.7
        raw = dict(height=h, width=w, in_channels=c_in, out_channels=c_out, kernel_size=k,
                   stride=s, padding=p, output_padding=op, dilation=d, bias=bias)
        try:
            layer = torch.nn.ConvTranspose2d(c_in, c_out, k, stride=s, padding=p,
                                             output_padding=op, dilation=d, bias=bias)
            out = layer(torch.zeros(1, c_in, h, w))
            if out.numel() == 0:
                raise RuntimeError("torch returns an empty output")
        except (RuntimeError, ValueError):
            with pytest.raises(SolverInputError) as err:
                solve("conv_transpose2d_shape", **raw)
            assert err.value.param in ("output_padding", "padding")
            rejected += 1
            continue
        got = solve("conv_transpose2d_shape", **raw)
        assert (got["out_height"], got["out_width"]) == tuple(out.shape[2:])
        assert got["params"] == _count(layer)
        checked += 1
    assert rejected > 0


def test_conv_transpose2d_shape_dcgan_generator_and_d2l_cases():
    # PyTorch DCGAN tutorial: ConvTranspose2d(nz, ngf*8, 4, 1, 0) maps 1x1 to 4x4, then
    # ConvTranspose2d(ngf*8, ngf*4, 4, 2, 1) maps 4x4 to 8x8 (bias=False).
    first = solve("conv_transpose2d_shape", height=1, width=1, in_channels=100,
                  out_channels=512, kernel_size=4, bias=False)
    assert (first["out_height"], first["params"]) == (4, 100 * 512 * 16)
    step = solve("conv_transpose2d_shape", height=4, width=4, in_channels=512, out_channels=256,
                 kernel_size=4, stride=2, padding=1, bias=False)
    assert (step["out_height"], step["out_width"]) == (8, 8)
    # Dive into Deep Learning, "Transposed Convolution": 2x2 input, 2x2 kernel -> 3x3;
    # with stride 2 -> 4x4.
    assert solve("conv_transpose2d_shape", height=2, width=2, in_channels=1, out_channels=1,
                 kernel_size=2)["out_height"] == 3
    assert solve("conv_transpose2d_shape", height=2, width=2, in_channels=1, out_channels=1,
                 kernel_size=2, stride=2)["out_height"] == 4


def test_conv_transpose2d_shape_output_padding_undoes_the_floor_of_a_strided_conv():
    # A 3x3 stride-2 padding-1 conv maps both 7 and 8 to 4; output_padding picks which.
    for n in (7, 8):
        down = solve("conv2d_shape", height=n, width=n, in_channels=1, out_channels=1,
                     kernel_size=3, stride=2, padding=1)["out_height"]
        up = solve("conv_transpose2d_shape", height=down, width=down, in_channels=1,
                   out_channels=1, kernel_size=3, stride=2, padding=1, output_padding=n - 7)
        assert (down, up["out_height"]) == (4, n)


# ---------------------------------------------------------------- conv_transpose2d_forward


def test_conv_transpose2d_forward_matches_f_conv_transpose2d_over_random_draws():
    rng = random.Random(12)
    checked = rejected = 0
    while checked < DRAWS:
        c, h, w = rng.randint(1, 3), rng.randint(1, 4), rng.randint(1, 4)
        kh, kw = rng.randint(1, 3), rng.randint(1, 3)
        s, p = rng.randint(1, 3), rng.randint(0, 2)
        bias = rng.choice([0, 0.5, rng.uniform(-2, 2)])
        x = [_rand_mat(rng, h, w) for _ in range(c)]
        k = [_rand_mat(rng, kh, kw) for _ in range(c)]
        raw = dict(input=x[0] if c == 1 and rng.random() < 0.5 else x,
                   kernel=k[0] if c == 1 and rng.random() < 0.5 else k,
                   bias=bias, stride=s, padding=p)
        xt = torch.tensor(x, dtype=torch.float64)[None]
        kt = torch.tensor(k, dtype=torch.float64)[:, None]  # (in_channels, 1, kH, kW)
        try:
            want = F.conv_transpose2d(xt, kt, torch.tensor([bias], dtype=torch.float64),
                                      stride=s, padding=p)[0, 0]
            if want.numel() == 0:
                raise RuntimeError("empty output")
        except RuntimeError:
            with pytest.raises(SolverInputError) as err:
                solve("conv_transpose2d_forward", **raw)
            assert err.value.param == "padding"
            rejected += 1
            continue
        got = solve("conv_transpose2d_forward", **raw)["output"]
        torch.testing.assert_close(torch.tensor(got, dtype=torch.float64), want,
                                   rtol=1e-12, atol=1e-12)
        checked += 1
    assert rejected > 0


def test_conv_transpose2d_forward_d2l_transposed_convolution_examples():
    # Dive into Deep Learning, "Transposed Convolution": X = K = [[0, 1], [2, 3]].
    x = k = [[0, 1], [2, 3]]
    assert solve("conv_transpose2d_forward", input=x, kernel=k)["output"] == [
        [0, 0, 1], [0, 4, 6], [4, 12, 9]]
    assert solve("conv_transpose2d_forward", input=x, kernel=k, stride=2)["output"] == [
        [0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]
    # "padding=1 removes the first and last rows and columns": [[4]].
    assert solve("conv_transpose2d_forward", input=x, kernel=k, padding=1)["output"] == [[4]]


def test_conv_transpose2d_forward_refuses_a_huge_stride_before_allocating():
    err = solve_quickly("conv_transpose2d_forward", input=[[1.0] * 50] * 50, kernel=[[1]],
                        stride=1000)
    assert err.param == "stride"


# ---------------------------------------------------------------- conv2d_shape_keras


def _tf_same_then_stride(n: int, k: int, s: int) -> int:
    """Keras 'same' output size, found a second way: the stride-1 'same' convolution
    (k − 1 zeros in all, the odd one after) keeps n positions; stride s keeps every s-th."""
    x = torch.zeros(1, 1, n, 1)
    lo = (k - 1) // 2
    y = F.conv2d(F.pad(x, (0, 0, lo, k - 1 - lo)), torch.zeros(1, 1, k, 1))
    return y[..., ::s, :].shape[2]


def test_conv2d_shape_keras_matches_torch_valid_and_same_over_random_draws():
    rng = random.Random(13)
    checked = 0
    while checked < DRAWS:
        h, w = rng.randint(1, 40), rng.randint(1, 40)
        c, f, k, s = rng.randint(1, 4), rng.randint(1, 8), rng.randint(1, 7), rng.randint(1, 4)
        padding, use_bias = rng.choice(["valid", "same"]), rng.random() < 0.7
        raw = dict(height=h, width=w, in_channels=c, filters=f, kernel_size=k, strides=s,
                   padding=padding, use_bias=use_bias)
        if padding == "valid" and k > min(h, w):
            with pytest.raises(SolverInputError):
                solve("conv2d_shape_keras", **raw)
            continue
        got = solve("conv2d_shape_keras", **raw)
        conv = torch.nn.Conv2d(c, f, k, stride=s, bias=use_bias, device="meta")
        if padding == "valid":
            want = tuple(conv(torch.zeros(1, c, h, w, device="meta")).shape[2:])
        else:
            want = (_tf_same_then_stride(h, k, s), _tf_same_then_stride(w, k, s))
        assert (got["out_height"], got["out_width"]) == want
        assert got["params"] == _count(conv)
        checked += 1


def test_conv2d_shape_keras_chollet_mnist_convnet_summary():
    # Chollet, Deep Learning with Python, listing 5.2: (26, 26, 32) 320, then after a 2x2
    # pool (11, 11, 64) 18496.
    first = solve("conv2d_shape_keras", height=28, width=28, in_channels=1, filters=32,
                  kernel_size=3)
    assert (first["out_height"], first["params"]) == (26, 320)
    second = solve("conv2d_shape_keras", height=13, width=13, in_channels=32, filters=64,
                   kernel_size=3)
    assert (second["out_height"], second["params"]) == (11, 18496)


def test_conv2d_shape_keras_same_is_ceil_n_over_s_whatever_the_kernel():
    for k in (1, 2, 3, 5, 7):
        got = solve("conv2d_shape_keras", height=75, width=76, in_channels=3, filters=8,
                    kernel_size=k, strides=2, padding="same")
        assert (got["out_height"], got["out_width"]) == (38, 38)


# ---------------------------------------------------------------- factorized_conv_params


def test_factorized_conv_params_match_nn_conv2d_and_autograd_receptive_field():
    rng = random.Random(14)
    for _ in range(DRAWS):
        small = rng.choice([2, 3, 3, 5])
        layers = rng.randint(2, 4)
        k = 1 + layers * (small - 1)
        c, bias = rng.randint(1, 64), rng.random() < 0.5
        got = solve("factorized_conv_params", channels=c, kernel_size=k, small_kernel=small,
                    bias=bias)
        big = torch.nn.Conv2d(c, c, k, bias=bias, device="meta")
        stack = torch.nn.Sequential(*[torch.nn.Conv2d(c, c, small, bias=bias, device="meta")
                                      for _ in range(layers)])
        assert got["num_layers"] == layers
        assert (got["single"], got["stack"]) == (_count(big), _count(stack))
        assert got["saving"] == pytest.approx(1 - _count(stack) / _count(big), rel=1e-12)
        first, last = _span_of_output([{"kernel_size": small}] * layers, k + 4, 0)
        assert last - first + 1 == k  # the stack sees exactly what the single kernel sees


def test_factorized_conv_params_vgg_and_inception_published_savings():
    # Simonyan & Zisserman (VGG), §2.3: three 3x3 layers have 3·(3²C²) = 27C² weights
    # against 7²C² = 49C² ("81% more") for one 7x7 layer.
    c = 64
    vgg = solve("factorized_conv_params", channels=c, kernel_size=7)
    assert (vgg["num_layers"], vgg["stack"], vgg["single"]) == (3, 27 * c * c, 49 * c * c)
    assert vgg["single"] / vgg["stack"] - 1 == pytest.approx(0.81, abs=0.005)
    # Szegedy et al., Inception-v3, §3.1: two 3x3 replace a 5x5 with 28% fewer weights.
    assert solve("factorized_conv_params", channels=c, kernel_size=5)["saving"] == \
        pytest.approx(0.28)


def test_factorized_conv_params_rejects_a_size_the_stack_cannot_reach():
    with pytest.raises(SolverInputError) as err:
        solve("factorized_conv_params", channels=8, kernel_size=6)
    assert err.value.param == "kernel_size"


# ---------------------------------------------------------------- cnn_summary


def _torch_layer(layer: dict, c: int) -> torch.nn.Module:
    """The torch module for one layer object; `c` is the input's channels (features)."""
    kind = layer["type"]
    if kind == "conv":
        return torch.nn.Conv2d(c, layer["out_channels"], layer["kernel_size"],
                               stride=layer.get("stride", 1), padding=layer.get("padding", 0),
                               bias=layer.get("bias", True))
    if kind in ("maxpool", "avgpool"):
        cls = torch.nn.MaxPool2d if kind == "maxpool" else torch.nn.AvgPool2d
        return cls(layer["kernel_size"], stride=layer.get("stride"),
                   padding=layer.get("padding", 0))
    if kind == "gap":
        return torch.nn.AdaptiveAvgPool2d(1)
    if kind == "flatten":
        return torch.nn.Flatten()
    return torch.nn.Linear(c, layer["out_features"], bias=layer.get("bias", True))


def _random_net(rng: random.Random) -> tuple[int, int, int, list[dict]]:
    h, w, c = rng.randint(8, 32), rng.randint(8, 32), rng.randint(1, 3)
    layers = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.55:
            k = rng.choice([1, 3, 5])
            layer = {"type": "conv", "out_channels": rng.randint(1, 6), "kernel_size": k}
            if rng.random() < 0.3:
                layer["padding"] = "same"  # stride 1 and odd k: as torch's padding='same'
            else:
                layer["stride"] = rng.randint(1, 2)
                layer["padding"] = rng.randint(0, k // 2)
            if rng.random() < 0.3:
                layer["bias"] = False
            if rng.random() < 0.2:
                layer["trainable"] = False
        else:
            k = rng.randint(2, 3)
            layer = {"type": rng.choice(["maxpool", "avgpool"]), "kernel_size": k}
            if rng.random() < 0.5:
                layer["stride"] = rng.randint(1, k)
        layers.append(layer)
    layers.append(rng.choice([{"type": "flatten"}, {"type": "gap"}]))
    if layers[-1]["type"] == "gap":
        layers.append({"type": "flatten"})
    for _ in range(rng.randint(0, 2)):
        layers.append({"type": "dense", "out_features": rng.randint(1, 12),
                       "trainable": rng.random() < 0.8})
    return h, w, c, layers


def test_cnn_summary_matches_torch_shapes_counts_and_macs_over_random_networks():
    rng = random.Random(15)
    checked = 0
    while checked < DRAWS:
        h, w, c, layers = _random_net(rng)
        x = torch.zeros(1, c, h, w)
        shapes, counts, macs, trainable = [], [], [], 0
        try:
            for layer in layers:
                module = _torch_layer(layer, x.shape[1])
                y = module(x)
                n = _count(module)
                counts.append(n)
                if layer.get("trainable", True):
                    trainable += n
                if isinstance(module, torch.nn.Conv2d):
                    macs.append(y.numel() * module.weight[0].numel())
                elif isinstance(module, torch.nn.Linear):
                    macs.append(module.weight.numel())
                else:
                    macs.append(0)
                shapes.append((y.shape[2], y.shape[3], y.shape[1]) if y.dim() == 4
                              else (1, 1, y.shape[1]))
                x = y
        except RuntimeError:
            with pytest.raises(SolverInputError) as err:
                solve("cnn_summary", height=h, width=w, in_channels=c, layers=layers)
            assert err.value.param == "layers"
            continue
        got = solve("cnn_summary", height=h, width=w, in_channels=c, layers=layers)
        assert list(zip(got["out_height"], got["out_width"], got["out_channels"])) == shapes
        assert got["params"] == counts and got["total_params"] == sum(counts)
        assert got["trainable_params"] == trainable
        assert got["macs"] == macs and got["total_macs"] == sum(macs)
        assert got["flops"] == 2 * sum(macs)
        checked += 1


LENET_D2L = [
    {"type": "conv", "out_channels": 6, "kernel_size": 5, "padding": 2},
    {"type": "avgpool", "kernel_size": 2},
    {"type": "conv", "out_channels": 16, "kernel_size": 5},
    {"type": "avgpool", "kernel_size": 2},
    {"type": "flatten"},
    {"type": "dense", "out_features": 120},
    {"type": "dense", "out_features": 84},
    {"type": "dense", "out_features": 10},
]


def test_cnn_summary_d2l_lenet_shapes_and_61706_parameters():
    # Dive into Deep Learning, "LeNet": the printed shapes (6x28x28, 6x14x14, 16x10x10,
    # 16x5x5, 400, 120, 84, 10) and 61,706 parameters.
    got = solve("cnn_summary", height=28, width=28, in_channels=1, layers=LENET_D2L)
    assert got["out_height"] == [28, 14, 10, 5, 1, 1, 1, 1]
    assert got["out_channels"] == [6, 6, 16, 16, 400, 120, 84, 10]
    assert got["params"] == [156, 0, 2416, 0, 0, 48120, 10164, 850]
    assert got["total_params"] == 61706


def _vgg16_base() -> list[dict]:
    layers = []
    for channels, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        layers += [{"type": "conv", "out_channels": channels, "kernel_size": 3, "padding": 1,
                    "trainable": False}] * convs
        layers.append({"type": "maxpool", "kernel_size": 2})
    return layers


def test_cnn_summary_chollet_frozen_vgg16_base_with_a_dense_head():
    # Chollet, Deep Learning with Python, §5.3.1: VGG16 conv base on 150x150x3 ends at
    # (4, 4, 512) with 14,714,688 parameters; with Flatten, Dense(256), Dense(1) the model
    # has 16,812,353, of which 2,097,665 stay trainable after conv_base.trainable = False.
    layers = [*_vgg16_base(), {"type": "flatten"}, {"type": "dense", "out_features": 256},
              {"type": "dense", "out_features": 1}]
    got = solve("cnn_summary", height=150, width=150, in_channels=3, layers=layers)
    assert (got["out_height"][17], got["out_channels"][17]) == (4, 512)
    assert sum(got["params"][:18]) == 14714688
    assert (got["total_params"], got["trainable_params"]) == (16812353, 2097665)


def test_cnn_summary_alexnet_conv1_cs231n():
    # CS231n: AlexNet conv1 on 227x227x3, 96 11x11 filters, stride 4 -> 55x55x96,
    # 34,944 parameters; the 3x3 stride-2 max pool -> 27x27x96.
    got = solve("cnn_summary", height=227, width=227, in_channels=3, layers=[
        {"type": "conv", "out_channels": 96, "kernel_size": 11, "stride": 4},
        {"type": "maxpool", "kernel_size": 3, "stride": 2}])
    assert got["out_height"] == [55, 27] and got["params"] == [34944, 0]


@pytest.mark.parametrize("layers", [
    [{"type": "dense", "out_features": 3}],  # no flatten before a dense layer
    [{"type": "flatten"}, {"type": "conv", "out_channels": 2, "kernel_size": 1}],
    [{"type": "conv", "out_channels": 2}],  # no kernel_size
    [{"type": "conv", "out_channels": 2, "kernel_size": 9}],  # larger than the input
    [{"type": "lstm"}],
    [{"type": "conv", "out_channels": 2, "kernel_size": 3, "groups": 2}],
    [{"type": "maxpool", "kernel_size": 2, "padding": 2}],
    [{"type": "conv", "out_channels": 2, "kernel_size": 3, "padding": "full"}],
])
def test_cnn_summary_rejects_bad_layers_naming_layers(layers):
    with pytest.raises(SolverInputError) as err:
        solve("cnn_summary", height=8, width=8, in_channels=1, layers=layers)
    assert err.value.param == "layers"


# ---------------------------------------------------------------- the chapter's size


def test_cnn_chapter_reaches_the_sizes_of_issue_13():
    from drill.bank.load import bank_paths, validate_bank
    from drill.bank.model import NumericItem

    bank = next(validate_bank(p) for p in bank_paths() if p.stem == "cnn")
    items = bank.chapter.items
    numeric = sum(isinstance(item, NumericItem) for item in items)
    assert len(items) - numeric >= 45
    assert numeric >= 25
