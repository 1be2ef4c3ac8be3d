"""Conversations (and check-ins): create, load, list, delete, import (answers: store/answers.py).

A conversation references the framework it was held with through ``snapshot_id``; each distinct
snapshot is stored once (see :mod:`topcli.store.schema`) and parsed once per process.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from topcli import clock
from topcli.errors import NotFoundError
from topcli.store.schema import snapshot_hash

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from topcli.framework import Framework
    from topcli.session import Session

#: Parsed snapshots by content hash: a framework is parsed once per process, however many
#: conversations were held with it. Bounded, since a long import may bring many versions.
_PARSED: dict[str, Framework] = {}
_PARSED_MAX = 64


def parsed_snapshot(key: str, framework_json: str | None) -> Framework | None:
    """The model of snapshot ``key``; ``None`` when it is not cached and no text is given."""
    framework = _PARSED.get(key)
    if framework is None and framework_json is not None:
        # the model and its validation load only when a full conversation is read
        from topcli.validation import framework_from_data

        framework = framework_from_data(json.loads(framework_json), origin=None, snapshot=True)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = framework
    return framework


class ConversationsMixin:
    """The conversations part of :class:`~topcli.store.Store`."""

    db: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _unused_id(self, table: str, nbytes: int) -> str: ...
        def _by_id(
            self, table: str, ident: str, *, prefix: bool, noun: str, hint: str, more: str
        ) -> sqlite3.Row: ...
        def _insert_action(
            self,
            session_id: str,
            question_id: str,
            position: int,
            action: Mapping[str, Any],
            now: str,
        ) -> str: ...
        def _insert_imported_actions(
            self, session_id: str, question_id: str, actions: list[Mapping[str, Any]]
        ) -> list[str]: ...
        def _actions(self, session_id: str) -> list[dict[str, Any]]: ...

    # ------------------------------------------------------------------ snapshots

    def _snapshot_id(self, framework: Mapping[str, Any]) -> int:
        """The id of this framework content's snapshot, stored now if it is new.

        An import hands the same framework object for every conversation held with it, so its
        hash is remembered by identity (the object is kept, so the identity stays its own).
        """
        hashes: dict[int, tuple[Mapping[str, Any], str]] = self.__dict__.setdefault(
            "_snapshot_hashes", {}
        )
        known = hashes.get(id(framework))
        if known is not None and known[0] is framework:
            key = known[1]
        else:
            key = snapshot_hash(framework)
            if len(hashes) >= 64:
                hashes.clear()
            hashes[id(framework)] = (framework, key)
        row = self.db.execute("SELECT id FROM snapshots WHERE hash = ?", (key,)).fetchone()
        if row is not None:
            return int(row["id"])
        cursor = self.db.execute(
            "INSERT INTO snapshots (hash, framework_json) VALUES (?, ?)",
            (key, json.dumps(framework, ensure_ascii=False)),
        )
        return int(cursor.lastrowid or 0)

    def _framework(self, snapshot_id: int, key: str) -> Framework:
        framework = parsed_snapshot(key, None)
        if framework is None:
            row = self.db.execute(
                "SELECT framework_json FROM snapshots WHERE id = ?", (snapshot_id,)
            ).fetchone()
            framework = parsed_snapshot(key, row["framework_json"])
        assert framework is not None
        return framework

    # ------------------------------------------------------------------ writing

    def create_session(
        self,
        person_id: str,
        framework: Framework,
        *,
        kind: str = "conversation",
        previous_id: str | None = None,
    ) -> str:
        with self.transaction() as db:
            session_id = self._unused_id("sessions", 4)
            now = clock.timestamp()
            db.execute(
                "INSERT INTO sessions (id, person_id, kind, previous_id, framework_id,"
                " framework_version, snapshot_id, status, started_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?)",
                (
                    session_id,
                    person_id,
                    kind,
                    previous_id,
                    framework.id,
                    framework.version,
                    self._snapshot_id(framework.to_dict()),
                    now,
                    now,
                ),
            )
        return session_id

    def replace_snapshot(self, session_id: str, framework: Framework) -> None:
        """Hold this conversation with ``framework`` from now on (a private notes question added).

        Checked as a loaded framework is, stored content-keyed; an unused old snapshot goes.
        """
        from topcli.validation import check_framework

        check_framework(framework)
        with self.transaction() as db:
            self._require_session(session_id)
            old = db.execute(
                "SELECT snapshot_id FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()["snapshot_id"]
            db.execute(
                "UPDATE sessions SET snapshot_id = ?, updated_at = ? WHERE id = ?",
                (self._snapshot_id(framework.to_dict()), clock.timestamp(), session_id),
            )
            self._remove_orphans([], [old])

    def _require_session(self, session_id: str) -> None:
        """Refuse to write into a conversation that is gone (deleted by another topcli)."""
        if not self.db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
            raise NotFoundError(
                f"conversation {session_id} is no longer stored (it was deleted, perhaps by "
                "another topcli); this answer was not saved",
                hint="'topcli sessions list' shows the conversations there are",
            )

    def complete(self, session_id: str) -> None:
        now = clock.timestamp()
        self.db.execute(
            "UPDATE sessions SET status = 'complete', completed_at = ?, updated_at = ?"
            " WHERE id = ?",
            (now, now, session_id),
        )

    def delete_session(self, session_id: str) -> None:
        with self.transaction() as db:
            row = db.execute(
                "SELECT person_id, snapshot_id FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            db.execute(
                "UPDATE sessions SET previous_id = NULL WHERE previous_id = ?", (session_id,)
            )
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            if row is not None:
                self._remove_orphans([row["person_id"]], [row["snapshot_id"]])

    def _remove_orphans(self, person_ids: Iterable[str], snapshot_ids: Iterable[int]) -> None:
        """People and snapshots no conversation refers to any more: nothing personal lingers.

        Only the given ones are looked at (through indexes), never the whole store.
        """
        self.db.executemany(
            "DELETE FROM people WHERE id = ?1"
            " AND NOT EXISTS (SELECT 1 FROM sessions WHERE person_id = ?1)",
            [(p,) for p in set(person_ids)],
        )
        self.db.executemany(
            "DELETE FROM snapshots WHERE id = ?1"
            " AND NOT EXISTS (SELECT 1 FROM sessions WHERE snapshot_id = ?1)",
            [(s,) for s in set(snapshot_ids)],
        )

    def remove_for_import(self, session_ids: Collection[str]) -> None:
        """Remove conversations an import replaces, inside the import's transaction.

        Foreign keys are checked at commit, so conversations that follow on from a replaced one
        (``previous_id``) keep pointing to it once the file's version is written. People left
        without a conversation are removed, so the file's version of them is written whole.
        """
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        people: list[str] = []
        for session_id in session_ids:
            row = self.db.execute(
                "DELETE FROM sessions WHERE id = ? RETURNING person_id", (session_id,)
            ).fetchone()
            if row is not None:
                people.append(row["person_id"])
        # snapshots are kept: the file's conversations most likely use them again
        self._remove_orphans(people, [])

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
        db.execute(
            "INSERT OR IGNORE INTO people VALUES (?, ?, ?)",
            (person["id"], person["name"], person["created_at"]),
        )
        framework = data["framework"]
        db.execute(
            "INSERT INTO sessions (id, person_id, kind, previous_id, framework_id,"
            " framework_version, snapshot_id, status, started_at, updated_at, completed_at,"
            " followup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data["id"],
                person["id"],
                data["kind"],
                data["previous_id"],
                framework["id"],
                framework["version"],
                self._snapshot_id(framework),
                data["status"],
                data["started_at"],
                data["updated_at"],
                data["completed_at"],
                data.get("followup"),
            ),
        )
        rows = []
        sources = data.get("answer_sources") or {}  # schema_version 2; a version 1 file: none
        for question_id, value in data["answers"].items():
            stored = value
            if question_id in action_questions:
                stored = self._insert_imported_actions(data["id"], question_id, value)
            rows.append(
                (
                    data["id"],
                    question_id,
                    json.dumps(stored, ensure_ascii=False),
                    data["answered_at"][question_id],
                    sources.get(question_id),
                )
            )
        db.executemany(
            "INSERT INTO answers (session_id, question_id, value_json, answered_at, source)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    # ------------------------------------------------------------------ reading

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

    def session_rows(
        self, *, person_id: str | None = None, status: str | None = None
    ) -> list[sqlite3.Row]:
        """Conversation rows (no framework text), oldest first."""
        sql = "SELECT * FROM sessions WHERE 1=1"
        params: list[Any] = []
        if person_id is not None:
            sql += " AND person_id = ?"
            params.append(person_id)
        if status is not None:
            # with a person, their rows come first (not every conversation with that status)
            sql += " AND +status = ?" if person_id is not None else " AND status = ?"
            params.append(status)
        return self.db.execute(sql + " ORDER BY started_at, rowid", params).fetchall()

    def session_ids(self, *, person_id: str | None = None) -> list[str]:
        """Conversation ids, oldest first, as :meth:`session_rows` orders them (ids only)."""
        sql = "SELECT id FROM sessions" + (" WHERE person_id = ?" if person_id else "")
        params = (person_id,) if person_id else ()
        return [row[0] for row in self.db.execute(sql + " ORDER BY started_at, rowid", params)]

    def latest_session_row(
        self, *, person_id: str | None = None, status: str | None = None
    ) -> sqlite3.Row | None:
        """The most recently started conversation (with filters), read as one row."""
        sql = "SELECT * FROM sessions WHERE 1=1"
        params: list[Any] = []
        if person_id is not None:
            sql += " AND person_id = ?"
            params.append(person_id)
        if status is not None:
            # with a person, their rows come first (not every conversation with that status)
            sql += " AND +status = ?" if person_id is not None else " AND status = ?"
            params.append(status)
        return self.db.execute(
            sql + " ORDER BY started_at DESC, rowid DESC LIMIT 1", params
        ).fetchone()

    def conversation_count(self, *, person_id: str | None = None) -> int:
        """How many conversations there are (``person_id``'s), for "showing 50 of ..."."""
        if person_id is None:
            return int(self.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM sessions WHERE person_id = ?", (person_id,)
            ).fetchone()[0]
        )

    def latest_plan_id(self, *, person_id: str | None = None) -> str | None:
        """The most recently started conversation (``person_id``'s) that has a plan: actions or
        a follow-up date (as :attr:`Session.has_plan`). Walks the start index from the newest
        and stops at the first; reads no answers and no framework text."""
        where = "s.person_id = ?" if person_id is not None else "1=1"
        row = self.db.execute(
            "SELECT s.id FROM sessions s"
            f" WHERE {where} AND (COALESCE(s.followup, '') != ''"
            " OR EXISTS (SELECT 1 FROM actions a WHERE a.session_id = s.id))"
            " ORDER BY s.started_at DESC, s.rowid DESC LIMIT 1",
            () if person_id is None else (person_id,),
        ).fetchone()
        return None if row is None else str(row["id"])

    def load(self, session_id: str) -> Session:
        """One conversation as a full model: four queries (five the first time its framework
        is met in this process), whatever the store's size."""
        from topcli.session import Session

        sql = (
            "SELECT s.*, p.name AS person_name, p.created_at AS person_created_at,"
            " f.hash AS snapshot_hash FROM sessions s JOIN people p ON p.id = s.person_id"
            " JOIN snapshots f ON f.id = s.snapshot_id WHERE s.id = ?"
        )
        row = self.db.execute(sql, (session_id,)).fetchone()
        if row is None:  # a start of an id (or none): the lookup that explains which
            row = self.db.execute(sql, (self.session_row(session_id)["id"],)).fetchone()
        ident = row["id"]
        framework = self._framework(row["snapshot_id"], row["snapshot_hash"])
        person = {"id": row["person_id"], "name": row["person_name"]}
        person["created_at"] = row["person_created_at"]
        answers = self.db.execute(
            "SELECT * FROM answers WHERE session_id = ? ORDER BY rowid", (ident,)
        ).fetchall()
        return Session.from_store(row, person, answers, self._actions(ident), framework=framework)

    def conversation_summaries(self, **filters: Any) -> list[dict[str, Any]]:
        """:meth:`iter_conversation_summaries` as a list (same filters)."""
        return list(self.iter_conversation_summaries(**filters))

    def iter_conversation_summaries(
        self,
        *,
        person_id: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        newest_first: bool = True,
        limit: int | None = None,
        action_counts: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Conversations for listings, with their person and counts: one query, no models,
        read a batch at a time (a listing piped whole holds a few hundred rows, not 50,000).

        Each dict: ``id``, ``kind``, ``status``, ``previous_id``, ``person_id``,
        ``person_name``, ``framework_id``, ``framework_version``, ``started_at``,
        ``updated_at``, ``completed_at``, ``followup`` (ISO date or ``None``, as
        :attr:`Session.followup`), ``answers`` (how many answered), ``actions`` (all statuses)
        and ``open_actions`` (both left out with ``action_counts=False``). Newest first unless
        ``newest_first`` is false; ``limit`` caps it.
        """
        where, params = ["1=1"], []
        # with a person, start from their conversations, not from every one with that status
        state = "+s.status" if person_id is not None else "s.status"
        for column, value in (("s.person_id", person_id), (state, status), ("s.kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        order = "DESC" if newest_first else "ASC"
        sql = (
            "SELECT s.id, s.kind, s.status, s.previous_id, s.person_id, p.name AS person_name,"
            " s.framework_id, s.framework_version, s.started_at, s.updated_at, s.completed_at,"
            " s.followup,"
            " (SELECT COUNT(*) FROM answers a WHERE a.session_id = s.id) AS answers"
            + (
                ", (SELECT COUNT(*) FROM actions a WHERE a.session_id = s.id) AS actions,"
                " (SELECT COUNT(*) FROM actions a WHERE a.session_id = s.id"
                " AND +a.status = 'open') AS open_actions"
                if action_counts
                else ""
            )
            + " FROM sessions s JOIN people p ON p.id = s.person_id"
            f" WHERE {' AND '.join(where)} ORDER BY s.started_at {order}, s.rowid {order}"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cursor = self.db.execute(sql, params)
        while batch := cursor.fetchmany(500):
            yield from (dict(row) for row in batch)
