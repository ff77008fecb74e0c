"""The LaTeX -> typst converter: the constructs solver steps use, and refusals."""

from __future__ import annotations

import pytest

from drill.worksheet.latex_typst import UnsupportedLatex, to_typst


@pytest.mark.parametrize("latex, typst", [
    (r"\frac{a}{b}", "(a)/(b)"),
    (r"2 \cdot x_{out}", "2 dot x_(o u t)"),
    (r"\sum_{i=1}^{n} x_i", "sum_(i = 1)^(n) x_(i)"),
    (r"\begin{bmatrix} 1 & -2 \\ 3 & 4 \end{bmatrix}", 'mat(delim: "[", 1, - 2; 3, 4)'),
    (r"\left\lfloor \frac{W}{s} \right\rfloor + 1", "lr(⌊ (W)/(s) ⌋) + 1"),
    (r"\sqrt{\sigma^2 + \epsilon}", "sqrt(sigma^(2) + epsilon)"),
    (r"\text{gates} = 3", '"gates" = 3'),
    (r"\mathrm{softmax}(S)", 'op("softmax") ( S )'),
    (r"\hat{x}^\top", "hat(x)^(top)"),
    (r"f(a, b)", r"f ( a \, b )"),
])
def test_subset_converts_to_the_expected_typst(latex, typst):
    assert to_typst(latex) == typst


@pytest.mark.parametrize("latex", [r"\unknowncommand x", r"\frac{a}{b", r"\begin{align} x \end{align}",
                                   r"\left( x", r"a & b"])
def test_unknown_or_broken_latex_is_refused_not_passed_through(latex):
    with pytest.raises(UnsupportedLatex):
        to_typst(latex)


def test_every_step_of_every_template_converts_and_compiles():
    """All templates, one draw each, in one typst document: the compiler accepts every
    converted formula (a converter bug would stop the whole document)."""
    from drill.bank.load import load_chapters
    from drill.engine.question import build_question
    from drill.worksheet.pdf import compile_typst

    banks, _ = load_chapters()
    formulas = {step.latex for b in banks for item in b.chapter.items if item.kind == "numeric"
                for step in build_question(b.chapter, item, 1, "en").steps}
    assert len(formulas) > 300
    source = "\n\n".join(f"${to_typst(f)}$" for f in sorted(formulas))
    assert compile_typst(source, [])[:4] == b"%PDF"
