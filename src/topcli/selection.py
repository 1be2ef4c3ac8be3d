"""Which conversation a command means: an id, a person's latest, or the most recent one."""

from __future__ import annotations

from topcli.errors import NotFoundError, UsageError
from topcli.session import Session
from topcli.store import Store


def pick_session(store: Store, session_id: str | None, *, person: str | None = None) -> Session:
    if session_id and person:
        raise UsageError("give a conversation id or --person, not both")
    if session_id:
        return store.load(session_id)
    person_id = store.find_person(person)["id"] if person else None
    row = store.latest_session_row(person_id=person_id)
    if row is None:
        raise NotFoundError("there are no conversations yet", hint="start one with: topcli start")
    return store.load(row["id"])
