"""Managing people: one person's overview, rename, merge, delete, and near-duplicate names.

The CLI (``topcli people show|rename|merge|delete``) parses and prints; this module decides.
Near-duplicate matching lives here too, because every place a person's name is typed for a new
conversation (``start --person``, the "who is this conversation with?" answer, a check-in or a
preparation sheet for someone unknown) must catch "Sam" beside "Sam Lee" the same way, instead
of silently creating a second person.

A name *nearly* matches a stored one when, after folding case, accents and spacing, the two are
equal, the words of one are all words of the other ("Sam" and "Sam Lee"), or their spelling is
close (:data:`CLOSE_SPELLING`, a :mod:`difflib` ratio). An exact match (case and spacing folded,
or the person's id) is no question: it is that person.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.errors import UsageError

if TYPE_CHECKING:
    from topcli.prompts import Prompter
    from topcli.store import Store

#: The :class:`difflib.SequenceMatcher` ratio from which two folded names count as one
#: misspelt: "Sam Le" and "Sam Lee" (0.92), not "Sam Lee" and "Sam Park" (0.53).
CLOSE_SPELLING = 0.8
#: At most this many near matches are offered or listed.
MOST_CANDIDATES = 5


def fold(name: str) -> str:
    """``name`` without case, accents or extra spacing: "  Zoë  LEE" → "zoe lee"."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(name.casefold().split())


class Nearness:
    """How near names are to one typed name, from 0 (not near) up to 3 (the same once folded).

    2 is a word subset ("Sam" in "Sam Lee"); between :data:`CLOSE_SPELLING` and 1 is the
    spelling ratio. The typed name is prepared once and cheap upper bounds come before the
    full ratio, since this runs against everyone stored (10,000 names in about 20 ms).
    """

    def __init__(self, typed: str) -> None:
        import difflib

        self.folded = fold(typed)
        self.words = set(self.folded.split())
        # SequenceMatcher caches what it learns about its second sequence: the typed name
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(self.folded)

    def __call__(self, stored: str) -> float:
        a, b = self.folded, fold(stored)
        if not a or not b:
            return 0.0
        if a == b:
            return 3.0
        words = set(b.split())
        if words <= self.words or self.words <= words:
            return 2.0
        if 2 * min(len(a), len(b)) < CLOSE_SPELLING * (len(a) + len(b)):
            return 0.0  # the lengths alone rule out a close spelling
        self.matcher.set_seq1(b)
        if self.matcher.quick_ratio() < CLOSE_SPELLING:
            return 0.0
        ratio = self.matcher.ratio()
        return ratio if ratio >= CLOSE_SPELLING else 0.0


def closeness(name: str, stored: str) -> float:
    """How near ``name`` is to ``stored`` (see :class:`Nearness`)."""
    return Nearness(name)(stored)


def near_people(store: Store, name: str) -> list[sqlite3.Row]:
    """The stored people ``name`` nearly (not exactly) matches, nearest first."""
    nearness = Nearness(name)
    scored = [(nearness(p["name"]), p) for p in store.people()]
    near = sorted(
        ((score, p) for score, p in scored if score > 0),
        key=lambda pair: (-pair[0], pair[1]["name"].casefold(), pair[1]["id"]),
    )
    return [p for _, p in near[:MOST_CANDIDATES]]


def describe(person: Any) -> str:
    """ "Sam Lee (id sam-lee)": how a person is named in lists of candidates."""
    return f"{person['name']} (id {person['id']})"


def pick_near(
    name: str,
    near: Sequence[sqlite3.Row],
    prompter: Prompter | None,
    *,
    new_choice: str,
    refusal: str,
    hint: str,
) -> sqlite3.Row | None:
    """One of the ``near`` people, or ``None`` for "someone new called ``name``".

    In a terminal (``prompter``) the person is asked, with ``new_choice`` as the last answer;
    without one, ``refusal`` (completed with the candidates) is raised with ``hint``: nothing is
    guessed for a script.
    """
    if prompter is None:
        raise UsageError(f"{refusal}: " + ", ".join(describe(p) for p in near), hint=hint)
    from topcli.safetext import printable

    if len(near) == 1:
        question = f"Did you mean {printable(near[0]['name'])}?"
    else:
        question = f"'{printable(name)}' is close to {len(near)} people. Did you mean one of them?"
    choices = [(f"use {printable(describe(p))}", p["id"]) for p in near]
    choices.append((printable(new_choice), ""))
    picked = prompter.choose(question, choices, key="near_person")
    return next((p for p in near if p["id"] == picked), None)


def person_for_conversation(
    store: Store,
    name: str | None,
    prompter: Prompter | None,
    *,
    new_person: bool = False,
    nothing: str = "nothing was saved yet (no conversation started)",
    mean: str = "--person {id}",
) -> tuple[sqlite3.Row | None, str]:
    """Who a new conversation is with: ``(row, name)`` for someone stored, ``(None, name)`` for
    someone new (the caller creates them with the conversation, in one transaction).

    ``name`` ``None`` is asked in the terminal. A near match is asked about, or refused without
    a terminal; ``new_person`` (``--new-person``) skips that and insists on someone new, which
    a name already taken (exactly) still refuses. Ctrl-C at a question says ``nothing``;
    ``mean`` is how the refusal's hint names a candidate (formatted with their ``id``).
    """
    from topcli.prompts import interrupts

    with interrupts(nothing):
        if name is None:
            assert prompter is not None, "the pipeline asks only in a terminal"
            name = prompter.ask_person()
        name = " ".join(name.split())
        if not name:
            raise UsageError(
                "the person's name is empty", hint="give a name, e.g. --person 'Sam Lee'"
            )
        exact = store.people_named(name)
        if exact:
            if new_person:
                raise UsageError(
                    f"--new-person: there is already someone called '{exact[0]['name']}' "
                    f"(id {exact[0]['id']})",
                    hint="leave out --new-person to mean them, or give the new person a name "
                    "that tells the two apart",
                )
            # one exact match is that person; several are the store's "give the id" error
            row = store.person_for_new_session(name)
            return row, row["name"]
        near = [] if new_person else near_people(store, name)
        if not near:
            return None, name
        quoted = _quote(name)
        chosen = pick_near(
            name,
            near,
            prompter,
            new_choice=f"a new person named {name}",
            refusal=f"'{name}' is not stored, but is close to someone who is",
            hint=f"give their id ({mean.format(id=near[0]['id'])}) or whole name to mean "
            f"them, or add --new-person for a new person named {quoted}",
        )
    return (chosen, chosen["name"]) if chosen is not None else (None, name)


def name_for_sheet(name: str, prompter: Prompter | None, *, new_person: bool = False) -> str:
    """The name a preparation sheet is for: a stored person's name as stored when ``name``
    is theirs or (asked, or refused without a terminal) nearly theirs; else ``name``.

    A sheet for "Sam" when "Sam Lee" is stored would later be read back as another person's
    preparation. Without a database yet there is no one to be near, and none is created.
    """
    from topcli.store import DB_NAME, Store, data_dir

    if not (data_dir() / DB_NAME).exists():
        return " ".join(name.split())
    store = Store()
    try:
        _, resolved = person_for_conversation(
            store,
            name,
            prompter,
            new_person=new_person,
            nothing="nothing was written",
            mean="topcli prep {id}",
        )
    finally:
        store.close()
    return resolved


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --------------------------------------------------------------------------- one person


def person_overview(store: Store, person: sqlite3.Row, today: date) -> dict[str, Any]:
    """What ``people show`` tells (and ``--json`` gives): the person, their conversations
    (oldest first), their actions counted by status, and the next conversation.

    The next conversation is the follow-up date set by the latest finished conversation, as
    ``people list`` and ``followup`` have it.
    """
    from topcli.followthrough import days_until, due_state

    summaries = store.conversation_summaries(person_id=person["id"], newest_first=False)
    counts = store.person_counts(person["id"])
    finished = [s for s in summaries if s["status"] == "complete"]
    latest = finished[-1] if finished else None
    upcoming = None
    if latest is not None and latest["followup"]:
        day = date.fromisoformat(latest["followup"])
        upcoming = {
            "date": day.isoformat(),
            "days": days_until(day, today),
            "state": due_state(day, today),
            "session": latest["id"],
        }
    return {
        "id": person["id"],
        "name": person["name"],
        "created_at": person["created_at"],
        "conversations": [
            {
                "session": s["id"],
                "date": s["started_at"][:10],
                "kind": s["kind"],
                "status": s["status"],
                "framework": s["framework_id"],
                "framework_version": s["framework_version"],
                "followup": s["followup"],
                "actions": s["actions"],
                "open_actions": s["open_actions"],
            }
            for s in summaries
        ],
        "actions": {key: counts[key] for key in ("open", "done", "dropped", "carried")},
        "next": upcoming,
    }


def checked_name(new_name: str) -> str:
    """A new name as it will be stored (spacing folded), or a :class:`UsageError`."""
    from topcli.safetext import text_problem

    name = " ".join(new_name.split())
    if not name:
        raise UsageError("the new name is empty", hint="give a name, e.g. 'Sam Lee'")
    problem = text_problem(name)
    if problem is None and any(unicodedata.category(c) == "Cc" for c in name):
        problem = "contains a control character"
    if problem:
        raise UsageError(
            f"the new name {problem}", hint="give a name on one line of ordinary characters"
        )
    return name


def whole_name_needed(query: str, person: sqlite3.Row, command: str) -> None:
    """Refuse a part of a name for a change made without asking (``--yes``): "Sam" may mean
    "Sam Lee" today and someone else once another Sam is stored, so a script names the whole
    person (or their id)."""
    if query == person["id"] or fold(query) == fold(person["name"]):
        return
    raise UsageError(
        f"'{query}' is only part of the name {describe(person)}",
        hint=f"with --yes, give the whole name or the id: topcli people {command} "
        f"{person['id']} ...",
    )
