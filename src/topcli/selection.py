"""Which conversations a command means: an id, a person's latest plan, the latest plan, or all.

One module for ``plan show`` and ``plan export`` (one conversation or ``--all``) alike.
"""

from __future__ import annotations

from typing import Any

from topcli.errors import NotFoundError, UsageError
from topcli.session import Session
from topcli.store import Store


def pick_session(store: Store, session_id: str | None, *, person: str | None = None) -> Session:
    """The conversation with ``session_id``, or else the latest one that has a plan.

    Without an id: the most recent conversation (``person``'s, if given) with actions or a
    follow-up date, so a newer conversation paused half-way does not hide the last plan. When
    none has a plan yet, the most recent conversation, so the caller can say that it has no plan
    and how to finish it. Raises :class:`NotFoundError` when there are no conversations.
    """
    if session_id and person:
        raise UsageError("give a conversation id or --person, not both")
    if session_id:
        return store.load(session_id)
    newest_first = (store.load(row["id"]) for row in reversed(_rows(store, person)))
    latest = next(newest_first)
    if latest.has_plan:
        return latest
    return next((session for session in newest_first if session.has_plan), latest)


def pick_sessions(
    store: Store, session_id: str | None, *, person: str | None = None, every: bool = False
) -> list[Session]:
    """The conversations to export: as :func:`pick_session`, or with ``every`` all of them
    (``person``'s, if given), oldest first."""
    if not every:
        return [pick_session(store, session_id, person=person)]
    if session_id:
        raise UsageError("give a conversation id or --all, not both")
    return [store.load(row["id"]) for row in _rows(store, person)]


def _rows(store: Store, person: str | None) -> list[Any]:
    """The conversations' rows (``person``'s, if given), oldest first; never none."""
    person_id = store.find_person(person)["id"] if person else None
    rows = store.session_rows(person_id=person_id)
    if not rows:
        raise NotFoundError("there are no conversations yet", hint="start one with: topcli start")
    return list(rows)
