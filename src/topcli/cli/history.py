"""``topcli history``: one person's timeline."""

from __future__ import annotations

import typer

from topcli.cli._base import console, print_json


def register(app: typer.Typer) -> None:
    """Add ``history`` to the root app."""
    app.command()(history)


def history(
    person: str = typer.Argument(..., help="Whose history (name or id).", metavar="NAME"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
) -> None:
    """One person's timeline: conversations, actions set and closed, Think answers over time."""
    from topcli import clock
    from topcli.cli.people import choose_person
    from topcli.history import history as person_history
    from topcli.people import load_person
    from topcli.prompts import is_interactive
    from topcli.store import Store

    store = Store()
    row = choose_person(store, person, interactive=not as_json and is_interactive())
    data = person_history(load_person(store, row), clock.today())
    if as_json:
        print_json(data)
        return
    from topcli.render_followthrough import history_view

    out = console()
    for part in history_view(data):
        if part is None:
            out.print()
        else:
            out.print(part)
