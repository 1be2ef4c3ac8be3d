"""Corrections after the fact: changed answers, an action reworded or moved, the follow-up moved.

Each correction is one transaction that also records when it happened (a row of ``edits`` for a
conversation, a dated note for an action) and raises ``updated_at`` strictly above every time the
conversation (and its actions) changed before. The calendar export derives ``SEQUENCE`` and
``LAST-MODIFIED`` from those times, so a calendar applies the change; with the clock fixed
(``TOPCLI_NOW``) or running behind, :func:`raised_stamp` still moves them forward by a second.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from topcli import clock
from topcli.errors import UsageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from topcli.framework import Question

#: The fields of an action a correction may change.
EDITABLE_ACTION_FIELDS = ("what", "due", "success", "support")


def _instant(stamp: str) -> datetime:
    value = datetime.fromisoformat(stamp)
    return value.astimezone() if value.tzinfo is None else value


def raised_stamp(*previous: str) -> str:
    """Now, or one second after the latest of ``previous`` when now is not later than it.

    Stored times have whole seconds and may carry different offsets, so they are compared as
    instants, not as text.
    """
    now = clock.now().replace(microsecond=0)
    latest = max((_instant(p) for p in previous if p), default=None)
    if latest is not None and now <= latest:
        now = (latest + timedelta(seconds=1)).astimezone(now.tzinfo)
    return now.isoformat(timespec="seconds")


class EditsMixin:
    """The corrections part of :class:`~topcli.store.Store`."""

    db: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _require_session(self, session_id: str) -> None: ...
        def save_answers(
            self, session_id: str, answers: Iterable[tuple[Question, Any]]
        ) -> None: ...
        def _insert_notes(self, notes: Iterable[tuple[str, str, str | None, str]]) -> None: ...
        def action_row(self, action_id: str, *, prefix: bool = False) -> dict[str, Any]: ...

    # ------------------------------------------------------------------ reading

    def session_edits(self, session_id: str) -> list[dict[str, Any]]:
        """The corrections of a conversation, oldest first: ``at`` and ``what`` each."""
        rows = self.db.execute(
            "SELECT at, what FROM edits WHERE session_id = ? ORDER BY id", (session_id,)
        ).fetchall()
        return [dict(row) for row in rows]

    def last_change(self, session_id: str) -> list[str]:
        """Every time the conversation or one of its actions last changed (for
        :func:`raised_stamp`)."""
        row = self.db.execute(
            "SELECT updated_at FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        stamps = [] if row is None else [row["updated_at"]]
        stamps += [
            r["updated_at"]
            for r in self.db.execute(
                "SELECT updated_at FROM actions WHERE session_id = ?", (session_id,)
            )
        ]
        return stamps

    # ------------------------------------------------------------------ writing

    def record_edit(self, session_id: str, what: str, *, at: str | None = None) -> None:
        """Note a correction of a conversation (inside the caller's transaction, if any)."""
        self.db.execute(
            "INSERT INTO edits (session_id, at, what) VALUES (?, ?, ?)",
            (session_id, at or clock.timestamp(), what),
        )

    def edit_answers(
        self,
        session_id: str,
        answers: Iterable[tuple[Question, Any]],
        removed: Iterable[Question],
        what: str,
    ) -> str:
        """Change and remove answers of a stored conversation as one correction.

        A changed answer keeps its place (the export lists answers in the order they were
        first given); a removed one goes with its actions and its draft. Actions answers are
        written by :meth:`save_answers` (new actions get new ids). Returns the new
        ``updated_at``.
        """
        with self.transaction() as db:
            self._require_session(session_id)
            at = raised_stamp(*self.last_change(session_id))
            for question, value in answers:
                if question.type == "actions":
                    self.save_answers(session_id, [(question, value)])
                    continue
                if question.type == "followup":
                    db.execute(
                        "UPDATE sessions SET followup = ? WHERE id = ?",
                        (str(value) if value else None, session_id),
                    )
                stored = json.dumps(value, ensure_ascii=False)
                changed = db.execute(
                    # an edited answer is the leader's own now, not as prepared or as in a file
                    "UPDATE answers SET value_json = ?, answered_at = ?, source = NULL"
                    " WHERE session_id = ? AND question_id = ?",
                    (stored, at, session_id, question.id),
                ).rowcount
                if not changed:
                    db.execute(
                        "INSERT INTO answers (session_id, question_id, value_json, answered_at)"
                        " VALUES (?, ?, ?, ?)",
                        (session_id, question.id, stored, at),
                    )
            for question in removed:
                for table in ("answers", "drafts", "actions"):
                    db.execute(
                        f"DELETE FROM {table} WHERE session_id = ? AND question_id = ?",
                        (session_id, question.id),
                    )
                if question.type == "followup":
                    db.execute("UPDATE sessions SET followup = NULL WHERE id = ?", (session_id,))
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (at, session_id))
            self.record_edit(session_id, what, at=at)
        return at

    def edit_action(self, action_id: str, changes: Mapping[str, str], note: str) -> str:
        """Change an open action's fields, with a dated ``note`` saying what changed.

        The update is conditional on the action still being open, so an action closed or
        carried over meanwhile (another topcli) is refused with a :class:`UsageError` and
        nothing is written. The action's and its conversation's ``updated_at`` rise. Returns
        the action's new ``updated_at``.
        """
        unknown = [key for key in changes if key not in EDITABLE_ACTION_FIELDS]
        if unknown:
            raise UsageError(
                f"an action has no field '{unknown[0]}'",
                hint="the fields are: " + ", ".join(EDITABLE_ACTION_FIELDS),
            )
        with self.transaction() as db:
            row = self.action_row(action_id)
            session_id = db.execute(
                "SELECT session_id FROM actions WHERE id = ?", (row["id"],)
            ).fetchone()["session_id"]
            at = raised_stamp(*self.last_change(session_id))
            assignments = ", ".join(f"{key} = ?" for key in changes)
            changed = db.execute(
                f"UPDATE actions SET {assignments}{', ' if changes else ''}updated_at = ?"
                " WHERE id = ? AND status = 'open'",
                (*changes.values(), at, action_id),
            ).rowcount
            if not changed:
                raise UsageError(
                    f"action {action_id} ('{row['what']}') is {row['status']} now "
                    "(changed by another topcli meanwhile?); nothing was changed",
                    hint="'topcli actions list --all' shows it",
                )
            self._insert_notes([(action_id, at, None, note)])
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (at, session_id))
        return at
