"""Shared fixtures: paths of the repo's banks and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fixtures_dir() -> Path:
    return ROOT / "tests" / "fixtures"
