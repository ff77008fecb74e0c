r"""LaTeX (the subset solver steps and bank texts use) -> typst math.

`to_typst(latex)` returns typst math source (without the `$`s), or raises
UnsupportedLatex for a command it does not know, so the caller can set the step's plain
text instead: a formula is typeset or left out visibly, never printed as raw source.

Covered: \frac \tfrac \sqrt (and \sqrt[n]), sub/superscripts with groups, \sum \prod
\int, \left/\right with ( [ | \| \{ \lfloor \lceil and `.`, \begin{bmatrix|pmatrix|
matrix|vmatrix}, \text \mathrm \operatorname \mathbf \mathbb \mathcal, accents \hat
\tilde \bar, greek letters, the usual relations and operators, spacing commands.

Typst reads adjacent letters as one name (`tp` is an unknown variable), so every letter
is emitted on its own; literal `, ; / @ #` are escaped so they cannot split a function's
arguments or start a fraction or a reference.
"""

from __future__ import annotations

import re

MAX_LATEX = 5000


class UnsupportedLatex(ValueError):
    """A command or construct the converter does not know."""


GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
         "sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon "
         "Phi Psi Omega").split()

SYMBOLS = {
    "cdot": "dot", "times": "times", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "sim": "∼", "equiv": "≡", "propto": "∝",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂", "cup": "∪", "cap": "∩",
    "mid": "|", "pm": "±", "mp": "∓", "cdots": "⋯", "ldots": "…", "dots": "…",
    "infty": "∞", "star": "⋆", "ast": "∗", "neg": "¬", "lnot": "¬", "top": "top",
    "nabla": "∇", "partial": "∂", "ell": "ℓ", "varepsilon": "ε", "varphi": "φ",
    "vartheta": "ϑ", "forall": "∀", "exists": "∃", "circ": "∘", "bullet": "∙",
    "sum": "sum", "prod": "product", "int": "integral",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "lvert": "|", "rvert": "|",
    "lVert": "‖", "rVert": "‖", "vert": "|", "Vert": "‖", "|": "‖",
    "langle": "⟨", "rangle": "⟩", "{": "{", "}": "}",
    "#": "\\#", "_": "\\_", "%": "%", "&": "\\&", "$": "\\$",
    " ": "space", ",": "thin", ";": "med", ":": "med", "!": "", "quad": "quad",
    "qquad": "wide", "bmod": "\"mod\"", "mod": "\"mod\"",
}
FUNCTIONS = ("ln log exp sin cos tan tanh sinh cosh max min arg det sup inf lim "
             "argmax argmin dim ker").split()
DROPPED = {"textstyle", "displaystyle", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
           "Bigl", "Bigr", "limits", "nolimits", "mathrel", "mathop", "mathbin"}
STYLES = {"mathbf": "bold", "boldsymbol": "bold", "mathbb": "bb", "mathcal": "cal",
          "mathit": "italic", "mathsf": "sans"}
ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde",
           "bar": "overline", "overline": "overline", "vec": "arrow", "dot": "dot",
           "ddot": "dot.double"}
UPRIGHT_TEXT = {"text", "mathrm", "operatorname", "textrm", "textbf", "textit"}
MATRICES = {"bmatrix": '"["', "pmatrix": '"("', "matrix": "none", "vmatrix": '"|"',
            "Bmatrix": '"{"'}
DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": "", "/": "\\/"}

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|[0-9]+(?:\.[0-9]+)?|.", re.S)


def tokenize(latex: str) -> list[str]:
    return _TOKEN.findall(latex)


def to_typst(latex: str) -> str:
    """Typst math for `latex`; UnsupportedLatex when a construct is unknown."""
    if len(latex) > MAX_LATEX:
        raise UnsupportedLatex(f"formula of {len(latex)} characters is over {MAX_LATEX}")
    parser = _Parser(tokenize(latex))
    out = parser.sequence(stop=())
    if parser.pos != len(parser.tokens):
        raise UnsupportedLatex(f"unexpected {parser.tokens[parser.pos]!r}")
    return out.strip()


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise UnsupportedLatex("formula ends too early")
        self.pos += 1
        return token

    def sequence(self, stop: tuple[str, ...]) -> str:
        """Atoms with their attachments until a token in `stop` (not consumed)."""
        parts: list[str] = []
        while (token := self.peek()) is not None and token not in stop:
            if token in ("^", "_"):
                self.take()
                base = parts.pop() if parts else '""'
                parts.append(f"{base}{token}{self.argument()}")
            else:
                parts.append(self.atom())
        return " ".join(p for p in parts if p)

    def group(self) -> str:
        """A `{...}` group (the brace already seen is taken here)."""
        if self.take() != "{":
            raise UnsupportedLatex("expected {")
        inner = self.sequence(stop=("}",))
        if self.peek() != "}":
            raise UnsupportedLatex("unbalanced {")
        self.take()
        return inner

    def argument(self) -> str:
        """A command's or an attachment's argument: a group or one atom, in parentheses."""
        if self.peek() == "{":
            inner = self.group()
        else:
            inner = self.atom()
        return f"({inner})" if inner else '("")'

    def raw_group(self) -> str:
        """The text of a `{...}` group as written (for \\text and environment names)."""
        if self.take() != "{":
            raise UnsupportedLatex("expected {")
        depth, out = 1, []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            depth += token == "{"
            depth -= token == "}"
            if depth == 0:
                return "".join(out)
            out.append(token[1:] if token in ("\\{", "\\}", "\\_", "\\%", "\\#", "\\&") else token)
        raise UnsupportedLatex("unbalanced {")

    def atom(self) -> str:
        token = self.take()
        if token == "{":
            self.pos -= 1
            inner = self.group()
            return f"({inner})" if inner else ""
        if token.startswith("\\"):
            return self.command(token[1:])
        if token[0].isdigit():
            return token
        if token.isalpha():
            return token if len(token) == 1 and token.isascii() else _string(token)
        if token in (",", ";", "/", "@", "#", "$", '"', "&"):
            if token == "&":
                raise UnsupportedLatex("& outside a matrix")
            return _string(token) if token == '"' else "\\" + token
        if token in ("}",):
            raise UnsupportedLatex("unbalanced }")
        if token == "~":
            return "space"
        return token

    def command(self, name: str) -> str:
        if name in GREEK:
            return name
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:
            return name if name not in ("argmax", "argmin") else f'op("{name[:3]} {name[3:]}")'
        if name in DROPPED:
            return ""
        if name in ("frac", "tfrac", "dfrac"):
            top, bottom = self.argument(), self.argument()
            return f"{top}/{bottom}"
        if name == "sqrt":
            if self.peek() == "[":
                self.take()
                index = self.sequence(stop=("]",))
                self.take()
                return f"root({index}, {self.argument()[1:-1]})"
            return f"sqrt{self.argument()}"
        if name in UPRIGHT_TEXT:
            text = self.raw_group()
            if name == "text":
                return _string(text)
            # a word such as softmax is an operator name: set upright, with function spacing
            return f"op({_string(text)})" if text.isalpha() and len(text) > 1 \
                else f"upright({_string(text)})"
        if name in STYLES:
            return f"{STYLES[name]}{self.argument()}"
        if name in ACCENTS:
            return f"{ACCENTS[name]}{self.argument()}"
        if name == "left":
            return self.left_right()
        if name == "begin":
            return self.environment()
        if name in ("right", "end"):
            raise UnsupportedLatex(f"\\{name} without its opening")
        raise UnsupportedLatex(f"unknown command \\{name}")

    def delimiter(self) -> str:
        token = self.take()
        if token.startswith("\\"):
            name = token[1:]
            if name in ("lfloor", "rfloor", "lceil", "rceil", "lvert", "rvert", "lVert",
                        "rVert", "|", "{", "}", "langle", "rangle", "vert", "Vert"):
                return SYMBOLS[name]
            raise UnsupportedLatex(f"unknown delimiter {token}")
        if token in DELIMS:
            return DELIMS[token]
        raise UnsupportedLatex(f"unknown delimiter {token!r}")

    def left_right(self) -> str:
        opening = self.delimiter()
        inner = self.sequence(stop=("\\right",))
        if self.peek() != "\\right":
            raise UnsupportedLatex("\\left without \\right")
        self.take()
        closing = self.delimiter()
        return f"lr({opening} {inner} {closing})"

    def environment(self) -> str:
        name = self.raw_group()
        if name not in MATRICES:
            raise UnsupportedLatex(f"unknown environment {name}")
        rows: list[list[str]] = [[]]
        while True:
            cell = self.sequence(stop=("&", "\\\\", "\\end"))
            token = self.take()
            rows[-1].append(cell or '""')
            if token == "\\\\":
                rows.append([])
            elif token == "\\end":
                if self.raw_group() != name:
                    raise UnsupportedLatex(f"\\begin{{{name}}} closed by another \\end")
                break
        rows = [row for row in rows if row != ['""']] or [['""']]
        body = "; ".join(", ".join(row) for row in rows)
        return f"mat(delim: {MATRICES[name]}, {body})"
