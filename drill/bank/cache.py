"""A cache of validated banks, so a quiz starts without YAML, pydantic or trial draws.

Each entry is JSON — data only, so a file planted in the cache folder can at worst be
rejected, never run — holding the validated chapter, its findings and the ids of broken
items. It is keyed by the bank file's size and mtime and by the code that validates it
(bank reading, the engine and the solvers); a stale, damaged or foreign entry is rebuilt.
Writes go to a temporary file renamed into place, so two terminals never see half a file,
and a failed write leaves no temporary file behind.
$DRILL_CACHE_DIR overrides the location; `off` disables the cache.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

import drill
from drill.bank.load import Finding, LoadedBank, validate_bank

FORMAT = 2
MAX_ENTRY_BYTES = 8_000_000
STALE_TEMP_SECONDS = 3600
_CODE_DIRS = ("drill/bank", "drill/engine", "solvers")


def cache_dir() -> Path | None:
    override = os.environ.get("DRILL_CACHE_DIR")
    if override:
        return None if override == "off" else Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("drill")) / "banks"


def code_stamp() -> int:
    """The newest modification time of the code that validates banks."""
    root = Path(drill.__file__).resolve().parent.parent
    stamps = [0]
    for folder in _CODE_DIRS:
        try:
            with os.scandir(root / folder) as entries:
                stamps += [e.stat().st_mtime_ns for e in entries if e.name.endswith(".py")]
        except OSError:
            continue
    return max(stamps)


def _key(path: Path) -> list:
    stat = path.stat()
    return [FORMAT, drill.__version__, code_stamp(), str(path.resolve()), stat.st_size,
            stat.st_mtime_ns]


def _entry(folder: Path, path: Path) -> Path:
    digest = zlib.crc32(str(path.resolve()).encode())  # a name, not a check: the key is inside
    return folder / f"{path.stem}-{digest:08x}.json"


def _to_entry(key: list, bank: LoadedBank) -> dict[str, Any]:
    return {"key": key, "chapter": bank.data,
            "item_lines": bank.item_lines,
            "findings": [[f.line, f.message, f.severity] for f in bank.findings]}


def _from_entry(entry: dict[str, Any], path: Path) -> LoadedBank:
    """A LoadedBank from a cache entry; ModelDataError if it does not have the right shape."""
    from drill.bank import model  # not for `drill list`, which reads only summaries

    try:
        findings = [Finding(path, int(line), str(message), str(severity))
                    for line, message, severity in entry["findings"]]
        item_lines = {str(k): int(v) for k, v in entry["item_lines"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise model.ModelDataError(f"cache entry: {err!r}") from None
    chapter = model.chapter_from_data(entry["chapter"])
    return LoadedBank(path, chapter, findings, item_lines, entry["chapter"])


def _read_json(entry: Path, key: list) -> dict[str, Any] | None:
    """The entry's data if it is for this key; None when missing, damaged or stale."""
    try:
        if entry.stat().st_size > MAX_ENTRY_BYTES:
            return None
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None


def _read_entry(entry: Path, key: list, path: Path) -> LoadedBank | None:
    from drill.bank.model import ModelDataError

    data = _read_json(entry, key)
    try:
        return None if data is None else _from_entry(data, path)
    except ModelDataError:
        return None  # damaged or from another version: rebuild


def _summary_entry(entry: Path) -> Path:
    """A small file beside the entry with just the key and the summary (`drill list`)."""
    return entry.with_name(entry.stem + ".summary.json")


def _write_entry(folder: Path, entry: Path, content: dict[str, Any]) -> None:
    import tempfile

    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(folder)
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=".tmp-", suffix=".json",
                                         delete=False, encoding="utf-8") as f:
            tmp = f.name
            json.dump(content, f, ensure_ascii=False)
        os.replace(tmp, entry)
        tmp = None
    except (OSError, TypeError, ValueError):  # a read-only or full cache is no reason to fail
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files of writers that died (power cut, SIGKILL) before renaming them."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for stale in folder.glob(".tmp-*"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass


def cached_summary(path: Path) -> dict[str, Any]:
    """The bank's summary (`LoadedBank.summary`) from its cache entry, without building
    the chapter; a full load (which refreshes the entry) when there is no usable entry."""
    folder = cache_dir()
    if folder is not None:
        try:
            data = _read_json(_summary_entry(_entry(folder, path)), _key(path))
        except OSError:
            data = None
        summary = data.get("summary") if data else None
        if isinstance(summary, dict) and {"slug", "title", "counts", "broken_items"} <= set(summary):
            return summary
    return cached_bank(path).summary()


def cached_bank(path: Path) -> LoadedBank:
    """`validate_bank(path)`, served from the cache while the file and the code are unchanged."""
    folder = cache_dir()
    if folder is None:
        return validate_bank(path)
    try:
        key = _key(path)
    except OSError:
        return validate_bank(path)  # reports the file as unreadable
    entry = _entry(folder, path)
    hit = _read_entry(entry, key, path)
    if hit is not None:
        return hit
    bank = validate_bank(path)
    _write_entry(folder, entry, _to_entry(key, bank))
    _write_entry(folder, _summary_entry(entry), {"key": key, "summary": bank.summary()})
    return bank
