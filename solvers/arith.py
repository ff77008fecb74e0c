"""Scalar arithmetic shared by the topic modules (plain Python, no numpy).

Each is written so that bad numbers end as a non-finite result, which the registry then
reports as bad input, never as an exception inside a solver.
"""

from __future__ import annotations

import math
from typing import Iterable


def fsum(values: Iterable[float]) -> float:
    """math.fsum (exact rounding), except that an overflowing partial sum gives ±inf and
    inf − inf gives NaN instead of raising, as a plain sum would."""
    values = list(values)
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return sum(values)


def sigmoid(a: float) -> float:
    """σ(a) = 1/(1 + e^−a), written through tanh so large |a| cannot overflow."""
    return 0.5 * (1.0 + math.tanh(0.5 * a))


def xlogy(x: float, y: float) -> float:
    """x·ln y with 0·ln 0 = 0 (the usual convention; PyTorch clamps the log instead)."""
    return 0.0 if x == 0 else x * math.log(y)
