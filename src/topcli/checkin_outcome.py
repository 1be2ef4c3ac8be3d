"""What a finished check-in does to the actions it reviewed: done, dropped or carried over.

:func:`apply_outcome` runs when a check-in is completed, by ``topcli checkin`` or ``topcli resume``
alike (see :mod:`topcli.pipeline`), in the same transaction that marks it complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from topcli.checkin import CARRY, DONE, DROP, OUTCOMES, action_question, reviewed_action_ids
from topcli.errors import NotFoundError
from topcli.session import Session
from topcli.store import Store


@dataclass(frozen=True)
class Outcome:
    """What a check-in did to the actions it reviewed (ids)."""

    done: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    #: (old id, new id) pairs.
    carried: tuple[tuple[str, str], ...] = ()


def apply_outcome(store: Store, session_id: str) -> Outcome:
    """Close, drop or carry over each reviewed action, all in one transaction.

    Idempotent: an action that is no longer open (the outcome was applied already, or someone
    marked it with ``topcli actions`` while the check-in was paused) is left as it is; an
    action deleted meanwhile with its conversation is skipped.
    """
    session = store.load(session_id)
    if session.kind != "checkin":
        return Outcome()
    answers = session.answers
    plan = session.framework.first_of_type("actions")
    done: list[str] = []
    dropped: list[str] = []
    carried: list[tuple[str, str]] = []
    with store.transaction():
        for action_id in reviewed_action_ids(session.framework):
            status = answers.get(action_question(action_id, "status"))
            if status not in OUTCOMES:
                continue
            try:
                action = store.action_row(action_id)
            except NotFoundError:
                continue
            if action["status"] != "open":
                continue
            progress = _text(answers.get(action_question(action_id, "progress")))
            barriers = _text(answers.get(action_question(action_id, "barriers")))
            note = _join(progress, f"Barriers: {barriers}" if barriers else "")
            if status == DONE:
                store.set_action_status(action_id, "done", note=note)
                done.append(action_id)
            elif status == DROP:
                store.set_action_status(action_id, "dropped", note=note)
                dropped.append(action_id)
            elif plan is not None:
                new_id = _carry(store, session, plan.id, action, answers, note)
                carried.append((action_id, new_id))
    return Outcome(tuple(done), tuple(dropped), tuple(carried))


def _carry(
    store: Store,
    session: Session,
    question_id: str,
    action: Mapping[str, Any],
    answers: Mapping[str, Any],
    note: str,
) -> str:
    """Move ``action`` into the check-in's plan; the old one is closed as ``carried``."""
    old = action["id"]
    support_id = action_question(old, "support")
    support = answers[support_id] if support_id in answers else action["support"]
    new_id = store.add_action(
        session.id,
        question_id,
        {
            "what": action["what"],
            "due": answers.get(action_question(old, "new_due")) or action["due"],
            "success": action["success"],
            "support": support or "",
            "carried_from": old,
        },
    )
    store.add_action_note(new_id, _join(f"Carried over from action {old}.", note))
    store.set_action_status(
        old,
        "carried",
        note=_join(f"Carried over to action {new_id} (check-in {session.id}).", note),
    )
    return new_id


def outcome_of(session: Session) -> dict[str, list[str]]:
    """What the check-in decided for each reviewed action, as recorded in its answers."""
    found: dict[str, list[str]] = {DONE: [], CARRY: [], DROP: []}
    for action_id in reviewed_action_ids(session.framework):
        status = session.answers.get(action_question(action_id, "status"))
        if status in found:
            found[status].append(action_id)
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)
