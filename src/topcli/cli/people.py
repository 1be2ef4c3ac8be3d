"""``topcli people``, and the person picker every command that takes a person's name uses."""

from __future__ import annotations

from typing import Any

import typer

from topcli.cli._base import console, print_json
from topcli.cli._help import examples

app = typer.Typer(
    help="Everyone you hold conversations with.",
    epilog=examples("topcli people list"),
    no_args_is_help=True,
)


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


def person_id(store: Any, query: str | None, *, interactive: bool) -> str | None:
    """The id of the person ``query`` names (see :func:`choose_person`); ``None`` for no query."""
    return None if query is None else choose_person(store, query, interactive=interactive)["id"]


@app.command("list", epilog=examples("topcli people list", "topcli people list --json"))
def list_people(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
) -> None:
    """Everyone, with their id, last and next conversation, and open and overdue actions.

    Give the id instead of the name when two people share one.
    """
    from topcli import clock
    from topcli.followup import people_summary
    from topcli.people import load_people
    from topcli.store import Store

    today = clock.today()
    summary = people_summary(load_people(Store()), today)
    if as_json:
        print_json(summary)
        return
    out = console()
    if not summary:
        out.print("No conversations yet. Start one with: topcli start")
        return
    from topcli.render_followthrough import people_table

    out.print(people_table(summary))
