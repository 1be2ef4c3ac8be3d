"""Every test is hermetic: its own data folder, a fixed clock, and no installed plugins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from topcli.config import KEYS
from topcli.plugins import reset_plugins

#: The fixed "now" of the test suite (a Monday); dates in tests are relative to it.
FIXED_NOW = "2026-03-02T09:00:00+00:00"


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "topcli-home"
    monkeypatch.setenv("TOPCLI_HOME", str(home))
    monkeypatch.setenv("TOPCLI_NOW", FIXED_NOW)
    monkeypatch.setenv("TOPCLI_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("TOPCLI_PLUGINS", raising=False)
    # settings from the developer's own environment must not reach the tests
    for name in ("config", "debug", *KEYS):
        monkeypatch.delenv(f"TOPCLI_{name.upper()}", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    reset_plugins()
    yield home
    reset_plugins()


@pytest.fixture
def home(hermetic: Path) -> Path:
    """The test's TOPCLI_HOME."""
    return hermetic
