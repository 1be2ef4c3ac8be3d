"""The person picker every command that takes a person's name uses.

A module of its own (not ``topcli.cli.people``) so a command that takes ``--person`` loads the
picker, not the ``people`` command group.
"""

from __future__ import annotations

from typing import Any


def choose_person(store: Any, query: str, *, interactive: bool) -> Any:
    """The person ``query`` names; when several match, ask which one (in a terminal) or refuse.

    Without a terminal (or with ``--json``) ambiguity is the store's error, which lists the
    matches with their ids.
    """
    matches = store.match_people(query)
    if len(matches) < 2 or not interactive:
        return store.find_person(query)
    from topcli import clock
    from topcli.prompts import TerminalPrompter, interrupts

    latest = {p["id"]: store.latest_session_row(person_id=p["id"]) for p in matches}
    choices = [
        (
            f"{p['name']} (id {p['id']}"
            + (
                f", last conversation {latest[p['id']]['started_at'][:10]})"
                if latest[p["id"]]
                else ")"
            ),
            p["id"],
        )
        for p in matches
    ]
    with interrupts("nothing was done (no person chosen)"):
        picked = TerminalPrompter(clock.today()).choose(
            f"'{query}' matches {len(matches)} people. Which one?", choices, key="person"
        )
    return next(p for p in matches if p["id"] == picked)


def choose_near(store: Any, query: str, *, interactive: bool, command: str) -> Any:
    """For a name no one has: a stored person whose name is close ("Sma Lee" for "Sam Lee"),
    picked in a terminal, or ``None`` (no one close, or "none of them" picked).

    Without a terminal a close name is refused (exit 2) listing the candidates, so a script
    never acts on a guess; ``command`` names the command in the hint.
    """
    from topcli.people_admin import near_people, pick_near

    near = near_people(store, query)
    if not near:
        return None
    from topcli import clock
    from topcli.prompts import TerminalPrompter, interrupts

    with interrupts("nothing was done (no person chosen)"):
        return pick_near(
            query,
            near,
            TerminalPrompter(clock.today()) if interactive else None,
            new_choice="none of them",
            refusal=f"no one is called '{query}', but someone close is",
            hint=f"give their whole name or id: topcli {command} {near[0]['id']}",
        )


def person_id(store: Any, query: str | None, *, interactive: bool) -> str | None:
    """The id of the person ``query`` names (see :func:`choose_person`); ``None`` for no query."""
    return None if query is None else choose_person(store, query, interactive=interactive)["id"]
