"""Registers the built-in exporters through ``register_exporters``, like any plugin would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from topcli import hookimpl


@hookimpl
def register_exporters(register: Callable[[Any], None]) -> None:
    # filled in by the exports issue: Markdown, JSON and iCalendar exporters
    return None
