"""Check-ins: a follow-up conversation that starts from the person's last plan.

A check-in is an ordinary conversation (``sessions.kind = 'checkin'``, ``previous_id`` = the
person's last conversation) held with a framework built here from the model in
:mod:`topcli.framework`, so the session runner saves it answer by answer, ``topcli resume``
continues it and every exporter reads it like any other conversation. Its stages:

* **Review**: for each open action of the person (from any earlier conversation, carried-over
  ones included) its progress, what happens to it (Done / Carry over / Drop), and, for actions
  that continue or stop, the barriers (worded for an action not due yet as "anything in the way
  so far"), the support needed and a new due date.
* **Revisit**: optionally, the questions of the base framework's first two stages again (Think
  and Opportunities in TOP), each starting from the person's latest answer.
* **Plan**: new actions and the next follow-up date.

When the check-in is complete, :func:`topcli.checkin_outcome.apply_outcome` (called whichever
command finishes it: see :mod:`topcli.pipeline`) updates the reviewed actions in one
transaction: Done and Drop close them with the progress as a dated note; Carry over *moves* the
action: the check-in's plan gets a new open action with ``carried_from`` = the old id (and the
new due date and support), and the old one gets status ``carried``, so each piece of work is open
in exactly one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from topcli.clock import add_months
from topcli.errors import AnswerError, NotFoundError, UsageError
from topcli.framework import Condition, Framework, Question, Stage
from topcli.safetext import printable
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

CHECKIN_FRAMEWORK_ID = "checkin"
CHECKIN_VERSION = "1.0"

DONE, CARRY, DROP = "Done", "Carry over", "Drop"
OUTCOMES = (DONE, CARRY, DROP)

#: How many of the base framework's stages a check-in offers to revisit (Think, Opportunities).
REVISIT_STAGES = 2

_PLAN_TYPES = frozenset({"actions", "followup"})


# --------------------------------------------------------------------------- question ids


def action_question(action_id: str, part: str) -> str:
    """``a_<action id>_<part>``: progress, status, barriers, support, new_due."""
    return f"a_{action_id}_{part}"


def reviewed_action_ids(framework: Framework) -> list[str]:
    """The ids of the actions a check-in framework reviews, in the order it asks about them."""
    return [
        q.id[2 : -len("_status")]
        for _, q in framework.questions()
        if q.id.startswith("a_") and q.id.endswith("_status")
    ]


def revisit_question(stage_id: str) -> str:
    return f"revisit_{stage_id}"


def copy_question(stage_id: str, question_id: str) -> str:
    return f"{stage_id}_{question_id}"


def revisited_answers(session: Session) -> dict[str, dict[str, tuple[str, Any]]]:
    """The base-framework answers a check-in gave again: stage id -> question id -> (prompt, value).

    Read from the check-in's own stored framework (a ``revisit_<stage>`` confirm followed by the
    copies ``<stage>_<question>``), so it works for any base framework. Stages that were not
    revisited are left out, so look a stage up by its id: the first entry is whichever stage
    was revisited first, not necessarily the base framework's first stage (Think in TOP).
    """
    found: dict[str, dict[str, tuple[str, Any]]] = {}
    if session.kind != "checkin":
        return found
    for stage in session.framework.stages:
        if stage.id != "revisit":
            continue
        current: str | None = None
        for question in stage.questions:
            if question.type == "confirm" and question.id.startswith("revisit_"):
                current = question.id[len("revisit_") :]
            elif (
                current is not None
                and question.id.startswith(f"{current}_")
                and session.answers.get(revisit_question(current)) is True
                and question.id in session.answers
            ):
                original = question.id[len(current) + 1 :]
                found.setdefault(current, {})[original] = (
                    question.prompt,
                    session.answers[question.id],
                )
    return found


# --------------------------------------------------------------------------- the basis


@dataclass(frozen=True)
class CheckinBasis:
    """What a new check-in with a person starts from."""

    person_id: str
    person_name: str
    #: The person's last conversation: the check-in's ``previous_id``.
    previous: Session
    #: The latest non-check-in conversation, whose framework's stages can be revisited.
    base: Session | None
    #: Every open action of the person, with the date of the conversation that set it.
    open_actions: tuple[tuple[Mapping[str, Any], str], ...]
    #: Every earlier conversation, oldest first (for the latest answers to revisit).
    sessions: tuple[Session, ...]


def checkin_basis(store: Store, person: sqlite3.Row) -> CheckinBasis:
    """Everything a check-in needs from the person's earlier conversations, or a clear refusal."""
    rows = store.session_rows(person_id=person["id"])
    if not rows:
        raise no_earlier_conversation(person["name"])
    sessions = tuple(store.load(row["id"]) for row in rows)
    latest = sessions[-1]
    if not latest.is_complete:
        what = "a check-in" if latest.kind == "checkin" else "the conversation"
        raise UsageError(
            f"{what} with {person['name']} started {latest.started_at[:10]} "
            f"({latest.id}) is not finished",
            hint=f"continue it with: topcli resume {latest.id}"
            + (
                ""
                if latest.kind == "checkin"
                else f" (or delete it: topcli sessions delete {latest.id})"
            ),
        )
    base = next((s for s in reversed(sessions) if s.kind != "checkin"), None)
    open_actions = tuple(
        (action, s.started_at[:10])
        for s in sessions
        for action in s.actions
        if action["status"] == "open"
    )
    return CheckinBasis(
        person_id=person["id"],
        person_name=person["name"],
        previous=latest,
        base=base,
        open_actions=open_actions,
        sessions=sessions,
    )


def no_earlier_conversation(name: str) -> NotFoundError:
    """The refusal for a check-in with someone there is no conversation with yet."""
    return NotFoundError(
        f"there is no earlier conversation with '{name}' to check in on",
        hint=f"start a first conversation with: topcli start --person {_quote(name)}",
    )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --------------------------------------------------------------------------- the framework


def build_checkin_framework(basis: CheckinBasis, today: date) -> Framework:
    """The check-in as a :class:`Framework`: Review, (Revisit,) Plan. Stored with the session."""
    last = basis.previous.started_at[:10]
    stages = [_review_stage(basis, today, last)]
    revisit = _revisit_stage(basis, last, today)
    if revisit is not None:
        stages.append(revisit)
    stages.append(_plan_stage(basis))
    return Framework(
        id=CHECKIN_FRAMEWORK_ID,
        name="Check-in",
        version=CHECKIN_VERSION,
        description=(
            f"Follow-up with {printable(basis.person_name)} on the plan of {last} "
            f"(conversation {basis.previous.id}): review the open actions, optionally revisit "
            "what matters to them, and update the plan."
        ),
        stages=tuple(stages),
    )


def _review_stage(basis: CheckinBasis, today: date, last: str) -> Stage:
    questions = [
        Question(
            id="since_last",
            prompt=f"How have things been since we last spoke on {last}?",
            type="long_text",
            required=False,
            help="Start with what went well before turning to the plan.",
        )
    ]
    for action, set_on in basis.open_actions:
        # stored text quoted in a prompt is shown, never obeyed (see topcli.safetext)
        aid, what, due = action["id"], printable(action["what"]), action["due"]
        status_id = action_question(aid, "status")
        carry = Condition(status_id, (CARRY,))
        questions += [
            Question(
                id=action_question(aid, "progress"),
                prompt=f'Action {aid}, "{what}" (due {due}): what progress has been made?',
                type="long_text",
                help=f"Set on {set_on}."
                + (
                    f" How we said we'd know it worked: {printable(action['success'])}"
                    if action["success"]
                    else ""
                ),
            ),
            Question(
                id=status_id,
                prompt=f'What happens to "{what}" now?',
                type="select",
                choices=OUTCOMES,
                help="Done: it is achieved. Carry over: it stays in the new plan. "
                "Drop: it no longer matters, and that is a fine outcome too.",
            ),
            Question(
                id=action_question(aid, "barriers"),
                prompt=_barriers_prompt(what, date.fromisoformat(due), today),
                type="long_text",
                required=False,
                when=Condition(status_id, (CARRY, DROP)),
            ),
            Question(
                id=action_question(aid, "support"),
                prompt=f'What support is needed to move "{what}" forward?',
                type="text",
                required=False,
                default=action["support"] or None,
                when=carry,
            ),
            Question(
                id=action_question(aid, "new_due"),
                prompt=f'By when now, for "{what}"?',
                type="date",
                default=_carried_due(date.fromisoformat(due), today).isoformat(),
                when=carry,
            ),
        ]
    n = len(basis.open_actions)
    purpose = (
        f"Go through the plan from {last}: {plural(n, 'open action')}. For each, "
        "what moved, what got in the way, and what support would help."
        if n
        else f"There are no open actions from the plan of {last}; talk about how things have gone."
    )
    return Stage(
        id="review",
        title="Review",
        purpose=purpose,
        tips=(
            "Ask what got in the way before asking why it is late.",
            "Offer to remove barriers yourself: an introduction, time, a budget decision.",
            "Celebrate what is done, however small.",
        ),
        questions=tuple(questions),
    )


def _barriers_prompt(what: str, due: date, today: date) -> str:
    """Asked when an action is carried over or dropped; one not due yet has not failed."""
    if due <= today:
        return f'What got in the way of "{what}"?'
    return f'Anything in the way of "{what}" so far?'


def _carried_due(due: date, today: date) -> date:
    """A carried action keeps its due date if it is still ahead, else gets a month from today."""
    return due if due >= today else add_months(today, 1)


def _revisit_stage(basis: CheckinBasis, last: str, today: date) -> Stage | None:
    if basis.base is None:
        return None
    candidates = [
        s
        for s in basis.base.framework.stages
        if not any(q.type in _PLAN_TYPES for q in s.questions)
    ][:REVISIT_STAGES]
    questions: list[Question] = []
    for stage in candidates:
        latest = _latest_answers(basis, stage, today)
        gate = revisit_question(stage.id)
        questions.append(
            Question(
                id=gate,
                prompt=f"Revisit {stage.title}? Each question starts from the latest answer.",
                type="confirm",
                default=False,
                help=stage.purpose or None,
            )
        )
        ids = {q.id for q in stage.questions}
        for question in stage.questions:
            questions.append(_copy(question, stage.id, gate, ids, latest.get(question.id)))
    if not questions:
        return None
    return Stage(
        id="revisit",
        title="Revisit",
        purpose=(
            f"Optionally go back over what matters to {printable(basis.person_name)} and the "
            f"opportunities you discussed (last on {last}). Keep an answer as it is, or change it."
        ),
        tips=("Ask what has changed, not to repeat everything.",),
        questions=tuple(questions),
    )


def _copy(question: Question, stage_id: str, gate: str, ids: set[str], latest: Any) -> Question:
    """A base question asked again: prefixed id, the latest answer as default, behind the gate.

    A question that had its own condition keeps it, pointed at the copied question; that copy is
    itself behind the gate, so the condition still implies "revisiting". A condition on a
    question of another stage cannot be checked here, so it becomes the gate.
    """
    when = Condition(gate, (True,))
    if question.when is not None and question.when.question in ids:
        when = Condition(copy_question(stage_id, question.when.question), question.when.values)
    default = question.default if latest is None else latest
    return replace(
        question,
        id=copy_question(stage_id, question.id),
        when=when,
        default=default,
        help=(question.help + " " if question.help else "") + "Starts from the latest answer.",
    )


def _latest_answers(basis: CheckinBasis, stage: Stage, today: date) -> dict[str, Any]:
    """The person's latest answer to each question of ``stage`` (conversations and check-ins).

    An answer the question would no longer accept (its framework changed since) is passed
    over: it becomes the copy's default, and defaults must parse when the session reloads.
    """
    assert basis.base is not None
    latest: dict[str, Any] = {}
    for session in basis.sessions:
        if session.kind == "checkin":
            again = revisited_answers(session).get(stage.id, {})
            values = {qid: value for qid, (_, value) in again.items()}
        elif session.framework.id == basis.base.framework.id:
            values = dict(session.answers)
        else:
            continue
        for question in stage.questions:
            value = values.get(question.id)
            if value is None or question.type in _PLAN_TYPES:
                continue
            try:
                latest[question.id] = question.parse(value, today=today)
            except AnswerError:
                continue
    return latest


def _plan_stage(basis: CheckinBasis) -> Stage:
    n = len(basis.open_actions)
    return Stage(
        id="plan",
        title="Plan",
        purpose=(
            "Agree what comes next: the carried-over actions stay in the plan; add any new ones, "
            "and set the next follow-up date."
        ),
        tips=("Keep the plan small: two or three meaningful actions.",),
        questions=(
            Question(
                id="actions",
                prompt="Any new actions?" + (" Carried-over actions are kept." if n else ""),
                type="actions",
                required=False,
            ),
            Question(
                id="followup",
                prompt="When shall we meet again to review progress?",
                type="followup",
                help="Defaults to three months from today.",
            ),
        ),
    )


def check_answers_file(
    store: Store, given: Mapping[str, Any], person: sqlite3.Row, path: str
) -> None:
    """Refuse an answers file written for another framework or another person."""
    framework = given.get("framework")
    if framework not in (None, CHECKIN_FRAMEWORK_ID):
        raise UsageError(
            f"{path}: framework '{framework}' is not a check-in",
            hint=f"a check-in's answers file has 'framework: {CHECKIN_FRAMEWORK_ID}' or none",
        )
    named = given.get("person")
    if named and store.find_person(str(named))["id"] != person["id"]:
        raise UsageError(
            f"{path}: person '{named}' is not {person['name']}, the person checked in with",
            hint="remove 'person:' from the file or fix it",
        )
