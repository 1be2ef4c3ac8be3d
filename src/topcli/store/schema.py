"""The database's layout (schema 2) and the steps that bring an older file up to it.

Schema 2, one table per thing, each framework snapshot stored once:

- ``meta(key, value)``: ``schema_version``.
- ``people(id, name, created_at)``.
- ``snapshots(id, hash, framework_json)``: a framework exactly as a conversation was held with
  it, once per content; ``hash`` is the SHA-256 of its canonical JSON (sorted keys, no spaces).
- ``sessions(id, person_id, kind, previous_id, framework_id, framework_version, snapshot_id,
  status, started_at, updated_at, completed_at, followup)``: conversations and check-ins;
  ``followup`` mirrors the follow-up answer so listings need not read answers.
- ``answers(session_id, question_id, value_json, answered_at, source)``: actions answers hold
  the list of their action ids; ``source`` says where an answer came from: ``NULL`` (asked in
  the conversation), ``'prep'`` (the person's preparation sheet) or ``'answers-file'``.
- ``actions(id, session_id, question_id, position, what, due, success, support, status,
  carried_from, created_at, updated_at)`` and ``action_notes(id, action_id, at, status, text)``.
- ``drafts(session_id, question_id, value_json)``: what was typed of an unfinished answer.
- ``edits(id, session_id, at, what)``: each correction made after the fact (``sessions edit``,
  ``plan reschedule``, an import that replaced different content), in words.

Every per-item lookup has an index (``tests/test_store_queries.py`` checks the query plans).

A newer file is refused; an older one is migrated by :data:`MIGRATIONS`: ``MIGRATIONS[n]`` takes
a schema ``n + 1`` database to ``n + 2`` inside the caller's transaction. The next change of
layout is one more function at the end of that list.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from topcli.errors import StorageError

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    framework_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL DEFAULT 'conversation',
    previous_id TEXT REFERENCES sessions(id),
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    status TEXT NOT NULL DEFAULT 'in_progress',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    followup TEXT
);
CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    value_json TEXT,
    answered_at TEXT NOT NULL,
    source TEXT,
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
CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    what TEXT NOT NULL
);
"""

_INDEXES = """
DROP INDEX IF EXISTS sessions_person;
DROP INDEX IF EXISTS actions_session;
CREATE INDEX IF NOT EXISTS sessions_by_person ON sessions(person_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions(started_at);
CREATE INDEX IF NOT EXISTS sessions_by_status ON sessions(status, started_at);
CREATE INDEX IF NOT EXISTS sessions_by_previous ON sessions(previous_id);
CREATE INDEX IF NOT EXISTS sessions_by_snapshot ON sessions(snapshot_id);
CREATE INDEX IF NOT EXISTS actions_by_session ON actions(session_id, question_id, position);
CREATE INDEX IF NOT EXISTS actions_by_status ON actions(status, due);
CREATE INDEX IF NOT EXISTS actions_by_carried_from ON actions(carried_from);
CREATE INDEX IF NOT EXISTS notes_by_action ON action_notes(action_id, id);
CREATE INDEX IF NOT EXISTS edits_by_session ON edits(session_id, id);
"""

SCHEMA_VERSION = 2


def snapshot_hash(framework: Any) -> str:
    """The content key of a framework snapshot: the same content, the same key."""
    import hashlib  # only when a snapshot is written or migrated, not on every start-up

    canonical = json.dumps(framework, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_version(db: sqlite3.Connection, path: object) -> int | None:
    """The file's schema version; ``None`` for a new, empty file."""
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row["value"])
    except (TypeError, ValueError):
        raise StorageError(
            f"{path} has an unreadable schema version {row['value']!r}",
            hint="it was changed by another program; move it aside (topcli starts a new one) "
            "or set schema_version back in its meta table",
        ) from None


def create(db: sqlite3.Connection) -> None:
    """A new database at the current version (in the caller's transaction; idempotent)."""
    for statement in (_TABLES + _INDEXES).split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


# --------------------------------------------------------------------------- migrations


def table_ddl(name: str) -> str:
    """The ``CREATE TABLE`` statement of table ``name`` in the current layout, for a migration
    that adds the table (so the layout is written once)."""
    for statement in _TABLES.split(";\n"):
        if f"CREATE TABLE IF NOT EXISTS {name} (" in statement:
            return statement
    raise KeyError(name)


def _v1_to_v2(db: sqlite3.Connection) -> None:
    """Framework snapshots stored once, a follow-up column, and the indexes listings need."""
    from topcli.validation import framework_from_data

    db.execute(
        "CREATE TABLE snapshots (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
        " framework_json TEXT NOT NULL)"
    )
    by_hash: dict[str, int] = {}
    followup_questions: dict[int, list[str]] = {}
    session_snapshot: list[tuple[int, str]] = []
    for row in db.execute("SELECT id, framework_json FROM sessions ORDER BY rowid").fetchall():
        data = json.loads(row["framework_json"])
        key = snapshot_hash(data)
        if key not in by_hash:
            cursor = db.execute(
                "INSERT INTO snapshots (hash, framework_json) VALUES (?, ?)",
                (key, row["framework_json"]),
            )
            by_hash[key] = int(cursor.lastrowid or 0)
            model = framework_from_data(data, origin=None, snapshot=True)
            followup_questions[by_hash[key]] = [
                q.id for _, q in model.questions() if q.type == "followup"
            ]
        session_snapshot.append((by_hash[key], row["id"]))
    db.execute("ALTER TABLE sessions ADD COLUMN snapshot_id INTEGER REFERENCES snapshots(id)")
    db.execute("ALTER TABLE sessions ADD COLUMN followup TEXT")
    db.executemany("UPDATE sessions SET snapshot_id = ? WHERE id = ?", session_snapshot)
    for snapshot_id, question_ids in followup_questions.items():
        for qid in reversed(question_ids):  # the first in framework order wins, as in Session
            db.execute(
                "UPDATE sessions SET followup = (SELECT json_extract(a.value_json, '$')"
                " FROM answers a WHERE a.session_id = sessions.id AND a.question_id = ?)"
                " WHERE snapshot_id = ? AND EXISTS (SELECT 1 FROM answers a"
                " WHERE a.session_id = sessions.id AND a.question_id = ?"
                " AND json_extract(a.value_json, '$') IS NOT NULL"
                " AND json_extract(a.value_json, '$') != '')",
                (qid, snapshot_id, qid),
            )
    # the framework text now lives once, in snapshots
    db.execute("ALTER TABLE sessions DROP COLUMN framework_json")
    db.execute(table_ddl("edits"))  # corrections after the fact (new in schema 2)
    # where each answer came from; nothing a 0.1.0 file holds is known to come from elsewhere
    db.execute("ALTER TABLE answers ADD COLUMN source TEXT")


#: ``MIGRATIONS[n]`` takes a schema ``n + 1`` database to schema ``n + 2``.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1_to_v2]

assert len(MIGRATIONS) == SCHEMA_VERSION - 1, "each schema version needs its migration"


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a schema ``version`` database to :data:`SCHEMA_VERSION` (caller's transaction)."""
    for step in MIGRATIONS[version - 1 :]:
        step(db)
    for statement in _INDEXES.split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
