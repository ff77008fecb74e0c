"""Check a derivation written one expression per line, each step against the previous.

    let s = 1/(1+exp(-x))          a shorthand, usable in every later line
    diff(1/(1+exp(-x)), x)         the first expression
    = exp(-x)/(1+exp(-x))^2        a step ('=' as on paper)
    = s*(1 - s)                    another; a line may also hold a whole `a = b = c`

Blank lines and lines starting with `#` are skipped. `parse_derivation` reads the whole
text first (DerivationError with line and column for the first line it cannot read);
`check_steps` then judges every step and says which is the first wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drill.derive.parser import ParseError, parse, parse_chain

MAX_BYTES = 100_000
MAX_LINES = 200
MAX_STEPS = 60
_LET = re.compile(r"^\s*let\s+([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?)\s*(?:=|:=)(.*)$")


@dataclass
class DerivationError(Exception):
    line: int
    error: ParseError
    source: str = ""

    def text(self, lang: str) -> str:
        if not self.line:
            return self.error.text(lang)
        head = f"第 {self.line} 行" if lang == "zh" else f"line {self.line}"
        return f"{head}: {self.error.text(lang)}"


@dataclass
class Step:
    line: int
    source: str
    node: object
    verdict: object = None       # Verdict against the previous step (None: the first)


@dataclass
class Derivation:
    lets: list[tuple[int, str, object]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def parse_derivation(text: str) -> Derivation:
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise DerivationError(0, ParseError(f"the derivation is over {MAX_BYTES:,} bytes",
                                            f"推导超过 {MAX_BYTES:,} 字节"))
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise DerivationError(0, ParseError(f"over {MAX_LINES} lines", f"超过 {MAX_LINES} 行"))
    result = Derivation()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            let = _LET.match(line)
            if let:
                result.lets.append((number, let.group(1), parse(let.group(2))))
                continue
            for node in parse_chain(line):
                result.steps.append(Step(number, stripped, node))
        except ParseError as err:
            raise DerivationError(number, err, line) from None
        if len(result.steps) > MAX_STEPS:
            raise DerivationError(number, ParseError(f"over {MAX_STEPS} steps",
                                                     f"超过 {MAX_STEPS} 步"))
    if not result.steps:
        raise DerivationError(0, ParseError("no expression to check", "没有可检查的表达式"))
    return result


def check_steps(derivation: Derivation, seed: str = "check") -> int | None:
    """Judge every step against the one before (filling `step.verdict`); the index of the
    first step that does not hold, or None when every step holds."""
    from drill.derive.build import Context
    from drill.derive.equivalence import judge

    ctx = Context()
    for _, name, node in derivation.lets:
        ctx.define(name, node)
    first_bad = None
    for i in range(1, len(derivation.steps)):
        step, previous = derivation.steps[i], derivation.steps[i - 1]
        try:
            step.verdict = judge(step.node, previous.node, ctx, f"{seed}:{i}")
        except ParseError as err:
            raise DerivationError(step.line, err, step.source) from None
        if first_bad is None and not step.verdict.holds:
            first_bad = i
    return first_bad
