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
