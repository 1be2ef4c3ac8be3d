"""One person's history: conversations, actions set and closed, and Think over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from topcli.checkin import revisited_answers
from topcli.followthrough import session_date
from topcli.people import PersonRecord


def _instant(stamp: str) -> datetime:
    """A stored timestamp as an aware datetime, so stamps with different offsets sort right."""
    return datetime.fromisoformat(stamp)


def history(person: PersonRecord, today: date) -> dict[str, Any]:
    """One person's timeline: conversations, actions set and closed, and Think over time."""
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
        "think": _think_over_time(person),
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


def _think_over_time(person: PersonRecord) -> list[dict[str, Any]]:
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
            answers = revisited_answers(session).get(think, {}) if think is not None else {}
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
