"""People and their actions as listings and follow-through read them from the store.

Listings (``actions list``, ``people list``, ``followup``) read the store's summary queries
(:meth:`~topcli.store.Store.action_summaries`, :meth:`~topcli.store.Store.people_summaries`):
joins and counts in SQLite, never a full conversation each, so they stay fast at any size. Only
``history`` reads one person's conversations whole (:func:`load_person`), since it shows their
answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.followthrough import days_until, due_state
from topcli.store import Store

if TYPE_CHECKING:
    from topcli.session import Session


@dataclass(frozen=True)
class PersonRef:
    """Who an action or a due date belongs to: what listings show of a person."""

    id: str
    name: str

    def person_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class PersonRecord(PersonRef):
    """One person and all their conversations, oldest first (``history`` reads this)."""

    sessions: tuple[Session, ...] = ()


@dataclass(frozen=True)
class ActionItem:
    """One action with the conversation and person it belongs to.

    ``action`` is a row of :meth:`~topcli.store.Store.action_summaries` or
    :meth:`~topcli.store.Store.action`; its ``notes`` is the list of dated notes when the caller
    asked for them (``to_json`` needs them), else a count.
    """

    action: Mapping[str, Any]
    session_id: str
    person: PersonRef

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ActionItem:
        """From a store row that carries ``session_id``, ``person_id`` and ``person_name``."""
        return cls(row, row["session_id"], PersonRef(row["person_id"], row["person_name"]))

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


def load_person(store: Store, person: Mapping[str, Any]) -> PersonRecord:
    """One person (a row of ``people``) with their conversations read whole, oldest first."""
    rows = store.session_rows(person_id=person["id"])
    return PersonRecord(
        id=person["id"],
        name=person["name"],
        sessions=tuple(store.load(r["id"]) for r in rows),
    )


def list_actions(
    store: Store,
    today: date,
    *,
    person_id: str | None = None,
    until: date | None = None,
    overdue: bool = False,
    include_closed: bool = False,
    with_notes: bool = False,
    limit: int | None = None,
) -> tuple[list[ActionItem], int]:
    """The actions ``actions list`` shows, soonest due first, and how many there are in all.

    ``until`` keeps actions due on or before that date (overdue ones included: they are due
    too); ``overdue`` keeps those due before today. Closed actions only with ``include_closed``.
    ``with_notes`` reads each action's dated notes too (in batches), for ``--json``. ``limit``
    keeps the first so many, read without reading the rest (see :func:`first_by_due`).
    """
    limits = [d for d in (until, date.fromordinal(today.toordinal() - 1) if overdue else None) if d]
    filters: dict[str, Any] = {
        "status": None if include_closed else "open",
        "person_id": person_id,
        "due_before": min(limits).isoformat() if limits else None,
    }
    rows, total = first_by_due(store, limit, **filters)
    rows.sort(key=lambda row: (row["due"], row["person_name"].casefold(), row["id"]))
    rows = rows[:limit] if limit is not None else rows
    if with_notes:
        notes = store.action_notes([row["id"] for row in rows])
        for row in rows:
            row["notes"] = notes[row["id"]]
    return [ActionItem.from_row(row) for row in rows], total


def first_by_due(
    store: Store, limit: int | None, **filters: Any
) -> tuple[list[dict[str, Any]], int]:
    """The actions a listing's first ``limit`` rows come from (all with ``None``), and how
    many match in all.

    With a limit, SQLite finds the due date of the ``limit``-th soonest, and only the actions
    due by then are read (those sharing that date too, as the caller orders them by more than
    the date, e.g. the person's case-folded name), so a terminal's first 50 cost the same in
    any store. The caller sorts and cuts.
    """
    due_before = filters.pop("due_before", None)
    if limit is None:
        rows = store.action_summaries(due_before=due_before, note_counts=False, **filters)
        return rows, len(rows)
    total = store.action_count(due_before=due_before, **filters)
    rows = store.action_summaries(due_before=due_before, limit=limit, note_counts=False, **filters)
    if len(rows) == limit and total > limit:  # others may share the last one's due date
        rows = store.action_summaries(due_before=rows[-1]["due"], note_counts=False, **filters)
    return rows, total
