"""Answers and drafts: saved the moment they are given, one transaction each (or one for many).

Split from :mod:`topcli.store.conversations` so each part of the store stays small: this is
everything that writes what was said in a conversation while it is being held.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from topcli import clock

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from topcli.framework import Question


class AnswersMixin:
    """The answers part of :class:`~topcli.store.Store`."""

    db: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _require_session(self, session_id: str) -> None: ...

    def save_answer(
        self, session_id: str, question: Question, value: Any, *, source: str | None = None
    ) -> None:
        """Store one answer at once, in its own transaction. Actions get rows with stable ids.

        ``source`` records where the answer came from (``None``: asked in the conversation,
        ``'prep'``, ``'answers-file'``); saving an answer again replaces it with the new one's.
        """
        self.save_answers(session_id, [(question, value)], source=source)

    def save_answers(
        self,
        session_id: str,
        answers: Iterable[tuple[Question, Any]],
        *,
        source: str | None = None,
    ) -> None:
        """Store several answers in one transaction (e.g. every defaulted answer at once)."""
        now = clock.timestamp()
        with self.transaction() as db:
            self._require_session(session_id)
            for question, value in answers:
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
                elif question.type == "followup":
                    db.execute(
                        "UPDATE sessions SET followup = ? WHERE id = ?",
                        (str(value) if value else None, session_id),
                    )
                db.execute(
                    "INSERT OR REPLACE INTO answers"
                    " (session_id, question_id, value_json, answered_at, source)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (session_id, question.id, json.dumps(stored, ensure_ascii=False), now, source),
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
            db.execute(
                "DELETE FROM action_notes WHERE action_id IN (SELECT id FROM actions "
                f"WHERE session_id = ? AND question_id IN ({marks}))",
                (session_id, *ids),
            )
            for table in ("answers", "actions", "drafts"):
                db.execute(
                    f"DELETE FROM {table} WHERE session_id = ? AND question_id IN ({marks})",
                    (session_id, *ids),
                )
            db.execute(
                "UPDATE sessions SET updated_at = ? WHERE id = ?", (clock.timestamp(), session_id)
            )

    def mark_source(self, session_id: str, question_ids: Iterable[str], source: str) -> None:
        """Record that these (already saved) answers came from ``source``, e.g. kept as the
        person prepared them. Answers not saved are left alone."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE answers SET source = ? WHERE session_id = ? AND question_id = ?",
                [(source, session_id, qid) for qid in question_ids],
            )

    def draft(self, session_id: str, question_id: str) -> Any:
        """What was typed of an unfinished answer (e.g. the first actions), or ``None``."""
        row = self.db.execute(
            "SELECT value_json FROM drafts WHERE session_id = ? AND question_id = ?",
            (session_id, question_id),
        ).fetchone()
        return None if row is None else json.loads(row["value_json"])

    def save_draft(self, session_id: str, question_id: str, value: Any) -> None:
        with self.transaction() as db:
            self._require_session(session_id)
            db.execute(
                "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)",
                (session_id, question_id, json.dumps(value, ensure_ascii=False)),
            )
