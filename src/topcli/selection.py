"""Which conversations a command means: an id, a person's latest plan, the latest plan, or all.

One module for ``plan show`` and ``plan export`` (one conversation or ``--all``) alike. Finding
"the latest plan" is one indexed query (:meth:`~topcli.store.Store.latest_plan_id`): only the
conversation picked is read whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

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
    person_id = _person_id(store, person)
    picked = store.latest_plan_id(person_id=person_id)
    if picked is None:
        latest = store.latest_session_row(person_id=person_id)
        if latest is None:
            raise _none_yet()
        picked = latest["id"]
    return store.load(picked)


class StoredSessions(Collection[Session]):
    """Conversations read from the store one at a time, as they are reached: ``--all`` at any
    size holds one conversation in memory, not all of them.

    Iterating again reads them again (an exporter may make two passes, the calendar does), in
    the same order; ``len`` is known up front from the ids.
    """

    def __init__(self, store: Store, ids: Sequence[str]) -> None:
        self._store = store
        self.ids = list(ids)

    def __iter__(self) -> Iterator[Session]:
        for ident in self.ids:
            yield self._store.load(ident)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Session) and item.id in self.ids


def pick_sessions(
    store: Store, session_id: str | None, *, person: str | None = None, every: bool = False
) -> Collection[Session]:
    """The conversations to export: as :func:`pick_session`, or with ``every`` all of them
    (``person``'s, if given), oldest first, read lazily (:class:`StoredSessions`)."""
    if not every:
        return [pick_session(store, session_id, person=person)]
    if session_id:
        raise UsageError("give a conversation id or --all, not both")
    ids = store.session_ids(person_id=_person_id(store, person))
    if not ids:
        raise _none_yet()
    return StoredSessions(store, ids)


def _person_id(store: Store, person: str | None) -> str | None:
    return store.find_person(person)["id"] if person else None


def _none_yet() -> NotFoundError:
    return NotFoundError("there are no conversations yet", hint="start one with: topcli start")
