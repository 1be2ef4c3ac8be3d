"""Local storage: one SQLite file in the user's data folder, readable by its owner only.

Every answer is written in its own transaction the moment it is given, so Ctrl-C, a closed
terminal or a crash loses at most the answer being typed, and never leaves the file unreadable
(SQLite's journal makes each write all-or-nothing).

``TOPCLI_HOME`` points the data folder elsewhere (the tests use a temporary one).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import stat
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topcli import clock
from topcli.errors import NotFoundError, StorageError, UsageError
from topcli.framework import Framework, Question

if TYPE_CHECKING:
    from topcli.session import Session

DB_NAME = "topcli.db"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL DEFAULT 'conversation',
    previous_id TEXT REFERENCES sessions(id),
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    framework_json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'in_progress',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    value_json TEXT,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (session_id, question_id)
);
CREATE TABLE IF NOT EXISTS actions (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    what TEXT NOT NULL,
    due TEXT NOT NULL,
    success TEXT NOT NULL DEFAULT '',
    support TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    carried_from TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS action_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status TEXT,
    text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS drafts (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    value_json TEXT NOT NULL,
    PRIMARY KEY (session_id, question_id)
);
CREATE INDEX IF NOT EXISTS sessions_person ON sessions(person_id, started_at);
CREATE INDEX IF NOT EXISTS actions_session ON actions(session_id, position);
"""

#: ``carried``: moved to a later check-in's plan as a new action whose ``carried_from`` is this one,
#: so each piece of work is open in one place only (see docs/follow-through.md).
ACTION_STATUSES = ("open", "done", "dropped", "carried")


def data_dir() -> Path:
    """``TOPCLI_HOME`` if set, else the platform's user data folder for topcli."""
    home = os.environ.get("TOPCLI_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("topcli", appauthor=False))


def _private_dir(path: Path) -> None:
    """Create ``path`` (mode 0700) or tighten it: career notes are personal.

    A folder that also holds other things (``TOPCLI_HOME=/tmp``, a shared folder) is not
    topcli's to lock down: its mode is left alone, and the database file itself is 0600.
    """
    if path.exists() and not path.is_dir():
        raise StorageError(
            f"the data folder {path} is a file, not a folder",
            hint="set TOPCLI_HOME to a folder (topcli creates it if it does not exist)",
        )
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        ours = all(child.name.startswith(DB_NAME) for child in path.iterdir())
        if ours and stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o700)
        probe = path / ".write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise StorageError(
            f"cannot write to the data folder {path}: {exc.strerror or exc}",
            hint="set TOPCLI_HOME to a folder you can write to, or fix its permissions",
        ) from None


def new_id(nbytes: int = 4) -> str:
    return secrets.token_hex(nbytes)


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "person"


class Store:
    """All reads and writes of conversations, people and actions."""

    def __init__(self, path: Path | None = None) -> None:
        folder = data_dir() if path is None else path.parent
        _private_dir(folder)
        self.path = path or folder / DB_NAME
        try:
            if not self.path.exists():
                # create it owner-only before SQLite opens it; its journal inherits the mode
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            elif stat.S_IMODE(self.path.stat().st_mode) & 0o077:
                self.path.chmod(0o600)
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"cannot use the database {self.path}: {exc}",
                hint="restore it from a backup or move it aside; "
                "TOPCLI_HOME chooses another folder",
            ) from None
        except OSError as exc:
            raise StorageError(
                f"cannot open {self.path}: {exc.strerror or exc}",
                hint="check its permissions, or set TOPCLI_HOME",
            ) from None

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row["value"]) > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer topcli (schema {row['value']})",
                hint="upgrade topcli: pip install -U topcli",
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an import or a multi-row change is never half written.

        Inside another transaction this one joins it, so store methods that write in their own
        transaction can be combined (a check-in's outcome) and still commit or roll back as one.
        """
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------------ people

    def people(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM people ORDER BY name COLLATE NOCASE, id").fetchall()

    def find_person(self, query: str) -> sqlite3.Row:
        """A person by id, exact name, or a unique part of a name. Ambiguity is an error."""
        matches = self.match_people(query)
        if not matches:
            raise NotFoundError(
                f"no conversations with anyone called '{query}'",
                hint="'topcli people list' shows everyone; 'topcli start --person NAME' starts one",
            )
        if len(matches) > 1:
            listing = ", ".join(f"{p['name']} (id {p['id']})" for p in matches)
            raise UsageError(
                f"'{query}' matches {len(matches)} people: {listing}",
                hint="give the person's id instead",
            )
        return matches[0]

    def match_people(self, query: str) -> list[sqlite3.Row]:
        people = self.people()
        by_id = [p for p in people if p["id"] == query]
        if by_id:
            return by_id
        folded = query.strip().casefold()
        exact = [p for p in people if p["name"].casefold() == folded]
        if exact:
            return exact
        return [p for p in people if folded and folded in p["name"].casefold()]

    def person_for_new_session(self, name: str) -> sqlite3.Row:
        """The person a new conversation is with: an exact id or name match, or someone new."""
        name = " ".join(name.split())
        if not name:
            raise UsageError(
                "the person's name is empty", hint="give a name, e.g. --person 'Sam Lee'"
            )
        people = self.people()
        by_id = [p for p in people if p["id"] == name]
        exact = by_id or [p for p in people if p["name"].casefold() == name.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            listing = ", ".join(f"{p['id']}" for p in exact)
            raise UsageError(
                f"there are {len(exact)} people called '{name}' (ids: {listing})",
                hint="give the id with --person",
            )
        return self.add_person(name)

    def add_person(self, name: str, person_id: str | None = None) -> sqlite3.Row:
        taken = {p["id"] for p in self.people()}
        if person_id is None:
            base = slugify(name)
            person_id, n = base, 2
            while person_id in taken:
                person_id, n = f"{base}-{n}", n + 1
        self.db.execute("INSERT INTO people VALUES (?, ?, ?)", (person_id, name, clock.timestamp()))
        return self.db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()

    # ------------------------------------------------------------------ sessions

    def create_session(
        self,
        person_id: str,
        framework: Framework,
        *,
        kind: str = "conversation",
        previous_id: str | None = None,
    ) -> str:
        session_id = self._unused_id("sessions", 4)
        now = clock.timestamp()
        self.db.execute(
            "INSERT INTO sessions (id, person_id, kind, previous_id, framework_id,"
            " framework_version, framework_json, status, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?)",
            (
                session_id,
                person_id,
                kind,
                previous_id,
                framework.id,
                framework.version,
                json.dumps(framework.to_dict(), ensure_ascii=False),
                now,
                now,
            ),
        )
        return session_id

    def _unused_id(self, table: str, nbytes: int) -> str:
        while True:
            candidate = new_id(nbytes)
            if not self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
                return candidate

    def session_row(self, session_id: str) -> sqlite3.Row:
        """A conversation by id, or by a unique start of one."""
        return self._by_id(
            "sessions",
            session_id,
            prefix=True,
            noun="conversation",
            hint="'topcli sessions list' shows the ids",
            more="give more of the id",
        )

    def _by_id(
        self, table: str, ident: str, *, prefix: bool, noun: str, hint: str, more: str
    ) -> sqlite3.Row:
        """The row of ``table`` with id ``ident``; with ``prefix``, the one row whose id starts
        so. An ambiguous start is a :class:`UsageError` listing the ids it matches."""
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (ident,)).fetchone()
        if row is None and prefix and ident:
            pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            matches = self.db.execute(
                f"SELECT * FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id",
                (pattern + "%",),
            ).fetchall()
            if len(matches) > 1:
                raise UsageError(
                    f"'{ident}' is the start of {len(matches)} {noun} ids: "
                    + ", ".join(m["id"] for m in matches),
                    hint=more,
                )
            row = matches[0] if matches else None
        if row is None:
            raise NotFoundError(f"no {noun} with id '{ident}'", hint=hint)
        return row

    def session_rows(
        self, *, person_id: str | None = None, status: str | None = None
    ) -> list[sqlite3.Row]:
        sql = "SELECT * FROM sessions WHERE 1=1"
        params: list[Any] = []
        if person_id is not None:
            sql += " AND person_id = ?"
            params.append(person_id)
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        return self.db.execute(sql + " ORDER BY started_at, rowid", params).fetchall()

    def latest_session_row(
        self, *, person_id: str | None = None, status: str | None = None
    ) -> sqlite3.Row | None:
        rows = self.session_rows(person_id=person_id, status=status)
        return rows[-1] if rows else None

    def load(self, session_id: str) -> Session:
        from topcli.session import Session

        row = self.session_row(session_id)
        person = self.db.execute(
            "SELECT * FROM people WHERE id = ?", (row["person_id"],)
        ).fetchone()
        return Session.from_store(row, person, self._answers(row["id"]), self._actions(row["id"]))

    def _answers(self, session_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM answers WHERE session_id = ? ORDER BY rowid", (session_id,)
        ).fetchall()

    def _actions(self, session_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT * FROM actions WHERE session_id = ? ORDER BY question_id, position",
            (session_id,),
        ).fetchall()
        return [self._action_dict(row) for row in rows]

    def _action_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        notes = self.db.execute(
            "SELECT at, status, text FROM action_notes WHERE action_id = ? ORDER BY id",
            (row["id"],),
        ).fetchall()
        return {
            "id": row["id"],
            "question_id": row["question_id"],
            "what": row["what"],
            "due": row["due"],
            "success": row["success"],
            "support": row["support"],
            "status": row["status"],
            "carried_from": row["carried_from"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "notes": [dict(n) for n in notes],
        }

    def save_answer(self, session_id: str, question: Question, value: Any) -> None:
        """Store one answer at once, in its own transaction. Actions get rows with stable ids."""
        now = clock.timestamp()
        with self.transaction() as db:
            stored = value
            if question.type == "actions":
                db.execute(
                    "DELETE FROM actions WHERE session_id = ? AND question_id = ?",
                    (session_id, question.id),
                )
                stored = [
                    self._insert_action(session_id, question.id, n, action, now)
                    for n, action in enumerate(value or [])
                ]
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                (session_id, question.id, json.dumps(stored, ensure_ascii=False), now),
            )
            db.execute(
                "DELETE FROM drafts WHERE session_id = ? AND question_id = ?",
                (session_id, question.id),
            )
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now, session_id))

    def forget_answers(self, session_id: str, question_ids: Collection[str]) -> None:
        """Remove answers (their actions and drafts too) in one transaction.

        For questions that no longer apply after an earlier answer changed: what they said
        must not stay in the conversation, nor be exported.
        """
        ids = list(question_ids)
        if not ids:
            return
        marks = ", ".join("?" for _ in ids)
        with self.transaction() as db:
            for table in ("answers", "actions", "drafts"):
                db.execute(
                    f"DELETE FROM {table} WHERE session_id = ? AND question_id IN ({marks})",
                    (session_id, *ids),
                )
            db.execute(
                "UPDATE sessions SET updated_at = ? WHERE id = ?", (clock.timestamp(), session_id)
            )

    def draft(self, session_id: str, question_id: str) -> Any:
        """What was typed of an unfinished answer (e.g. the first actions), or ``None``."""
        row = self.db.execute(
            "SELECT value_json FROM drafts WHERE session_id = ? AND question_id = ?",
            (session_id, question_id),
        ).fetchone()
        return None if row is None else json.loads(row["value_json"])

    def save_draft(self, session_id: str, question_id: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)",
            (session_id, question_id, json.dumps(value, ensure_ascii=False)),
        )

    def _insert_action(
        self, session_id: str, question_id: str, position: int, action: Mapping[str, Any], now: str
    ) -> str:
        action_id = self._unused_id("actions", 3)
        self.db.execute(
            "INSERT INTO actions (id, session_id, question_id, position, what, due, success,"
            " support, status, carried_from, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            (
                action_id,
                session_id,
                question_id,
                position,
                action["what"],
                action["due"],
                action.get("success", ""),
                action.get("support", ""),
                action.get("carried_from"),
                now,
                now,
            ),
        )
        return action_id

    def add_action(self, session_id: str, question_id: str, action: Mapping[str, Any]) -> str:
        """Append one action to an answered actions question, keeping its other actions' ids.

        A check-in uses it for carried-over actions (``action["carried_from"]``): unlike
        :meth:`save_answer` it does not replace the actions already there.
        """
        now = clock.timestamp()
        with self.transaction() as db:
            row = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) AS n FROM actions"
                " WHERE session_id = ? AND question_id = ?",
                (session_id, question_id),
            ).fetchone()
            action_id = self._insert_action(session_id, question_id, row["n"], action, now)
            ids = [
                r["id"]
                for r in db.execute(
                    "SELECT id FROM actions WHERE session_id = ? AND question_id = ?"
                    " ORDER BY position",
                    (session_id, question_id),
                )
            ]
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?) ON CONFLICT (session_id, question_id)"
                " DO UPDATE SET value_json = excluded.value_json",
                (session_id, question_id, json.dumps(ids), now),
            )
        return action_id

    def complete(self, session_id: str) -> None:
        now = clock.timestamp()
        self.db.execute(
            "UPDATE sessions SET status = 'complete', completed_at = ?, updated_at = ?"
            " WHERE id = ?",
            (now, now, session_id),
        )

    def delete_session(self, session_id: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE sessions SET previous_id = NULL WHERE previous_id = ?", (session_id,)
            )
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            # a person with no conversation left is removed too: nothing personal lingers
            db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM sessions)")

    def remove_for_import(self, session_ids: Collection[str]) -> None:
        """Remove conversations an import replaces, inside the import's transaction.

        Foreign keys are checked at commit, so conversations that follow on from a replaced one
        (``previous_id``) keep pointing to it once the file's version is written. People left
        without a conversation are removed, so the file's version of them is written whole.
        """
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        self.db.executemany("DELETE FROM sessions WHERE id = ?", [(i,) for i in session_ids])
        self.db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM sessions)")

    def insert_imported(
        self, data: Mapping[str, Any], *, action_questions: Collection[str]
    ) -> None:
        """Write one validated JSON export back exactly: same ids, timestamps, order and notes.

        Used by :mod:`topcli.transfer`, which validates ``data`` first and holds the one
        transaction around a whole import. ``action_questions`` names the answers that hold
        actions (they become rows of ``actions`` with their notes). The person is added if their
        id is new; an existing person with that id is kept.
        """
        db = self.db
        person = data["person"]
        if not db.execute("SELECT 1 FROM people WHERE id = ?", (person["id"],)).fetchone():
            db.execute(
                "INSERT INTO people VALUES (?, ?, ?)",
                (person["id"], person["name"], person["created_at"]),
            )
        framework = data["framework"]
        db.execute(
            "INSERT INTO sessions (id, person_id, kind, previous_id, framework_id,"
            " framework_version, framework_json, status, started_at, updated_at, completed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data["id"],
                person["id"],
                data["kind"],
                data["previous_id"],
                framework["id"],
                framework["version"],
                json.dumps(framework, ensure_ascii=False),
                data["status"],
                data["started_at"],
                data["updated_at"],
                data["completed_at"],
            ),
        )
        for question_id, value in data["answers"].items():
            stored = value
            if question_id in action_questions:
                stored = []
                for position, action in enumerate(value):
                    db.execute(
                        "INSERT INTO actions (id, session_id, question_id, position, what, due,"
                        " success, support, status, carried_from, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            action["id"],
                            data["id"],
                            question_id,
                            position,
                            action["what"],
                            action["due"],
                            action["success"],
                            action["support"],
                            action["status"],
                            action["carried_from"],
                            action["created_at"],
                            action["updated_at"],
                        ),
                    )
                    db.executemany(
                        "INSERT INTO action_notes (action_id, at, status, text) VALUES (?,?,?,?)",
                        [(action["id"], n["at"], n["status"], n["text"]) for n in action["notes"]],
                    )
                    stored.append(action["id"])
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?)",
                (
                    data["id"],
                    question_id,
                    json.dumps(stored, ensure_ascii=False),
                    data["answered_at"][question_id],
                ),
            )

    # ------------------------------------------------------------------ actions

    def action_row(self, action_id: str, *, prefix: bool = False) -> dict[str, Any]:
        """The action ``action_id``; with ``prefix``, also the one action whose id starts so.

        An ambiguous start is a :class:`UsageError` listing the ids it matches. Ids that topcli
        takes from its own records (a check-in's reviewed actions) are looked up exactly.
        """
        row = self._by_id(
            "actions",
            action_id,
            prefix=prefix,
            noun="action",
            hint="'topcli actions list' shows the ids"
            + ("; a unique start of one is enough" if prefix else ""),
            more="give more of the id; 'topcli actions list' shows what each one is",
        )
        return self._action_dict(row)

    def set_action_status(self, action_id: str, status: str, note: str = "") -> None:
        if status not in ACTION_STATUSES:
            raise UsageError(
                f"unknown action status '{status}'",
                hint="use one of: " + ", ".join(ACTION_STATUSES),
            )
        now = clock.timestamp()
        with self.transaction() as db:
            db.execute(
                "UPDATE actions SET status = ?, updated_at = ? WHERE id = ?",
                (status, now, action_id),
            )
            db.execute(
                "INSERT INTO action_notes (action_id, at, status, text) VALUES (?,?,?,?)",
                (action_id, now, status, note),
            )

    def add_action_note(self, action_id: str, text: str) -> None:
        now = clock.timestamp()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO action_notes (action_id, at, status, text) VALUES (?,?,?,?)",
                (action_id, now, None, text),
            )
            db.execute("UPDATE actions SET updated_at = ? WHERE id = ?", (now, action_id))


def open_store() -> Store:
    return Store()
