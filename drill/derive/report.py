"""`drill check`'s report: one line per expression line, a verdict per step, the first
wrong step marked, and the exit status (0 every step holds, 1 one does not)."""

from __future__ import annotations

from drill.derive.checker import Derivation
from drill.derive.messages import step_text
from drill.i18n import t


def report_lines(derivation: Derivation, first_bad: int | None, lang: str) -> tuple[list[str], int]:
    lines: list[str] = []
    shown_line = None
    for i, step in enumerate(derivation.steps):
        if step.line != shown_line:
            lines.append(f"{t('check_line', lang, line=step.line)}: {step.source}")
            shown_line = step.line
        verdict = t("check_start", lang) if step.verdict is None else step_text(step.verdict, lang)
        mark = f"  {t('check_first_bad', lang)}" if i == first_bad else ""
        lines.append(f"  {t('check_step', lang, i=i + 1)}: {verdict}{mark}")
    steps = derivation.steps
    if first_bad is not None:
        step = steps[first_bad]
        key = "check_bad_step" if step.verdict.status == "different" else "check_undecided"
        lines.append(t(key, lang, i=first_bad + 1, line=step.line))
        return lines, 1
    lines.append(t("check_all_hold", lang, n=len(steps)) if len(steps) > 1
                 else t("check_one_step", lang))
    return lines, 0
