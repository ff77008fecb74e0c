"""Find, read and validate question banks, keeping YAML line numbers for messages."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from drill.bank_schema import Chapter

try:  # libyaml's C loader is several times faster where it is installed
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the build of PyYAML
    _Loader = yaml.SafeLoader

PathKey = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    """One problem in a bank, printed as `file:line: message`."""

    path: Path
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class BankError(Exception):
    """A bank that cannot be used; `.findings` says where and why.

    `.partial` is the bank with its broken items left out (None if the chapter header
    itself is broken), so that lint can go on checking the rest.
    """

    def __init__(self, findings: list[Finding], partial: "LoadedBank | None" = None):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings
        self.partial = partial


@dataclass
class LoadedBank:
    path: Path
    chapter: Chapter
    lines: dict[PathKey, int] = field(repr=False)

    def line_of(self, *key: Any) -> int:
        return line_of(self.lines, key)


def line_of(lines: dict[PathKey, int], key: PathKey) -> int:
    """Line of the deepest part of `key` that exists in the YAML (1 if none)."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return 1


def bank_dir() -> Path:
    """$DRILL_BANK_DIR, else `questions/` beside the package (editable) or in it (wheel)."""
    override = os.environ.get("DRILL_BANK_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "questions", here / "questions"):
        if candidate.is_dir():
            return candidate
    return here.parent / "questions"


def bank_paths(directory: Path | None = None) -> list[Path]:
    return sorted((directory or bank_dir()).glob("*.yaml"))


def chapter_slugs(directory: Path | None = None) -> list[str]:
    """Chapter slugs from the file names alone, without reading any bank."""
    return [p.stem for p in bank_paths(directory)]


# ------------------------------------------------------------------ YAML + lines


def read_yaml_with_lines(text: str, path: Path) -> tuple[Any, dict[PathKey, int], list[Finding]]:
    """Parse YAML once: the data, a map from data path to line, duplicate-key findings."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(err, "problem", None) or str(err)
        raise BankError([Finding(path, line, f"YAML syntax: {problem}")]) from None
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    duplicates: list[Finding] = []
    if node is not None:
        _index_lines(node, (), lines, duplicates, path)
    return data, lines, duplicates


def _index_lines(node: Any, key: PathKey, lines: dict[PathKey, int],
                 duplicates: list[Finding], path: Path) -> None:
    lines.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            if name in seen:
                duplicates.append(
                    Finding(path, key_node.start_mark.line + 1, f"duplicate key {name!r}")
                )
            seen.add(name)
            lines[key + (name,)] = key_node.start_mark.line + 1
            _index_lines(value_node, key + (name,), lines, duplicates, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, key + (index,), lines, duplicates, path)


# ------------------------------------------------------------- schema messages


def _data_path(loc: tuple, data: Any) -> PathKey:
    """Drop the union tags pydantic puts into `loc`, keeping real data keys."""
    out: list[Any] = []
    for part in loc:
        if isinstance(data, dict) and str(part) in {str(k) for k in data}:
            data = next(v for k, v in data.items() if str(k) == str(part))
            out.append(str(part))
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
            out.append(part)
    return tuple(out)


def dotted_key(key: PathKey) -> str:
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


def _message(err: dict) -> str:
    kind, field_name = err["type"], err["loc"][-1] if err["loc"] else ""
    if kind == "missing":
        if field_name == "en":
            return "missing `en` text"
        return f"missing field {field_name!r}"
    if kind == "extra_forbidden":
        return f"unknown field {field_name!r}"
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "?")
        return f"unknown kind {tag!r} (expected choice, truefalse, short, numeric)"
    return err["msg"].replace("Value error, ", "")


def schema_findings(error: ValidationError, data: Any, path: Path,
                    lines: dict[PathKey, int]) -> list[Finding]:
    """One finding per data path: pydantic's per-branch type errors are merged."""
    by_key: dict[PathKey, list[dict]] = {}
    for err in error.errors():
        by_key.setdefault(_data_path(err["loc"], data), []).append(err)
    findings = []
    for key, errs in by_key.items():
        if len(errs) > 1 and all(e["type"].endswith("_type") for e in errs):
            got = type(errs[0]["input"]).__name__
            findings.append(Finding(path, line_of(lines, key), f"{dotted_key(key)}: wrong type ({got})"))
            continue
        findings.extend(
            Finding(path, line_of(lines, key), f"{dotted_key(key)}: {_message(err)}") for err in errs
        )
    return sorted(findings, key=lambda f: f.line)


def _read_fast(text: str) -> Any:
    """Parse without indexing lines (the quiz's path); None on any YAML error."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def load_bank(path: Path, *, keep_lines: bool = True) -> LoadedBank:
    """Read and validate one bank; BankError with line-numbered findings if broken.

    With keep_lines=False a valid bank is loaded without its line map (faster); line
    numbers are still computed for the findings of a broken one.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BankError([Finding(path, 1, f"cannot read: {err}")]) from None
    if not keep_lines:
        data = _read_fast(text)
        if isinstance(data, dict):
            try:
                return LoadedBank(path, Chapter.model_validate(data), {})
            except ValidationError:
                pass
    data, lines, findings = read_yaml_with_lines(text, path)
    if not isinstance(data, dict):
        raise BankError([Finding(path, 1, "a bank is a mapping with chapter, title, topics, items")])
    try:
        bank = LoadedBank(path, Chapter.model_validate(data), lines)
    except ValidationError as err:
        findings = sorted(findings + schema_findings(err, data, path, lines), key=lambda f: f.line)
        raise BankError(findings, _partial_bank(data, path, lines)) from None
    if findings:
        raise BankError(findings, bank)
    return bank


def _partial_bank(data: dict, path: Path, lines: dict[PathKey, int]) -> LoadedBank | None:
    """The bank with only its valid items (lines re-keyed), or None if the header is broken."""
    from pydantic import TypeAdapter

    from drill.bank_schema import Item

    adapter: TypeAdapter = TypeAdapter(Item)
    raw_items = data.get("items") if isinstance(data.get("items"), list) else []
    valid: list[Any] = []
    kept = {key: line for key, line in lines.items() if key[:1] != ("items",) or len(key) < 2}
    for index, raw in enumerate(raw_items):
        try:
            item = adapter.validate_python(raw)
        except ValidationError:
            continue
        for key, line in lines.items():
            if key[:2] == ("items", index):
                kept[("items", len(valid)) + key[2:]] = line
        valid.append(item)
    try:
        chapter = Chapter.model_validate({**data, "items": valid})
    except ValidationError:
        return None
    return LoadedBank(path, chapter, kept)


def load_for_use(path: Path) -> LoadedBank:
    """A bank for a quiz or a listing: cached, without line numbers."""
    from drill.bank_cache import cached

    return cached(path, lambda p: load_bank(p, keep_lines=False))


def load_chapters(slugs: list[str] | None = None, directory: Path | None = None) -> list[LoadedBank]:
    """Load the banks named by slug (all when None), reading only those files."""
    folder = directory or bank_dir()
    if not slugs:
        return [load_for_use(p) for p in bank_paths(folder)]
    known = chapter_slugs(folder)
    missing = [s for s in slugs if s not in known]
    if missing:
        raise KeyError(f"no chapter {', '.join(missing)} (chapters: {', '.join(known)})")
    return [load_for_use(folder / f"{slug}.yaml") for slug in dict.fromkeys(slugs)]
