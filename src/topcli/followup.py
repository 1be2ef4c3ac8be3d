"""What is due: follow-up conversations and open actions, soonest first (``topcli followup``),
and, per person, the last and next conversation (``topcli people list``).

Both read the store's summary queries (one row per person, one per open action), never a full
conversation, so they take the same few queries at 100 conversations and at 50,000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from topcli.followthrough import OVERDUE_EXIT_CODE, days_until, due_state
from topcli.people import ActionItem, PersonRef, first_by_due
from topcli.store import Store


@dataclass(frozen=True)
class DueItem:
    """A follow-up conversation or an open action, with how far away it is."""

    type: str  # "conversation" or "action"
    day: date
    person: PersonRef
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


def next_conversation(summary: Mapping[str, Any]) -> DueItem | None:
    """The follow-up date set at the end of the person's latest finished conversation.

    ``summary`` is a row of :meth:`~topcli.store.Store.people_summaries`.
    """
    if not summary["next"]:
        return None
    return DueItem(
        type="conversation",
        day=date.fromisoformat(summary["next"]),
        person=PersonRef(summary["id"], summary["name"]),
        session_id=summary["next_session"],
        what=f"follow-up conversation (last one {summary['next_started_at'][:10]})",
    )


def _action_item(row: Mapping[str, Any]) -> DueItem:
    action = ActionItem.from_row(row)
    return DueItem("action", action.due, action.person, action.session_id, row["what"], action.id)


def _soonest_first(items: list[DueItem]) -> list[DueItem]:
    # on the same day the conversation comes first: the actions are discussed in it
    return sorted(
        items,
        key=lambda i: (i.day, i.person.name.casefold(), i.type != "conversation", i.what),
    )


def due_items(store: Store, person_id: str | None = None) -> list[DueItem]:
    """Every pending follow-up conversation and open action (one person's, with
    ``person_id``), soonest first."""
    items = [
        item
        for person in store.followup_dates()
        if person_id in (None, person["id"]) and (item := next_conversation(person))
    ]
    rows = store.action_summaries(status="open", person_id=person_id, note_counts=False)
    items += [_action_item(row) for row in rows]
    return _soonest_first(items)


@dataclass(frozen=True)
class FollowupReport:
    """What ``topcli followup`` shows: overdue items and those due by ``until``."""

    today: date
    until: date | None
    #: The items shown: all of them, or the first few (see :attr:`total`).
    items: tuple[DueItem, ...]
    #: The first item after the window, so "nothing due" can still say what comes next.
    next_item: DueItem | None
    #: How many items are due in all, and how many of them are overdue, when :attr:`items`
    #: holds only the first few (``None``: count :attr:`items`).
    total: int | None = None
    overdue_total: int | None = None

    @property
    def overdue(self) -> int:
        if self.overdue_total is not None:
            return self.overdue_total
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
    store: Store,
    today: date,
    until: date | None,
    *,
    limit: int | None = None,
    person_id: str | None = None,
) -> FollowupReport:
    """Overdue and upcoming items up to ``until`` (everything when ``until`` is ``None``), for
    everyone or for the person ``person_id``.

    With ``limit``, only the first so many items are read and kept (the overdue count and the
    total still cover everything, counted in SQLite): a terminal's first 50 cost the same in
    any store. One person's items are few: they are read whole.
    """
    if limit is not None and person_id is None:
        report = _first_items(store, today, until, limit)
        if report is not None:
            return report
    every = due_items(store, person_id)
    inside = tuple(i for i in every if until is None or i.day <= until)
    later = next((i for i in every if until is not None and i.day > until), None)
    if limit is None:
        return FollowupReport(today, until, inside, later)
    overdue = sum(1 for i in inside if i.day < today)
    return FollowupReport(today, until, inside[:limit], later, len(inside), overdue)


def _first_items(
    store: Store, today: date, until: date | None, limit: int
) -> FollowupReport | None:
    """The first ``limit`` items without reading every open action; ``None`` when nothing is
    due in the window (then the caller looks beyond it for what comes next)."""
    window = None if until is None else until.isoformat()
    every = [item for person in store.followup_dates() if (item := next_conversation(person))]
    meetings = [i for i in every if until is None or i.day <= until]
    rows, due_actions = first_by_due(store, limit, status="open", due_before=window)
    if not meetings and not rows:
        return None
    overdue_actions = store.open_action_counts(today.isoformat(), window)[1]
    items = _soonest_first(meetings + [_action_item(row) for row in rows])
    overdue = overdue_actions + sum(1 for i in meetings if i.day < today)
    total = due_actions + len(meetings)
    later = None
    if until is not None:  # the first item after the window, as without a limit
        after, _ = first_by_due(store, 1, status="open", due_after=window)
        beyond = [i for i in every if i.day > until] + [_action_item(row) for row in after]
        later = next(iter(_soonest_first(beyond)), None)
    return FollowupReport(today, until, tuple(items[:limit]), later, total, overdue)


def people_summary(
    store: Store, today: date, *, recent_first: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """One entry per person: last and next conversation, open and overdue actions.

    By name; ``recent_first`` puts the people talked to most recently first (a terminal's
    listing), those without a conversation last; ``limit`` keeps the first so many.
    """
    rows = store.people_summaries(today.isoformat(), recent_first=recent_first, limit=limit)
    return [_person_entry(row, today) for row in rows]


def _person_entry(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    upcoming = next_conversation(row)
    return {
        "id": row["id"],
        "name": row["name"],
        "conversations": row["conversations"],
        "last": None
        if row["last_session"] is None
        else {
            "session": row["last_session"],
            "date": row["last_started_at"][:10],
            "kind": row["last_kind"],
            "framework": row["last_framework"],
            "status": row["last_status"],
        },
        "next": None
        if upcoming is None
        else {
            "date": upcoming.day.isoformat(),
            "days": upcoming.days(today),
            "state": due_state(upcoming.day, today),
            "session": upcoming.session_id,
        },
        "in_progress": row["in_progress"],
        "open_actions": row["open_actions"],
        "overdue_actions": row["overdue_actions"],
    }
