"""The quiz loop: pick items, ask them one at a time, grade, sum up by topic.

I/O goes through a rich Console and a `read_line(prompt)` callable, so the same loop
runs in a terminal, on piped stdin and in tests. `h` shows the next hint, `s` skips,
`q` (or end of input, or Ctrl-C) stops and shows the summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from random import Random
from typing import Any, Callable

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from drill.answer_parse import AnswerParseError, parse_answer
from drill.bank_load import LoadedBank
from drill.bank_schema import LETTERS, ChoiceItem, NumericItem, ShortItem, TrueFalseItem
from drill.generate import GenerationError, NumericProblem, generate, tolerance_for
from drill.grade import fit_shape, grade_numeric, parse_choice, parse_truefalse
from drill.i18n import t
from drill.render import print_steps, show_value

KINDS = {"concept": (ChoiceItem, TrueFalseItem, ShortItem), "numeric": (NumericItem,)}
SKIP = object()


class QuitQuiz(Exception):
    """The student asked to stop (q, end of input or Ctrl-C)."""


@dataclass(frozen=True)
class QuizEntry:
    bank: LoadedBank
    item: Any
    seed: int


@dataclass(frozen=True)
class Outcome:
    chapter: str
    topic: str
    item_id: str
    result: str  # right | wrong | skipped
    hints_used: int


def pick_entries(banks: list[LoadedBank], count: int, seed: int, kind: str = "all") -> list[QuizEntry]:
    """`count` items, shuffled by `seed`; numeric templates repeat (new draws) if needed."""
    rng = Random(seed)
    wanted = KINDS.get(kind, KINDS["concept"] + KINDS["numeric"])
    pool = [(bank, item) for bank in banks for item in bank.chapter.items if isinstance(item, wanted)]
    rng.shuffle(pool)
    chosen = pool[:count]
    templates = [pair for pair in pool if isinstance(pair[1], NumericItem)]
    while len(chosen) < count and templates:
        chosen.append(rng.choice(templates))
    return [QuizEntry(bank, item, rng.randrange(2**31)) for bank, item in chosen]


class QuizSession:
    def __init__(self, console: Console, read_line: Callable[[str], str], lang: str = "en"):
        self.console, self.read_line, self.lang = console, read_line, lang
        self._hints: list[str] = []
        self._hints_shown = 0

    # ----------------------------------------------------------- the loop

    def run(self, entries: list[QuizEntry]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        try:
            for index, entry in enumerate(entries, 1):
                outcome = self.ask(entry, index, len(entries))
                if outcome is not None:
                    outcomes.append(outcome)
        except (QuitQuiz, KeyboardInterrupt):  # Ctrl-C while a problem is being drawn, too
            self.console.print(t("stopped", self.lang, done=len(outcomes), n=len(entries)))
        return outcomes

    def ask(self, entry: QuizEntry, index: int, total: int) -> Outcome | None:
        item, lang = entry.item, self.lang
        problem = None
        if isinstance(item, NumericItem):
            try:
                from solvers import get_solver

                problem = generate(item, entry.seed, get_solver(item.solver))
            except GenerationError as err:
                self.console.print(f"[yellow]{escape(t('broken_item', lang, id=item.id, error=err))}")
                return None
        chapter = entry.bank.chapter
        topic = chapter.topic_title(item.topic, lang)
        header = f"{t('question', lang, i=index, n=total)} · {chapter.title.get(lang)} · {topic}"
        prompt = problem.prompt(lang) if problem else item.prompt.get(lang)
        self._hints = problem.hints(lang) if problem else [h.get(lang) for h in item.hints]
        self._hints_shown = 0
        self.console.print()
        self.console.print(f"[bold]{escape(header)}")
        self.console.print(Panel(escape(prompt)))
        if problem is not None:
            result = self._numeric(problem)
        elif isinstance(item, ChoiceItem):
            result = self._choice(item)
        elif isinstance(item, TrueFalseItem):
            result = self._truefalse(item)
        else:
            result = self._short(item)
        if item.explanation is not None:
            self.console.print(f"[dim]{t('why', lang)}{escape(item.explanation.get(lang))}")
        return Outcome(chapter.chapter, topic, item.id, result, self._hints_shown)

    # ----------------------------------------------------------- input

    def _read(self, prompt: str, parse: Callable[[str], Any]) -> Any:
        """Read until `parse` accepts; handle h/s/q. Returns the parsed value or SKIP."""
        while True:
            try:
                text = self.read_line(f"[bold cyan]{prompt}[/] › ")
            except (EOFError, KeyboardInterrupt):
                self.console.print()
                raise QuitQuiz from None
            command = text.strip().lower()
            if command == "q":
                raise QuitQuiz
            if command == "s":
                return SKIP
            if command == "h":
                self._next_hint()
                continue
            if not command:
                continue
            try:
                return parse(text)
            except AnswerParseError as err:
                message = t("cannot_read", self.lang, error=err.text(self.lang))
                self.console.print(f"[yellow]{escape(message)}")

    def _next_hint(self) -> None:
        lang = self.lang
        if not self._hints:
            self.console.print(f"[dim]{t('no_hints', lang)}")
        elif self._hints_shown >= len(self._hints):
            self.console.print(f"[dim]{t('no_more_hints', lang)}")
        else:
            self._hints_shown += 1
            text = self._hints[self._hints_shown - 1]
            self.console.print(
                f"[magenta]{escape(t('hint', lang, i=self._hints_shown, n=len(self._hints), text=text))}"
            )

    def _verdict(self, result: str, answer: str) -> str:
        if result == "right":
            self.console.print(f"[green]{t('correct', self.lang)}")
        else:
            key = "skipped" if result == "skipped" else "wrong"
            style = "yellow" if result == "skipped" else "red"
            self.console.print(f"[{style}]{escape(t(key, self.lang, answer=answer))}")
        return result

    # ----------------------------------------------------------- item kinds

    def _print_options(self, options: list[str]) -> None:
        for letter, text in zip(LETTERS, options):
            self.console.print(f"  [bold]{letter})[/bold] {escape(text)}")

    def _choice(self, item: ChoiceItem) -> str:
        self._print_options([c.get(self.lang) for c in item.choices])
        correct = frozenset(item.answer_letters)
        key = "letters_multi" if len(correct) > 1 or isinstance(item.answer, list) else "letters"
        given = self._read(t(key, self.lang), lambda s: parse_choice(s, len(item.choices)))
        answer = ", ".join(sorted(correct))
        if given is SKIP:
            return self._verdict("skipped", answer)
        return self._verdict("right" if given == correct else "wrong", answer)

    def _truefalse(self, item: TrueFalseItem) -> str:
        given = self._read(t("truefalse", self.lang), parse_truefalse)
        answer = t("true" if item.answer else "false", self.lang)
        if given is SKIP:
            return self._verdict("skipped", answer)
        return self._verdict("right" if given == item.answer else "wrong", answer)

    def _short(self, item: ShortItem) -> str:
        written = self._read(t("your_answer", self.lang), str)
        self.console.print(Panel(escape(item.model_answer.get(self.lang)),
                                 title=t("model_answer", self.lang), title_align="left"))
        if written is SKIP:
            return "skipped"
        own = self._read(t("self_grade", self.lang), parse_truefalse)
        return "skipped" if own is SKIP else ("right" if own else "wrong")

    def _numeric(self, problem: NumericProblem) -> str:
        lang = self.lang
        if problem.options is not None:
            self._print_options([show_value(v) for v in problem.options])
            given = self._read(t("letters", lang), lambda s: parse_choice(s, len(problem.options)))
            answer = f"{LETTERS[problem.answer_index]}) {show_value(problem.options[problem.answer_index])}"
            if given is SKIP:
                result = self._verdict("skipped", answer)
            else:
                right = given == frozenset(LETTERS[problem.answer_index])
                result = self._verdict("right" if right else "wrong", answer)
        else:
            result = self._numeric_parts(problem)
        if result != "right":
            self.console.print(f"[bold]{t('worked', lang)}[/bold]")
            print_steps(self.console, problem.solution.steps, lang)
        return result

    def _numeric_parts(self, problem: NumericProblem) -> str:
        """Ask each requested answer in turn; right only if every part is right."""
        lang, results = self.lang, []
        for ask in problem.item.asks:
            label = self._label(ask)
            expected = problem.expected(ask)
            given = self._read(label, lambda text: fit_shape(parse_answer(text), expected))
            if given is SKIP:
                every = "; ".join(
                    f"{self._label(a)} = {show_value(problem.expected(a))}" for a in problem.item.asks
                )
                self.console.print(f"[yellow]{escape(t('skipped', lang, answer=every))}")
                return "skipped"
            ok = grade_numeric(given, expected, tolerance_for(problem.item, ask))
            results.append(ok)
            key, style = ("part_right", "green") if ok else ("part_wrong", "red")
            text = t(key, lang, label=label, given=show_value(given), answer=show_value(expected))
            self.console.print(f"[{style}]{escape(text)}")
        return "right" if all(results) else "wrong"

    def _label(self, ask: Any) -> str:
        return ask.label.get(self.lang) if ask.label else ask.answer


def summary_table(outcomes: list[Outcome], lang: str) -> Table:
    """Asked / right / wrong / skipped / score per chapter topic, with a total row."""
    table = Table(title=t("summary", lang), title_justify="left")
    for key in ("col_topic", "col_asked", "col_right", "col_wrong", "col_skipped", "col_score"):
        table.add_column(t(key, lang), justify="left" if key == "col_topic" else "right")
    groups: dict[tuple[str, str], Counter] = {}
    for o in outcomes:
        groups.setdefault((o.chapter, o.topic), Counter())[o.result] += 1
    total: Counter = Counter()
    for (chapter, topic), counts in groups.items():
        total.update(counts)
        table.add_row(f"{chapter} · {topic}", *_row(counts))
    table.add_section()
    table.add_row(f"[bold]{t('total', lang)}", *_row(total))
    return table


def _row(counts: Counter) -> list[str]:
    asked = sum(counts.values())
    score = f"{100 * counts['right'] / asked:.0f}%" if asked else "–"
    return [str(asked), str(counts["right"]), str(counts["wrong"]), str(counts["skipped"]), score]
