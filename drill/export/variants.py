"""Which questions an export holds: one per conceptual item, N draws per numeric template.

Determinism contract: every seed comes from (item id, export seed) alone, so the same
seed gives the same export, and adding an item to a bank changes no other item's draws.
A conceptual item is drawn once with the export seed (its option order depends on it);
a template's N variant seeds are distinct values of Random(f"{id}:{seed}:variants").
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from drill.bank.model import Chapter, Item
from drill.engine.question import Question, build_question

MAX_VARIANTS = 200  # per template: 20 is a class's worth; 200 keeps a file importable
LANG_CHOICES = ("en", "zh", "both")


@dataclass
class Drawn:
    """One exported question: the item, its seed, and the question in each language."""

    chapter: Chapter
    item: Item
    seed: int
    variant: int | None          # 1..N for a template's variants, None for a conceptual item
    by_lang: dict[str, Question]  # "en" and/or "zh", the same draw

    @property
    def first(self) -> Question:
        return next(iter(self.by_lang.values()))


def languages(lang: str) -> tuple[str, ...]:
    """--lang en|zh|both -> the languages each text is written in."""
    if lang not in LANG_CHOICES:
        raise ValueError(f"lang must be one of {', '.join(LANG_CHOICES)}")
    return ("en", "zh") if lang == "both" else (lang,)


def variant_seeds(item_id: str, seed: int, count: int) -> list[int]:
    """`count` distinct seeds for one template, from its id and the export seed."""
    if not 1 <= count <= MAX_VARIANTS:
        raise ValueError(f"variants must be from 1 to {MAX_VARIANTS}")
    rng = Random(f"{item_id}:{seed}:variants")
    seeds: list[int] = []
    while len(seeds) < count:
        value = rng.randrange(2**31)
        if value not in seeds:
            seeds.append(value)
    return seeds


def draw(chapters: list[Chapter], seed: int, variants: int, lang: str) -> list[Drawn]:
    """Every item of these chapters (slug order, then bank order) as exported questions."""
    langs = languages(lang)
    out: list[Drawn] = []
    for chapter in sorted(chapters, key=lambda c: c.chapter):
        for item in chapter.items:
            if item.kind == "numeric":
                pairs = [(s, k) for k, s in enumerate(variant_seeds(item.id, seed, variants), 1)]
            else:
                pairs = [(seed, None)]
            for item_seed, number in pairs:
                questions = {code: build_question(chapter, item, item_seed, code) for code in langs}
                out.append(Drawn(chapter, item, item_seed, number, questions))
    return out
