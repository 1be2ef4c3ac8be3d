"""Registers the built-in exporters through ``register_exporters``, like any plugin would.

Only small modules are imported here; each exporter imports its heavy library (icalendar)
when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from topcli import hookimpl


@hookimpl
def register_exporters(register: Callable[[Any], None]) -> None:
    from topcli.exporters import Exporter, ics, json_export, markdown

    register(
        Exporter(
            name="md",
            suffix=".md",
            description="Markdown: a one-page summary to share",
            export=markdown.export,
            export_many=markdown.export_many,
        )
    )
    register(
        Exporter(
            name="json",
            suffix=".json",
            description="JSON: the complete record, for backups and other tools",
            export=json_export.export,
            export_many=json_export.export_many,
            needs_plan=False,
        )
    )
    register(ics.EXPORTER)
