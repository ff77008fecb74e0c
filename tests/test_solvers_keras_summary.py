"""keras_summary against Keras' published model.summary() tables (Chollet's listings and the
keras.io guides) and against torch modules of the same shapes."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny float64 ops: a second intra-op thread only adds hand-off waits (seconds on a busy
    CI machine), so these tests run torch on one thread and then restore the setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def summary(layers, input_shape=None):
    raw = {"layers": layers}
    if input_shape is not None:
        raw["input_shape"] = input_shape
    return run_solver(get_solver("keras_summary"), raw)[1].answers


def table(answers) -> list[tuple]:
    """(output shape, Param #) per layer, as the listing shows them (batch axis left out)."""
    return [(tuple(s), p) for s, p in zip(answers["output_shapes"], answers["params"])]


def totals(answers) -> tuple[int, int, int]:
    return (answers["total_params"], answers["trainable_params"],
            answers["non_trainable_params"])


# ---------------------------------------------------------------- published summaries
# Chollet, Deep Learning with Python (1st ed.), the companion notebooks
# github.com/fchollet/deep-learning-with-python-notebooks, folder first_edition/.

MNIST_CONVNET = ["Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1))",
                 "MaxPooling2D((2, 2))", "Conv2D(64, (3, 3), activation='relu')",
                 "MaxPooling2D((2, 2))", "Conv2D(64, (3, 3), activation='relu')"]


def test_chollet_listing_5_1_mnist_convnet_base():
    # 5.1-introduction-to-convnets: Total params: 55,744.
    got = summary(MNIST_CONVNET)
    assert table(got) == [((26, 26, 32), 320), ((13, 13, 32), 0), ((11, 11, 64), 18496),
                          ((5, 5, 64), 0), ((3, 3, 64), 36928)]
    assert totals(got) == (55744, 55744, 0)


def test_chollet_listing_5_2_mnist_convnet_with_classifier():
    # 5.1-introduction-to-convnets, second summary: Flatten 576, Dense 36928 and 650,
    # Total params: 93,322.
    got = summary(MNIST_CONVNET + ["Flatten()", "Dense(64, activation='relu')",
                                   "Dense(10, activation='softmax')"])
    assert table(got)[5:] == [((576,), 0), ((64,), 36928), ((10,), 650)]
    assert totals(got) == (93322, 93322, 0)


def test_chollet_listing_5_5_cats_and_dogs_convnet():
    # 5.2-using-convnets-with-small-datasets: 150x150x3 input, Total params: 3,453,121.
    layers = ["Conv2D(32, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
              "Conv2D(64, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
              "Conv2D(128, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
              "Conv2D(128, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
              "Flatten()", "Dense(512, activation='relu')", "Dense(1, activation='sigmoid')"]
    got = summary(layers, [150, 150, 3])
    assert [p for _, p in table(got)] == [896, 0, 18496, 0, 73856, 0, 147584, 0, 0, 3211776, 513]
    assert [s for s, _ in table(got)][7:9] == [(7, 7, 128), (6272,)]
    assert totals(got) == (3453121, 3453121, 0)


VGG16_BASE = [f"Conv2D({f}, (3, 3), activation='relu', padding='same')"
              for f in (64, 64)] + ["MaxPooling2D((2, 2), strides=(2, 2))"] + [
    f"Conv2D({f}, (3, 3), activation='relu', padding='same')"
    for f in (128, 128)] + ["MaxPooling2D((2, 2), strides=(2, 2))"] + [
    "Conv2D(256, (3, 3), activation='relu', padding='same')"] * 3 + [
    "MaxPooling2D((2, 2), strides=(2, 2))"] + [
    "Conv2D(512, (3, 3), activation='relu', padding='same')"] * 3 + [
    "MaxPooling2D((2, 2), strides=(2, 2))"] + [
    "Conv2D(512, (3, 3), activation='relu', padding='same')"] * 3 + [
    "MaxPooling2D((2, 2), strides=(2, 2))"]


def test_chollet_5_3_vgg16_conv_base_same_padding_and_its_frozen_counts():
    # 5.3-using-a-pretrained-convnet: conv_base.summary() at 150x150x3 ends at (4, 4, 512),
    # Total params: 14,714,688; after conv_base.trainable = False: Trainable params: 0,
    # Non-trainable params: 14,714,688.
    got = summary(VGG16_BASE, [150, 150, 3])
    assert [s for s, _ in table(got)][2::3][:3] == [(75, 75, 64), (37, 37, 128), (37, 37, 256)]
    assert table(got)[-1] == ((4, 4, 512), 0)
    assert [p for _, p in table(got)][:2] == [1792, 36928]
    assert totals(got) == (14714688, 14714688, 0)
    frozen = summary([layer[:-1] + ", trainable=False)" for layer in VGG16_BASE], [150, 150, 3])
    assert totals(frozen) == (14714688, 0, 14714688)
    # With Flatten, Dense(256) and Dense(1) on top: 8192 features, Total params: 16,812,353.
    head = summary(VGG16_BASE + ["Flatten()", "Dense(256, activation='relu')",
                                 "Dense(1, activation='sigmoid')"], [150, 150, 3])
    assert table(head)[-3:] == [((8192,), 0), ((256,), 2097408), ((1,), 257)]
    assert head["total_params"] == 16812353


def test_chollet_6_1_embedding_flatten_dense():
    # 6.1-using-word-embeddings: Embedding(10000, 8, input_length=20) -> (None, 20, 8) 80000,
    # Flatten (None, 160), Dense 161: Total params: 80,161. And the GloVe model: 1,320,065.
    got = summary(["Embedding(10000, 8, input_length=20)", "Flatten()",
                   "Dense(1, activation='sigmoid')"])
    assert table(got) == [((20, 8), 80000), ((160,), 0), ((1,), 161)]
    assert totals(got) == (80161, 80161, 0)
    glove = summary(["Embedding(10000, 100, input_length=100)", "Flatten()",
                     "Dense(32, activation='relu')", "Dense(1, activation='sigmoid')"])
    assert [p for _, p in table(glove)] == [1000000, 0, 320032, 33]
    assert glove["total_params"] == 1320065


def test_chollet_6_2_simple_rnn_summaries():
    # 6.2-understanding-recurrent-neural-networks: (None, None, 32) 320000 then
    # SimpleRNN(32) (None, 32) 2080 = 322,080; return_sequences keeps the time axis; four
    # stacked SimpleRNN(32) give 328,320.
    got = summary(["Embedding(10000, 32)", "SimpleRNN(32)"])
    assert table(got) == [((None, 32), 320000), ((32,), 2080)]
    assert got["total_params"] == 322080
    seq = summary(["Embedding(10000, 32)", "SimpleRNN(32, return_sequences=True)"])
    assert table(seq)[1] == ((None, 32), 2080)
    stacked = summary(["Embedding(10000, 32)"] + ["SimpleRNN(32, return_sequences=True)"] * 3
                      + ["SimpleRNN(32)"])
    assert stacked["total_params"] == 328320


def test_chollet_6_4_conv1d_and_gru_keras2_reset_after_false():
    # 6.4-sequence-processing-with-convnets: IMDB 1D convnet, Total params: 1,315,937; and
    # Conv1D + GRU on (None, 14) weather data, GRU(32) 6240 (Keras 2: reset_after=False),
    # Total params: 13,697.
    imdb = summary(["Embedding(10000, 128, input_length=500)",
                    "Conv1D(32, 7, activation='relu')", "MaxPooling1D(5)",
                    "Conv1D(32, 7, activation='relu')", "GlobalMaxPooling1D()", "Dense(1)"])
    assert table(imdb) == [((500, 128), 1280000), ((494, 32), 28704), ((98, 32), 0),
                           ((92, 32), 7200), ((32,), 0), ((1,), 33)]
    assert imdb["total_params"] == 1315937
    weather = summary(["Conv1D(32, 5, activation='relu', input_shape=(None, 14))",
                       "MaxPooling1D(3)", "Conv1D(32, 5, activation='relu')",
                       "GRU(32, dropout=0.1, recurrent_dropout=0.5, reset_after=False)",
                       "Dense(1)"])
    assert [p for _, p in table(weather)] == [2272, 0, 5152, 6240, 33]
    assert [s for s, _ in table(weather)][:2] == [(None, 32), (None, 32)]
    assert weather["total_params"] == 13697


def test_chollet_8_5_gan_discriminator_strided_convs_and_dropout():
    # 8.5-introduction-to-gans: discriminator.summary(), Total params: 790,913.
    got = summary(["Conv2D(128, 3)", "Conv2D(128, 4, strides=2)", "Conv2D(128, 4, strides=2)",
                   "Conv2D(128, 4, strides=2)", "Flatten()", "Dropout(0.4)",
                   "Dense(1, activation='sigmoid')"], [32, 32, 3])
    assert table(got) == [((30, 30, 128), 3584), ((14, 14, 128), 262272),
                          ((6, 6, 128), 262272), ((2, 2, 128), 262272), ((512,), 0),
                          ((512,), 0), ((1,), 513)]
    assert got["total_params"] == 790913


def test_keras_io_working_with_rnns_guide_lstm_and_tf2_gru():
    # keras.io guide "Working with RNNs" (Zhu & Chollet): Embedding(1000, 64) + LSTM(128) +
    # Dense(10): 64000 + 98816 + 1290 = 164,106; with GRU(256, return_sequences=True) +
    # SimpleRNN(128): GRU 247296 (TF2 reset_after=True), SimpleRNN 49280, total 361,866.
    lstm = summary(["Embedding(input_dim=1000, output_dim=64)", "LSTM(128)", "Dense(10)"])
    assert table(lstm) == [((None, 64), 64000), ((128,), 98816), ((10,), 1290)]
    assert lstm["total_params"] == 164106
    gru = summary(["Embedding(input_dim=1000, output_dim=64)",
                   "GRU(256, return_sequences=True)", "SimpleRNN(128)", "Dense(10)"])
    assert table(gru) == [((None, 64), 64000), ((None, 256), 247296), ((128,), 49280),
                          ((10,), 1290)]
    assert gru["total_params"] == 361866


def test_keras_io_transfer_learning_guide_batchnorm_has_2_trainable_and_2_frozen_weights():
    # keras.io guide "Transfer learning & fine-tuning": BatchNormalization built on (None, 4)
    # has 4 weights: 2 trainable (gamma, beta), 2 non-trainable (moving mean and variance).
    got = summary(["BatchNormalization()"], [4])
    assert totals(got) == (16, 8, 8)


def test_object_form_and_code_form_agree():
    code = summary(["Conv2D(8, 3, strides=2, padding='same')", "Flatten()", "Dense(4)"], [9, 9, 2])
    objects = summary([{"type": "Conv2D", "filters": 8, "kernel_size": 3, "strides": 2,
                        "padding": "same"}, {"type": "Flatten"}, {"type": "Dense", "units": 4}],
                      [9, 9, 2])
    assert code == objects


# ---------------------------------------------------------------- torch oracle


def _tf_same_pad(n: int, k: int, s: int, d: int = 1) -> tuple[int, int]:
    """TensorFlow's 'same' padding of one axis: total = max((⌈n/s⌉ − 1)s + d(k−1) + 1 − n, 0),
    the smaller half before (tensorflow.org, "Convolution" in the API guide)."""
    total = max((math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def _random_layer(rng: random.Random, shape: list[int], index: int):
    """A random layer valid on `shape` (channels_last, no batch axis), in the code or the
    object form, and its torch oracle: (module builder, Keras-over-torch parameter offset)."""
    rank = len(shape)
    frozen = rng.random() < 0.1
    if rank == 3:
        kind = rng.choice(["Conv2D", "Conv2D", "MaxPooling2D", "BatchNormalization", "Dropout",
                           "GlobalAveragePooling2D", "Flatten", "Dense"])
    elif rank == 2:
        kind = rng.choice(["Conv1D", "MaxPooling1D", "SimpleRNN", "LSTM", "GRU", "Dense",
                           "BatchNormalization", "Flatten", "GlobalMaxPooling1D"])
    else:
        kind = rng.choice(["Dense", "Dense", "BatchNormalization", "Dropout"])
    args: dict = {"type": kind}
    if kind in ("Conv2D", "Conv1D"):
        args.update(filters=rng.randint(1, 6), kernel_size=rng.randint(1, 3),
                    strides=rng.randint(1, 2), padding=rng.choice(["valid", "same"]),
                    use_bias=rng.random() < 0.8)
        if kind == "Conv1D" and rng.random() < 0.2:
            args["padding"] = "causal"
        if args["strides"] == 1 and rng.random() < 0.2:
            args["dilation_rate"] = 2
        if args["padding"] == "valid" and min(shape[:-1]) < (args.get("dilation_rate", 1)
                                                               * (args["kernel_size"] - 1) + 1):
            args["padding"] = "same"
    elif kind.startswith("MaxPooling"):
        args.update(pool_size=rng.randint(1, 3), padding=rng.choice(["valid", "same"]))
        if rng.random() < 0.5:
            args["strides"] = rng.randint(1, 3)
        if args["padding"] == "valid" and min(shape[:-1]) < args["pool_size"]:
            args["padding"] = "same"
    elif kind == "Dense":
        args.update(units=rng.randint(1, 8), use_bias=rng.random() < 0.8)
    elif kind in ("SimpleRNN", "LSTM", "GRU"):
        args.update(units=rng.randint(1, 6), return_sequences=rng.random() < 0.5,
                    use_bias=rng.random() < 0.8)
        if kind == "GRU":
            args["reset_after"] = rng.random() < 0.7
    elif kind == "Dropout":
        args["rate"] = 0.5
    if frozen:
        args["trainable"] = False
    if rng.random() < 0.5:  # the same layer written as Keras code
        kwargs = ", ".join(f"{k}={v!r}" for k, v in args.items() if k != "type")
        return f"{kind}({kwargs})", args
    return args, args


def _torch_layer(args: dict, shape: list[int]):
    """(output shape, trainable, non-trainable) of the layer by torch modules; Keras-only
    details (one RNN bias per gate, TF's 'same' padding) are applied on top and named."""
    kind = args["type"]
    x_shape = [1, *shape]
    if kind in ("Conv2D", "Conv1D"):
        dims = 2 if kind == "Conv2D" else 1
        k, s, d = args["kernel_size"], args["strides"], args.get("dilation_rate", 1)
        conv = (nn.Conv2d if dims == 2 else nn.Conv1d)(shape[-1], args["filters"], k, stride=s,
                                                       dilation=d, bias=args["use_bias"])
        x = torch.zeros(1, shape[-1], *shape[:-1])  # channels first for torch
        if args["padding"] == "same":
            pads = [p for n in reversed(shape[:-1]) for p in _tf_same_pad(n, k, s, d)]
            x = F.pad(x, pads)
        elif args["padding"] == "causal":
            x = F.pad(x, (d * (k - 1), 0))
        out = conv(x)
        params = sum(p.numel() for p in conv.parameters())
        return [*out.shape[2:], out.shape[1]], params, 0
    if kind.startswith("MaxPooling"):
        dims = 2 if kind == "MaxPooling2D" else 1
        k = args["pool_size"]
        s = args.get("strides", k)
        x = torch.zeros(1, shape[-1], *shape[:-1])
        if args["padding"] == "same":
            pads = [p for n in reversed(shape[:-1]) for p in _tf_same_pad(n, k, s)]
            x = F.pad(x, pads, value=-math.inf)
        out = (F.max_pool2d if dims == 2 else F.max_pool1d)(x, k, s)
        return [*out.shape[2:], out.shape[1]], 0, 0
    if kind == "Dense":
        lin = nn.Linear(shape[-1], args["units"], bias=args["use_bias"])
        out = lin(torch.zeros(x_shape))
        return list(out.shape[1:]), sum(p.numel() for p in lin.parameters()), 0
    if kind in ("SimpleRNN", "LSTM", "GRU"):
        cls = {"SimpleRNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
        units = args["units"]
        rnn = cls(shape[-1], units, bias=args["use_bias"], batch_first=True)
        out, _ = rnn(torch.zeros(x_shape))
        params = sum(p.numel() for p in rnn.parameters())
        gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
        # torch keeps b_ih and b_hh; Keras keeps one bias per gate block, except GRU with
        # reset_after=True, which keeps two like torch.
        if args["use_bias"] and not (kind == "GRU" and args["reset_after"]):
            params -= gates * units
        return (list(out.shape[1:]) if args["return_sequences"] else [units]), params, 0
    if kind == "BatchNormalization":
        bn = nn.BatchNorm1d(shape[-1])
        return list(shape), sum(p.numel() for p in bn.parameters()), (
            bn.running_mean.numel() + bn.running_var.numel())
    if kind == "Flatten":
        return list(nn.Flatten()(torch.zeros(x_shape)).shape[1:]), 0, 0
    if kind == "GlobalAveragePooling2D":
        out = F.adaptive_avg_pool2d(torch.zeros(1, shape[-1], *shape[:-1]), 1)
        return [out.shape[1]], 0, 0
    if kind == "GlobalMaxPooling1D":
        out = F.adaptive_max_pool1d(torch.zeros(1, shape[-1], *shape[:-1]), 1)
        return [out.shape[1]], 0, 0
    assert kind == "Dropout"
    return list(nn.Dropout(0.5)(torch.zeros(x_shape)).shape[1:]), 0, 0


def test_keras_summary_matches_torch_modules_of_the_same_shapes_over_random_models():
    rng = random.Random(0)
    for _ in range(DRAWS):
        first = rng.choice(["image", "sequence", "vector", "tokens"])
        shape = {"image": [rng.randint(3, 12), rng.randint(3, 12), rng.randint(1, 4)],
                 "sequence": [rng.randint(3, 12), rng.randint(1, 5)],
                 "vector": [rng.randint(1, 10)],
                 "tokens": [rng.randint(2, 9)]}[first]
        layers, want = [], []
        current = list(shape)
        if first == "tokens":
            vocab, dim = rng.randint(2, 50), rng.randint(1, 6)
            layers.append(f"Embedding({vocab}, {dim})")
            emb = nn.Embedding(vocab, dim)
            current = list(emb(torch.zeros(1, *shape, dtype=torch.long)).shape[1:])
            want.append((current, emb.weight.numel(), 0))
        for index in range(rng.randint(1, 5)):
            layer, args = _random_layer(rng, current, index)
            out, trainable, frozen = _torch_layer(args, current)
            if args.get("trainable") is False:
                trainable, frozen = 0, trainable + frozen
            layers.append(layer)
            want.append((out, trainable, frozen))
            current = out
        got = summary(layers, shape)
        assert got["output_shapes"] == [w[0] for w in want], layers
        assert got["params"] == [w[1] + w[2] for w in want], layers
        assert got["trainable_params"] == sum(w[1] for w in want), layers
        assert got["non_trainable_params"] == sum(w[2] for w in want), layers
        assert all(type(p) is int for p in got["params"])


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("layers, shape, why", [
    (["Flatten()", "Dense(2)"], None, "no input shape and no Embedding first"),
    (["Embedding(10, 2)", "Flatten()"], None, "Flatten of an unknown length"),
    (["Conv2D(4, 5)"], [3, 3, 1], "a 'valid' kernel larger than the input"),
    (["Conv2D(4, 3)"], [8, 8], "Conv2D on a 2-D input"),
    (["LSTM(4)"], [5], "an RNN on a vector"),
    (["Dense(units=lambda: 1)"], [3], "code that is not a literal"),
    (["__import__('os').system('true')"], [3], "a call that is not a layer"),
    (["Dense(1 + 1)"], [3], "arithmetic is never evaluated"),
    (["Dense(4, use_bais=True)"], [3], "a misspelt argument"),
    (["Conv2DTranspose(4, 3)"], [8, 8, 1], "a layer type the table does not know"),
    (["Conv2D(4, 3, data_format='channels_first')"], [1, 8, 8], "channels_first"),
    (["Dense(0)"], [3], "zero units"),
])
def test_keras_summary_refuses_what_keras_would_refuse_or_it_cannot_read(layers, shape, why):
    with pytest.raises(SolverInputError) as err:
        summary(layers, shape)
    assert err.value.param in ("layers", "input_shape"), why


def test_keras_summary_refuses_an_input_shape_that_contradicts_the_first_layer():
    with pytest.raises(SolverInputError) as err:
        summary(["Dense(2, input_dim=4)"], [5])
    assert err.value.param == "input_shape"
