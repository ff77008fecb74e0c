"""Answer kinds: how each kind of answer is read, compared and shown — one table.

Every answer field of every question has a `kind`; `KINDS[kind]` gives its three
handlers, so the quiz, worksheets and exports grade the same way:

- `read(text, field)`   what the student typed -> a value, or AnswerParseError (asked again)
- `compare(given, field)` -> True / False, or None when it cannot be decided (never a false "correct")
- `show(value, lang)`   a value as the student would type it

Numbers follow one rule, `within_tolerance` (docs/bank-format.md, "Grading").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from drill.engine.answer_parse import AnswerParseError, normalize, parse_answer, shape_of

TRUE_WORDS = {"t", "true", "y", "yes", "1", "对", "是", "正确", "√", "✓"}
FALSE_WORDS = {"f", "false", "n", "no", "0", "错", "否", "错误", "×", "✗"}
LETTERS = "abcdefg"
MAX_LABEL_TEXT = 400
MAX_SYMBOLIC_TEXT = 2000
_FLOAT_SLACK = 1e-9  # relative slack so a correctly rounded answer is never refused by binary rounding


class Field(Protocol):
    """What a handler needs to know about the field it grades."""

    expected: Any
    tolerance: Any
    aliases: dict[str, tuple[str, ...]]
    n_options: int


# ------------------------------------------------------------------ the number rule


def allowed_error(expected: float, tol: Any) -> float:
    """The largest |given − expected| that passes under `tol` (a model.Tolerance).

    decimals N: ½·10⁻ᴺ (the half unit of the last asked decimal, so an answer correctly
    rounded to N decimals passes and one off by more fails); sigfigs N: ½ unit of the
    N-th significant figure of `expected` (½·10⁻ᴺ at 0); rel/abs: max(abs, rel·|expected|).
    """
    if tol.decimals is not None:
        return 0.5 * 10.0 ** -tol.decimals
    if tol.sigfigs is not None:
        if expected == 0:
            return 0.5 * 10.0 ** -tol.sigfigs
        exponent = math.floor(math.log10(abs(expected))) - tol.sigfigs + 1
        return 0.5 * 10.0 ** exponent
    return max(tol.abs or 0.0, (tol.rel or 0.0) * abs(expected))


def within_tolerance(given: float, expected: float, tol: Any) -> bool:
    """The one tolerance rule for numbers (see `allowed_error`)."""
    bound = allowed_error(expected, tol)
    return abs(given - expected) <= bound * (1 + _FLOAT_SLACK) + _FLOAT_SLACK * abs(expected)


def _numbers_match(given: Any, expected: Any, tol: Any) -> bool:
    """Elementwise `within_tolerance` for numbers, vectors and matrices of equal shape."""
    if isinstance(expected, list):
        return (isinstance(given, list) and len(given) == len(expected)
                and all(_numbers_match(g, e, tol) for g, e in zip(given, expected)))
    if isinstance(given, (list, bool)) or not isinstance(given, (int, float)):
        return False
    return within_tolerance(given, expected, tol)


def tolerance_note(tol: Any, lang: str) -> str:
    """How precise an answer must be, in words, for the answer field's label."""
    if tol.decimals is not None:
        return f"{tol.decimals} 位小数" if lang == "zh" else f"{tol.decimals} decimals"
    if tol.sigfigs is not None:
        return f"{tol.sigfigs} 位有效数字" if lang == "zh" else f"{tol.sigfigs} significant figures"
    return ""


# ------------------------------------------------------------------ readers


def fit_shape(given: Any, expected: Any) -> Any:
    """The answer in the expected shape (a lone number for a 1-vector becomes [x]);
    AnswerParseError, so the student is asked again, when the shapes differ."""
    want, got = shape_of(expected), shape_of(given)
    if want == got:
        return given
    if want == (1,) and got == ():
        return [given]
    if want == () and got == (1,):
        return given[0]
    if want == (1, 1) and got in ((), (1,)):
        return [[given]] if got == () else [given]  # a 1×1 matrix typed as one number
    if len(want) == 2 and got == (want[0] * want[1],) and 1 in want:
        return [given] if want[0] == 1 else [[v] for v in given]  # a one-row or one-column matrix
    if not want:
        raise AnswerParseError("type one number", "请输入一个数")
    if len(want) == 1:
        raise AnswerParseError(f"type a vector of {want[0]} numbers, like [1, 2]",
                               f"请输入含 {want[0]} 个数的向量，如 [1, 2]")
    dims = "x".join(str(n) for n in want)
    raise AnswerParseError(f"type a {dims} matrix as rows, like [[1, 2], [3, 4]]",
                           f"请按行输入 {dims} 矩阵，如 [[1, 2], [3, 4]]")


def read_shaped(text: str, field: Field) -> Any:
    return fit_shape(parse_answer(text), field.expected)


def _whole(value: Any) -> Any:
    if isinstance(value, list):
        return [_whole(v) for v in value]
    if isinstance(value, float):
        if not value.is_integer():
            raise AnswerParseError("type a whole number", "请输入整数")
        return int(value)
    return value


def read_count(text: str, field: Field) -> Any:
    """An exact whole number (or a vector of them); `28.0` reads as 28, `28.5` is asked again."""
    return _whole(fit_shape(parse_answer(text), field.expected))


def parse_choice(text: str, n_options: int) -> frozenset[str]:
    """Letters typed as `b`, `B`, `a,c`, `a c` or `ac` -> a set; AnswerParseError if not."""
    letters = re.sub(r"[\s,;]+", "", normalize(text).lower())
    valid = LETTERS[:n_options]
    if not letters or any(ch not in valid for ch in letters):
        raise AnswerParseError(f"type a letter from {valid[0]} to {valid[-1]} (several: a,c)",
                               f"请输入 {valid[0]} 到 {valid[-1]} 的字母（多个：a,c）")
    return frozenset(letters)


def read_choice(text: str, field: Field) -> frozenset[str]:
    return parse_choice(text, field.n_options)


def parse_truefalse(text: str) -> bool:
    """t/f, true/false, y/n, 对/错 ... -> bool; AnswerParseError otherwise."""
    word = normalize(text).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise AnswerParseError("type t or y (yes), f or n (no)", "请输入 t/y/对（是）或 f/n/错（否）")


def read_truefalse(text: str, field: Field) -> bool:
    return parse_truefalse(text)


def fold_label(text: str) -> str:
    """A label as compared: full-width folded (NFKC), lower case, inner spaces collapsed."""
    return " ".join(normalize(text).lower().split())


def _label_table(field: Field) -> dict[str, str]:
    """Every accepted spelling (folded) -> the canonical label it stands for."""
    expected = field.expected if isinstance(field.expected, list) else [field.expected]
    table = {fold_label(str(label)): str(label) for label in expected}
    for label, spellings in field.aliases.items():
        for spelling in (label, *spellings):
            table[fold_label(spelling)] = label
    return table


def read_label(text: str, field: Field) -> str:
    if len(text) > MAX_LABEL_TEXT:
        raise AnswerParseError("answer too long", "答案太长")
    word = fold_label(text)
    if not word:
        raise AnswerParseError("empty answer", "答案为空")
    return _label_table(field).get(word, word)


_LABEL_SEPARATORS = re.compile(r"[\s,;、，；]+")


def _label_list(text: str, field: Field, want: int | None) -> list[str]:
    if len(text) > MAX_LABEL_TEXT:
        raise AnswerParseError("answer too long", "答案太长")
    table = _label_table(field)
    words = [w for w in _LABEL_SEPARATORS.split(fold_label(text).strip("[]()")) if w]
    if not words:
        raise AnswerParseError("empty answer", "答案为空")
    if want is not None and len(words) != want:
        raise AnswerParseError(f"type {want} labels separated by commas",
                               f"请输入 {want} 个标签，用逗号分隔")
    return [table.get(w, w) for w in words]


def read_labels(text: str, field: Field) -> list[str]:
    """A sequence of labels separated by commas or spaces: `up, left, up`."""
    return _label_list(text, field, len(field.expected))


def read_set(text: str, field: Field) -> list:
    """A collection in any order and of any size: numbers (`[3, 1, 2]`) or labels (`a, c`)."""
    if all(isinstance(e, (int, float)) and not isinstance(e, bool) for e in field.expected):
        value = parse_answer(text)
        return value if isinstance(value, list) else [value]
    return _label_list(text, field, None)


def read_symbolic(text: str, field: Field) -> str:
    """The raw expression, length-limited; it is parsed later by a whitelist parser,
    never by eval or sympify of raw text."""
    text = normalize(text)
    if len(text) > MAX_SYMBOLIC_TEXT:
        raise AnswerParseError("expression too long", "表达式太长")
    if not text:
        raise AnswerParseError("empty answer", "答案为空")
    return text


def read_text(text: str, field: Field) -> str:
    """Free text for a self-graded answer, kept as typed (length-limited)."""
    if len(text) > MAX_SYMBOLIC_TEXT:
        raise AnswerParseError("answer too long", "答案太长")
    return text.strip()


# ------------------------------------------------------------------ comparers


def compare_exact(given: Any, field: Field) -> bool:
    return given == field.expected


def compare_numbers(given: Any, field: Field) -> bool:
    return _numbers_match(given, field.expected, field.tolerance)


def compare_up_to_sign(given: Any, field: Field) -> bool:
    """v and −v are the same answer (eigenvectors, principal components); for a matrix,
    each row (one vector) may have either sign."""
    def same(g: list, e: list) -> bool:
        return _numbers_match(g, e, field.tolerance) or \
            _numbers_match([-x for x in g], e, field.tolerance)

    expected = field.expected
    if expected and isinstance(expected[0], list):
        return len(given) == len(expected) and all(
            isinstance(g, list) and same(g, e) for g, e in zip(given, expected))
    return isinstance(given, list) and same(given, expected)


def compare_undecided(given: Any, field: Field) -> None:
    """Self-graded: the machine does not decide."""
    return None


def compare_label(given: Any, field: Field) -> bool:
    return given == field.expected


def compare_set(given: list, field: Field) -> bool:
    expected = field.expected
    if len(given) != len(expected):
        return False
    if all(isinstance(e, str) for e in expected):
        return sorted(map(str, given)) == sorted(expected)
    try:
        return _numbers_match(sorted(given), sorted(expected), field.tolerance)
    except TypeError:
        return False


#: Filled by the derivations module: (student text, field) -> True / False / None.
SYMBOLIC_HOOK: dict[str, Callable[[str, Any], bool | None]] = {}


def compare_symbolic(given: str, field: Field) -> bool | None:
    """Equivalence via the registered hook; None (cannot decide) when none is registered."""
    hook = SYMBOLIC_HOOK.get("equivalent")
    return None if hook is None else hook(given, field)


# ------------------------------------------------------------------ showing


def show_value(value: Any, lang: str = "en") -> str:
    """A value as the student would type it: 28, 0.7616, [1, 2], [[1, 0], [0, 1]]."""
    from solvers.fmt import num

    if isinstance(value, bool):
        return ("对" if value else "错") if lang == "zh" else ("true" if value else "false")
    if isinstance(value, (frozenset, set)):
        return ", ".join(sorted(value))
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return num(value)


# ------------------------------------------------------------------ the table


@dataclass
class AnswerKind:
    name: str
    read: Callable[[str, Field], Any]
    compare: Callable[[Any, Field], bool | None]
    show: Callable[[Any, str], str] = show_value
    numeric: bool = False  # graded with a tolerance


KINDS: dict[str, AnswerKind] = {k.name: k for k in (
    AnswerKind("count", read_count, compare_exact),
    AnswerKind("number", read_shaped, compare_numbers, numeric=True),
    AnswerKind("vector", read_shaped, compare_numbers, numeric=True),
    AnswerKind("matrix", read_shaped, compare_numbers, numeric=True),
    AnswerKind("vector_up_to_sign", read_shaped, compare_up_to_sign, numeric=True),
    AnswerKind("choice", read_choice, compare_exact),
    AnswerKind("truefalse", read_truefalse, compare_exact),
    AnswerKind("label", read_label, compare_label),
    AnswerKind("labels", read_labels, compare_exact),
    AnswerKind("set", read_set, compare_set, numeric=True),
    AnswerKind("symbolic", read_symbolic, compare_symbolic),
    AnswerKind("text", read_text, compare_undecided, show=lambda v, lang: str(v)),
)}

#: Kinds a template's `ask` may name (choice and truefalse belong to conceptual items).
ASK_KIND_NAMES = ("count", "number", "vector", "matrix", "vector_up_to_sign", "label",
                  "labels", "set", "symbolic")

#: The kind a solver answer gets when the bank does not say (solver Answer.kind -> kind).
DEFAULT_KIND = {"int": "count", "float": "number", "vec": "vector", "mat": "matrix",
                "str": "label", "list": "labels"}


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _all_ints(value: Any) -> bool:
    if isinstance(value, list):
        return all(_all_ints(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _numbers_of_depth(value: Any, depth: int) -> bool:
    if depth == 0:
        return _is_number(value)
    return isinstance(value, list) and bool(value) and all(
        _numbers_of_depth(v, depth - 1) for v in value)


_FITS: dict[str, Callable[[Any], bool]] = {
    "count": _all_ints,
    "number": _is_number,
    "vector": lambda v: _numbers_of_depth(v, 1),
    "vector_up_to_sign": lambda v: _numbers_of_depth(v, 1) or _numbers_of_depth(v, 2),
    "matrix": lambda v: _numbers_of_depth(v, 2),
    "set": lambda v: isinstance(v, list) and bool(v) and (
        all(_is_number(x) for x in v) or all(isinstance(x, str) for x in v)),
    "label": lambda v: isinstance(v, str),
    "labels": lambda v: isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v),
    "symbolic": lambda v: isinstance(v, str),
    "truefalse": lambda v: isinstance(v, bool),
    "choice": lambda v: isinstance(v, frozenset),
    "text": lambda v: isinstance(v, str),
}


def kind_fits(kind: str, value: Any) -> bool:
    """Whether `kind` can grade this expected value (checked when a bank is loaded)."""
    return _FITS[kind](value)
