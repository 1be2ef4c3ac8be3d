"""Exporters turn a stored conversation into a file: Markdown, JSON, iCalendar, or a plugin's.

An exporter is any object with ``name``, ``suffix``, ``description`` and
``export(session) -> str | bytes``; :class:`Exporter` is a ready-made one for plugins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from topcli.session import Session


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    description: str
    export: Callable[[Session], str | bytes]
