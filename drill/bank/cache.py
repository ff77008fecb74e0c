"""A cache of validated banks, so a quiz starts without re-parsing YAML.

Each bank is pickled once validated, keyed by the file's size and mtime and by the
schema module's mtime; a stale, missing or unreadable entry is simply rebuilt. Writes
go to a temporary file renamed into place, so two terminals never see half a file.
$DRILL_CACHE_DIR overrides the location; setting it to `off` disables the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable

import drill
from drill import bank_schema


def cache_dir() -> Path | None:
    override = os.environ.get("DRILL_CACHE_DIR")
    if override:
        return None if override == "off" else Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("drill")) / "banks"


def _key(path: Path) -> tuple:
    stat = path.stat()
    schema = Path(bank_schema.__file__).stat().st_mtime_ns
    return (drill.__version__, schema, str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _entry(folder: Path, path: Path) -> Path:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    return folder / f"{path.stem}-{digest}.pickle"


def cached(path: Path, load: Callable[[Path], Any]) -> Any:
    """`load(path)`, served from the cache while the file is unchanged."""
    folder = cache_dir()
    if folder is None:
        return load(path)
    key, entry = _key(path), _entry(folder, path)
    try:
        with entry.open("rb") as f:
            stored_key, value = pickle.load(f)
        if stored_key == key:
            return value
    except Exception:  # missing, truncated, from another version: rebuild
        pass
    value = load(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False) as f:
            pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, entry)
    except OSError:  # a read-only cache is no reason to fail a quiz
        pass
    return value
