"""A Keras Sequential model's `model.summary()` table: output shape and parameters per layer.

Closed-form arithmetic, plain Python (no numpy, no Keras). Conventions are Keras' (TF2 /
Keras 3), channels_last, shapes written without the batch axis (Keras prints it as None):

- Dense(units): in·units + units, applied to the last axis;
- Conv2D / Conv1D: k_h·k_w·C_in·filters + filters; 'valid' gives ⌊(n − d(k−1) − 1)/s⌋ + 1,
  'same' (and Conv1D's 'causal') gives ⌈n/s⌉;
- MaxPooling2D / MaxPooling1D: pool_size 2, strides = pool_size; no parameters;
- Embedding(input_dim, output_dim): input_dim·output_dim, appends an axis;
- SimpleRNN / LSTM / GRU(units) on (T, F): g·(units·(F + units) + units) with g = 1, 4, 3 —
  one bias per gate block — except GRU with reset_after=True (TF2's default): two biases,
  3·(units·(F + units) + 2·units); Keras 2 / the 1st edition of Chollet used reset_after=False;
- BatchNormalization: γ and β trainable (C each), moving mean and variance non-trainable
  (C each), C = the last axis;
- Flatten, Dropout, Activation and global pooling have no parameters;
- `trainable=False` on a layer (freezing, as `conv_base.trainable = False`) moves all its
  parameters to the non-trainable count.

A layer is written as Keras code, "Conv2D(32, (3, 3), activation='relu')" (parsed by a
whitelist of literals, never evaluated), or as an object {"type": "Conv2D", "filters": 32,
"kernel_size": 3}.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import Any

from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_LAYERS = 64
MAX_DIM = 10_000_000  # one axis of a shape, one layer's units / filters / vocabulary
MAX_WINDOW = 1_000  # kernel, pool, stride, dilation
MAX_CODE = 300  # characters of one layer written as code

# Arguments that change neither the output shape nor the parameter count.
IGNORED = frozenset({
    "activation", "name", "kernel_initializer", "bias_initializer", "kernel_regularizer",
    "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
    "recurrent_initializer", "recurrent_regularizer", "recurrent_constraint",
    "recurrent_activation", "dropout", "recurrent_dropout", "momentum", "epsilon", "seed",
    "noise_shape", "mask_zero", "unroll", "go_backwards", "stateful", "embeddings_initializer",
    "embeddings_regularizer", "embeddings_constraint", "beta_initializer", "gamma_initializer",
    "moving_mean_initializer", "moving_variance_initializer", "dtype", "unit_forget_bias",
    "implementation", "time_major", "synchronized",
})
# Arguments through which a first layer declares its input, Keras 2 style.
INPUT_KEYS = ("input_shape", "input_dim", "input_length")

# type -> (positional argument names in Keras' order, keyword arguments and their defaults)
SIGNATURES: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "Dense": (("units",), {"use_bias": True}),
    "Conv2D": (("filters", "kernel_size", "strides", "padding"),
               {"strides": 1, "padding": "valid", "dilation_rate": 1, "use_bias": True}),
    "Conv1D": (("filters", "kernel_size", "strides", "padding"),
               {"strides": 1, "padding": "valid", "dilation_rate": 1, "use_bias": True}),
    "MaxPooling2D": (("pool_size", "strides", "padding"),
                     {"pool_size": 2, "strides": None, "padding": "valid"}),
    "MaxPooling1D": (("pool_size", "strides", "padding"),
                     {"pool_size": 2, "strides": None, "padding": "valid"}),
    "Flatten": ((), {}),
    "Embedding": (("input_dim", "output_dim"), {}),
    "SimpleRNN": (("units",), {"use_bias": True, "return_sequences": False}),
    "LSTM": (("units",), {"use_bias": True, "return_sequences": False}),
    "GRU": (("units",), {"use_bias": True, "return_sequences": False, "reset_after": True}),
    "BatchNormalization": ((), {"axis": -1, "center": True, "scale": True}),
    "Dropout": (("rate",), {}),
    "Activation": (("activation",), {}),
    "GlobalAveragePooling2D": ((), {}),
    "GlobalMaxPooling2D": ((), {}),
    "GlobalAveragePooling1D": ((), {}),
    "GlobalMaxPooling1D": ((), {}),
}
ALIASES = {"MaxPool2D": "MaxPooling2D", "MaxPool1D": "MaxPooling1D",
           "Convolution2D": "Conv2D", "Convolution1D": "Conv1D",
           "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalMaxPool2D": "GlobalMaxPooling2D",
           "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalMaxPool1D": "GlobalMaxPooling1D"}
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


@dataclass
class Layer:
    """One parsed layer: its Keras type, its arguments (defaults filled) and its index."""

    kind: str
    args: dict[str, Any]
    index: int
    trainable: bool = True
    declared: list | None = None  # the input shape the layer declares (input_shape=...)

    @property
    def where(self) -> str:
        return f"layer {self.index + 1} ({self.kind})"


@dataclass
class Row:
    """One row of the summary: output shape (no batch axis), parameters and the working."""

    shape: list
    trainable: int = 0
    frozen: int = 0  # non-trainable: moving statistics, or a frozen layer's weights
    en: str = ""
    zh: str = ""
    latex: str = ""
    notes: list = field(default_factory=list)

    @property
    def params(self) -> int:
        return self.trainable + self.frozen


# ---------------------------------------------------------------- parsing


def _literal(node: ast.AST, where: str) -> Any:
    """A literal from a layer written as code: numbers, strings, True/False/None, and
    tuples or lists of those. Anything else (names, calls, operators) is refused."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool,
                                                                  type(None))):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(
            node.operand, ast.Constant) and isinstance(node.operand.value, (int, float)):
        return -node.operand.value
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) <= 4:
        return [_literal(e, where) for e in node.elts]
    raise SolverInputError("layers", f"{where}: only numbers, strings, True/False/None and "
                                     f"tuples of them may be written as arguments")


def _parse_code(code: str, index: int) -> tuple[str, list, dict]:
    """'Conv2D(32, (3, 3), padding="same")' -> ('Conv2D', [32, [3, 3]], {'padding': 'same'})."""
    where = f"layer {index + 1}"
    if len(code) > MAX_CODE:
        raise SolverInputError("layers", f"{where} is longer than {MAX_CODE} characters")
    try:
        tree = ast.parse(code.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise SolverInputError("layers", f"{where}: cannot read {code[:40]!r} as a Keras "
                                         f"layer like \"Dense(10)\"") from None
    if isinstance(tree, (ast.Name, ast.Attribute)):  # "Flatten" without parentheses
        tree = ast.Call(func=tree, args=[], keywords=[])
    if not isinstance(tree, ast.Call):
        raise SolverInputError("layers", f"{where}: expected a layer call like \"Dense(10)\"")
    func = tree.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name is None or any(k.arg is None for k in tree.keywords):
        raise SolverInputError("layers", f"{where}: expected a layer call like \"Dense(10)\"")
    args = [_literal(a, where) for a in tree.args]
    kwargs = {k.arg: _literal(k.value, where) for k in tree.keywords}
    return name, args, kwargs


def _parse_layer(raw: Any, index: int) -> Layer:
    where = f"layer {index + 1}"
    if isinstance(raw, str):
        name, args, kwargs = _parse_code(raw, index)
    elif isinstance(raw, dict):
        kwargs = {str(k): v for k, v in raw.items()}
        name, args = kwargs.pop("type", None), []
        if not isinstance(name, str):
            raise SolverInputError("layers", f'{where}: an object needs "type", e.g. '
                                             f'{{"type": "Dense", "units": 10}}')
    else:
        raise SolverInputError("layers", f"{where}: write a layer as Keras code "
                                         f"(\"Dense(10)\") or as an object with \"type\"")
    kind = ALIASES.get(name, name)
    if kind not in SIGNATURES:
        known = ", ".join(SIGNATURES)
        raise SolverInputError("layers", f"{where}: unknown layer type {str(name)[:30]!r} "
                                         f"(known: {known})")
    positional, defaults = SIGNATURES[kind]
    if len(args) > len(positional):
        raise SolverInputError("layers", f"{where}: {kind} takes at most {len(positional)} "
                                         f"positional argument(s)")
    values = dict(defaults)
    values.update(zip(positional, args))
    trainable = kwargs.pop("trainable", True)
    if not isinstance(trainable, bool):
        raise SolverInputError("layers", f"{where}: trainable must be true or false")
    declared = _declared_input(kind, kwargs, where)
    for key, value in kwargs.items():
        if key in ("data_format", "return_state") and value not in (None, False,
                                                                    "channels_last"):
            raise SolverInputError("layers", f"{where}: {key}={value!r} is not supported "
                                             f"(channels_last, one output)")
        if key in positional or key in defaults:
            values[key] = value
        elif key not in IGNORED | {"data_format", "return_state"}:
            raise SolverInputError("layers", f"{where}: {kind} has no argument {key[:30]!r} "
                                             f"that this table knows")
    missing = [p for p in positional if p not in values]
    if missing:
        raise SolverInputError("layers", f"{where}: {kind} needs {', '.join(missing)}")
    if kind == "Dropout" and not (isinstance(values["rate"], (int, float))
                                  and 0 <= values["rate"] < 1):
        raise SolverInputError("layers", f"{where}: the Dropout rate must be in [0, 1)")
    return Layer(kind, values, index, trainable, declared)


def _declared_input(kind: str, kwargs: dict, where: str) -> list | None:
    """The input shape a layer declares Keras-2 style, removed from kwargs: input_shape=
    (28, 28, 1), Dense(32, input_dim=784), Embedding(10000, 8, input_length=20)."""
    shape = kwargs.pop("input_shape", None)
    if kind != "Embedding" and "input_dim" in kwargs:
        shape = [kwargs.pop("input_dim")] if shape is None else shape
    length = kwargs.pop("input_length", None)
    if kind == "Embedding" and length is not None and shape is None:
        shape = [length]
    if shape is None:
        return None
    shape = shape if isinstance(shape, list) else [shape]
    try:
        return _input_shape(shape)
    except SolverInputError as err:
        raise SolverInputError("layers", f"{where}: input_shape {err.message}") from None


# ---------------------------------------------------------------- argument checks


def _count(layer: Layer, key: str, low: int = 1, high: int = MAX_DIM) -> int:
    value = layer.args.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SolverInputError("layers", f"{layer.where}: {key} must be a whole number from "
                                         f"{low} to {high:,}, got {str(value)[:30]}")
    return value


def _pair(layer: Layer, key: str, n: int, default: int | None = None) -> list[int]:
    """A window argument (kernel_size, strides, pool_size, dilation_rate) as n ints."""
    value = layer.args.get(key)
    if value is None:
        value = default
    value = value if isinstance(value, list) else [value] * n
    if len(value) != n:
        raise SolverInputError("layers", f"{layer.where}: {key} needs {n} number(s)")
    out = []
    for v in value:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_WINDOW:
            raise SolverInputError("layers", f"{layer.where}: {key} must be whole numbers "
                                             f"from 1 to {MAX_WINDOW}, got {str(value)[:30]}")
        out.append(v)
    return out


def _flag(layer: Layer, key: str) -> bool:
    value = layer.args[key]
    if not isinstance(value, bool):
        raise SolverInputError("layers", f"{layer.where}: {key} must be True or False")
    return value


def _padding(layer: Layer, allowed: tuple[str, ...]) -> str:
    value = layer.args["padding"]
    if not isinstance(value, str) or value.lower() not in allowed:
        raise SolverInputError("layers", f"{layer.where}: padding must be "
                                         f"{' or '.join(allowed)}, got {str(value)[:20]!r}")
    return value.lower()


def _known(layer: Layer, shape: list, rank: int | None, what: str) -> None:
    """SolverInputError unless the input has `rank` axes (any rank when None)."""
    if rank is not None and len(shape) != rank:
        raise SolverInputError("layers", f"{layer.where} expects {what}, but its input has "
                                         f"shape {_shape_text(shape)}")


def _need(layer: Layer, dim: int | None, what: str) -> int:
    if dim is None:
        raise SolverInputError("layers", f"{layer.where}: the {what} must be known (it is None)")
    return dim


# ---------------------------------------------------------------- shapes and counts


def _shape_text(shape: list) -> str:
    """(None, 26, 26, 32): Keras' way, the batch axis first as None."""
    return "(" + ", ".join(["None"] + ["None" if d is None else str(d) for d in shape]) + ")"


def _shape_latex(shape: list) -> str:
    dims = [r"\mathrm{None}"] + [r"\mathrm{None}" if d is None else str(d) for d in shape]
    return "(" + ", ".join(dims) + ")"


def _window_out(n: int | None, k: int, s: int, d: int, padding: str,
                layer: Layer, axis: str) -> tuple[int | None, str, str]:
    """Output length of a conv / pooling axis, with the formula as text and as LaTeX."""
    if n is None:
        return None, f"{axis}: None stays None", r"\mathrm{None}"
    if padding in ("same", "causal"):
        out = -(-n // s)
        return out, f"⌈{n}/{s}⌉ = {out}", rf"\lceil {n}/{s} \rceil = {out}"
    span = d * (k - 1) + 1
    if span > n:
        raise SolverInputError("layers", f"{layer.where}: the window spans {span} but the "
                                         f"{axis} is only {n} ('valid' padding)")
    out = (n - span) // s + 1
    minus = f"{k}" if d == 1 else f"{span}"
    return (out, f"⌊({n} − {minus})/{s}⌋ + 1 = {out}",
            rf"\lfloor ({n} - {minus})/{s} \rfloor + 1 = {out}")


def _axes_text(dims: int, outs: list) -> tuple[str, str, str]:
    """'height = width: ⌊(28 − 3)/1⌋ + 1 = 26' (one formula when the axes agree), in
    English, in Chinese and as LaTeX."""
    names = ("height", "width") if dims == 2 else ("steps",)
    names_zh = ("高", "宽") if dims == 2 else ("步数",)
    if dims == 2 and outs[0][1] == outs[1][1]:
        return (f"height = width: {outs[0][1]}", f"高 = 宽：{outs[0][1]}",
                rf"H = W:\ {outs[0][2]}")
    return (", ".join(f"{n} {o[1]}" for n, o in zip(names, outs)),
            "，".join(f"{n} {o[1]}" for n, o in zip(names_zh, outs)),
            ", ".join(o[2] for o in outs))


def _conv(layer: Layer, shape: list, dims: int) -> Row:
    axes_named = "height, width, channels" if dims == 2 else "steps, channels"
    _known(layer, shape, dims + 1, f"a {dims + 1}-D input ({axes_named})")
    c_in = _need(layer, shape[-1], "number of input channels")
    filters = _count(layer, "filters")
    kernel = _pair(layer, "kernel_size", dims)
    strides = _pair(layer, "strides", dims, 1)
    dilation = _pair(layer, "dilation_rate", dims, 1)
    padding = _padding(layer, ("valid", "same", "causal") if dims == 1 else ("valid", "same"))
    if max(strides) > 1 and max(dilation) > 1:
        raise SolverInputError("layers", f"{layer.where}: Keras refuses strides > 1 together "
                                         f"with dilation_rate > 1")
    bias = _flag(layer, "use_bias")
    axes = ("height", "width") if dims == 2 else ("steps",)
    outs = [_window_out(n, k, s, d, padding, layer, a)
            for n, k, s, d, a in zip(shape[:dims], kernel, strides, dilation, axes)]
    k_prod = math.prod(kernel)
    weights = k_prod * c_in * filters
    params = weights + (filters if bias else 0)
    k_text = "·".join(str(k) for k in kernel)
    row = Row([o[0] for o in outs] + [filters])
    row.trainable = params
    en, zh, latex = _axes_text(dims, outs)
    row.en = (f"{en} ({padding}); params = {k_text}·{c_in}·{filters}"
              + (f" + {filters}" if bias else "") + f" = {params}")
    row.zh = (f"{zh}（{padding}）；参数 = {k_text}·{c_in}·{filters}"
              + (f" + {filters}" if bias else "") + f" = {params}")
    row.latex = (latex + r";\ "
                 + " \\cdot ".join(str(k) for k in kernel) + rf" \cdot {c_in} \cdot {filters}"
                 + (f" + {filters}" if bias else "") + f" = {params}")
    return row


def _pool(layer: Layer, shape: list, dims: int) -> Row:
    _known(layer, shape, dims + 1, f"a {dims + 1}-D input")
    pool = _pair(layer, "pool_size", dims)
    strides = _pair(layer, "strides", dims, None) if layer.args["strides"] is not None else pool
    padding = _padding(layer, ("valid", "same"))
    axes = ("height", "width") if dims == 2 else ("steps",)
    outs = [_window_out(n, k, s, 1, padding, layer, a)
            for n, k, s, a in zip(shape[:dims], pool, strides, axes)]
    row = Row([o[0] for o in outs] + [shape[-1]])
    en, zh, latex = _axes_text(dims, outs)
    row.en = f"{en} ({padding}, strides = pool_size by default); channels kept; no parameters"
    row.zh = f"{zh}（{padding}，步幅默认等于 pool_size）；通道数不变；无参数"
    row.latex = latex + r";\ 0"
    return row


def _dense(layer: Layer, shape: list) -> Row:
    if not shape:
        raise SolverInputError("layers", f"{layer.where} needs an input with at least one axis")
    f_in = _need(layer, shape[-1], "last axis of Dense's input")
    units = _count(layer, "units")
    bias = _flag(layer, "use_bias")
    params = f_in * units + (units if bias else 0)
    row = Row(shape[:-1] + [units], trainable=params)
    extra = "" if len(shape) == 1 else " (applied to the last axis of each step)"
    extra_zh = "" if len(shape) == 1 else "（作用在最后一个轴上）"
    row.en = ("params = in·units" + (" + units" if bias else "") + f" = {f_in}·{units}"
              + (f" + {units}" if bias else "") + f" = {params}{extra}")
    row.zh = ("参数 = 输入·单元" + (" + 单元" if bias else "") + f" = {f_in}·{units}"
              + (f" + {units}" if bias else "") + f" = {params}{extra_zh}")
    row.latex = rf"{f_in} \cdot {units}" + (f" + {units}" if bias else "") + f" = {params}"
    return row


def _flatten(layer: Layer, shape: list) -> Row:
    if any(d is None for d in shape):
        raise SolverInputError("layers", f"{layer.where}: Flatten needs every axis known, got "
                                         f"{_shape_text(shape)} (give the sequence length)")
    size = math.prod(shape)
    row = Row([size])
    product = "·".join(str(d) for d in shape)
    row.en = f"{product} = {size} values per example; no parameters"
    row.zh = f"{product} = {size} 个值；无参数"
    row.latex = " \\cdot ".join(str(d) for d in shape) + f" = {size}"
    return row


def _embedding(layer: Layer, shape: list) -> Row:
    vocab = _count(layer, "input_dim")
    dim = _count(layer, "output_dim")
    params = vocab * dim
    row = Row(shape + [dim], trainable=params)
    row.en = f"a {vocab}×{dim} lookup table: params = {vocab}·{dim} = {params}"
    row.zh = f"一张 {vocab}×{dim} 的查找表：参数 = {vocab}·{dim} = {params}"
    row.latex = rf"{vocab} \cdot {dim} = {params}"
    return row


def _recurrent(layer: Layer, shape: list) -> Row:
    _known(layer, shape, 2, "a 2-D input (steps, features)")
    features = _need(layer, shape[-1], "number of input features")
    units = _count(layer, "units")
    bias = _flag(layer, "use_bias")
    sequences = _flag(layer, "return_sequences")
    gates = GATES[layer.kind]
    two_biases = layer.kind == "GRU" and _flag(layer, "reset_after")
    per_gate_bias = (2 * units if two_biases else units) if bias else 0
    params = gates * (units * (features + units) + per_gate_bias)
    row = Row(([shape[0]] if sequences else []) + [units], trainable=params)
    g = f"{gates}·" if gates > 1 else ""
    bias_text = (f" + 2·{units}" if two_biases else f" + {units}") if bias else ""
    blocks = {1: "one block", 3: "three blocks (r, z, h)", 4: "four blocks (i, f, c, o)"}[gates]
    blocks_zh = {1: "一个块", 3: "三个块（r、z、h）", 4: "四个块（i、f、c、o）"}[gates]
    note = (" (GRU reset_after=True, TF2's default: two bias vectors per block)" if two_biases
            else " (one bias per block)" if bias else " (no bias)")
    note_zh = ("（GRU reset_after=True，TF2 默认：每块两个偏置向量）" if two_biases
               else "（每块一个偏置）" if bias else "（无偏置）")
    ret = "returns every step" if sequences else "returns the last step only"
    ret_zh = "返回每个时间步" if sequences else "只返回最后一步"
    row.en = (f"{blocks}{note}: params = {g}({units}·({features} + {units}){bias_text}) = "
              f"{params}; {ret}")
    row.zh = (f"{blocks_zh}{note_zh}：参数 = {g}({units}·({features} + {units}){bias_text}) = "
              f"{params}；{ret_zh}")
    row.latex = (f"{gates} \\cdot " if gates > 1 else "") + (
        rf"\left({units} \cdot ({features} + {units})"
        + (rf" + 2 \cdot {units}" if two_biases else f" + {units}" if bias else "")
        + rf"\right) = {params}")
    return row


def _batchnorm(layer: Layer, shape: list) -> Row:
    if layer.args["axis"] not in (-1, len(shape)):
        raise SolverInputError("layers", f"{layer.where}: only axis=-1 (channels_last) is "
                                         f"supported")
    if not shape:
        raise SolverInputError("layers", f"{layer.where} needs an input with at least one axis")
    channels = _need(layer, shape[-1], "last axis")
    learned = int(_flag(layer, "center")) + int(_flag(layer, "scale"))
    row = Row(list(shape), trainable=learned * channels, frozen=2 * channels)
    row.en = (f"γ and β trainable ({learned}·{channels} = {learned * channels}), moving mean "
              f"and variance non-trainable (2·{channels} = {2 * channels}): "
              f"{(learned + 2)}·{channels} = {(learned + 2) * channels}")
    row.zh = (f"γ 与 β 可训练（{learned}·{channels} = {learned * channels}），滑动均值与方差"
              f"不可训练（2·{channels} = {2 * channels}）：{learned + 2}·{channels} = "
              f"{(learned + 2) * channels}")
    row.latex = rf"{learned} \cdot {channels} + 2 \cdot {channels} = {(learned + 2) * channels}"
    return row


def _global_pool(layer: Layer, shape: list) -> Row:
    dims = 2 if layer.kind.endswith("2D") else 1
    _known(layer, shape, dims + 1, f"a {dims + 1}-D input")
    row = Row([shape[-1]])
    row.en = "one value per channel (pooled over all positions); no parameters"
    row.zh = "每个通道一个值（对所有位置池化）；无参数"
    row.latex = rf"C = {shape[-1]}"
    return row


def _same_shape(layer: Layer, shape: list) -> Row:
    row = Row(list(shape))
    what = {"Dropout": "zeroes random units while training", "Activation": "applies a function"}
    what_zh = {"Dropout": "训练时随机置零部分单元", "Activation": "逐元素应用激活函数"}
    row.en = f"{what[layer.kind]}: same shape, no parameters"
    row.zh = f"{what_zh[layer.kind]}：形状不变，无参数"
    row.latex = r"0"
    return row


def _row(layer: Layer, shape: list) -> Row:
    kind = layer.kind
    if kind in ("Conv2D", "Conv1D"):
        return _conv(layer, shape, 2 if kind == "Conv2D" else 1)
    if kind in ("MaxPooling2D", "MaxPooling1D"):
        return _pool(layer, shape, 2 if kind == "MaxPooling2D" else 1)
    if kind == "Dense":
        return _dense(layer, shape)
    if kind == "Flatten":
        return _flatten(layer, shape)
    if kind == "Embedding":
        return _embedding(layer, shape)
    if kind in GATES:
        return _recurrent(layer, shape)
    if kind == "BatchNormalization":
        return _batchnorm(layer, shape)
    if kind.startswith("Global"):
        return _global_pool(layer, shape)
    return _same_shape(layer, shape)


def _input_shape(value: Any) -> list:
    if not isinstance(value, list) or not 1 <= len(value) <= 4:
        raise SolverInputError("input_shape", "expected the shape of one example without the "
                                              "batch axis, 1 to 4 sizes, e.g. [28, 28, 1]")
    out = []
    for d in value:
        if isinstance(d, float) and d.is_integer():
            d = int(d)
        if d is not None and (isinstance(d, bool) or not isinstance(d, int)
                              or not 1 <= d <= MAX_DIM):
            raise SolverInputError("input_shape", f"each size must be a whole number from 1 "
                                                  f"to {MAX_DIM:,} (or null for any length)")
        out.append(d)
    return out


def _model_input(input_shape: Any, first: Layer) -> list:
    """The model's input shape: the parameter, or what the first layer declares (Keras 2),
    or [None] before an Embedding (token sequences of any length, as Chollet's §6.2)."""
    given = None if input_shape is None else _input_shape(input_shape)
    declared = first.declared
    if given is not None and declared is not None and given != declared:
        raise SolverInputError("input_shape", f"{_shape_text(given)} differs from the "
                                              f"{_shape_text(declared)} the first layer declares")
    shape = given if given is not None else declared
    if shape is None:
        if first.kind != "Embedding":
            raise SolverInputError("input_shape", "missing: give input_shape (e.g. [28, 28, 1])"
                                                  " or declare it in the first layer")
        shape = [None]
    return shape


# ---------------------------------------------------------------- the solver


@solver(
    topic="frameworks",
    summary="Keras model.summary() of a Sequential model: output shape and params per layer.",
    summary_zh="Keras Sequential 模型的 model.summary()：每层的输出形状和参数量（可训练/不可训练）。",
    params=[
        Param("input_shape", "json", "shape of one example without the batch axis, e.g. "
              "[28, 28, 1], null for any length; may instead be declared by the first layer "
              "(input_shape=..., input_dim=..., Embedding's input_length)",
              doc_zh="单个样本的形状（不含批量轴），如 [28, 28, 1]，null 表示任意长度；也可由第一层"
              "声明（input_shape=...、input_dim=...、Embedding 的 input_length）", default=None),
        Param("layers", "json", "the layers in order, as Keras code (\"Conv2D(32, 3)\") or "
              "objects ({\"type\": \"Dense\", \"units\": 10}); trainable=False freezes one",
              doc_zh="按顺序列出的层，写成 Keras 代码（\"Conv2D(32, 3)\"）或对象"
              "（{\"type\": \"Dense\", \"units\": 10}）；trainable=False 表示冻结该层"),
    ],
    answers=[
        Answer("output_shapes", "list", "each layer's output shape without the batch axis "
               "(null where Keras prints None)",
               doc_zh="每层的输出形状（不含批量轴；Keras 显示 None 处为 null）"),
        Answer("output_shape", "vec", "the model's output shape without the batch axis",
               doc_zh="模型最终输出的形状（不含批量轴）"),
        Answer("params", "vec", "Param # of each layer", doc_zh="每层的参数量（Param #）"),
        Answer("total_params", "int", "Total params", doc_zh="总参数量（Total params）"),
        Answer("trainable_params", "int", "Trainable params",
               doc_zh="可训练参数量（Trainable params）"),
        Answer("non_trainable_params", "int", "Non-trainable params (BatchNormalization's "
               "moving statistics, frozen layers)",
               doc_zh="不可训练参数量（BatchNormalization 的滑动统计量、被冻结的层）"),
    ],
    examples=[
        # Chollet, Deep Learning with Python (1st ed.), listing 5.2: the MNIST convnet.
        dict(input_shape=[28, 28, 1],
             layers=["Conv2D(32, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
                     "Conv2D(64, (3, 3), activation='relu')", "MaxPooling2D((2, 2))",
                     "Conv2D(64, (3, 3), activation='relu')", "Flatten()",
                     "Dense(64, activation='relu')", "Dense(10, activation='softmax')"]),
        # Chollet (1st ed.), §6.2: Embedding + SimpleRNN on sequences of any length.
        dict(input_shape=[None], layers=["Embedding(10000, 32)", "SimpleRNN(32)"]),
        dict(input_shape=[20],
             layers=[{"type": "Dense", "units": 16}, {"type": "BatchNormalization"},
                     {"type": "Dropout", "rate": 0.5}, {"type": "Dense", "units": 1}]),
    ],
)
def keras_summary(input_shape, layers) -> Solution:
    """Output shape and Param # of each layer, as Keras' model.summary() prints them, and
    the Total / Trainable / Non-trainable counts. Conventions: see the module docstring
    (channels_last; GRU reset_after=True; BatchNormalization's moving mean and variance are
    non-trainable; a layer with trainable=False counts all its parameters as non-trainable).
    """
    if not isinstance(layers, list) or not layers:
        raise SolverInputError("layers", "expected a non-empty list of layers, e.g. "
                                         "[\"Flatten()\", \"Dense(10)\"]")
    if len(layers) > MAX_LAYERS:
        raise SolverInputError("layers", f"{len(layers)} layers; at most {MAX_LAYERS}")
    parsed = [_parse_layer(raw, i) for i, raw in enumerate(layers)]
    shape = _model_input(input_shape, parsed[0])
    steps = [Step(
        f"Input: one example has shape {_shape_text(shape)} (Keras shows the batch axis as "
        f"None; channels_last; the answers leave the batch axis out)",
        f"输入：单个样本形状为 {_shape_text(shape)}（Keras 把批量轴显示为 None；通道在最后；"
        f"答案中不含批量轴）",
        rf"x \in {_shape_latex(shape)}",
        shape,
    )]
    shapes, counts = [], []
    trainable = frozen = 0
    for layer in parsed:
        row = _row(layer, shape)
        if not layer.trainable:
            row.frozen += row.trainable
            row.trainable = 0
        frozen_en = " — frozen (trainable=False): all non-trainable" if not layer.trainable else ""
        frozen_zh = "——已冻结（trainable=False）：全部不可训练" if not layer.trainable else ""
        steps.append(Step(
            f"Layer {layer.index + 1}, {layer.kind}: output {_shape_text(row.shape)}, Param # "
            f"{row.params} — {row.en}{frozen_en}",
            f"第 {layer.index + 1} 层 {layer.kind}：输出 {_shape_text(row.shape)}，参数 "
            f"{row.params}——{row.zh}{frozen_zh}",
            rf"\text{{{layer.kind}}}:\ {_shape_latex(row.shape)},\ {row.latex}",
            [row.shape, row.params],
        ))
        shape = row.shape
        shapes.append(row.shape)
        counts.append(row.params)
        trainable += row.trainable
        frozen += row.frozen
    total = trainable + frozen
    steps.append(Step(
        f"Total params: {total:,} = Trainable params: {trainable:,} + Non-trainable params: "
        f"{frozen:,}",
        f"总参数量 Total params：{total:,} = 可训练 {trainable:,} + 不可训练 {frozen:,}",
        r"\text{total} = " + " + ".join(str(c) for c in counts[:12])
        + (r" + \cdots" if len(counts) > 12 else "")
        + rf" = {total} = {trainable} + {frozen}",
        [total, trainable, frozen],
    ))
    return Solution({
        "output_shapes": shapes, "output_shape": shape, "params": counts,
        "total_params": total, "trainable_params": trainable, "non_trainable_params": frozen,
    }, steps)


