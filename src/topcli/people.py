"""People and their actions, read from the store once for a whole report.

:func:`load_people` is the one place follow-through reads conversations; the views built on it
(``actions list``, ``people list``, ``followup``, ``history``) work on what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from topcli.followthrough import days_until, due_state
from topcli.session import Session
from topcli.store import Store


@dataclass(frozen=True)
class PersonRecord:
    """One person and all their conversations, oldest first."""

    id: str
    name: str
    sessions: tuple[Session, ...]

    @property
    def latest_complete(self) -> Session | None:
        """The last finished conversation: its plan and follow-up date are the current ones."""
        done = [s for s in self.sessions if s.is_complete]
        return done[-1] if done else None

    @property
    def in_progress(self) -> Session | None:
        """The latest conversation still being held, if the latest one is unfinished."""
        if self.sessions and not self.sessions[-1].is_complete:
            return self.sessions[-1]
        return None

    def person_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class ActionItem:
    """One action with the conversation and person it belongs to."""

    action: Mapping[str, Any]
    session_id: str
    person: PersonRecord

    @property
    def id(self) -> str:
        return str(self.action["id"])

    @property
    def status(self) -> str:
        return str(self.action["status"])

    @property
    def due(self) -> date:
        return date.fromisoformat(self.action["due"])

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def to_json(self, today: date) -> dict[str, Any]:
        days = days_until(self.due, today)
        return {
            "id": self.id,
            "what": self.action["what"],
            "due": self.action["due"],
            "days": days,
            "state": due_state(self.due, today) if self.is_open else None,
            "status": self.status,
            "success": self.action["success"],
            "support": self.action["support"],
            "carried_from": self.action["carried_from"],
            "person": self.person.person_json(),
            "session": self.session_id,
            "notes": [dict(n) for n in self.action["notes"]],
        }


def load_people(store: Store, person_id: str | None = None) -> list[PersonRecord]:
    """Everyone (or one person) with their conversations, read once for a whole report."""
    people = [p for p in store.people() if person_id is None or p["id"] == person_id]
    return [
        PersonRecord(
            id=p["id"],
            name=p["name"],
            sessions=tuple(store.load(r["id"]) for r in store.session_rows(person_id=p["id"])),
        )
        for p in people
    ]


def action_items(people: Iterable[PersonRecord]) -> list[ActionItem]:
    """Every action of every conversation, in conversation and entry order."""
    return [
        ActionItem(action, session.id, person)
        for person in people
        for session in person.sessions
        for action in session.actions
    ]


def select_actions(
    items: Iterable[ActionItem],
    today: date,
    *,
    until: date | None = None,
    overdue: bool = False,
    include_closed: bool = False,
) -> list[ActionItem]:
    """The actions ``actions list`` shows, soonest due first.

    ``until`` keeps actions due on or before that date (overdue ones included: they are due
    too); ``overdue`` keeps those due before today. Closed actions only with ``include_closed``.
    """
    chosen = [
        item
        for item in items
        if (include_closed or item.is_open)
        and (until is None or item.due <= until)
        and (not overdue or item.due < today)
    ]
    return sorted(chosen, key=lambda item: (item.due, item.person.name.casefold(), item.id))
