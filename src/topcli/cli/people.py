"""``topcli people``, and the person picker every command that takes a person's name uses."""

from __future__ import annotations

from typing import Any

import typer

from topcli.cli._base import console, print_json

app = typer.Typer(help="Everyone you hold conversations with.", no_args_is_help=True)


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


@app.command("list")
def list_people(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show N people (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    every: bool = typer.Option(False, "--all", help="Show everyone.", metavar=""),
    plain: bool = typer.Option(
        False, "--plain", help="Tab-separated lines, as when piped.", metavar=""
    ),
    no_pager: bool = typer.Option(False, "--no-pager", help="Do not page long output.", metavar=""),
) -> None:
    """Everyone, with their id, last and next conversation, and open and overdue actions.

    In a terminal, the people talked to most recently come first; piped or with --json,
    everyone by name. Give the id instead of the name when two people share one.
    """
    from topcli import clock
    from topcli.followup import people_summary
    from topcli.listing import listing
    from topcli.store import Store

    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=every)
    store = Store()
    # only the people shown are summed up: a terminal's 50 cost the same in any store
    shown = people_summary(store, clock.today(), recent_first=how.terminal, limit=how.limit)
    if as_json:
        print_json(shown)
        return
    if not shown:
        console().print("No conversations yet. Start one with: topcli start")
        return
    from topcli.render_followthrough import people_table

    total = len(shown) if how.limit is None else store.people_count()
    how.show(people_table(shown), total)
