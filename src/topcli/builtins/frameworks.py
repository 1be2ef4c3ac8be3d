"""Registers the frameworks shipped with topcli (TOP, GROW) through ``register_frameworks``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from topcli import hookimpl


def frameworks_dir() -> Path:
    """The shipped ``frameworks/`` folder: inside the installed package, or the source tree's."""
    packaged = Path(__file__).resolve().parent.parent / "frameworks"
    if packaged.is_dir():
        return packaged
    # an editable install runs from src/, where the folder sits at the repository root
    return Path(__file__).resolve().parents[3] / "frameworks"


@hookimpl
def register_frameworks(register: Callable[[Path], None]) -> None:
    for path in sorted(frameworks_dir().glob("*.yaml")):
        register(path)
