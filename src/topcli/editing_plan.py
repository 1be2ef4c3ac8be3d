"""Correcting a plan afterwards: one action (``actions edit``), the follow-up date
(``plan reschedule``).

The same rules as :mod:`topcli.editing`: the values go through the parsing a conversation uses,
nothing is written until they are all known, and the write is one transaction that records the
correction and raises ``updated_at`` (so the next ``.ics`` export moves the events).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.editing import nothing_changed, short
from topcli.errors import AnswerError, UsageError
from topcli.framework import Question, parse_action
from topcli.prompts import GoBack, interrupts

if TYPE_CHECKING:
    from topcli.prompts import Prompter
    from topcli.session import Session
    from topcli.store import Store

# --------------------------------------------------------------------------- actions


#: The questions an action's fields are re-asked with (the same parsing as in a conversation).
ACTION_FIELDS = {
    "what": Question(id="what", prompt="What will be done?"),
    "due": Question(id="due", prompt="By when?", type="date"),
    "success": Question(id="success", prompt="How will we know it worked?", required=False),
    "support": Question(id="support", prompt="What support is needed?", required=False),
}


@dataclass
class ActionEdit:
    """What ``actions edit`` did: the action before and after, and what to warn about."""

    before: dict[str, Any]
    after: dict[str, Any]
    changes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def note(self) -> str:
        """The dated note that records the edit on the action."""
        parts = [
            f"{key} {_quoted(key, self.before[key])} → {_quoted(key, value)}"
            for key, value in self.changes.items()
        ]
        return "Edited: " + "; ".join(parts)


def _quoted(key: str, value: str) -> str:
    return value if key == "due" else f"'{short(value, 40)}'"


def _refuse_closed(action: Mapping[str, Any]) -> None:
    """Only open actions are edited: a closed one is history, a carried one lives on."""
    ident, what, status = action["id"], action["what"], action["status"]
    if status == "carried":
        later = action.get("carried_to")
        raise UsageError(
            f"action {ident} ('{what}') was carried over to a later plan"
            + (f" as action {later}" if later else "")
            + "; it is not edited here",
            hint=f"edit the open one: topcli actions edit {later}"
            if later
            else "'topcli actions list' shows the open actions",
        )
    if status != "open":
        raise UsageError(
            f"action {ident} ('{what}') is {status}; only open actions are edited",
            hint=f"add a note instead: topcli actions note {ident} TEXT",
        )


def edit_action(
    store: Store,
    action_id: str,
    flags: Mapping[str, str | None],
    *,
    prompter: Prompter | None,
    today: date,
) -> ActionEdit:
    """Change an open action's what, due date, success measure or support, as one edit.

    ``flags`` holds the values given on the command line (``None``: not given). With none
    given, each field is re-asked with its current value as the default. A due date in the
    past is allowed (the action shows as overdue) with a warning.
    """
    action = store.action(action_id.strip())
    _refuse_closed(action)
    given = {key: value for key, value in flags.items() if value is not None}
    current = {key: action[key] for key in ACTION_FIELDS}
    if not given:
        if prompter is None:
            raise UsageError(
                "say what to change: --what, --due, --success or --support",
                hint="or run it in a terminal to be asked each one",
            )
        with interrupts(nothing_changed(f"actions edit {action['id']}")):
            fields = list(ACTION_FIELDS.items())
            index = 0
            while index < len(fields):
                key, question = fields[index]
                # the prompt names the action, so it is clear which one is being changed
                prompt = f"Action {action['id']}: {question.prompt[0].lower()}{question.prompt[1:]}"
                asked = replace(question, prompt=prompt)
                try:
                    given[key] = prompter.ask(asked, given.get(key, current[key]) or None) or ""
                except GoBack:
                    index = max(index - 1, 0)  # back to the field before (or stay on the first)
                    continue
                index += 1
    from topcli.safetext import text_problem

    for key, value in given.items():
        problem = text_problem(value)
        if problem:
            raise UsageError(f"--{key}: the value {problem}")
    new = parse_action({**current, **given}, today=today, where=f"action {action['id']}")
    edit = ActionEdit(before=action, after=action)
    edit.changes = {key: new[key] for key in ACTION_FIELDS if new[key] != current[key]}
    if not edit.changes:
        return edit
    if "due" in edit.changes and new["due"] < today.isoformat():
        edit.warnings.append(
            f"{new['due']} is in the past; the action is kept and shows as overdue"
        )
    store.edit_action(action["id"], edit.changes, edit.note())
    edit.after = store.action(action["id"])
    return edit


# --------------------------------------------------------------------------- the follow-up


@dataclass
class Reschedule:
    """What ``plan reschedule`` did: ``how`` says how the new date was counted."""

    session: Session
    old: str | None
    new: str
    warnings: list[str] = field(default_factory=list)
    #: ``2 weeks later`` for an offset from the current follow-up; ``next friday, counted from
    #: today`` for a day named relative to today; empty for an ISO date.
    how: str = ""

    @property
    def nothing(self) -> bool:
        return self.old == self.new


def split_reschedule_args(words: Sequence[str], today: date) -> tuple[str | None, str]:
    """``[ID] DATE`` from the command's words; ``+2 weeks`` unquoted is one date, not an id."""
    from topcli.durations import parse_date

    if not words:
        raise UsageError("give the new date", hint="e.g. topcli plan reschedule '+2 weeks'")
    if len(words) == 1:
        return None, words[0]
    try:
        parse_date(" ".join(words), today=today)
    except AnswerError:
        return words[0], " ".join(words[1:])
    return None, " ".join(words)


def offset_words(when: str) -> str | None:
    """``2 weeks`` for an offset (``+2w``, ``+2 weeks``, ``2 weeks``), else ``None``.

    "Push it by two weeks" means two weeks after the follow-up as it stands, not after today:
    counted from today, ``+2 weeks`` could move a follow-up months earlier without a word.
    ``in 2 weeks`` reads as "from now", so it, ISO dates, ``today``, ``tomorrow`` and weekday
    names stay counted from today.
    """
    from topcli.durations import parse_period

    text = " ".join(when.lower().split())
    distance = text.removeprefix("+").strip()
    if not distance[:1].isdigit() or distance.isdecimal():
        return None
    try:
        date.fromisoformat(distance)
        return None  # an ISO date
    except ValueError:
        pass
    try:
        return parse_period(distance).words()
    except UsageError:
        # a distance parse_date reads but a period does not (1mo 2d): say it as written
        return distance


def reschedule(
    store: Store, session_id: str | None, when: str, *, person: str | None, today: date
) -> Reschedule:
    """Move a conversation's follow-up (the latest plan's by default) to ``when``.

    ``when`` takes what the follow-up question takes (``2026-07-01``, ``next monday``), with
    one difference: an offset (``+2w``, ``+2 weeks``, ``2 weeks``) counts from the current
    follow-up date (see :func:`offset_words`). A weekend, a past date or a date earlier than
    the current one is allowed with a warning.
    """
    from topcli.selection import pick_session

    session = pick_session(store, session_id, person=person)
    question = session.framework.first_of_type("followup")
    if question is None:
        raise UsageError(
            f"conversation {session.id} ({session.framework.name}) has no follow-up question"
        )
    if question.id not in session.answers:
        raise UsageError(
            f"conversation {session.id} with {session.person_name} has no follow-up date yet",
            hint=f"finish it first (it asks for one): topcli resume {session.id}",
        )
    old = session.answers[question.id]
    offset = offset_words(when)
    start = _day(old) if offset is not None else None
    try:
        new = question.parse(when, today=start or today)
    except AnswerError as exc:
        raise AnswerError(f"the new follow-up date: {exc.message}", hint=exc.hint) from None
    if new is None:
        raise UsageError("give the new date", hint="e.g. topcli plan reschedule '+2 weeks'")
    result = Reschedule(session, old, new, how=_how(when, offset, start))
    if result.nothing:
        return result
    day = date.fromisoformat(new)
    if day.weekday() >= 5:
        result.warnings.append(f"{new} is a {day.strftime('%A')}")
    if day < today:
        result.warnings.append(f"{new} is in the past")
    old_day = _day(old)
    if old_day is not None and day < old_day:
        result.warnings.append(
            f"{new} is earlier than the current follow-up ({old}); "
            "to push it back, give an offset such as +2w"
        )
    store.edit_answers(
        session.id, [(question, new)], [], f"follow-up moved: {old or 'none'} → {new}"
    )
    result.session = store.load(session.id)
    return result


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _how(when: str, offset: str | None, start: date | None) -> str:
    """How the new date was counted, for the message."""
    if offset is not None and start is not None:
        return f"{offset} later"
    text = " ".join(when.split())
    if _day(text.lower()) is not None:
        return ""
    return f"{text}, counted from today"
