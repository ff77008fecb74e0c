"""Shared test set-up: the bank cache and the progress store go to temporary folders,
never ~/.cache or the user data folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a run is reproducible;
# locally they explore new random examples on every run.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
_SESSION_PROGRESS = Path(tempfile.mkdtemp(prefix="drill-test-progress-"))


def pytest_configure(config):
    # Before test modules are imported: those that copy os.environ for their subprocesses
    # at import time must record progress here too, not in the user data folder.
    os.environ["DRILL_DB"] = str(_SESSION_PROGRESS / "progress.sqlite3")


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_PROGRESS, ignore_errors=True)


@pytest.fixture(autouse=True)
def private_bank_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("DRILL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def private_progress_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("DRILL_DB", str(tmp_path_factory.mktemp("progress") / "progress.sqlite3"))
