"""``topcli sessions import``: restore conversations from a JSON export, exactly.

A file from ``topcli plan export --json`` (one conversation, or an ``--all`` bundle) is checked
completely before anything is written: it must be well-formed JSON in the documented format
(``docs/export-format.md``, the shipped JSON Schema), not from a newer topcli
(``schema_version``), with a framework that passes the same validation as a framework file, and
answers that are what that framework's questions accept. Then every conversation is written in
one :meth:`~topcli.store.Store.transaction` with the same ids, timestamps, answers, actions and
notes, so exporting it again gives the same file. Any problem leaves the store untouched.

A conversation that is already stored is refused unless ``replace`` is given. The field checks
are in :mod:`topcli.transfer_check`; here are the whole-file ones: text topcli never stores (NUL,
lone surrogates) anywhere in the file, a carried-from chain that points at itself, and the file
against the store (a link to an action that is nowhere is left out with a note).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from topcli.errors import ImportFileError
from topcli.transfer_check import (
    BUNDLE_KEYS,
    Checked,
    actions_in,
    check_keys,
    check_session,
    check_version,
    join_path,
    refuse,
)
from topcli.wording import plural

if TYPE_CHECKING:
    from topcli.session import Session
    from topcli.store import Store

__all__ = ["ImportResult", "import_file", "import_text", "parse_export"]


@dataclass
class ImportResult:
    """What an import did, for the CLI to report."""

    sessions: list[Session] = field(default_factory=list)
    #: Ids of stored conversations that were overwritten (``replace``).
    replaced: list[str] = field(default_factory=list)
    #: Things the user should know that did not stop the import.
    notes: list[str] = field(default_factory=list)


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
            refuse(
                source, "", f"the import would leave {plural(len(problems), 'broken reference')}"
            )
    result.sessions = [store.load(item.data["id"]) for item in checked]
    return result


# --------------------------------------------------------------------------- reading the file


def parse_export(text: str, *, source: str) -> list[Checked]:
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
        refuse(source, "", "an export is a JSON object with 'schema_version'")
    _check_text(document, source)
    check_version(document, source, "")
    if "sessions" in document and "id" not in document:
        check_keys(document, BUNDLE_KEYS, source, "")
        sessions = document["sessions"]
        if not isinstance(sessions, list):
            refuse(source, "sessions", "must be a list of conversations")
        items = [(s, f"sessions[{n}]") for n, s in enumerate(sessions)]
    else:
        items = [(document, "")]
    # conversations held with the same framework share one parsed, canonical copy of it
    frameworks: dict[str, tuple[Any, dict[str, Any]]] = {}
    checked = [check_session(data, source, where, frameworks) for data, where in items]
    _check_unique(checked, source)
    _check_carried_chains(checked, source)
    return checked


def _check_text(document: Any, source: str) -> None:
    """Refuse NUL and lone surrogates anywhere in the file, naming the first place.

    ``json`` turns ``\\u0000`` and a lone ``\\ud800`` escape into such characters; stored,
    the one cuts text short in C tools and the other cannot be written out as UTF-8 again.
    """
    from topcli.safetext import text_problem

    pending: list[tuple[Any, str]] = [(document, "")]
    while pending:
        value, where = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key)
                if problem is not None:
                    refuse(source, where or "(top)", f"a key {problem}", hint=_TEXT_HINT)
                pending.append((item, join_path(where, key)))
        elif isinstance(value, list):
            pending.extend((item, join_path(where, n)) for n, item in enumerate(value))
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                refuse(source, where or "(top)", problem, hint=_TEXT_HINT)


_TEXT_HINT = "remove that character from the file; topcli never exports it"


def _check_carried_chains(checked: Sequence[Checked], source: str) -> None:
    """A carried-over action comes from an earlier one: never from itself, never in a circle.

    Following ``carried_from`` must end; a loop would make an action its own history. Links to
    actions outside the file are checked against the store by :mod:`topcli.transfer`.
    """
    carried: dict[str, str] = {}
    where: dict[str, str] = {}
    for item in checked:
        for action in actions_in(item):
            if action["carried_from"] is not None:
                carried[action["id"]] = action["carried_from"]
                where[action["id"]] = item.where
    for start in carried:
        seen = [start]
        step = carried[start]
        while step in carried and step not in seen:
            seen.append(step)
            step = carried[step]
        if step in seen:
            chain = " -> ".join([*seen[seen.index(step) :], step])
            what = (
                "is carried from itself"
                if step == start and len(seen) == 1
                else f"is in a carried-from loop ({chain})"
            )
            refuse(
                source,
                where[start],
                f"action '{start}' {what}",
                hint="carried_from names the earlier action it continues; "
                "the file was changed by hand: export it again from topcli",
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


def _check_unique(checked: Sequence[Checked], source: str) -> None:
    """No conversation or action twice, and one name per person id, within the file."""
    sessions: set[str] = set()
    actions: set[str] = set()
    names: dict[str, str] = {}
    for item in checked:
        data = item.data
        if data["id"] in sessions:
            refuse(source, item.where, f"conversation '{data['id']}' appears twice")
        sessions.add(data["id"])
        person = data["person"]
        if names.setdefault(person["id"], person["name"]) != person["name"]:
            refuse(
                source,
                item.where,
                f"person id '{person['id']}' is called both {names[person['id']]!r} and "
                f"{person['name']!r}",
            )
        for action in actions_in(item):
            if action["id"] in actions:
                refuse(source, item.where, f"action '{action['id']}' appears twice")
            actions.add(action["id"])


# --------------------------------------------------------------------------- against the store


def _check_against_store(
    store: Store, checked: Sequence[Checked], *, source: str, replace: bool, result: ImportResult
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
        for action in actions_in(item):
            row = db.execute(
                "SELECT session_id FROM actions WHERE id = ?", (action["id"],)
            ).fetchone()
            if row is not None and row["session_id"] not in replaced:
                refuse(
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
            refuse(
                source,
                item.where,
                f"person id '{person['id']}' is {row['name']!r} here but {person['name']!r} in "
                "the file; nothing was imported",
                hint="import into a separate data folder (TOPCLI_HOME)",
            )
    _check_carried_from(store, checked, replaced, result)
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


def _check_carried_from(
    store: Store, checked: Sequence[Checked], replaced: set[str], result: ImportResult
) -> None:
    """A ``carried_from`` must name an action in the file or one stored here (and staying).

    Like a conversation's ``previous_id``, a link to an action that is neither is left out with
    a note, not kept dangling: exporting a single check-in and importing it elsewhere is
    ordinary, and its carried actions then have no earlier action to point at.
    """
    in_file = {action["id"] for item in checked for action in actions_in(item)}
    for item in checked:
        for action in actions_in(item):
            earlier = action["carried_from"]
            if earlier is None or earlier in in_file:
                continue
            row = store.db.execute(
                "SELECT session_id FROM actions WHERE id = ?", (earlier,)
            ).fetchone()
            if row is not None and row["session_id"] not in replaced:
                continue
            action["carried_from"] = None
            result.notes.append(
                f"action {action['id']} was carried over from action {earlier}, which is "
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
