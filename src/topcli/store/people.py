"""People: who conversations are with, found by id, name or a unique part of a name."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from topcli import clock
from topcli.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


class PeopleMixin:
    """The people half of :class:`~topcli.store.Store` (it provides ``db``)."""

    db: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _remove_orphans(
            self, person_ids: Iterable[str], snapshot_ids: Iterable[int]
        ) -> None: ...

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
        """Everyone ``query`` could mean: its id, else exact names, else names containing it."""
        return self._matching(query, partial=True)

    def people_named(self, name: str) -> list[sqlite3.Row]:
        """The person whose id is ``name``, else everyone called exactly that (case and
        spacing aside): who ``start --person NAME`` means without asking."""
        return self._matching(" ".join(name.split()), partial=False)

    def _matching(self, query: str, *, partial: bool) -> list[sqlite3.Row]:
        """The one rule of person matching: id first, then the whole name (ignoring case),
        then (``partial``) any name that contains the query."""
        row = self.db.execute("SELECT * FROM people WHERE id = ?", (query,)).fetchone()
        if row is not None:
            return [row]
        folded = query.strip().casefold()
        people = self.people()
        exact = [p for p in people if p["name"].casefold() == folded]
        if exact or not partial:
            return exact
        return [p for p in people if folded and folded in p["name"].casefold()]

    def person_for_new_session(self, name: str) -> sqlite3.Row:
        """The person a new conversation is with: an exact id or name match, or someone new."""
        name = " ".join(name.split())
        if not name:
            raise UsageError(
                "the person's name is empty", hint="give a name, e.g. --person 'Sam Lee'"
            )
        # looked up and added under the write lock: two commands starting a first conversation
        # with the same new person at once find one person, never "UNIQUE constraint failed"
        with self.transaction():
            exact = self._matching(name, partial=False)
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
        if person_id is None:
            from topcli.store.ids import slugify

            base = slugify(name)
            person_id, n = base, 2
            while self.db.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone():
                person_id, n = f"{base}-{n}", n + 1
        self.db.execute("INSERT INTO people VALUES (?, ?, ?)", (person_id, name, clock.timestamp()))
        return self.db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()

    def followup_dates(self) -> list[dict[str, Any]]:
        """Everyone whose latest finished conversation set a follow-up date: ``id``, ``name``,
        ``next`` (the date), ``next_session`` and ``next_started_at`` (that conversation's id
        and start), as in :meth:`people_summaries`, with one indexed lookup per person."""
        rows = self.db.execute(
            "SELECT p.id, p.name, s.followup AS next, s.id AS next_session,"
            " s.started_at AS next_started_at FROM people p JOIN sessions s ON s.id ="
            " (SELECT f.id FROM sessions f WHERE f.person_id = p.id AND +f.status = 'complete'"
            "  ORDER BY f.started_at DESC, f.rowid DESC LIMIT 1)"
            " WHERE COALESCE(s.followup, '') != '' ORDER BY p.name COLLATE NOCASE, p.id"
        ).fetchall()
        return [dict(row) for row in rows]

    def people_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM people").fetchone()[0])

    def people_summaries(
        self, today: str | None = None, *, recent_first: bool = False, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Everyone with their conversations summed up, by name: one query, no models.

        The same facts as :func:`topcli.followthrough.people_summary` computes from full models.
        Each dict: ``id``, ``name``, ``created_at``; ``conversations`` (how many, check-ins
        included); the latest conversation as ``last_session``, ``last_started_at``,
        ``last_kind``, ``last_framework``, ``last_status`` (all ``None`` without one); the next
        conversation as ``next`` (the follow-up date set by the latest *finished* conversation,
        or ``None``), ``next_session`` and ``next_started_at`` (that conversation's id and
        start, both ``None`` without a follow-up date); ``in_progress`` (the latest
        conversation's id if it is unfinished); ``actions`` (all statuses), ``open_actions``
        and ``overdue_actions`` (open and due before ``today``, an ISO date; 0 without it).

        By name; ``recent_first``: the people talked to most recently first (those without a
        conversation last). ``limit`` keeps the first so many, and only they are summed up.
        """
        # a unary + keeps SQLite from walking the status indexes (every open action, every
        # finished conversation) once per person: each subquery starts from the person's rows
        latest = (
            "(SELECT s.{col} FROM sessions s WHERE s.person_id = p.id"
            " ORDER BY s.started_at DESC, s.rowid DESC LIMIT 1)"
        )
        finished = (
            "(SELECT s.{col} FROM sessions s WHERE s.person_id = p.id AND +s.status = 'complete'"
            " ORDER BY s.started_at DESC, s.rowid DESC LIMIT 1)"
        )
        actions = (
            "(SELECT COUNT(*) FROM sessions s JOIN actions a ON a.session_id = s.id"
            " WHERE s.person_id = p.id{extra})"
        )
        open_only = " AND +a.status = 'open'"
        chosen: list[str] = []
        where = ""
        if recent_first or limit is not None:
            # the people to show, found first (one pass over an index), then summed up alone
            order = (
                "r.latest IS NULL, r.latest DESC, p.name COLLATE NOCASE, p.id"
                if recent_first
                else "p.name COLLATE NOCASE, p.id"
            )
            chosen = [
                row["id"]
                for row in self.db.execute(
                    "SELECT p.id FROM people p LEFT JOIN (SELECT person_id, MAX(started_at)"
                    " AS latest FROM sessions GROUP BY person_id) r ON r.person_id = p.id"
                    f" ORDER BY {order} LIMIT ?",
                    (-1 if limit is None else limit,),
                ).fetchall()
            ]
            where = f" WHERE p.id IN ({','.join('?' * len(chosen))})" if chosen else " WHERE 0"
        rows = self.db.execute(
            "SELECT p.id, p.name, p.created_at,"
            " (SELECT COUNT(*) FROM sessions s WHERE s.person_id = p.id) AS conversations,"
            f" {latest.format(col='id')} AS last_session,"
            f" {latest.format(col='started_at')} AS last_started_at,"
            f" {latest.format(col='kind')} AS last_kind,"
            f" {latest.format(col='framework_id')} AS last_framework,"
            f" {latest.format(col='status')} AS last_status,"
            f" {finished.format(col='followup')} AS next,"
            f" {finished.format(col='id')} AS next_session,"
            f" {finished.format(col='started_at')} AS next_started_at,"
            f" {actions.format(extra='')} AS actions,"
            f" {actions.format(extra=open_only)} AS open_actions,"
            f" {actions.format(extra=open_only + ' AND a.due < ?1')} AS overdue_actions"
            f" FROM people p{where} ORDER BY p.name COLLATE NOCASE, p.id",
            (today or "", *chosen),
        ).fetchall()
        if recent_first:
            place = {person_id: n for n, person_id in enumerate(chosen)}
            rows.sort(key=lambda row: place[row["id"]])
        summaries = []
        for row in rows:
            summary = dict(row)
            if summary["next"] is None:
                summary["next_session"] = summary["next_started_at"] = None
            summary["in_progress"] = (
                summary["last_session"]
                if summary["last_status"] not in (None, "complete")
                else None
            )
            summaries.append(summary)
        return summaries

    # ------------------------------------------------------------------ changing people

    def person_counts(self, person_id: str) -> dict[str, int]:
        """How much a person holds: ``conversations``, ``actions`` and one count per action
        status (``open``, ``done``, ``dropped``, ``carried``), so a confirmation can say what
        deleting or merging them touches."""
        counts = {"conversations": 0, "actions": 0, "open": 0, "done": 0}
        counts.update({"dropped": 0, "carried": 0})
        counts["conversations"] = self.db.execute(
            "SELECT COUNT(*) FROM sessions WHERE person_id = ?", (person_id,)
        ).fetchone()[0]
        for row in self.db.execute(
            "SELECT a.status, COUNT(*) AS n FROM sessions s JOIN actions a"
            " ON a.session_id = s.id WHERE s.person_id = ? GROUP BY a.status",
            (person_id,),
        ).fetchall():
            counts[row["status"]] = row["n"]
            counts["actions"] += row["n"]
        return counts

    def rename_person(self, person_id: str, name: str) -> sqlite3.Row:
        """Give a person a new name; their id stays, so scripts and exports still find them.

        A name another person already has (case and spacing aside) is refused: two people
        of one name are what the near-duplicate check exists to prevent. Their conversations'
        ``updated_at`` rises, so a calendar re-import replaces events that show the old name.
        """
        with self.transaction() as db:
            clash = [p for p in self.people_named(name) if p["id"] != person_id]
            if clash:
                other = clash[0]
                raise UsageError(
                    f"there is already someone called '{other['name']}' (id {other['id']})",
                    hint=f"choose another name, or merge the two: topcli people merge "
                    f"{person_id} {other['id']}",
                )
            db.execute("UPDATE people SET name = ? WHERE id = ?", (name, person_id))
            db.execute(
                "UPDATE sessions SET updated_at = ? WHERE person_id = ?",
                (clock.timestamp(), person_id),
            )
            return db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()

    def merge_people(self, from_id: str, into_id: str) -> int:
        """Move every conversation of ``from_id`` to ``into_id`` and remove ``from_id``, as one
        transaction; returns how many conversations moved. Their ``updated_at`` rises (the
        name in their calendar events changes)."""
        if from_id == into_id:
            raise UsageError("a person cannot be merged into themselves")
        with self.transaction() as db:
            moved = db.execute(
                "UPDATE sessions SET person_id = ?, updated_at = ? WHERE person_id = ?",
                (into_id, clock.timestamp(), from_id),
            ).rowcount
            db.execute("DELETE FROM people WHERE id = ?", (from_id,))
        return int(moved)

    def delete_person(self, person_id: str) -> dict[str, int]:
        """Remove a person and every conversation with them (answers, actions, notes and drafts
        go with each conversation), as one transaction; returns :meth:`person_counts` as it was.

        ``secure_delete`` (set on every connection) overwrites what is deleted, and snapshots
        only their conversations used (a check-in's framework names their actions) go too.
        """
        with self.transaction() as db:
            counts = self.person_counts(person_id)
            rows = db.execute(
                "SELECT id, snapshot_id FROM sessions WHERE person_id = ?", (person_id,)
            ).fetchall()
            ids = [row["id"] for row in rows]
            # another person's conversation following on from one of these loses the link only
            db.executemany(
                "UPDATE sessions SET previous_id = NULL WHERE previous_id = ? AND person_id != ?",
                [(session_id, person_id) for session_id in ids],
            )
            db.execute("PRAGMA defer_foreign_keys = ON")  # check-ins point at earlier ones
            db.execute("DELETE FROM sessions WHERE person_id = ?", (person_id,))
            db.execute("DELETE FROM people WHERE id = ?", (person_id,))
            self._remove_orphans([], [row["snapshot_id"] for row in rows])
        return counts
