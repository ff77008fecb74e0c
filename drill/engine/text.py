r"""Bank texts with placeholders -> structured blocks (no terminal markup anywhere).

A placeholder is `{name}` or `{name:spec}`: a name and a format spec only — no
attribute or index access (`{x.__class__}`, `{x[0]}`), a width of at most MAX_WIDTH and
a precision of at most MAX_PRECISION. `{name:grid}` sets a matrix as a block of its own,
`{name:table}` a table (a list of rows, the first one the header). `{{` and `}}` are
literal braces; `$...$` is inline LaTeX math (`\$` a literal dollar). The result is a
list of blocks (paragraphs of runs, matrices, tables) that the terminal, worksheets and
exports each render in their own way.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, Union

from solvers.fmt import num

MAX_WIDTH = 40
MAX_PRECISION = 12
MAX_TEXT = 20_000  # characters of one bank text; longer is a bank error
_SPEC = re.compile(r"^(?:.?[<>=^])?[+\- ]?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?"
                   r"[bcdeEfFgGnosxX%]?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARSER = string.Formatter()


class PlaceholderError(ValueError):
    """A malformed placeholder, or one that names nothing drawn."""


@dataclass
class TextRun:
    text: str


@dataclass
class ValueRun:
    """A drawn value inside a sentence: `plain` as the terminal shows it, `value` for
    typesetting (a number, or a vector/matrix set inline)."""

    plain: str
    value: Any


@dataclass
class MathRun:
    """Inline math written `$...$` in a bank text: LaTeX for typesetting, and a plain
    form (common commands as Unicode) for the terminal."""

    latex: str

    @property
    def plain(self) -> str:
        return latex_to_plain(self.latex)


Run = Union[TextRun, ValueRun, MathRun]


@dataclass
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def plain(self) -> str:
        return "".join(r.text if isinstance(r, TextRun) else r.plain for r in self.runs)


@dataclass
class MatrixBlock:
    """A matrix (or a vector, as one row) set on lines of its own."""

    rows: tuple[tuple[Any, ...], ...]


@dataclass
class TableBlock:
    """A table set as a block: a header row and body rows of values."""

    header: tuple[Any, ...]
    rows: tuple[tuple[Any, ...], ...]


Block = Union[Paragraph, MatrixBlock, TableBlock]

_LATEX_WORDS = {
    r"\sigma": "σ", r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ",
    r"\epsilon": "ε", r"\eta": "η", r"\theta": "θ", r"\lambda": "λ", r"\mu": "μ",
    r"\pi": "π", r"\rho": "ρ", r"\tau": "τ", r"\phi": "φ", r"\omega": "ω",
    r"\Sigma": "Σ", r"\Delta": "Δ", r"\nabla": "∇", r"\partial": "∂", r"\sum": "Σ",
    r"\prod": "Π", r"\cdot": "·", r"\times": "×", r"\odot": "⊙", r"\le": "≤",
    r"\ge": "≥", r"\neq": "≠", r"\approx": "≈", r"\infty": "∞", r"\to": "→",
    r"\tanh": "tanh", r"\log": "log", r"\exp": "exp", r"\max": "max", r"\min": "min",
}
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_GROUP = re.compile(r"([_^])\{([^{}]*)\}")


def latex_to_plain(latex: str) -> str:
    """Simple inline LaTeX as readable Unicode text (σ, ·, (a)/(b), x_t, x^2); anything
    it does not know stays as written."""
    text = _FRAC.sub(r"(\1)/(\2)", latex)
    for command, symbol in sorted(_LATEX_WORDS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(re.escape(command) + r"(?![A-Za-z])", symbol, text)
    text = _GROUP.sub(lambda m: m.group(1) + (m.group(2) if len(m.group(2)) == 1
                                              else f"({m.group(2)})"), text)
    return text.replace("\\left", "").replace("\\right", "").replace("\\,", " ")


def check_spec(spec: str) -> None:
    """PlaceholderError unless `spec` is `grid` or a bounded standard format spec."""
    if spec in ("grid", "table") or not spec:
        return
    match = _SPEC.match(spec)
    if not match:
        raise PlaceholderError(f"format spec {spec!r} is not allowed")
    width, precision = match.group("width"), match.group("precision")
    if width and int(width) > MAX_WIDTH:
        raise PlaceholderError(f"format width {width} is over {MAX_WIDTH}")
    if precision and int(precision) > MAX_PRECISION:
        raise PlaceholderError(f"format precision {precision} is over {MAX_PRECISION}")


def placeholders(template: str) -> list[tuple[str, str]]:
    """(name, spec) of every placeholder; PlaceholderError on a malformed one."""
    if len(template) > MAX_TEXT:
        raise PlaceholderError(f"text of {len(template)} characters is over {MAX_TEXT}")
    try:
        parts = list(_PARSER.parse(template))
    except ValueError as err:
        raise PlaceholderError(f"malformed placeholder: {err}") from None
    out = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not _NAME.match(name):
            raise PlaceholderError(f"placeholder {{{name}}} must be a plain name "
                                   "(no attribute, index or position)")
        if conversion:
            raise PlaceholderError(f"placeholder {{{name}!{conversion}}}: no conversions")
        if "{" in (spec or ""):
            raise PlaceholderError(f"placeholder {{{name}}}: no nested fields in its spec")
        check_spec(spec or "")
        out.append((name, spec or ""))
    return out


def _inline(value: Any, spec: str) -> ValueRun:
    if isinstance(value, list):
        return ValueRun(num(value), value)
    if isinstance(value, float) and not spec:
        return ValueRun(num(value), value)
    try:
        return ValueRun(format(value, spec), value)
    except (ValueError, TypeError) as err:
        raise PlaceholderError(f"cannot format {str(value)[:40]} with {spec!r}: {err}") from None


def _table(value: Any) -> TableBlock:
    if not (isinstance(value, list) and len(value) >= 2 and all(isinstance(r, list) for r in value)):
        raise PlaceholderError("{name:table} needs a list of rows: the header, then the body")
    return TableBlock(tuple(value[0]), tuple(tuple(r) for r in value[1:]))


def _text_runs(literal: str) -> list[Run]:
    """A literal piece of text as text runs and `$...$` math runs."""
    runs: list[Run] = []
    parts = re.split(r"(?<!\\)\$", literal)
    for index, part in enumerate(parts):
        part = part.replace("\\$", "$")
        if index % 2 and index < len(parts) - 1:
            runs.append(MathRun(part))
        elif part:
            runs.append(TextRun(part if index % 2 == 0 else "$" + part))
    return runs


def _matrix(value: Any) -> MatrixBlock:
    if not isinstance(value, list):
        raise PlaceholderError("{name:grid} needs a vector or a matrix")
    rows = value if value and isinstance(value[0], list) else [value]
    return MatrixBlock(tuple(tuple(r) for r in rows))


def render_blocks(template: str, names: dict[str, Any]) -> list[Block]:
    """The text as paragraphs and matrix blocks, placeholders filled from `names`."""
    blocks: list[Block] = []
    runs: list[Run] = []

    def close_paragraph() -> None:
        if runs:
            text = Paragraph(tuple(runs))
            if text.plain.strip():
                blocks.append(text)
            runs.clear()

    placeholders(template)  # validates every field before anything is formatted
    for literal, name, spec, _ in _PARSER.parse(template):
        runs.extend(_text_runs(literal))
        if name is None:
            continue
        if name not in names:
            raise PlaceholderError(f"placeholder {{{name}}} has no value")
        if spec in ("grid", "table"):
            close_paragraph()
            blocks.append(_matrix(names[name]) if spec == "grid" else _table(names[name]))
        else:
            runs.append(_inline(names[name], spec or ""))
    close_paragraph()
    return _strip(blocks)


def _strip(blocks: list[Block]) -> list[Block]:
    """Trim the white space that the YAML text leaves around blocks."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            runs = list(block.runs)
            if runs and isinstance(runs[0], TextRun):
                runs[0] = TextRun(runs[0].text.lstrip())
            if runs and isinstance(runs[-1], TextRun):
                runs[-1] = TextRun(runs[-1].text.rstrip())
            block = Paragraph(tuple(r for r in runs if not (isinstance(r, TextRun) and not r.text)))
        out.append(block)
    return out


def plain_text(blocks: list[Block]) -> str:
    """Blocks as plain text (matrices as bracketed rows), for messages and tests."""
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.plain)
        elif isinstance(block, TableBlock):
            parts.append("\n".join(" | ".join(num(v) for v in row)
                                   for row in (block.header, *block.rows)))
        else:
            parts.append("\n".join("[" + ", ".join(num(v) for v in row) + "]" for row in block.rows))
    return "\n".join(parts)
