"""The terminal quiz: shows each question, reads answers, and drives the engine's Attempt.

I/O goes through a rich Console and a `read_line(prompt)` callable, so the same loop
runs in a terminal, on piped stdin and in tests. `h` shows the next hint, `s` skips,
`q` (or end of input, or Ctrl-C) stops and shows the summary. Grading, hints and the
answer records are the engine's (drill.engine.session); this module only talks.

`on_record` gets each answer's record the moment it is graded, before its verdict is
shown, with Ctrl-C, SIGTERM and SIGHUP held off until it returns: the progress store
commits there, so an answer shown as graded is an answer kept.
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from drill.engine.answer_parse import AnswerParseError
from drill.engine.generate import GenerationError
from drill.engine.question import AnswerField, Question, build_question
from drill.engine.record import AnswerRecord, PartVerdict
from drill.engine.session import Attempt, QuizEntry
from drill.i18n import t
from drill.progress.schedule import read_self_rating
from drill.terminal.render import blocks_text, print_steps

_HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                      if hasattr(signal, name))


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM or a closed terminal (SIGHUP) arriving inside this block takes
    effect when it ends, so an answer being written is written whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {}
    for sig in _HELD_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, lambda number, _frame: caught.append(number))
        except (ValueError, OSError):  # pragma: no cover - a signal this platform refuses
            continue
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)


class QuitQuiz(Exception):
    """The student asked to stop (q, end of input or Ctrl-C)."""

    def __init__(self, interrupted: bool = False):
        super().__init__()
        self.interrupted = interrupted


class TerminalQuiz:
    def __init__(self, console: Console, read_line: Callable[[str], str], lang: str = "en",
                 on_record: Callable[[AnswerRecord], None] | None = None):
        self.console, self.read_line, self.lang = console, read_line, lang
        self.on_record = on_record
        self.topic_titles: dict[tuple[str, str], str] = {}
        self.interrupted = False  # stopped by Ctrl-C: the CLI exits 130 after the summary
        self.records: list[AnswerRecord] = []

    # ----------------------------------------------------------- the loop

    def run(self, entries: list[QuizEntry]) -> list[AnswerRecord]:
        self.records = records = []
        try:
            for index, entry in enumerate(entries, 1):
                self.ask(entry, index, len(entries))
        except (QuitQuiz, KeyboardInterrupt) as stop:  # Ctrl-C while a problem is drawn, too
            self.interrupted = getattr(stop, "interrupted", True)
            self.console.print(t("stopped", self.lang, done=len(records), n=len(entries)))
        return records

    def ask(self, entry: QuizEntry, index: int, total: int) -> AnswerRecord | None:
        lang = self.lang
        try:
            question = build_question(entry.chapter, entry.item, entry.seed, lang)
        except GenerationError as err:
            self.console.print(f"[yellow]{escape(t('broken_item', lang, id=entry.item.id, error=err))}")
            return None
        self.topic_titles[(question.chapter, question.topic)] = \
            f"{question.chapter} · {question.topic_title}"
        header = f"{t('question', lang, i=index, n=total)} · {question.chapter_title} · " \
                 f"{question.topic_title}"
        self.console.print()
        self.console.print(f"[bold]{escape(header)}")
        body = escape(blocks_text(question.body))
        self.console.print(Panel(body) if self.console.is_terminal else body)
        for option in question.options:
            self.console.print(f"  [bold]{option.letter})[/bold] {escape(blocks_text(option.blocks))}")
        attempt = Attempt(question)
        record = self._answer_fields(attempt)
        if record.result not in ("right", "undecided") and question.steps:
            self.console.print(f"[bold]{t('worked', lang)}[/bold]")
            print_steps(self.console, question.steps, lang)
        if question.explanation:
            self.console.print(f"[dim]{t('why', lang)}{escape(blocks_text(question.explanation))}")
        return record

    # ----------------------------------------------------------- answering

    def _answer_fields(self, attempt: Attempt) -> AnswerRecord:
        """Every part answered (or skipped), the record kept the moment the attempt is
        done — before the last verdict is shown."""
        question = attempt.question
        while (field := attempt.field) is not None:
            part = self._read(self._prompt(question, field), attempt)
            if part is None:
                attempt.skip()
                record = self._keep(attempt)
                self._show_skipped(question)
                return record
            if attempt.done:
                record = self._keep(attempt)
            self._show_part(question, field, part)
        if attempt.needs_self_grade:
            self._show_model_answer(question)
            while True:  # h is Hard here, not a hint: the answer is already shown
                text = self._read_command(t("self_rate", self.lang), attempt, hints=False)
                if text is None:
                    break
                try:
                    rating = read_self_rating(text)
                except AnswerParseError as err:
                    self._cannot_read(err, key="cannot_read_rating")
                    continue
                attempt.self_grade(rating > 1, rating)
                break
            record = self._keep(attempt)
        return record

    def _keep(self, attempt: Attempt) -> AnswerRecord:
        """The attempt's record, handed to `on_record` with interruptions held off."""
        record = attempt.record()
        self.records.append(record)
        if self.on_record is not None:
            with signals_held():
                self.on_record(record)
        return record

    def _read(self, prompt: str, attempt: Attempt) -> PartVerdict | None:
        """Read until the engine accepts and grades an answer; None when the student skips."""
        while True:
            text = self._read_command(prompt, attempt)
            if text is None:
                return None
            try:
                return attempt.submit(text)
            except AnswerParseError as err:
                self._cannot_read(err)

    def _read_command(self, prompt: str, attempt: Attempt, hints: bool = True) -> str | None:
        """One non-empty line that is not a command; h/s/q handled here (h is an answer
        when `hints` is off)."""
        while True:
            try:
                text = self.read_line(f"[bold cyan]{escape(prompt)}[/] › ")
            except EOFError:
                self.console.print()
                raise QuitQuiz from None
            except KeyboardInterrupt:
                self.console.print()
                raise QuitQuiz(interrupted=True) from None
            command = text.strip().lower()
            if command == "q":
                raise QuitQuiz
            if command == "s":
                return None
            if command == "h" and hints:
                self._next_hint(attempt)
                continue
            if command:
                return text

    def _cannot_read(self, err: AnswerParseError, key: str = "cannot_read") -> None:
        message = t(key, self.lang, error=err.text(self.lang))
        self.console.print(f"[yellow]{escape(message)}")

    def _next_hint(self, attempt: Attempt) -> None:
        lang, hints = self.lang, attempt.question.hints
        if not hints:
            self.console.print(f"[dim]{t('no_hints', lang)}")
            return
        hint = attempt.hint()
        if hint is None:
            self.console.print(f"[dim]{t('no_more_hints', lang)}")
            return
        text = t("hint", lang, i=attempt.hints_used, n=len(hints), text=blocks_text(hint))
        self.console.print(f"[magenta]{escape(text)}")

    # ----------------------------------------------------------- verdicts

    def _prompt(self, question: Question, field: AnswerField) -> str:
        lang = self.lang
        if field.kind == "choice":
            key = "letters_multi" if question.multiple else "letters"
            return t(key, lang)
        if field.kind == "truefalse":
            return t("truefalse", lang)
        if field.kind == "text":
            return t("your_answer", lang)
        label = field.label
        return f"{label} ({field.note})" if field.note else label

    def _expected_text(self, question: Question, field: AnswerField) -> str:
        shown = field.shown_expected(self.lang)
        if field.kind == "choice" and len(field.expected) == 1:
            option = next(o for o in question.options if o.letter in field.expected)
            return f"{shown}) {blocks_text(option.blocks)}"
        return shown

    def _show_part(self, question: Question, field: AnswerField, part: PartVerdict) -> None:
        lang = self.lang
        if field.kind == "text":
            return
        if len(question.fields) == 1:
            if part.verdict == "right":
                self.console.print(f"[green]{t('correct', lang)}")
            else:
                message = t("wrong", lang, answer=self._expected_text(question, field))
                self.console.print(f"[red]{escape(message)}")
            return
        key, style = ("part_right", "green") if part.verdict == "right" else ("part_wrong", "red")
        text = t(key, lang, label=field.label, given=(part.typed or "").strip(),
                 answer=self._expected_text(question, field))
        self.console.print(f"[{style}]{escape(text)}")

    def _show_model_answer(self, question: Question) -> None:
        model = escape(blocks_text(question.model_answer or []))
        title = t("model_answer", self.lang)
        self.console.print(Panel(model, title=title, title_align="left")
                           if self.console.is_terminal else f"{title}: {model}")

    def _show_skipped(self, question: Question) -> None:
        if question.fields and question.fields[0].kind == "text":
            self._show_model_answer(question)  # a skipped short answer still teaches
            return
        every = "; ".join(
            (f"{f.label} = " if f.label else "") + self._expected_text(question, f)
            for f in question.fields
        )
        self.console.print(f"[yellow]{escape(t('skipped', self.lang, answer=every))}")


def summary_table(records: list[AnswerRecord], titles: dict[tuple[str, str], str],
                  lang: str) -> Table:
    """Asked / right / wrong / skipped / score per chapter topic, with a total row."""
    table = Table(title=t("summary", lang), title_justify="left")
    table.add_column(t("col_topic", lang), overflow="fold")
    for key in ("col_asked", "col_right", "col_wrong", "col_skipped", "col_score"):
        table.add_column(t(key, lang), justify="right", no_wrap=True, overflow="fold")
    groups: dict[tuple[str, str], Counter] = {}
    for r in records:
        result = "skipped" if r.result == "undecided" else r.result
        groups.setdefault((r.chapter, r.topic), Counter())[result] += 1
    total: Counter = Counter()
    for key, counts in groups.items():
        total.update(counts)
        table.add_row(titles.get(key, " · ".join(key)), *_row(counts))
    table.add_section()
    table.add_row(f"[bold]{t('total', lang)}", *_row(total))
    return table


def _row(counts: Counter) -> list[str]:
    asked = sum(counts.values())
    score = f"{100 * counts['right'] / asked:.0f}%" if asked else "–"
    return [str(asked), str(counts["right"]), str(counts["wrong"]), str(counts["skipped"]), score]
