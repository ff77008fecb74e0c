"""Shared test set-up: the bank cache goes to a temporary folder, never ~/.cache."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_bank_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
