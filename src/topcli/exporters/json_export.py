"""The JSON export: the complete, versioned record of a conversation (``docs/export-format.md``).

One conversation is exactly :meth:`topcli.session.Session.to_dict`; several (``--all``) are a
bundle ``{"schema_version": 2, "sessions": [...]}``, oldest first. Both validate against the
JSON Schema shipped in the package (:func:`schema_text`, ``topcli plan schema``), and
``topcli sessions import`` reads both back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

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


def write_many(sessions: Iterable[Session], out: BinaryIO) -> None:
    """:func:`export_many` written one conversation at a time, byte for byte the same.

    ``json.dumps(..., indent=2)`` puts each element of ``sessions`` (two levels deep) on its own
    lines, indented by four more spaces, with ``,`` between elements: that is written here
    around each conversation's own ``dumps``, so only one conversation is in memory.
    """
    out.write(f'{{\n  "schema_version": {EXPORT_SCHEMA_VERSION},\n  "sessions": ['.encode())
    first = True
    for session in sessions:
        body = json.dumps(session.to_dict(), indent=2, ensure_ascii=False)
        out.write(b"\n    " if first else b",\n    ")
        out.write(body.replace("\n", "\n    ").encode("utf-8"))
        first = False
    out.write(b"]\n}\n" if first else b"\n  ]\n}\n")


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
