"""The field checks of ``topcli sessions import``: is this conversation exactly as exported?

:func:`check_session` checks one conversation of a JSON export field by field, mirroring the
shipped JSON Schema (the tests check the two agree), so importing needs no schema library;
answers go through the same ``Question.parse`` as typed ones. Every refusal is an
:class:`~topcli.errors.ImportFileError` naming the file and the field's path
(``sessions[0].answers.actions[1].due``). Reading the file, the whole-file checks and the
checks against the store are in :mod:`topcli.transfer`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NoReturn

from topcli.errors import AnswerError, FrameworkError, ImportFileError, did_you_mean
from topcli.session import EXPORT_SCHEMA_VERSION
from topcli.transfer_sources import check_sources, session_keys

SESSION_KEYS = (
    "schema_version",
    "id",
    "kind",
    "previous_id",
    "person",
    "status",
    "started_at",
    "updated_at",
    "completed_at",
    "framework",
    "answers",
    "answered_at",
    "followup",
)
BUNDLE_KEYS = ("schema_version", "sessions")
PERSON_KEYS = ("id", "name", "created_at")
ACTION_KEYS = (
    "id",
    "what",
    "due",
    "success",
    "support",
    "status",
    "carried_from",
    "created_at",
    "updated_at",
    "notes",
)
NOTE_KEYS = ("at", "status", "text")
SESSION_STATUSES = ("in_progress", "complete")

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_TIMESTAMP_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Checked:
    data: dict[str, Any]
    action_questions: frozenset[str]
    where: str


def refuse(source: str, where: str, message: str, hint: str | None = None) -> NoReturn:
    location = f"{source}: {where}" if where else source
    raise ImportFileError(
        f"{location}: {message}",
        hint=hint
        or "the file must be an unchanged 'topcli plan export --json' (docs/export-format.md)",
    )


def join_path(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def check_version(data: Mapping[str, Any], source: str, where: str) -> None:
    version = data.get("schema_version")
    if "schema_version" not in data:
        refuse(source, where, "'schema_version' is missing")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        refuse(source, join_path(where, "schema_version"), f"{version!r} is not a format version")
    if version > EXPORT_SCHEMA_VERSION:
        raise ImportFileError(
            f"{source}: written by a newer topcli (schema_version {version}); this topcli reads "
            f"schema_version {EXPORT_SCHEMA_VERSION}",
            hint="upgrade topcli to import it: pip install -U topcli",
        )


def check_keys(data: Any, keys: Sequence[str], source: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        refuse(source, where or "(top)", f"must be an object with {', '.join(keys)}")
    for key in data:
        if key not in keys:
            refuse(source, where or "(top)", f"unknown key '{key}'{did_you_mean(key, keys)}")
    missing = [k for k in keys if k not in data]
    if missing:
        refuse(source, where or "(top)", "missing " + ", ".join(f"'{k}'" for k in missing))
    return data


def _string(value: Any, source: str, where: str, *, nonempty: bool = False) -> str:
    if not isinstance(value, str):
        refuse(source, where, f"must be text, not {_kind(value)}")
    if nonempty and not value.strip():
        refuse(source, where, "must not be empty")
    return value


def _ident(value: Any, source: str, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or not _ID_RE.match(value):
        refuse(source, where, f"{value!r} is not an id (letters, digits, '-', '_', '.')")


def _timestamp(value: Any, source: str, where: str, *, nullable: bool = False) -> None:
    _iso(
        value,
        source,
        where,
        _TIMESTAMP_RE,
        _in_utc,
        "an ISO 8601 date-time with offset (within the years 1-9999 in UTC too)",
        nullable=nullable,
    )


def _in_utc(value: str) -> datetime:
    """The moment in UTC; ``9999-12-31T23:00:00-05:00`` has none (OverflowError)."""
    return datetime.fromisoformat(value).astimezone(UTC)


def _date(value: Any, source: str, where: str, *, nullable: bool = False) -> None:
    _iso(
        value,
        source,
        where,
        _DATE_RE,
        date.fromisoformat,
        "an ISO 8601 date (YYYY-MM-DD)",
        nullable=nullable,
    )


def _iso(
    value: Any,
    source: str,
    where: str,
    shape: re.Pattern[str],
    parse: Callable[[str], Any],
    what: str,
    *,
    nullable: bool,
) -> None:
    """``value`` has the exact written form (``shape``) and is a real date or time (``parse``)."""
    if value is None and nullable:
        return
    ok = isinstance(value, str) and shape.match(value) is not None
    if ok:
        try:
            parse(value)
        except (ValueError, OverflowError):
            ok = False
    if not ok:
        refuse(source, where, f"{value!r} is not {what}")


def _enum(value: Any, choices: Sequence[str | None], source: str, where: str) -> None:
    if value not in choices or isinstance(value, bool):
        shown = ", ".join("null" if c is None else c for c in choices)
        refuse(source, where, f"{value!r} is not one of: {shown}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", type(None): "null", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def check_session(
    data: Any,
    source: str,
    where: str,
    frameworks: dict[str, tuple[Any, dict[str, Any]]] | None = None,
) -> Checked:
    from topcli import clock
    from topcli.validation import framework_from_data

    if isinstance(data, dict):
        check_version(data, source, where)
    version = data.get("schema_version") if isinstance(data, dict) else None
    check_keys(data, session_keys(SESSION_KEYS, version), source, where)

    def at(key: str) -> str:
        return join_path(where, key)

    _ident(data["id"], source, at("id"))
    if not isinstance(data["kind"], str) or not _KIND_RE.match(data["kind"]):
        refuse(source, at("kind"), f"{data['kind']!r} is not a conversation kind")
    _ident(data["previous_id"], source, at("previous_id"), nullable=True)
    person = check_keys(data["person"], PERSON_KEYS, source, at("person"))
    _ident(person["id"], source, at("person.id"))
    _string(person["name"], source, at("person.name"), nonempty=True)
    _timestamp(person["created_at"], source, at("person.created_at"))
    _enum(data["status"], SESSION_STATUSES, source, at("status"))
    _timestamp(data["started_at"], source, at("started_at"))
    _timestamp(data["updated_at"], source, at("updated_at"))
    _timestamp(data["completed_at"], source, at("completed_at"), nullable=True)

    if not isinstance(data["framework"], dict):
        refuse(source, at("framework"), "must be an object (the framework as it was)")
    key = json.dumps(data["framework"], sort_keys=True, ensure_ascii=False)
    known = frameworks.get(key) if frameworks is not None else None
    if known is None:
        try:
            framework = framework_from_data(data["framework"], origin=None, snapshot=True)
        except FrameworkError as exc:
            refuse(source, at("framework"), exc.message)
        known = (framework, framework.to_dict())
        if frameworks is not None:
            frameworks[key] = known
    framework, canonical_framework = known

    answers = data["answers"]
    if not isinstance(answers, dict):
        refuse(source, at("answers"), "must be an object of question id to answer")
    questions = {q.id: q for _, q in framework.questions()}
    today = clock.today()
    action_questions: set[str] = set()
    for qid, value in answers.items():
        place = at(f"answers.{qid}")
        if qid not in questions:
            refuse(
                source,
                place,
                f"'{qid}' is not a question of framework '{framework.id}'"
                + did_you_mean(qid, questions),
            )
        question = questions[qid]
        if question.type == "actions":
            action_questions.add(qid)
            _check_actions(value, source, place, today)
            continue
        try:
            parsed = question.parse(value, today=today)
        except AnswerError as exc:
            refuse(source, place, exc.message)
        if parsed != value or type(parsed) is not type(value):
            refuse(
                source,
                place,
                f"{value!r} is not how topcli stores a {question.type} answer",
                hint="the file was changed by hand; export it again from topcli",
            )

    answered_at = data["answered_at"]
    if not isinstance(answered_at, dict):
        refuse(source, at("answered_at"), "must be an object of question id to date-time")
    if list(answered_at) != list(answers):
        refuse(source, at("answered_at"), "must have exactly the question ids of 'answers'")
    for qid, stamp in answered_at.items():
        _timestamp(stamp, source, at(f"answered_at.{qid}"))
    check_sources(data, lambda key, message: refuse(source, at(key), message))

    followup = next(
        (
            answers[q.id]
            for _, q in framework.questions()
            if q.type == "followup" and answers.get(q.id)
        ),
        None,
    )
    _date(data["followup"], source, at("followup"), nullable=True)
    if data["followup"] != followup:
        refuse(
            source,
            at("followup"),
            f"{data['followup']!r} does not match the follow-up answer ({followup!r})",
        )
    # keep the framework as the store keeps it (canonical form of the same content)
    canonical = dict(data, framework=canonical_framework)
    return Checked(canonical, frozenset(action_questions), where or "(top)")


def _check_actions(value: Any, source: str, where: str, today: date) -> None:
    from topcli.framework import parse_action
    from topcli.store import ACTION_STATUSES

    if not isinstance(value, list):
        refuse(source, where, "must be a list of actions")
    for n, action in enumerate(value):
        place = join_path(where, n)
        check_keys(action, ACTION_KEYS, source, place)
        _ident(action["id"], source, join_path(place, "id"))
        for key in ("what", "success", "support"):
            _string(action[key], source, join_path(place, key))
        _date(action["due"], source, join_path(place, "due"))
        try:
            canonical = parse_action(
                {k: action[k] for k in ("what", "due", "success", "support")},
                today=today,
                where=place,
            )
        except AnswerError as exc:
            refuse(source, place, exc.message)
        for key, expected in canonical.items():
            if action[key] != expected:
                refuse(
                    source,
                    join_path(place, key),
                    "has spaces at its ends, which topcli never stores",
                    hint="the file was changed by hand; export it again from topcli",
                )
        _enum(action["status"], ACTION_STATUSES, source, join_path(place, "status"))
        _ident(action["carried_from"], source, join_path(place, "carried_from"), nullable=True)
        _timestamp(action["created_at"], source, join_path(place, "created_at"))
        _timestamp(action["updated_at"], source, join_path(place, "updated_at"))
        notes = action["notes"]
        if not isinstance(notes, list):
            refuse(source, join_path(place, "notes"), "must be a list")
        for m, note in enumerate(notes):
            spot = join_path(join_path(place, "notes"), m)
            check_keys(note, NOTE_KEYS, source, spot)
            _timestamp(note["at"], source, join_path(spot, "at"))
            _enum(note["status"], (*ACTION_STATUSES, None), source, join_path(spot, "status"))
            _string(note["text"], source, join_path(spot, "text"))


def actions_in(item: Checked) -> list[dict[str, Any]]:
    return [a for qid in item.action_questions for a in item.data["answers"][qid]]
