"""Where progress lives: `--db PATH`, else $DRILL_DB, else the user data folder.

Its own module so a quiz can know the place without importing sqlite3 (the store is
opened on the first answer).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

FILE_NAME = "progress.sqlite3"


def store_path(option: Path | None = None, environ: Any = os.environ) -> Path | None:
    """The progress file; None when `--db` or $DRILL_DB says `off` (nothing is kept)."""
    chosen = str(option) if option is not None else environ.get("DRILL_DB", "")
    if chosen:
        return None if chosen == "off" else Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("drill", appauthor=False)) / FILE_NAME
