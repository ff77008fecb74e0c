"""Exam presets: a JSON file naming the sections (item kind, count, points each), the
chapters to draw from and the suggested time. `presets/final.json` is this course's
final; another course writes its own file and passes `--preset PATH`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PRESET_DIR = Path(__file__).parent / "presets"
MAX_PRESET_BYTES = 100_000
SECTION_KINDS = ("choice", "truefalse", "short", "numeric")


class PresetError(ValueError):
    """A preset file that cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class Section:
    kind: str
    count: int
    points: int
    title: dict[str, str]


@dataclass(frozen=True)
class Preset:
    name: str
    title: dict[str, str]
    minutes: int
    chapters: tuple[str, ...]
    sections: tuple[Section, ...]


def load_preset(path: Path | None = None) -> Preset:
    """The preset at `path` (default: the course final); PresetError when unusable."""
    path = path or PRESET_DIR / "final.json"
    try:
        if path.stat().st_size > MAX_PRESET_BYTES:
            raise PresetError(f"{path}: over {MAX_PRESET_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
        sections = tuple(Section(s["kind"], int(s["count"]), int(s["points"]),
                                 dict(s["title"])) for s in data["sections"])
        preset = Preset(str(data["name"]), dict(data["title"]), int(data["minutes"]),
                        tuple(data["chapters"]), sections)
    except OSError as err:
        raise PresetError(f"{path}: {err.strerror or err}") from None
    except (ValueError, KeyError, TypeError) as err:
        raise PresetError(f"{path}: not a valid preset ({type(err).__name__}: {err})") from None
    for s in preset.sections:
        if s.kind not in SECTION_KINDS or not 0 < s.count <= 100 or not 0 <= s.points <= 1000:
            raise PresetError(f"{path}: section {s.kind!r}: kind must be one of "
                              f"{', '.join(SECTION_KINDS)}, count 1-100, points 0-1000")
    if not preset.sections or not preset.chapters:
        raise PresetError(f"{path}: needs sections and chapters")
    return preset
