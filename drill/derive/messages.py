"""Verdicts in words, en and zh."""

from __future__ import annotations

from drill.derive.equivalence import Verdict

_UNDECIDED = {
    "timeout": ("it took too long to check", "检查用时过长"),
    "unproven": ("it agrees at every point tried, but sympy could not prove it",
                 "在所有测试点上都一致，但 sympy 无法证明"),
    "few_points": ("too few points where both sides are defined",
                   "两边都有定义的测试点太少"),
    "too_big": ("the numbers grow too large to evaluate", "数值太大，无法计算"),
    "error": ("the check failed", "检查出错"),
}


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:.4g}"


def where(verdict: Verdict) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in verdict.point.items()) or "any point"


def answer_text(verdict: Verdict, lang: str) -> str:
    """'equivalent', 'not equivalent (at x = 0.3 yours is 0.21, expected 0.24)', or
    'could not decide (...)'."""
    if verdict.status == "equivalent":
        return "等价" if lang == "zh" else "equivalent"
    if verdict.status == "different":
        if lang == "zh":
            return f"不等价（在 {where(verdict)} 处，你的结果为 {_num(verdict.given)}，应为 {_num(verdict.expected)}）"
        return (f"not equivalent (at {where(verdict)} yours is {_num(verdict.given)}, "
                f"expected {_num(verdict.expected)})")
    en, zh = _UNDECIDED.get(verdict.reason, _UNDECIDED["error"])
    return f"无法判定（{zh}）" if lang == "zh" else f"could not decide ({en})"


def step_text(verdict: Verdict, lang: str) -> str:
    """A derivation step against the previous one."""
    if verdict.status == "equivalent":
        return "✓ 与上一步相等" if lang == "zh" else "✓ equals the previous step"
    if verdict.status == "different":
        if lang == "zh":
            return (f"✗ 不相等：在 {where(verdict)} 处，这一步为 {_num(verdict.given)}，"
                    f"上一步为 {_num(verdict.expected)}")
        return (f"✗ not equal: at {where(verdict)} this step is {_num(verdict.given)}, "
                f"the previous step is {_num(verdict.expected)}")
    en, zh = _UNDECIDED.get(verdict.reason, _UNDECIDED["error"])
    return f"? 无法判定（{zh}）" if lang == "zh" else f"? could not decide ({en})"
