"""`drill review` in the terminal: the plan read from the store, and what is said around it."""

from __future__ import annotations

from datetime import datetime
from random import Random

from drill.bank.model import Chapter
from drill.i18n import t
from drill.progress.review import ReviewPlan, new_items_today, plan_review
from drill.progress.store import ProgressStore


def plan_from_store(store: ProgressStore, chapters: list[Chapter], now: datetime, rng: Random,
                    count: int, new_per_day: int) -> ReviewPlan:
    slugs = [c.chapter for c in chapters]
    return plan_review(chapters, store.cards(slugs), now, rng, count, new_per_day,
                       new_items_today(store.answers(slugs), now))


def review_command(chapter: list[str] | None, count: int, new_per_day: int) -> str:
    """The command that starts another session like this one."""
    words = ["drill review"] + [f"-c {slug}" for slug in sorted(set(chapter or []))]
    return " ".join(words + [f"-n {count}", f"--new {new_per_day}"])


def intro(plan: ReviewPlan, command: str, lang: str) -> str:
    return t("review_start", lang, n=len(plan.entries), due=len(plan.entries) - plan.new,
             new=plan.new, command=command)


def nothing_due(plan: ReviewPlan, now: datetime, lang: str) -> list[str]:
    """What to say when a session would be empty: nothing due, when the next is."""
    lines = [t("review_nothing", lang)]
    if plan.new_left <= 0 and plan.new_per_day > 0:
        lines.append(t("review_new_done", lang, limit=plan.new_per_day))
    if plan.next_due is not None:
        lines.append(t("review_next", lang, when=when(plan.next_due, now, lang)))
    return lines


def when(moment: datetime, now: datetime, lang: str) -> str:
    """A future moment as local time with how far off it is: `2025-03-04 09:30 (in 2 h)`."""
    minutes = max(1, round((moment - now).total_seconds() / 60))
    if minutes < 90:
        ahead = t("in_minutes", lang, n=minutes)
    elif minutes < 36 * 60:
        ahead = t("in_hours", lang, n=round(minutes / 60))
    else:
        ahead = t("in_days", lang, n=round(minutes / 1440))
    return f"{moment.astimezone().strftime('%Y-%m-%d %H:%M')} ({ahead})"
