"""Which problems a sheet holds: the items, their draws, sections and points.

Determinism: the items and their order come from the spec's seed alone (through
`pick_entries`, or per exam section); a variant keeps the items and changes only each
draw's seed, `Random(f"{seed}:{variant}:{n}")`, so every variant has the same structure
and difficulty with different numbers, and the same spec always gives the same sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from drill.engine.question import Question, build_question
from drill.engine.session import QuizEntry, pick_entries
from drill.worksheet.codes import SheetSpec, encode
from drill.worksheet.preset import Preset

ITEM_KINDS = {"choice": ("choice",), "truefalse": ("truefalse",), "short": ("short",),
              "numeric": ("numeric",)}


@dataclass
class Problem:
    number: int
    question: Question
    points: int


@dataclass
class SheetSection:
    title: dict[str, str] | None
    points_each: int
    problems: list[Problem]

    @property
    def points(self) -> int:
        return sum(p.points for p in self.problems)


@dataclass
class Sheet:
    spec: SheetSpec
    code: str
    lang: str
    title: str
    chapter_titles: list[str]
    sections: list[SheetSection]
    minutes: int | None = None
    student: str = ""

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.sections for p in s.problems]

    @property
    def points(self) -> int:
        return sum(s.points for s in self.sections)


class SheetError(ValueError):
    """A sheet that cannot be made from these banks (no item of a needed kind)."""


def draw_seed(entry_seed: int, variant: int, number: int) -> int:
    """The seed of problem `number` in `variant` (variant 0 keeps the pick's own seed)."""
    return entry_seed if variant == 0 else Random(f"{entry_seed}:{variant}:{number}").randrange(2**31)


def exam_entries(chapters: list, preset: Preset, seed: int) -> list[tuple[int, list[QuizEntry]]]:
    """Per preset section, its entries: shuffled per section, taken round-robin over the
    chapters so the mix spans the outline; numeric templates repeat with new draws."""
    out = []
    for index, section in enumerate(preset.sections):
        rng = Random(f"{seed}:section:{index}")
        pools = []
        for chapter in sorted(chapters, key=lambda c: c.chapter):
            items = [i for i in chapter.items if i.kind in ITEM_KINDS[section.kind]]
            rng.shuffle(items)
            if items:
                pools.append((chapter, items))
        if not pools:
            raise SheetError(f"no {section.kind} item in the preset's chapters")
        rng.shuffle(pools)
        chosen: list[QuizEntry] = []
        round_ = 0
        while len(chosen) < section.count:
            for chapter, items in pools:
                if len(chosen) == section.count:
                    break
                if round_ < len(items) or section.kind == "numeric":
                    chosen.append(QuizEntry(chapter, items[round_ % len(items)],
                                            rng.randrange(2**31)))
            round_ += 1
            if round_ > max(len(items) for _, items in pools) and section.kind != "numeric":
                break
        out.append((index, chosen))
    return out


def build_sheet(spec: SheetSpec, chapters: list, lang: str, all_slugs: list[str],
                preset: Preset | None = None, title: str = "", student: str = "") -> Sheet:
    """The sheet `spec` describes, from these chapters (already narrowed to the spec's)."""
    code = encode(spec, all_slugs)
    sections: list[SheetSection] = []
    number = 0
    if spec.exam:
        assert preset is not None
        for index, entries in exam_entries(chapters, preset, spec.seed):
            section = preset.sections[index]
            problems = []
            for entry in entries:
                number += 1
                question = build_question(entry.chapter, entry.item,
                                          draw_seed(entry.seed, spec.variant, number), lang)
                problems.append(Problem(number, question, section.points))
            sections.append(SheetSection(section.title, section.points, problems))
        title = title or preset.title.get(lang, preset.title["en"])
    else:
        problems = []
        for entry in pick_entries(chapters, spec.count, spec.seed, spec.kind):
            number += 1
            question = build_question(entry.chapter, entry.item,
                                      draw_seed(entry.seed, spec.variant, number), lang)
            problems.append(Problem(number, question, 1))
        if not problems:
            raise SheetError("no item of this kind in these chapters")
        sections.append(SheetSection(None, 1, problems))
    used = sorted({p.question.chapter: p.question.chapter_title
                   for s in sections for p in s.problems}.items())
    return Sheet(spec, code, lang, title, [t for _, t in used], sections,
                 preset.minutes if spec.exam and preset else None, student)
