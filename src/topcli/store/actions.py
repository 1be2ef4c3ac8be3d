"""Actions and their dated notes: insert, look up one by id, change status, list with filters."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from topcli import clock
from topcli.errors import UsageError
from topcli.store.edits import raised_stamp

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

#: ``carried``: moved to a later check-in's plan as a new action whose ``carried_from`` is this one,
#: so each piece of work is open in one place only (see docs/follow-through.md).
ACTION_STATUSES = ("open", "done", "dropped", "carried")

#: SQLite's limit on ``?`` parameters is far above this; chunks keep each query plan simple.
_CHUNK = 500

_INSERT_ACTION = (
    "INSERT INTO actions (id, session_id, question_id, position, what, due, success,"
    " support, status, carried_from, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class ActionsMixin:
    """The actions part of :class:`~topcli.store.Store`."""

    db: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _unused_id(self, table: str, nbytes: int) -> str: ...
        def _require_session(self, session_id: str) -> None: ...
        def _by_id(
            self, table: str, ident: str, *, prefix: bool, noun: str, hint: str, more: str
        ) -> sqlite3.Row: ...

    # ------------------------------------------------------------------ reading

    def _actions(self, session_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT * FROM actions WHERE session_id = ? ORDER BY question_id, position",
            (session_id,),
        ).fetchall()
        return self._action_dicts(rows)

    def _action_dicts(self, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
        """Action rows as the dicts the models use, with their notes read in batches."""
        notes = self.action_notes([row["id"] for row in rows])
        return [_action_dict(row, notes[row["id"]]) for row in rows]

    def action_notes(self, action_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The dated notes of each of ``action_ids`` (oldest first), read in batches."""
        notes: dict[str, list[dict[str, Any]]] = {action_id: [] for action_id in action_ids}
        ids = list(notes)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for note in self.db.execute(
                "SELECT action_id, at, status, text FROM action_notes"
                f" WHERE action_id IN ({marks}) ORDER BY id",
                chunk,
            ).fetchall():
                notes[note["action_id"]].append(
                    {"at": note["at"], "status": note["status"], "text": note["text"]}
                )
        return notes

    def _action_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        return self._action_dicts([row])[0]

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

    def action(self, action_id: str, *, prefix: bool = True) -> dict[str, Any]:
        """One action by id (or a unique start of one) with what follow-through shows about it,
        without loading any conversation.

        The dict of :meth:`action_row` (``id``, ``question_id``, ``what``, ``due``, ``success``,
        ``support``, ``status``, ``carried_from``, ``created_at``, ``updated_at``, ``notes``)
        plus ``session_id``, ``session_kind``, ``session_status``, ``session_started_at``,
        ``session_completed_at``, ``session_followup``, ``person_id``, ``person_name`` and
        ``carried_to`` (the id of the action it was carried over to, or ``None``).
        """
        action = self.action_row(action_id, prefix=prefix)
        context = self.db.execute(
            "SELECT a.session_id, s.kind AS session_kind, s.status AS session_status,"
            " s.started_at AS session_started_at, s.completed_at AS session_completed_at,"
            " s.followup AS session_followup, s.person_id, p.name AS person_name,"
            " (SELECT c.id FROM actions c WHERE c.carried_from = a.id ORDER BY c.rowid LIMIT 1)"
            "   AS carried_to"
            " FROM actions a JOIN sessions s ON s.id = a.session_id"
            " JOIN people p ON p.id = s.person_id WHERE a.id = ?",
            (action["id"],),
        ).fetchone()
        return {**action, **dict(context)}

    def action_summaries(
        self,
        *,
        status: str | None = None,
        person_id: str | None = None,
        session_id: str | None = None,
        due_before: str | None = None,
        limit: int | None = None,
        note_counts: bool = True,
        due_after: str | None = None,
    ) -> list[dict[str, Any]]:
        """Actions for listings, soonest due first, with their conversation and person.

        Each dict: ``id``, ``what``, ``due``, ``success``, ``support``, ``status``,
        ``carried_from``, ``created_at``, ``updated_at``, ``session_id``, ``question_id``,
        ``session_kind``, ``session_started_at``, ``person_id``, ``person_name`` and
        ``notes`` (how many; left out with ``note_counts=False``, which saves a lookup per
        action). ``due_before`` keeps actions due on or before that ISO date, ``due_after``
        those due after it.
        """
        where, params = _action_filter(status, person_id, session_id, due_before, due_after)
        sql = (
            "SELECT a.id, a.what, a.due, a.success, a.support, a.status, a.carried_from,"
            " a.created_at, a.updated_at, a.session_id, a.question_id, s.kind AS session_kind,"
            " s.started_at AS session_started_at, s.person_id, p.name AS person_name"
            + (
                ", (SELECT COUNT(*) FROM action_notes n WHERE n.action_id = a.id) AS notes"
                if note_counts
                else ""
            )
            + " FROM actions a JOIN sessions s ON s.id = a.session_id"
            " JOIN people p ON p.id = s.person_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.due, s.started_at, a.position, a.id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [dict(row) for row in self.db.execute(sql, params).fetchall()]

    def action_count(
        self,
        *,
        status: str | None = None,
        person_id: str | None = None,
        due_before: str | None = None,
        due_after: str | None = None,
    ) -> int:
        """How many actions :meth:`action_summaries` lists with these filters."""
        where, params = _action_filter(status, person_id, None, due_before, due_after)
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM actions a JOIN sessions s ON s.id = a.session_id"
                f" WHERE {' AND '.join(where)}",
                params,
            ).fetchone()[0]
        )

    def open_action_counts(self, today: str, until: str | None = None) -> tuple[int, int]:
        """How many open actions are due by ``until`` (all with ``None``) and how many of them
        before ``today``: what ``followup`` counts when it shows only the first few."""
        row = self.db.execute(
            "SELECT COUNT(*) AS due, COALESCE(SUM(due < ?), 0) AS overdue FROM actions"
            " WHERE status = 'open' AND due <= ?",
            (today, until if until is not None else "\U0010ffff"),
        ).fetchone()
        return int(row["due"]), int(row["overdue"])

    # ------------------------------------------------------------------ writing

    def _insert_action(
        self, session_id: str, question_id: str, position: int, action: Mapping[str, Any], now: str
    ) -> str:
        action_id = self._unused_id("actions", 3)
        self.db.execute(
            _INSERT_ACTION,
            (
                action_id,
                session_id,
                question_id,
                position,
                action["what"],
                action["due"],
                action.get("success", ""),
                action.get("support", ""),
                "open",
                action.get("carried_from"),
                now,
                now,
            ),
        )
        return action_id

    def _insert_imported_actions(
        self, session_id: str, question_id: str, actions: Iterable[Mapping[str, Any]]
    ) -> list[str]:
        """Imported actions exactly as exported (ids, statuses, timestamps, notes)."""
        rows, notes = [], []
        for position, action in enumerate(actions):
            rows.append(
                (
                    action["id"],
                    session_id,
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
                )
            )
            notes.extend((action["id"], n["at"], n["status"], n["text"]) for n in action["notes"])
        self.db.executemany(_INSERT_ACTION, rows)
        self._insert_notes(notes)
        return [row[0] for row in rows]

    def _insert_notes(self, notes: Iterable[tuple[str, str, str | None, str]]) -> None:
        """The one place a note is written: ``(action_id, at, status, text)`` each."""
        self.db.executemany(
            "INSERT INTO action_notes (action_id, at, status, text) VALUES (?, ?, ?, ?)", notes
        )

    def add_action(self, session_id: str, question_id: str, action: Mapping[str, Any]) -> str:
        """Append one action to an answered actions question, keeping its other actions' ids.

        A check-in uses it for carried-over actions (``action["carried_from"]``): unlike
        :meth:`save_answer` it does not replace the actions already there.
        """
        import json

        now = clock.timestamp()
        with self.transaction() as db:
            self._require_session(session_id)
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
                "INSERT INTO answers (session_id, question_id, value_json, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, question_id)"
                " DO UPDATE SET value_json = excluded.value_json",
                (session_id, question_id, json.dumps(ids), now),
            )
        return action_id

    def set_action_status(self, action_id: str, status: str, note: str = "") -> None:
        """Change an action's status and record a dated note, if nobody changed it meanwhile.

        The update is conditional: an action that already has ``status`` (another
        ``actions done`` got there first) or was carried over is refused with a
        :class:`UsageError`, and no second note is written.
        """
        if status not in ACTION_STATUSES:
            raise UsageError(
                f"unknown action status '{status}'",
                hint="use one of: " + ", ".join(ACTION_STATUSES),
            )
        now = clock.timestamp()
        with self.transaction() as db:
            # updated_at only ever rises (it is the calendar's SEQUENCE), even when an edit
            # in the same second, or a fixed clock, already stamped it
            changed = db.execute(
                "UPDATE actions SET status = ?, updated_at = ?"
                " WHERE id = ? AND status != ? AND status != 'carried'",
                (status, raised_stamp(self._stamp(action_id)), action_id, status),
            ).rowcount
            if not changed:
                row = self.action_row(action_id)
                raise UsageError(
                    f"action {action_id} ('{row['what']}') is already {row['status']}"
                    " (changed by another topcli meanwhile?); nothing was recorded",
                    hint=f"'topcli actions list --all' shows it; a note: "
                    f"topcli actions note {action_id} TEXT",
                )
            self._insert_notes([(action_id, now, status, note)])

    def add_action_note(self, action_id: str, text: str) -> None:
        now = clock.timestamp()
        with self.transaction() as db:
            self._insert_notes([(action_id, now, None, text)])
            db.execute(
                "UPDATE actions SET updated_at = ? WHERE id = ?",
                (raised_stamp(self._stamp(action_id)), action_id),
            )

    def _stamp(self, action_id: str) -> str:
        """The action's ``updated_at`` as stored (empty for an unknown id)."""
        row = self.db.execute(
            "SELECT updated_at FROM actions WHERE id = ?", (action_id,)
        ).fetchone()
        return row["updated_at"] if row else ""


def _action_filter(
    status: str | None,
    person_id: str | None,
    session_id: str | None,
    due_before: str | None,
    due_after: str | None = None,
) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (over ``actions a`` joined to ``sessions s``) of the listing filters."""
    where, params = ["1=1"], []
    # with a person or conversation, start from their rows, not from every open action
    narrow = person_id is not None or session_id is not None
    for clause, value in (
        ("+a.status = ?" if narrow else "a.status = ?", status),
        ("s.person_id = ?", person_id),
        ("a.session_id = ?", session_id),
        ("a.due <= ?", due_before),
        ("a.due > ?", due_after),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    return where, params


def _action_dict(row: sqlite3.Row, notes: list[dict[str, Any]]) -> dict[str, Any]:
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
        "notes": notes,
    }
