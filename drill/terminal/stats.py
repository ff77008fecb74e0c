"""`drill stats` in the terminal: the numbers read from the store, as text, tables and bars."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from drill.bank.model import LETTERS, Chapter, Item
from drill.i18n import t
from drill.progress.stats import WEAKEST, Accuracy, Mistake, Stats, compute_stats, weakest
from drill.progress.store import ProgressStore

BAR_WIDTH = 20
SPARKS = "▁▂▃▄▅▆▇█"


def gather_stats(store: ProgressStore, chapters: list[Chapter], only_these: bool,
                 now: datetime) -> Stats:
    """Stats over the given chapters' banks; with `only_these` off, chapters that only the
    store still knows (a bank since removed) are shown too."""
    slugs = [c.chapter for c in chapters] if only_these else None
    rows = store.answers(slugs)
    weak = weakest(rows, WEAKEST)
    return compute_stats(rows, store.cards(slugs),
                         {c.chapter: [i.id for i in c.items] for c in chapters}, now,
                         records=store.records(w.item_id for w in weak))


def percent(accuracy: Accuracy) -> str:
    return "–" if accuracy.rate is None else f"{100 * accuracy.rate:.0f}%"


def stats_view(stats: Stats, chapters: list[Chapter], lang: str) -> list[RenderableType]:
    """Everything `drill stats` prints, in order."""
    if not stats.total_answers:
        return [t("stats_empty", lang)]
    items = {item.id: item for c in chapters for item in c.items}
    titles = {c.chapter: c.title.get(lang) for c in chapters}
    head = t("stats_head", lang, n=stats.total_answers, streak=stats.streak, due=stats.due)
    accuracy = t("stats_accuracy", lang, a7=percent(stats.last_7), n7=stats.last_7.answered,
                 a30=percent(stats.last_30), n30=stats.last_30.answered)
    shown: list[RenderableType] = [f"[bold]{escape(head)}", escape(accuracy), "",
                                   chapter_table(stats, titles, lang),
                                   f"[dim]{t('stats_legend', lang)}"]
    if stats.weakest:
        shown += ["", weakest_table(stats, items, lang)]
    shown += ["", daily_line(stats, lang)]
    return shown


def chapter_table(stats: Stats, titles: dict[str, str], lang: str) -> Table:
    table = Table(title=t("stats_chapters", lang), title_justify="left")
    table.add_column(t("col_chapter", lang), overflow="fold")
    for key in ("col_items", "col_seen", "col_due", "col_mastered", "col_acc30"):
        table.add_column(t(key, lang), justify="right", no_wrap=True)
    table.add_column(t("col_progress", lang), no_wrap=True)
    for slug, ch in stats.chapters.items():
        name = f"{slug} · {titles[slug]}" if slug in titles else slug
        table.add_row(escape(name), "–" if ch.items is None else str(ch.items), str(ch.seen),
                      str(ch.due), str(ch.mastered), percent(ch.last_30),
                      progress_bar(ch.mastered, ch.seen, ch.items))
    return table


def progress_bar(mastered: int, seen: int, items: int | None, width: int = BAR_WIDTH) -> Text:
    """█ mastered, ▓ seen but not mastered, ░ not seen yet, out of the chapter's items."""
    whole = max(items or 0, seen, 1)
    solid = round(width * mastered / whole)
    shade = max(0, round(width * seen / whole) - solid)
    bar = Text()
    bar.append("█" * solid, style="green")
    bar.append("▓" * shade, style="yellow")
    bar.append("░" * (width - solid - shade), style="dim")
    return bar


def weakest_table(stats: Stats, items: dict[str, Item], lang: str) -> Table:
    table = Table(title=t("stats_weakest", lang), title_justify="left")
    table.add_column(t("col_item", lang), overflow="fold")
    table.add_column(t("col_missed", lang), no_wrap=True)
    table.add_column(t("col_mistake", lang), overflow="fold")
    for weak, mistake in stats.weakest:
        text = "" if mistake is None else mistake_text(mistake, items.get(weak.item_id), lang)
        table.add_row(escape(weak.item_id),
                      t("missed_of", lang, misses=weak.misses, n=weak.answers), escape(text))
    return table


def mistake_text(mistake: Mistake, item: Item | None, lang: str) -> str:
    """A mistake in words: `out_height: off by one (3×)`, `chose “4 per channel” (2×)`."""
    values: dict[str, Any] = {"field": _field_label(item, mistake.field, lang)}
    if mistake.kind == "truefalse":
        values["value"] = t(mistake.detail or "false", lang)
    elif mistake.kind == "choice":
        values["option"] = _option_text(item, mistake.detail, lang)
    elif mistake.kind == "factor":
        values["factor"] = f"×{mistake.detail}"
    words = t(f"mistake_{mistake.kind}", lang, **values)
    return t("mistake_count", lang, words=words, count=mistake.count)


def _field_label(item: Item | None, name: str, lang: str) -> str:
    for ask in getattr(item, "asks", ()):
        if ask.answer == name and ask.label is not None:
            return ask.label.get(lang)
    return name


def _option_text(item: Item | None, letters: str | None, lang: str) -> str:
    """The chosen options' own text (the letters the student saw were shuffled)."""
    choices = getattr(item, "choices", None)
    if not letters or not choices:
        return letters or "?"
    try:
        return " + ".join(choices[LETTERS.index(letter)].get(lang) for letter in letters)
    except (ValueError, IndexError):
        return letters


def daily_line(stats: Stats, lang: str) -> str:
    """Answers per day as a row of bars, oldest first (`·` a day without answers)."""
    most = max((n for _, n, _ in stats.daily), default=0)
    bars = "".join("·" if n == 0 else SPARKS[(n * len(SPARKS) - 1) // most]
                   for _, n, _ in stats.daily)
    return escape(t("stats_days", lang, n=len(stats.daily), bars=bars, most=most))
