"""``topcli sessions import``: restore conversations from a JSON export, exactly.

A file from ``topcli plan export --json`` (one conversation, or an ``--all`` bundle) is checked
completely before anything is written: it must be well-formed JSON in the documented format
(``docs/export-format.md``, the shipped JSON Schema), not from a newer topcli
(``schema_version``), with a framework that passes the same validation as a framework file, and
answers that are what that framework's questions accept. Then every conversation is written in
one :meth:`~topcli.store.Store.transaction` with the same ids, timestamps, answers, actions and
notes, so exporting it again gives the same file. Any problem leaves the store untouched.

A conversation that is already stored is refused unless ``replace`` is given. The runtime checks
here mirror the JSON Schema field by field (the tests check the two agree), so importing needs no
schema library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from topcli.errors import AnswerError, FrameworkError, ImportFileError, did_you_mean
from topcli.session import EXPORT_SCHEMA_VERSION
from topcli.transfer_sources import check_sources, session_keys
from topcli.wording import plural

if TYPE_CHECKING:
    from topcli.session import Session
    from topcli.store import Store

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


@dataclass
class ImportResult:
    """What an import did, for the CLI to report."""

    sessions: list[Session] = field(default_factory=list)
    #: Ids of stored conversations that were overwritten (``replace``).
    replaced: list[str] = field(default_factory=list)
    #: Things the user should know that did not stop the import.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Checked:
    data: dict[str, Any]
    action_questions: frozenset[str]
    where: str


# --------------------------------------------------------------------------- entry points


def import_file(
    path: str | Path, *, replace: bool = False, store: Store | None = None
) -> ImportResult:
    """Import the JSON export at ``path`` (``-`` reads standard input)."""
    from topcli.limits import MAX_IMPORT_BYTES, read_limited

    name = str(path)
    # a regular file within the limit, read boundedly: /dev/zero or a FIFO is refused at once
    raw = read_limited(
        path,
        limit=MAX_IMPORT_BYTES,
        error=ImportFileError,
        hint="give the path of a file written by 'topcli plan export --json'",
        kind="an import file",
        unreadable="cannot read {name}: {reason}",
        dash_is_stdin=True,
    )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte {exc.start})",
            hint="give a file written by 'topcli plan export --json'",
        ) from None
    return import_text(
        text, source="<stdin>" if name == "-" else name, replace=replace, store=store
    )


def import_text(
    text: str, *, source: str, replace: bool = False, store: Store | None = None
) -> ImportResult:
    """Check every conversation in ``text``, then write them all in one transaction."""
    checked = parse_export(text, source=source)
    if store is None:
        from topcli.store import Store

        store = Store()
    result = ImportResult()
    with store.transaction():
        _check_against_store(store, checked, source=source, replace=replace, result=result)
        changed: list[str] = []
        if result.replaced:
            from topcli.editing import raise_replaced  # a changed record moves its events

            changed = raise_replaced(store, [item.data for item in checked])
            store.remove_for_import(result.replaced)
        for item in checked:
            store.insert_imported(item.data, action_questions=item.action_questions)
        for session_id in changed:
            store.record_edit(session_id, f"replaced by an import of {source}")
        # Foreign keys are enforced as each row goes in, except while a replacement defers
        # them: only then can a broken reference wait for the commit, so only then is the whole
        # file checked (a full scan, which an ordinary import into a big store must not pay).
        problems = (
            store.db.execute("PRAGMA foreign_key_check").fetchall() if result.replaced else []
        )
        if problems:
            _fail(source, "", f"the import would leave {plural(len(problems), 'broken reference')}")
    result.sessions = [store.load(item.data["id"]) for item in checked]
    return result


def parse_export(text: str, *, source: str) -> list[_Checked]:
    """The conversations in an export file, each checked; raises on the first problem."""
    from topcli.safejson import check_nesting

    try:
        document = check_nesting(
            lambda: json.loads(
                text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant
            ),
            text,
            source=source,
            error=ImportFileError,
            hint="give a file written by 'topcli plan export --json'",
        )
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}",
            hint="give a file written by 'topcli plan export --json'",
        ) from None
    except ValueError as exc:
        raise ImportFileError(
            f"{source}: not valid JSON: {exc}",
            hint="give a file written by 'topcli plan export --json'",
        ) from None
    if not isinstance(document, dict):
        _fail(source, "", "an export is a JSON object with 'schema_version'")
    _check_version(document, source, "")
    if "sessions" in document and "id" not in document:
        _check_keys(document, BUNDLE_KEYS, source, "")
        sessions = document["sessions"]
        if not isinstance(sessions, list):
            _fail(source, "sessions", "must be a list of conversations")
        items = [(s, f"sessions[{n}]") for n, s in enumerate(sessions)]
    else:
        items = [(document, "")]
    # conversations held with the same framework share one parsed, canonical copy of it
    frameworks: dict[str, tuple[Any, dict[str, Any]]] = {}
    checked = [_check_session(data, source, where, frameworks) for data, where in items]
    _check_unique(checked, source)
    return checked


# --------------------------------------------------------------------------- checks


def _fail(source: str, where: str, message: str, hint: str | None = None) -> NoReturn:
    location = f"{source}: {where}" if where else source
    raise ImportFileError(
        f"{location}: {message}",
        hint=hint
        or "the file must be an unchanged 'topcli plan export --json' (docs/export-format.md)",
    )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _join(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _check_version(data: Mapping[str, Any], source: str, where: str) -> None:
    version = data.get("schema_version")
    if "schema_version" not in data:
        _fail(source, where, "'schema_version' is missing")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _fail(source, _join(where, "schema_version"), f"{version!r} is not a format version")
    if version > EXPORT_SCHEMA_VERSION:
        raise ImportFileError(
            f"{source}: written by a newer topcli (schema_version {version}); this topcli reads "
            f"schema_version {EXPORT_SCHEMA_VERSION}",
            hint="upgrade topcli to import it: pip install -U topcli",
        )


def _check_keys(data: Any, keys: Sequence[str], source: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        _fail(source, where or "(top)", f"must be an object with {', '.join(keys)}")
    for key in data:
        if key not in keys:
            _fail(source, where or "(top)", f"unknown key '{key}'{did_you_mean(key, keys)}")
    missing = [k for k in keys if k not in data]
    if missing:
        _fail(source, where or "(top)", "missing " + ", ".join(f"'{k}'" for k in missing))
    return data


def _string(value: Any, source: str, where: str, *, nonempty: bool = False) -> str:
    if not isinstance(value, str):
        _fail(source, where, f"must be text, not {_kind(value)}")
    if nonempty and not value.strip():
        _fail(source, where, "must not be empty")
    return value


def _ident(value: Any, source: str, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or not _ID_RE.match(value):
        _fail(source, where, f"{value!r} is not an id (letters, digits, '-', '_', '.')")


def _timestamp(value: Any, source: str, where: str, *, nullable: bool = False) -> None:
    _iso(
        value,
        source,
        where,
        _TIMESTAMP_RE,
        datetime.fromisoformat,
        "an ISO 8601 date-time with offset",
        nullable=nullable,
    )


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
        except ValueError:
            ok = False
    if not ok:
        _fail(source, where, f"{value!r} is not {what}")


def _enum(value: Any, choices: Sequence[str | None], source: str, where: str) -> None:
    if value not in choices or isinstance(value, bool):
        shown = ", ".join("null" if c is None else c for c in choices)
        _fail(source, where, f"{value!r} is not one of: {shown}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", type(None): "null", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _check_session(
    data: Any,
    source: str,
    where: str,
    frameworks: dict[str, tuple[Any, dict[str, Any]]] | None = None,
) -> _Checked:
    from topcli import clock
    from topcli.validation import framework_from_data

    if isinstance(data, dict):
        _check_version(data, source, where)
    version = data.get("schema_version") if isinstance(data, dict) else None
    _check_keys(data, session_keys(SESSION_KEYS, version), source, where)

    def at(key: str) -> str:
        return _join(where, key)

    _ident(data["id"], source, at("id"))
    if not isinstance(data["kind"], str) or not _KIND_RE.match(data["kind"]):
        _fail(source, at("kind"), f"{data['kind']!r} is not a conversation kind")
    _ident(data["previous_id"], source, at("previous_id"), nullable=True)
    person = _check_keys(data["person"], PERSON_KEYS, source, at("person"))
    _ident(person["id"], source, at("person.id"))
    _string(person["name"], source, at("person.name"), nonempty=True)
    _timestamp(person["created_at"], source, at("person.created_at"))
    _enum(data["status"], SESSION_STATUSES, source, at("status"))
    _timestamp(data["started_at"], source, at("started_at"))
    _timestamp(data["updated_at"], source, at("updated_at"))
    _timestamp(data["completed_at"], source, at("completed_at"), nullable=True)

    if not isinstance(data["framework"], dict):
        _fail(source, at("framework"), "must be an object (the framework as it was)")
    key = json.dumps(data["framework"], sort_keys=True, ensure_ascii=False)
    known = frameworks.get(key) if frameworks is not None else None
    if known is None:
        try:
            framework = framework_from_data(data["framework"], origin=None, snapshot=True)
        except FrameworkError as exc:
            _fail(source, at("framework"), exc.message)
        known = (framework, framework.to_dict())
        if frameworks is not None:
            frameworks[key] = known
    framework, canonical_framework = known

    answers = data["answers"]
    if not isinstance(answers, dict):
        _fail(source, at("answers"), "must be an object of question id to answer")
    questions = {q.id: q for _, q in framework.questions()}
    today = clock.today()
    action_questions: set[str] = set()
    for qid, value in answers.items():
        place = at(f"answers.{qid}")
        if qid not in questions:
            _fail(
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
            _fail(source, place, exc.message)
        if parsed != value or type(parsed) is not type(value):
            _fail(
                source,
                place,
                f"{value!r} is not how topcli stores a {question.type} answer",
                hint="the file was changed by hand; export it again from topcli",
            )

    answered_at = data["answered_at"]
    if not isinstance(answered_at, dict):
        _fail(source, at("answered_at"), "must be an object of question id to date-time")
    if list(answered_at) != list(answers):
        _fail(source, at("answered_at"), "must have exactly the question ids of 'answers'")
    for qid, stamp in answered_at.items():
        _timestamp(stamp, source, at(f"answered_at.{qid}"))
    check_sources(data, lambda key, message: _fail(source, at(key), message))

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
        _fail(
            source,
            at("followup"),
            f"{data['followup']!r} does not match the follow-up answer ({followup!r})",
        )
    # keep the framework as the store keeps it (canonical form of the same content)
    canonical = dict(data, framework=canonical_framework)
    return _Checked(canonical, frozenset(action_questions), where or "(top)")


def _check_actions(value: Any, source: str, where: str, today: date) -> None:
    from topcli.framework import parse_action
    from topcli.store import ACTION_STATUSES

    if not isinstance(value, list):
        _fail(source, where, "must be a list of actions")
    for n, action in enumerate(value):
        place = _join(where, n)
        _check_keys(action, ACTION_KEYS, source, place)
        _ident(action["id"], source, _join(place, "id"))
        for key in ("what", "success", "support"):
            _string(action[key], source, _join(place, key))
        _date(action["due"], source, _join(place, "due"))
        try:
            canonical = parse_action(
                {k: action[k] for k in ("what", "due", "success", "support")},
                today=today,
                where=place,
            )
        except AnswerError as exc:
            _fail(source, place, exc.message)
        for key, expected in canonical.items():
            if action[key] != expected:
                _fail(
                    source,
                    _join(place, key),
                    "has spaces at its ends, which topcli never stores",
                    hint="the file was changed by hand; export it again from topcli",
                )
        _enum(action["status"], ACTION_STATUSES, source, _join(place, "status"))
        _ident(action["carried_from"], source, _join(place, "carried_from"), nullable=True)
        _timestamp(action["created_at"], source, _join(place, "created_at"))
        _timestamp(action["updated_at"], source, _join(place, "updated_at"))
        notes = action["notes"]
        if not isinstance(notes, list):
            _fail(source, _join(place, "notes"), "must be a list")
        for m, note in enumerate(notes):
            spot = _join(_join(place, "notes"), m)
            _check_keys(note, NOTE_KEYS, source, spot)
            _timestamp(note["at"], source, _join(spot, "at"))
            _enum(note["status"], (*ACTION_STATUSES, None), source, _join(spot, "status"))
            _string(note["text"], source, _join(spot, "text"))


def _check_unique(checked: Sequence[_Checked], source: str) -> None:
    """No conversation or action twice, and one name per person id, within the file."""
    sessions: set[str] = set()
    actions: set[str] = set()
    names: dict[str, str] = {}
    for item in checked:
        data = item.data
        if data["id"] in sessions:
            _fail(source, item.where, f"conversation '{data['id']}' appears twice")
        sessions.add(data["id"])
        person = data["person"]
        if names.setdefault(person["id"], person["name"]) != person["name"]:
            _fail(
                source,
                item.where,
                f"person id '{person['id']}' is called both {names[person['id']]!r} and "
                f"{person['name']!r}",
            )
        for action in _actions(item):
            if action["id"] in actions:
                _fail(source, item.where, f"action '{action['id']}' appears twice")
            actions.add(action["id"])


def _actions(item: _Checked) -> list[dict[str, Any]]:
    return [a for qid in item.action_questions for a in item.data["answers"][qid]]


def _check_against_store(
    store: Store, checked: Sequence[_Checked], *, source: str, replace: bool, result: ImportResult
) -> None:
    """Clashes with stored conversations, actions and people; links to absent conversations."""
    db = store.db
    existing = []
    for item in checked:
        row = db.execute(
            "SELECT s.id, p.name FROM sessions s JOIN people p ON p.id = s.person_id"
            " WHERE s.id = ?",
            (item.data["id"],),
        ).fetchone()
        if row is not None:
            existing.append(f"{row['id']} (with {row['name']})")
            result.replaced.append(row["id"])
    if existing and not replace:
        _refuse_stored(source, existing, result.replaced)
    replaced = set(result.replaced)
    for item in checked:
        for action in _actions(item):
            row = db.execute(
                "SELECT session_id FROM actions WHERE id = ?", (action["id"],)
            ).fetchone()
            if row is not None and row["session_id"] not in replaced:
                _fail(
                    source,
                    item.where,
                    f"action id '{action['id']}' is already used by stored conversation "
                    f"{row['session_id']}; nothing was imported",
                    hint="import into a separate data folder (TOPCLI_HOME)",
                )
        person = item.data["person"]
        row = db.execute("SELECT name FROM people WHERE id = ?", (person["id"],)).fetchone()
        replacing_their_only = row is not None and _only_sessions_of(store, person["id"], replaced)
        if row is not None and row["name"] != person["name"] and not replacing_their_only:
            _fail(
                source,
                item.where,
                f"person id '{person['id']}' is {row['name']!r} here but {person['name']!r} in "
                "the file; nothing was imported",
                hint="import into a separate data folder (TOPCLI_HOME)",
            )
    in_file = {item.data["id"] for item in checked}
    for item in checked:
        previous = item.data["previous_id"]
        if previous is None or previous in in_file:
            continue
        if db.execute("SELECT 1 FROM sessions WHERE id = ?", (previous,)).fetchone() is None:
            item.data["previous_id"] = None
            result.notes.append(
                f"conversation {item.data['id']} followed conversation {previous}, which is "
                "neither in the file nor stored here; that link was left out "
                "(export with --all to keep every link)"
            )


#: How many already-stored conversations the refusal names before it just counts the rest.
_NAMED_STORED = 5


def _refuse_stored(source: str, existing: Sequence[str], ids: Sequence[str]) -> NoReturn:
    """Refuse a file whose conversations are (partly) stored, with a hint that works as typed.

    ``sessions delete`` takes one id, so deleting first is only spelled out for a single
    conversation; for several, ``--replace`` is the one command that does it.
    """
    if len(existing) == 1:
        raise ImportFileError(
            f"{source}: already stored here: conversation {existing[0]}; nothing was imported",
            hint="add --replace to overwrite it with the file's version, "
            f"or delete it first: topcli sessions delete {ids[0]}",
        )
    named = ", ".join(existing[:_NAMED_STORED])
    more = len(existing) - _NAMED_STORED
    if more > 0:
        named += f" and {more} more"
    raise ImportFileError(
        f"{source}: {len(existing)} of its conversations are already stored here: {named}; "
        "nothing was imported",
        hint=f"add --replace to overwrite all {len(existing)} with the file's versions",
    )


def _only_sessions_of(store: Store, person_id: str, replaced: set[str]) -> bool:
    """Whether every stored conversation with this person is being replaced (so are they)."""
    rows = store.db.execute("SELECT id FROM sessions WHERE person_id = ?", (person_id,)).fetchall()
    return bool(rows) and all(row["id"] in replaced for row in rows)
