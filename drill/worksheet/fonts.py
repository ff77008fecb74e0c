"""Fonts for a sheet: Latin text uses typst's own fonts; Chinese needs a CJK font from
the machine (fc-list, then common folders) or from `--font-path`. With none, FontError
says how to install one: a sheet is never set with boxes for missing glyphs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LATIN = ("Libertinus Serif", "New Computer Modern")
CJK_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
               "~/.fonts", "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
CJK_NAMES = ("NotoSansCJK", "NotoSerifCJK", "SourceHanSans", "SourceHanSerif", "wqy",
             "WenQuanYi", "msyh", "simsun", "simhei", "PingFang", "STHeiti", "Hiragino",
             "DroidSansFallback", "ukai", "uming", "arphic")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
INSTALL_HINT = {
    "en": "no Chinese (CJK) font found: install one (Debian/Ubuntu: `sudo apt-get install "
          "fonts-noto-cjk`; macOS and Windows have one) or pass --font-path FILE_OR_FOLDER",
    "zh": "未找到中文（CJK）字体：请安装一个（Debian/Ubuntu：`sudo apt-get install "
          "fonts-noto-cjk`；macOS 与 Windows 自带）或使用 --font-path 指定字体文件或文件夹",
}


class FontError(Exception):
    """No usable font; `.text(lang)` is the one line to print."""

    def __init__(self, key: str, path: str = ""):
        super().__init__(key)
        self.key, self.path = key, path

    def text(self, lang: str) -> str:
        if self.key == "missing_path":
            return (f"--font-path {self.path}: 不存在" if lang == "zh"
                    else f"--font-path {self.path}: no such file or folder")
        return INSTALL_HINT.get(lang, INSTALL_HINT["en"])


def fc_list_cjk() -> list[Path]:
    """CJK font files fontconfig knows (empty when fc-list is not installed)."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def folder_cjk() -> list[Path]:
    """CJK font files in the usual font folders, found by their well-known names."""
    found = []
    for folder in CJK_FOLDERS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.suffix.lower() in FONT_SUFFIXES and any(
                    n.lower() in path.name.lower() for n in CJK_NAMES):
                found.append(path)
    return found


def find_cjk_font() -> Path | None:
    fonts = fc_list_cjk() or folder_cjk()
    return sorted(fonts, key=lambda p: ("Sans" not in p.name, str(p)))[0] if fonts else None


def font_setup(lang: str, font_path: Path | None) -> tuple[tuple[str, ...], list[str]]:
    """(font families for `#set text`, extra font paths for typst); FontError when
    Chinese is asked for and no CJK font can be had."""
    if font_path is not None:
        if not font_path.exists():
            raise FontError("missing_path", str(font_path))
        folder = font_path if font_path.is_dir() else font_path.parent
        return LATIN, [str(folder)]
    if lang != "zh":
        return LATIN, []
    found = find_cjk_font()
    if found is None:
        raise FontError("no_cjk")
    # typst falls back, glyph by glyph, to any font it was given that has the glyph
    return LATIN, [str(found.parent)]
