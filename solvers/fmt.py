"""Number formatting for the text of worked steps (never for answers)."""

from __future__ import annotations

import math
from typing import Any


def num(x: Any, digits: int = 4) -> str:
    """A short, readable number: ints as ints, floats to `digits` decimals, trimmed."""
    if hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, bool) or isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            return str(x)
        if x == int(x) and abs(x) < 1e15:
            return str(int(x))
        if abs(x) < 10 ** (-digits) or abs(x) >= 1e7:
            return f"{x:.{digits - 1}e}"
        text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(num(v, digits) for v in x) + "]"
    return str(x)

