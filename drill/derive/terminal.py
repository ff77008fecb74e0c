"""`drill derive` at the terminal: the quiz loop, with a symbolic verdict in words
("not equivalent (at x = 0.3 yours is 0.21, expected 0.24)")."""

from __future__ import annotations

from rich.markup import escape

from drill.derive.grade import judge_answer
from drill.derive.messages import answer_text
from drill.i18n import t
from drill.terminal.quiz import TerminalQuiz


class DeriveQuiz(TerminalQuiz):
    def _prompt(self, question, field) -> str:
        if field.kind == "symbolic" and not field.label:
            return t("your_answer", self.lang)
        return super()._prompt(question, field)

    def _show_part(self, question, field, part) -> None:
        if field.kind != "symbolic" or field.symbolic is None or part.typed is None:
            super()._show_part(question, field, part)
            return
        verdict = judge_answer(part.typed, field.symbolic)  # cached: graded a moment ago
        style, mark = {"right": ("green", "✓"), "wrong": ("red", "✗")}.get(
            part.verdict, ("yellow", "?"))
        text = t("derive_verdict", self.lang, mark=mark, verdict=answer_text(verdict, self.lang))
        self.console.print(f"[{style}]{escape(text)}")
        if part.verdict != "right":
            self.console.print(escape(t("derive_answer", self.lang, answer=field.expected)))
