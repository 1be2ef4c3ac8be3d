"""The JSON export: the complete, versioned record of a conversation (``docs/export-format.md``).

One conversation is exactly :meth:`topcli.session.Session.to_dict`; several (``--all``) are a
bundle ``{"schema_version": 2, "sessions": [...]}``, oldest first. Both validate against the
JSON Schema shipped in the package (:func:`schema_text`, ``topcli plan schema``), and
``topcli sessions import`` reads both back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from topcli.session import EXPORT_SCHEMA_VERSION

if TYPE_CHECKING:
    from topcli.session import Session

SCHEMA_RESOURCE = ("schemas", f"session-v{EXPORT_SCHEMA_VERSION}.schema.json")


def export(session: Session) -> str:
    """One conversation as JSON: keys in a fixed order, UTF-8 kept as is, a final newline."""
    return dumps(session.to_dict())


def export_many(sessions: Sequence[Session]) -> str:
    """Several conversations in one bundle that ``topcli sessions import`` restores at once."""
    return dumps(
        {"schema_version": EXPORT_SCHEMA_VERSION, "sessions": [s.to_dict() for s in sessions]}
    )


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def schema_text() -> str:
    """The JSON Schema of the export format, as shipped inside the package."""
    from importlib.resources import files

    resource = files("topcli")
    for part in SCHEMA_RESOURCE:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    return json.loads(schema_text())
