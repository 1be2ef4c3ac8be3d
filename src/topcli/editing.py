"""Correcting a conversation afterwards: its answers, one action, the follow-up date.

Real conversations are messy, so a stored one can be corrected without exporting, editing and
importing it. Every correction works the same way:

1. the conversation is read with the framework it was held with (its stored snapshot, never
   today's framework file), so a question means what it meant then;
2. the new values are asked for (the current ones as defaults) or taken from flags, and checked
   by the same :meth:`~topcli.framework.Question.parse` as during the conversation;
3. only then is anything written: one transaction that records the correction and raises
   ``updated_at``, so the next ``.ics`` export has a higher ``SEQUENCE`` (same UIDs) and
   calendars move the events. Ctrl-C before that point changes nothing.

The functions take a :class:`~topcli.prompts.Prompter` (``None`` when nobody can answer) and
know nothing of Typer; the CLI prints what they return. This module corrects answers (and
raises the times of conversations an import replaces); :mod:`topcli.editing_plan` corrects an
action and moves the follow-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.errors import (
    AnswerError,
    Interrupted,
    MissingAnswersError,
    NotFoundError,
    UsageError,
    did_you_mean,
)
from topcli.framework import Question
from topcli.prompts import GoBack, interrupts

if TYPE_CHECKING:
    from topcli.prompts import Prompter
    from topcli.session import Session
    from topcli.store import Store


def nothing_changed(command: str) -> Any:
    """How Ctrl-C (or end of input) inside an edit is worded: nothing was written."""

    def interrupted(reason: str) -> Interrupted:
        return Interrupted(
            f"edit {reason}; nothing was changed", hint=f"run it again: topcli {command}"
        )

    return interrupted


def short(value: Any, width: int = 40) -> str:
    """An answer on one short line, for pickers and edit records."""
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- answers


@dataclass
class AnswerEdit:
    """What ``sessions edit`` did (empty lists: nothing changed, nothing written)."""

    session: Session
    #: (question, old answer, new answer) for each answer that changed.
    changed: list[tuple[Question, Any, Any]] = field(default_factory=list)
    #: Questions that apply now and were answered (or took their default) in this edit.
    added: list[Question] = field(default_factory=list)
    #: Questions that no longer apply, whose answers were removed.
    removed: list[Question] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.changed or self.added or self.removed)

    def record(self) -> str:
        """The edit in words, as stored with the conversation."""
        parts = []
        if self.changed:
            parts.append("changed " + ", ".join(q.id for q, _, _ in self.changed))
        if self.added:
            parts.append("answered " + ", ".join(q.id for q in self.added))
        if self.removed:
            parts.append("removed " + ", ".join(q.id for q in self.removed) + " (no longer asked)")
        return "; ".join(parts)


def find_question(session: Session, question_id: str) -> Question:
    """A question of the conversation's framework snapshot; unknown ids get a did-you-mean."""
    try:
        return session.framework.question(question_id)
    except KeyError:
        ids = session.framework.question_ids()
        raise UsageError(
            f"conversation {session.id} has no question '{question_id}'"
            f"{did_you_mean(question_id, ids)}",
            hint=f"its questions: {', '.join(ids)}",
        ) from None


def _editable(
    session: Session, question: Question, answers: Mapping[str, Any] | None = None
) -> Question:
    """Refuse questions an answer edit cannot change, saying what can.

    ``answers`` are the conversation's answers with this edit's changes so far, so a question
    that a change in the same edit makes apply can be answered too.
    """
    if question.type == "actions":
        raise UsageError(
            f"'{question.id}' holds the plan's actions; they are changed one at a time",
            hint=f"'topcli plan show {session.id}' lists their ids; then: "
            "topcli actions edit ACTION_ID",
        )
    if session.kind == "checkin" and session.is_complete:
        _refuse_applied_outcome(session, question)
    if not question.applies(session.answers if answers is None else answers):
        condition = question.when
        assert condition is not None  # a question without a condition always applies
        wanted = " or ".join(repr(v) for v in condition.values)
        raise UsageError(
            f"'{question.id}' is not part of conversation {session.id}: it is asked only "
            f"when '{condition.question}' is {wanted}",
            hint=f"change that answer first: topcli sessions edit {session.id} "
            f"{condition.question}",
        )
    return question


def _refuse_applied_outcome(session: Session, question: Question) -> None:
    """A finished check-in has already done what its review answers said (an action marked
    done, dropped or carried over with a new date); changing the answer would not undo that."""
    from topcli.checkin import action_question, reviewed_action_ids

    for action_id in reviewed_action_ids(session.framework):
        parts = ("status", "support", "new_due")
        if question.id in (action_question(action_id, part) for part in parts):
            raise UsageError(
                f"'{question.id}' decided what happened to action {action_id} when check-in "
                f"{session.id} finished; changing the answer would not change the action",
                hint=f"change the action itself: topcli actions edit|done|drop {action_id} "
                "(a carried-over one: its copy in the check-in's plan)",
            )


def parse_sets(session: Session, sets: Sequence[str], today: date) -> dict[str, Any]:
    """``--set QUESTION_ID=VALUE`` values, each checked by its question's ``parse``.

    A multiselect takes its choices separated by commas (unless the whole value is a choice).
    """
    from topcli.safetext import text_problem

    values: dict[str, Any] = {}
    for item in sets:
        qid, sep, raw = item.partition("=")
        if not sep or not qid.strip():
            raise UsageError(
                f"--set {item!r} is not QUESTION_ID=VALUE",
                hint="e.g. --set success_definition='Work I am proud of'",
            )
        question = find_question(session, qid.strip())
        if question.type == "actions":
            _editable(session, question)
        problem = text_problem(raw)
        if problem:
            raise UsageError(f"--set {question.id}: the value {problem}")
        value: Any = raw
        if question.type == "multiselect" and raw not in question.choices:
            value = [part.strip() for part in raw.split(",") if part.strip()]
        try:
            values[question.id] = question.parse(value, today=today)
        except AnswerError as exc:
            raise AnswerError(f"--set {question.id}: {exc.message}", hint=exc.hint) from None
    merged = {**session.answers, **values}
    for qid in values:
        _editable(session, session.framework.question(qid), merged)
    return values


def pick_question(session: Session, prompter: Prompter) -> Question:
    """Offer every answered question that can be edited; return the one picked."""
    choices = [
        (f"{stage.title}: {short(q.prompt, 50)}  [{short(session.answers[q.id], 30)}]", q.id)
        for stage, q in session.framework.questions()
        if q.id in session.answers and q.type != "actions" and q.applies(session.answers)
    ]
    if not choices:
        raise UsageError(
            f"conversation {session.id} has no answers to edit yet",
            hint=f"continue it first: topcli resume {session.id}",
        )
    picked = prompter.choose("Which answer do you want to change?", choices, key="question")
    return session.framework.question(picked)


def edit_answers(
    store: Store,
    session_id: str,
    question_ids: Sequence[str],
    sets: Sequence[str],
    *,
    prompter: Prompter | None,
    today: date,
) -> AnswerEdit:
    """Re-ask (or set) answers of a stored conversation, then write the changes at once.

    Changing an answer a later ``when`` depends on re-evaluates the conditions: answers of
    questions that no longer apply are removed; questions that newly apply are asked (or take
    their default; without a prompter a required one without a default is refused as missing).
    A paused conversation leaves newly applying questions to ``topcli resume``.
    """
    session = store.load(session_id)
    command = f"sessions edit {session.id}"
    new = parse_sets(session, sets, today)
    chosen = [find_question(session, q) for q in question_ids]
    for question in chosen:
        if question.type == "actions":
            _editable(session, question)
    to_ask = [q for q in chosen if q.id not in new]
    if prompter is None and (to_ask or not (chosen or new)):
        needs = ", ".join(q.id for q in to_ask) or "the answers to change"
        raise UsageError(
            f"no terminal to ask for {needs}",
            hint=f"give values: topcli {command} --set QUESTION_ID=VALUE",
        )
    answers: dict[str, Any] = dict(session.answers)
    edit = AnswerEdit(session)
    with interrupts(nothing_changed(command)):
        if prompter is not None and not chosen and not new:
            to_ask = [pick_question(session, prompter)]
        # framework order, so a changed answer is asked before the ones that depend on it
        order = {qid: n for n, qid in enumerate(session.framework.question_ids())}
        answers.update(new)
        asking = sorted(to_ask, key=lambda q: order[q.id])
        index = 0
        while index < len(asking):
            assert prompter is not None
            question = asking[index]
            # whether it applies is judged with the changes asked before it
            _editable(session, question, answers)
            try:
                answers[question.id] = new[question.id] = prompter.ask(
                    question, answers.get(question.id)
                )
            except GoBack:
                # the back keys step to the question asked before (or stay on the first)
                index = max(index - 1, 0)
                continue
            index += 1
        missing: list[Question] = []
        for _, question in session.framework.questions():
            if not question.applies(answers):
                if question.id in answers:
                    del answers[question.id]
                    edit.removed.append(question)
            elif question.id not in answers and session.is_complete:
                value = question.default_value(today)
                if prompter is not None:
                    value = ask_staying(prompter, question, value)
                elif value is None and question.required:
                    missing.append(question)
                    continue
                answers[question.id] = value
                edit.added.append(question)
    if missing:
        raise MissingAnswersError(
            [f"{q.id}: {q.prompt}" for q in missing],
            hint=f"they apply after this change; nothing was changed. Add --set "
            f"{missing[0].id}=VALUE (one --set each) or run it in a terminal",
        )
    for qid, value in new.items():
        if qid in answers and value != session.answers.get(qid, None):
            edit.changed.append((session.framework.question(qid), session.answers.get(qid), value))
    if edit.nothing:
        return edit
    written = [(q, answers[q.id]) for q, _, _ in edit.changed]
    written += [(q, answers[q.id]) for q in edit.added]
    store.edit_answers(session.id, written, edit.removed, edit.record())
    edit.session = store.load(session.id)
    return edit


# --------------------------------------------------------------------------- imports


def ask_staying(prompter: Prompter, question: Question, default: Any) -> Any:
    """Ask ``question``; a back key asks it again (there is nothing before it to go back to)."""
    while True:
        try:
            return prompter.ask(question, default)
        except GoBack:
            continue


def raise_replaced(store: Store, records: Sequence[dict[str, Any]]) -> list[str]:
    """Before ``sessions import --replace`` overwrites stored conversations: compare each
    incoming record with the stored one, and where the content differs, raise its
    ``updated_at`` (and each changed action's) above the stored times, in ``records``.

    An export edited by hand keeps the ``updated_at`` it was exported with; without this the
    calendar's ``SEQUENCE`` would not rise and calendars would ignore the change. An identical
    record keeps its times, and so does one that differs only in its person's record (a
    person is restored as in the file, not edited as part of a conversation). Returns the ids
    of the conversations whose content differs.
    """
    import json

    from topcli.store.edits import raised_stamp

    def canonical(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def content(record: Mapping[str, Any]) -> str:
        answers = {
            qid: [{k: v for k, v in a.items() if k != "updated_at"} for a in value]
            if isinstance(value, list) and value and isinstance(value[0], Mapping)
            else value
            for qid, value in record["answers"].items()
        }
        # the person is a record of its own (restored as in the file), not this conversation
        rest = {k: v for k, v in record.items() if k not in ("updated_at", "answers", "person")}
        return canonical({**rest, "answers": answers})

    changed: list[str] = []
    for record in records:
        try:
            stored = store.load(record["id"]).to_dict()
        except NotFoundError:
            continue
        if stored["id"] != record["id"] or content(stored) == content(record):
            continue
        changed.append(record["id"])
        before = {a["id"]: a for a in stored_actions(stored)}
        for action in stored_actions(record):
            old = before.get(action["id"])
            if old is not None and canonical({**old, "updated_at": ""}) != canonical(
                {**action, "updated_at": ""}
            ):
                action["updated_at"] = raised_stamp(old["updated_at"], action["updated_at"])
        stamps = [stored["updated_at"], *(a["updated_at"] for a in stored_actions(stored))]
        record["updated_at"] = raised_stamp(*stamps, record["updated_at"])
    return changed


def stored_actions(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The action mappings in an export record's answers."""
    return [
        action
        for value in record["answers"].values()
        if isinstance(value, list)
        for action in value
        if isinstance(action, dict) and "id" in action and "due" in action
    ]
