"""Find, read and validate question banks — one validation, at load, for every command.

`load_bank(path)` reads a bank (through the cache), validates its schema (pydantic) and
its meaning (drill.bank.checks: solvers, parameters, placeholders, a few trial draws),
and returns the runtime chapter without its broken items, plus every finding as
`file:line: message`. A bank that cannot be used at all raises BankError.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the runtime model loads with the first chapter built, not for `list`
    from drill.bank.model import Chapter

PathKey = tuple[Any, ...]
MAX_BANK_BYTES = 2_000_000  # a chapter of several hundred items is ~100 kB
MAX_MESSAGE = 300


@dataclass
class Finding:
    """One problem in a bank, printed as `file:line: message`."""

    path: Path
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        message = self.message if len(self.message) <= MAX_MESSAGE else \
            self.message[:MAX_MESSAGE - 1] + "…"
        return f"{self.path}:{self.line}: {prefix}{message}"


class BankError(Exception):
    """A bank that cannot be used at all; `.findings` says where and why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


class BankDirError(Exception):
    """The folder of banks is missing or holds no bank."""


@dataclass
class LoadedBank:
    """A usable bank: its chapter without broken items, and what was found wrong."""

    path: Path
    chapter: Chapter
    findings: list[Finding] = field(default_factory=list)
    item_lines: dict[str, int] = field(default_factory=dict)  # item id -> line of its id
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # validated JSON (cached)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def summary(self) -> dict[str, Any]:
        """What `drill list` shows of this bank: slug, titles, items per kind, broken items."""
        counts = {kind: 0 for kind in ("choice", "truefalse", "short", "numeric")}
        for item in self.chapter.items:
            counts[item.kind] = counts.get(item.kind, 0) + 1  # symbolic: only if any
        title = self.chapter.title
        return {"slug": self.chapter.chapter, "title": {"en": title.en, "zh": title.zh or title.en},
                "counts": counts, "broken_items": len(self.errors)}


# ------------------------------------------------------------------ where banks are


def bank_dir() -> Path:
    """$DRILL_BANK_DIR, else `questions/` beside the package (editable) or in it (wheel)."""
    override = os.environ.get("DRILL_BANK_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "questions", here / "questions"):
        if candidate.is_dir():
            return candidate
    return here.parent / "questions"


def bank_paths(directory: Path | None = None) -> list[Path]:
    """The bank files of a folder; BankDirError when it is missing or has none."""
    folder = directory or bank_dir()
    if not folder.is_dir():
        raise BankDirError(f"bank folder {folder} does not exist"
                           + (" (DRILL_BANK_DIR)" if os.environ.get("DRILL_BANK_DIR") else ""))
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise BankDirError(f"bank folder {folder} has no *.yaml bank")
    return paths


def chapter_slugs(directory: Path | None = None) -> list[str]:
    """Chapter slugs from the file names alone, without reading any bank."""
    return [p.stem for p in bank_paths(directory)]


# ------------------------------------------------------------------ loading


def load_bank(path: Path) -> LoadedBank:
    """A validated bank, served from the cache while the file and the code are unchanged."""
    from drill.bank.cache import cached_bank

    return cached_bank(path)


def bank_summary(path: Path) -> dict[str, Any]:
    """`load_bank(path).summary()`, read from the cache without building the chapter."""
    from drill.bank.cache import cached_summary

    return cached_summary(path)


def validate_bank(path: Path, seeds: int | None = None) -> LoadedBank:
    """Read and fully validate one bank (no cache); BankError if it is unusable as a whole."""
    from drill.bank.checks import LOAD_SEEDS, check_chapter
    from drill.bank.yaml_read import line_of, read_yaml_with_lines

    data, lines, duplicates = read_yaml_with_lines(_read_text(path), path)
    if not isinstance(data, dict):
        raise BankError([Finding(path, 1, "a bank is a mapping with chapter, title, topics, items")])
    findings = [finding for _, finding in duplicates]
    header_broken = any(_item_index(key) is None for key, _ in duplicates)
    broken_items = {_item_index(key) for key, _ in duplicates} - {None}
    schema_findings, schema_broken, header_schema_broken = _schema_problems(data, path, lines)
    findings += schema_findings
    if header_broken or header_schema_broken:
        raise BankError(sorted(findings, key=lambda f: f.line))
    raw_items = data.get("items") if isinstance(data.get("items"), list) else []
    kept = [i for i in range(len(raw_items)) if i not in broken_items | schema_broken]
    if not kept:
        raise BankError(findings + [Finding(path, line_of(lines, ("items",)), "no valid item")])
    validated = _validated({**data, "items": [raw_items[i] for i in kept]})
    from drill.bank.model import chapter_from_data

    chapter = chapter_from_data(validated)
    if chapter.chapter != path.stem:
        raise BankError([Finding(path, line_of(lines, ("chapter",)),
                                 f"chapter slug {chapter.chapter!r} must match the file name "
                                 f"{path.stem!r} (quizzes find a chapter by its file name)")])
    broken: set[str] = set()
    for problem in check_chapter(chapter, LOAD_SEEDS if seeds is None else seeds):
        key = ("items", kept[problem.index]) + problem.key if problem.index is not None \
            else problem.key
        findings.append(Finding(path, line_of(lines, key), problem.message, problem.severity))
        if problem.severity == "error" and problem.index is not None:
            broken.add(chapter.items[problem.index].id)
    findings.sort(key=lambda f: f.line)
    item_lines = {item.id: line_of(lines, ("items", kept[i], "id"))
                  for i, item in enumerate(chapter.items)}
    usable = {**validated, "items": [i for i in validated["items"] if i["id"] not in broken]}
    return LoadedBank(path, chapter.without(broken), findings, item_lines, usable)


def _item_index(key: PathKey) -> int | None:
    """The item a data path is inside, or None for the chapter's own fields."""
    return key[1] if len(key) >= 2 and key[0] == "items" and isinstance(key[1], int) else None


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BANK_BYTES:
            raise BankError([Finding(path, 1, f"file of {size:,} bytes is over the "
                                              f"{MAX_BANK_BYTES:,}-byte limit for a bank")])
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise BankError([Finding(path, 1, f"not UTF-8 text ({err.reason} at byte {err.start})")]) \
            from None
    except OSError as err:
        raise BankError([Finding(path, 1, f"cannot read: {err.strerror or err}")]) from None


def _schema_problems(data: dict, path: Path, lines: dict) -> tuple[list[Finding], set[int], bool]:
    """Schema findings, the indexes of the items they break, and whether the chapter's own
    fields (title, topics ...) are broken."""
    from pydantic import ValidationError

    from drill.bank.schema import Chapter as ChapterSchema
    from drill.bank.schema_messages import schema_findings

    try:
        ChapterSchema.model_validate(data)
        return [], set(), False
    except ValidationError as err:
        indexes = [_item_index(tuple(e["loc"])) for e in err.errors()]
        return (schema_findings(err, data, path, lines), set(indexes) - {None},
                None in indexes)


def _validated(data: dict) -> dict:
    """The chapter as the schema normalises it, as JSON data (defaults filled in)."""
    from drill.bank.schema import Chapter as ChapterSchema

    model = ChapterSchema.model_validate(data)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def mark_duplicate_ids(bank: LoadedBank, seen: dict[str, str]) -> set[str]:
    """Add a finding to `bank` for each item id already in `seen` (id -> where first met),
    record the new ones, and return the duplicated ids."""
    duplicates: set[str] = set()
    for item in bank.chapter.items:
        line = bank.item_lines.get(item.id, 1)
        if item.id in seen:
            duplicates.add(item.id)
            bank.findings.append(Finding(bank.path, line, f"duplicate id {item.id!r} "
                                                          f"(first at {seen[item.id]})"))
        else:
            seen[item.id] = f"{bank.path}:{line}"
    return duplicates


def unique_paths(paths: list[Path]) -> list[Path]:
    """`paths` in order, a file named twice (however spelt) kept once."""
    first: dict[Path, Path] = {}
    for path in paths:
        first.setdefault(path.resolve(), path)
    return list(first.values())


def load_banks(paths: list[Path]) -> tuple[list[LoadedBank], list[Finding]]:
    """Every usable bank of `paths` and the findings of those that are not; an item id
    met a second time (in any bank) is reported and left out of the later bank."""
    banks: list[LoadedBank] = []
    unusable: list[Finding] = []
    seen: dict[str, str] = {}
    for path in unique_paths(paths):
        try:
            bank = load_bank(path)
        except BankError as err:
            unusable.extend(err.findings)
            continue
        duplicates = mark_duplicate_ids(bank, seen)
        if duplicates:
            bank.chapter = bank.chapter.without(duplicates)
        banks.append(bank)
    return banks, unusable


def load_chapters(slugs: list[str] | None = None,
                  directory: Path | None = None) -> tuple[list[LoadedBank], list[Finding]]:
    """The banks named by slug (all when None), reading only those files; KeyError for a
    slug with no bank. Returns the usable banks and the findings to report."""
    folder = directory or bank_dir()
    paths = bank_paths(folder)
    if not slugs:
        return load_banks(paths)
    known = [p.stem for p in paths]
    missing = [s for s in slugs if s not in known]
    if missing:
        raise KeyError(f"no chapter {', '.join(missing)} (chapters: {', '.join(known)})")
    return load_banks([folder / f"{slug}.yaml" for slug in sorted(set(slugs))])
