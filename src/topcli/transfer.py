"""``topcli sessions import``: restore conversations from a JSON export, exactly.

A file from ``topcli plan export --json`` (one conversation, or an ``--all`` bundle) is checked
completely before anything is written: it must be well-formed JSON in the documented format
(``docs/export-format.md``, the shipped JSON Schema), not from a newer topcli
(``schema_version``), with a framework that passes the same validation as a framework file, and
answers that are what that framework's questions accept. Then every conversation is written in
one :meth:`~topcli.store.Store.transaction` with the same ids, timestamps, answers, actions and
notes, so exporting it again gives the same file. Any problem leaves the store untouched.

A conversation that is already stored is refused unless ``replace`` is given. The field checks
are in :mod:`topcli.transfer_check`; here the file meets the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from topcli.errors import ImportFileError
from topcli.transfer_check import Checked, actions_in, parse_export, refuse
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
        if result.replaced:
            store.remove_for_import(result.replaced)
        for item in checked:
            store.insert_imported(item.data, action_questions=item.action_questions)
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
