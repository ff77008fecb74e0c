"""Bank texts: placeholders are a name and a bounded format spec, rendered as blocks."""

from __future__ import annotations

import pytest

from drill.engine.text import (
    MatrixBlock,
    Paragraph,
    PlaceholderError,
    ValueRun,
    placeholders,
    plain_text,
    render_blocks,
)
from drill.terminal.render import blocks_text


def test_placeholders_lists_names_and_specs():
    assert placeholders("A {n}x{n} input, lr {lr:.2f}, X ={x:grid}") == [
        ("n", ""), ("n", ""), ("lr", ".2f"), ("x", "grid")]


@pytest.mark.parametrize("template", [
    "{in_features.__class__.__mro__}",   # attribute access renders nothing of Python's
    "{w[0]}",
    "{0}",
    "{x!r}",
    "{x:>3000000000}",                   # a 3 GB width
    "{x:.99f}",
    "{x:{y}}",
    "{x",
    "a }",
])
def test_placeholders_refuse_anything_but_a_name_and_a_sane_spec(template):
    with pytest.raises(PlaceholderError):
        placeholders(template)


def test_a_bank_text_over_the_length_limit_is_refused():
    with pytest.raises(PlaceholderError, match="characters"):
        placeholders("x" * 20_001)


def test_render_blocks_fills_values_as_runs_and_grids_as_blocks():
    blocks = render_blocks("n = {n}, lr {lr:.2f}.\nX ={x:grid}done", {"n": 3, "lr": 0.5,
                                                                    "x": [[1, -2], [10, 0.5]]})
    assert isinstance(blocks[0], Paragraph) and blocks[0].plain == "n = 3, lr 0.50.\nX ="
    assert ValueRun("3", 3) in blocks[0].runs
    assert blocks[1] == MatrixBlock(((1, -2), (10, 0.5)))
    assert blocks[2].plain == "done"
    assert plain_text(blocks) == "n = 3, lr 0.50.\nX =\n[1, -2]\n[10, 0.5]\ndone"


def test_terminal_shows_a_grid_as_an_aligned_matrix_on_its_own_lines():
    blocks = render_blocks("X ={x:grid}done", {"x": [[1, -2], [10, 0.5]]})
    assert blocks_text(blocks) == "X =\n  [   1   -2 ]\n  [  10  0.5 ]\ndone"


def test_literal_braces_and_missing_names():
    assert plain_text(render_blocks("a set {{1, 2}}", {})) == "a set {1, 2}"
    with pytest.raises(PlaceholderError, match="no value"):
        render_blocks("{missing}", {})


def test_inline_math_is_a_run_with_latex_and_a_readable_plain_form():
    from drill.engine.text import MathRun

    (paragraph,) = render_blocks(r"Gate $z_t = \sigma(W_z x_t)$ costs \$5, n={n}", {"n": 2})
    maths = [r for r in paragraph.runs if isinstance(r, MathRun)]
    assert [m.latex for m in maths] == [r"z_t = \sigma(W_z x_t)"]
    assert paragraph.plain == "Gate z_t = σ(W_z x_t) costs $5, n=2"
    assert MathRun(r"\frac{a}{b} \cdot x^{2} \odot h_{t-1}").plain == "(a)/(b) · x^2 ⊙ h_(t-1)"


def test_a_table_placeholder_sets_a_header_and_rows_as_a_block():
    from drill.engine.text import TableBlock

    layers = [["layer", "output", "params"], ["conv1", "6x28x28", 156], ["pool1", "6x14x14", 0]]
    blocks = render_blocks("Fill in:{t:table}", {"t": layers})
    assert blocks[1] == TableBlock(("layer", "output", "params"),
                                   (("conv1", "6x28x28", 156), ("pool1", "6x14x14", 0)))
    assert blocks_text(blocks).splitlines()[1:] == [
        "  layer  output   params", "  ─────  ───────  ──────",
        "  conv1  6x28x28  156", "  pool1  6x14x14  0"]
    with pytest.raises(PlaceholderError, match="list of rows"):
        render_blocks("{t:table}", {"t": [1, 2]})
