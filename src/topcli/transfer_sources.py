"""What ``schema_version`` 2 of the JSON export added, checked on import: ``answer_sources``.

Kept apart from :mod:`topcli.transfer` so the per-version differences live in one small place:
a version 1 file has no ``answer_sources`` (every answer counts as given in the conversation);
a version 2 file must have it, naming only answered questions and only known sources.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from topcli.session import ANSWER_SOURCES

#: A reason (the key where it was found, the message) becomes the import error.
Fail = Callable[[str, str], NoReturn]


def session_keys(base: Sequence[str], version: Any) -> tuple[str, ...]:
    """The keys a conversation of this ``schema_version`` has: version 1's, plus
    ``answer_sources`` (after ``answered_at``) from version 2 on."""
    keys = list(base)
    if isinstance(version, int) and version >= 2:
        keys.insert(keys.index("answered_at") + 1, "answer_sources")
    return tuple(keys)


def check_sources(data: Mapping[str, Any], fail: Fail) -> None:
    """``answer_sources`` maps answered question ids to a known source (version 2 files)."""
    if "answer_sources" not in data:
        return
    sources = data["answer_sources"]
    if not isinstance(sources, dict):
        fail("answer_sources", "must be an object of question id to where the answer came from")
    for qid, source in sources.items():
        if qid not in data["answers"]:
            fail(f"answer_sources.{qid}", f"'{qid}' is not one of the answers")
        if source not in ANSWER_SOURCES or not isinstance(source, str):
            fail(
                f"answer_sources.{qid}",
                f"{source!r} is not one of: " + ", ".join(ANSWER_SOURCES),
            )
