"""Follow-through: what is due, who is overdue, and how a person's plan moved over time.

The date logic is pure: every function that decides "due", "overdue" or "in N days" takes
``today`` (callers pass :func:`topcli.clock.today`, the local date of ``TOPCLI_NOW`` when set), so
it can be tested at month ends and in any time zone without touching the clock. Reading the store
happens in :func:`load_people` and the few action commands; the CLI only prints what these return.

Vocabulary: a *follow-up* is the date of the next conversation, set at the end of a person's
latest finished conversation; an *action* is one line of a plan, ``open`` until it is ``done``,
``dropped`` or ``carried`` over to a check-in's plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from topcli.durations import Period as Period  # periods are read by the one grammar of time
from topcli.durations import parse_period as parse_period
from topcli.errors import UsageError
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

#: ``topcli followup`` exits with this when something is overdue (0 when nothing is). Distinct from
#: every error's exit code (1-8, 130), so a cron job or shell prompt can tell "overdue" from
#: "broken"; a test keeps it that way.
OVERDUE_EXIT_CODE = 10


# --------------------------------------------------------------------------- dates


def days_until(day: date, today: date) -> int:
    """Whole days from ``today`` to ``day``: negative when ``day`` has passed."""
    return (day - today).days


def due_state(day: date, today: date) -> str:
    """``overdue`` (before today), ``today`` or ``upcoming``."""
    days = days_until(day, today)
    if days < 0:
        return "overdue"
    return "today" if days == 0 else "upcoming"


def describe_days(days: int) -> str:
    """How a person says it: "today", "tomorrow", "in 5 days", "1 day overdue"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{plural(-days, 'day')} overdue"


def session_date(session: Session) -> date:
    """The local date a conversation was held (its start, as stored with its offset)."""
    return date.fromisoformat(session.started_at[:10])


def _instant(stamp: str) -> datetime:
    """A stored timestamp as an aware datetime, so stamps with different offsets sort right."""
    return datetime.fromisoformat(stamp)


# --------------------------------------------------------------------------- reading the store


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


# --------------------------------------------------------------------------- follow-up


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


# --------------------------------------------------------------------------- people


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


# --------------------------------------------------------------------------- actions


def find_action(store: Store, action_id: str) -> ActionItem:
    """An action by id, or a unique start of one, with its person and conversation.

    An unknown id is a :class:`NotFoundError` naming the list command; a start that several
    ids share is a :class:`UsageError` listing them.
    """
    full_id = store.action_row(action_id.strip(), prefix=True)["id"]
    for item in action_items(load_people(store)):
        if item.id == full_id:
            return item
    raise AssertionError(f"action {action_id} has no conversation")  # foreign keys forbid it


def carried_to(store: Store, action_id: str) -> ActionItem | None:
    """The action a carried-over one became in a later check-in."""
    return next(
        (i for i in action_items(load_people(store)) if i.action["carried_from"] == action_id),
        None,
    )


def close_action(store: Store, action_id: str, status: str, note: str = "") -> ActionItem:
    """Mark an action ``done`` or ``dropped`` with an optional dated note; return it updated.

    Refused: the status it already has, and actions carried over to a later plan (the
    message names the open copy to mark instead). ``done`` and ``dropped`` can replace each
    other, to correct a mistake.
    """
    item = find_action(store, action_id)
    current = item.status
    if current == status:
        since = _status_since(item.action, status)
        raise UsageError(
            f"action {item.id} ('{item.action['what']}') is already {status}{since}",
            hint=f"add a note instead: topcli actions note {item.id} TEXT",
        )
    if current == "carried":
        later = carried_to(store, item.id)
        where = f" as action {later.id}" if later else ""
        raise UsageError(
            f"action {item.id} ('{item.action['what']}') was carried over to a later plan{where}",
            hint=f"mark that one instead: topcli actions {_verb(status)} {later.id}"
            if later
            else "'topcli actions list' shows the open actions",
        )
    store.set_action_status(item.id, status, note=note.strip())
    return find_action(store, item.id)


def note_action(store: Store, action_id: str, text: str) -> ActionItem:
    """Add a dated note to an action without changing its status."""
    if not text.strip():
        raise UsageError("the note is empty", hint="e.g. topcli actions note ID 'Booked for May'")
    item = find_action(store, action_id)
    store.add_action_note(item.id, text.strip())
    return find_action(store, item.id)


def _verb(status: str) -> str:
    return "drop" if status == "dropped" else status


def _status_since(action: Mapping[str, Any], status: str) -> str:
    dated = [n for n in action["notes"] if n["status"] == status]
    return f" (since {dated[-1]['at'][:10]})" if dated else ""


# --------------------------------------------------------------------------- history


def history(person: PersonRecord, today: date) -> dict[str, Any]:
    """One person's timeline: conversations, actions set and closed, and Think over time."""
    from topcli.checkin import revisited_answers

    entries: list[tuple[datetime, int, dict[str, Any]]] = []
    for session in person.sessions:
        entries.append(
            (
                _instant(session.started_at),
                0,
                {
                    "date": session_date(session).isoformat(),
                    "type": "conversation",
                    "session": session.id,
                    "kind": session.kind,
                    "previous_id": session.previous_id,
                    "framework": {
                        "id": session.framework.id,
                        "name": session.framework.name,
                        "version": session.framework.version,
                    },
                    "status": session.status,
                    "followup": session.followup,
                    "actions_set": [
                        {
                            "id": a["id"],
                            "what": a["what"],
                            "due": a["due"],
                            "status": a["status"],
                            "carried_from": a["carried_from"],
                        }
                        for a in session.actions
                    ],
                },
            )
        )
        for action in session.actions:
            for note in action["notes"]:
                if note["status"] is None:
                    continue
                entries.append(
                    (
                        _instant(note["at"]),
                        1,
                        {
                            "date": note["at"][:10],
                            "type": "action",
                            "action": action["id"],
                            "what": action["what"],
                            "session": session.id,
                            "status": note["status"],
                            "note": note["text"],
                        },
                    )
                )
    entries.sort(key=lambda e: (e[0], e[1]))
    return {
        "person": person.person_json(),
        "today": today.isoformat(),
        "timeline": [entry for _, _, entry in entries],
        "actions": action_counts(person),
        "think": _think_over_time(person, revisited_answers),
    }


def action_counts(person: PersonRecord) -> dict[str, int]:
    """How the actions agreed with a person stand now, each piece of work counted once.

    An action carried over and its copies in later plans are one piece of work: it counts in
    ``set`` once, under the status of its latest copy, so ``set`` is always ``open + done +
    dropped + carried``. ``carried`` is left only for work whose copy is gone (the check-in it
    moved to was deleted); ``carried_over`` says how many were carried over at least once, and
    they are already in the other counts.
    """
    actions = [action for session in person.sessions for action in session.actions]
    ids = {action["id"] for action in actions}
    copy_of = {a["carried_from"]: a for a in actions if a["carried_from"] in ids}
    counts = {"set": 0, "open": 0, "done": 0, "dropped": 0, "carried": 0, "carried_over": 0}
    for action in actions:
        if action["carried_from"] in ids:
            continue  # a copy: counted with the action it came from
        latest = action
        while latest["id"] in copy_of:
            latest = copy_of[latest["id"]]
        counts["set"] += 1
        counts[latest["status"]] += 1
        counts["carried_over"] += int(latest is not action or action["status"] == "carried")
    return counts


def _think_over_time(person: PersonRecord, revisited: Any) -> list[dict[str, Any]]:
    """Each Think (first-stage) question and every answer it got, marking the changes.

    Conversations answer the first stage of their framework; a check-in answers it again only
    when that very stage was revisited (see :func:`topcli.checkin.revisited_answers`): its
    other revisited stages (Opportunities in TOP) are not Think. A check-in revisits the stages
    of the latest conversation before it, so that conversation names the stage.
    """
    questions: dict[str, dict[str, Any]] = {}
    think: str | None = None
    for session in person.sessions:
        if session.kind == "checkin":
            answers = revisited(session).get(think, {}) if think is not None else {}
            prompts = {qid: prompt for qid, (prompt, _) in answers.items()}
            values = {qid: value for qid, (_, value) in answers.items()}
        else:
            if not session.framework.stages:
                continue
            stage = session.framework.stages[0]
            think = stage.id
            prompts = {q.id: q.prompt for q in stage.questions}
            values = {
                q.id: session.answers[q.id] for q in stage.questions if q.id in session.answers
            }
        for qid, value in values.items():
            entry = questions.setdefault(
                qid, {"question": qid, "prompt": prompts[qid], "answers": []}
            )
            entry["prompt"] = prompts[qid]
            before = entry["answers"][-1]["value"] if entry["answers"] else None
            entry["answers"].append(
                {
                    "date": session_date(session).isoformat(),
                    "session": session.id,
                    "value": value,
                    "changed": not entry["answers"] or value != before,
                }
            )
    return list(questions.values())
