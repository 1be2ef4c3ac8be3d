"""Registers the built-in exporters through ``register_exporters``, like any plugin would.

Only small modules are imported here; each exporter imports its heavy library (icalendar)
when it runs. The JSON exporter is the complete record, so it alone gets private notes
(``includes_private``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from topcli import hookimpl


@hookimpl
def register_exporters(register: Callable[[Any], None]) -> None:
    from topcli.exporters import Exporter, ics, json_export, markdown

    register(markdown.EXPORTER)
    register(
        Exporter(
            name="json",
            suffix=".json",
            description="JSON: the complete record, for backups and other tools",
            export=json_export.export,
            export_many=json_export.export_many,
            write_many=json_export.write_many,
            needs_plan=False,
            includes_private=True,
        )
    )
    register(ics.EXPORTER)
