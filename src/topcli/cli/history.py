"""``topcli history``: one person's timeline."""

from __future__ import annotations

import typer

from topcli.cli._base import console, one_person, person_option, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option, person_argument


def register(app: typer.Typer) -> None:
    """Add ``history`` to the root app."""
    app.command(
        epilog=examples('topcli history "Sam Lee"', "topcli history --person sam-lee --json")
    )(history)


def history(
    name: str = person_argument("Whose history (name or id)."),
    person_flag: str = person_option("Whose history (the same as NAME)."),
    as_json: bool = json_option(),
) -> None:
    """One person's timeline: conversations, actions set and closed, Think answers over time."""
    from topcli import clock
    from topcli.cli._people import choose_person
    from topcli.history import history as person_history
    from topcli.people import load_person
    from topcli.prompts import is_interactive
    from topcli.store import Store

    person = one_person(name, person_flag, command="history")
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
