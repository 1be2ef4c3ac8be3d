"""What is due: follow-up conversations and open actions, soonest first (``topcli followup``),
and, per person, the last and next conversation (``topcli people list``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from topcli.followthrough import OVERDUE_EXIT_CODE, days_until, due_state, session_date
from topcli.people import PersonRecord, action_items


@dataclass(frozen=True)
class DueItem:
    """A follow-up conversation or an open action, with how far away it is."""

    type: str  # "conversation" or "action"
    day: date
    person: PersonRecord
    session_id: str
    what: str
    action_id: str | None = None

    def days(self, today: date) -> int:
        return days_until(self.day, today)

    def to_json(self, today: date) -> dict[str, Any]:
        return {
            "type": self.type,
            "date": self.day.isoformat(),
            "days": self.days(today),
            "state": due_state(self.day, today),
            "person": self.person.person_json(),
            "session": self.session_id,
            "action": self.action_id,
            "what": self.what,
        }


def next_conversation(person: PersonRecord) -> DueItem | None:
    """The follow-up date set at the end of the person's latest finished conversation."""
    latest = person.latest_complete
    if latest is None or not latest.followup:
        return None
    return DueItem(
        type="conversation",
        day=date.fromisoformat(latest.followup),
        person=person,
        session_id=latest.id,
        what=f"follow-up conversation (last one {session_date(latest).isoformat()})",
    )


def due_items(people: Sequence[PersonRecord]) -> list[DueItem]:
    """Every pending follow-up conversation and open action, soonest first."""
    items = [item for person in people if (item := next_conversation(person)) is not None]
    items += [
        DueItem("action", a.due, a.person, a.session_id, str(a.action["what"]), a.id)
        for a in action_items(people)
        if a.is_open
    ]
    # on the same day the conversation comes first: the actions are discussed in it
    return sorted(
        items,
        key=lambda i: (i.day, i.person.name.casefold(), i.type != "conversation", i.what),
    )


@dataclass(frozen=True)
class FollowupReport:
    """What ``topcli followup`` shows: overdue items and those due by ``until``."""

    today: date
    until: date | None
    items: tuple[DueItem, ...]
    #: The first item after the window, so "nothing due" can still say what comes next.
    next_item: DueItem | None

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.day < self.today)

    @property
    def exit_code(self) -> int:
        return OVERDUE_EXIT_CODE if self.overdue else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
            "overdue": self.overdue,
            "items": [i.to_json(self.today) for i in self.items],
            "next": None if self.next_item is None else self.next_item.to_json(self.today),
        }


def followup_report(
    people: Sequence[PersonRecord], today: date, until: date | None
) -> FollowupReport:
    """Overdue and upcoming items up to ``until`` (everything when ``until`` is ``None``)."""
    every = due_items(people)
    inside = tuple(i for i in every if until is None or i.day <= until)
    later = next((i for i in every if until is not None and i.day > until), None)
    return FollowupReport(today, until, inside, later)


def people_summary(people: Sequence[PersonRecord], today: date) -> list[dict[str, Any]]:
    """One entry per person: last and next conversation, open and overdue actions."""
    summary = []
    for person in people:
        latest = person.sessions[-1] if person.sessions else None
        upcoming = next_conversation(person)
        open_actions = [a for a in action_items([person]) if a.is_open]
        in_progress = person.in_progress
        summary.append(
            {
                "id": person.id,
                "name": person.name,
                "conversations": len(person.sessions),
                "last": None
                if latest is None
                else {
                    "session": latest.id,
                    "date": session_date(latest).isoformat(),
                    "kind": latest.kind,
                    "framework": latest.framework.id,
                    "status": latest.status,
                },
                "next": None
                if upcoming is None
                else {
                    "date": upcoming.day.isoformat(),
                    "days": upcoming.days(today),
                    "state": due_state(upcoming.day, today),
                    "session": upcoming.session_id,
                },
                "in_progress": None if in_progress is None else in_progress.id,
                "open_actions": len(open_actions),
                "overdue_actions": sum(1 for a in open_actions if a.due < today),
            }
        )
    return summary
