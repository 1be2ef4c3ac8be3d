"""``topcli actions``: list, done, drop and note actions across all conversations."""

from __future__ import annotations

import typer

from topcli.cli._base import console, print_json

app = typer.Typer(
    help="Track actions across all conversations: list, done, drop, note.", no_args_is_help=True
)


@app.command("list")
def list_actions(
    person: str = typer.Option(
        None, "--person", "-p", help="Only this person's actions.", metavar="NAME"
    ),
    due_within: str = typer.Option(
        None,
        "--due-within",
        help="Only actions due within this period (e.g. 14d, 2w, 1m); overdue ones included.",
        metavar="PERIOD",
    ),
    overdue: bool = typer.Option(
        False, "--overdue", help="Only actions past their due date.", metavar=""
    ),
    all_: bool = typer.Option(
        False, "--all", help="Include done, dropped and carried-over actions.", metavar=""
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show the N soonest due (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    plain: bool = typer.Option(
        False, "--plain", help="Tab-separated lines, as when piped.", metavar=""
    ),
    no_pager: bool = typer.Option(False, "--no-pager", help="Do not page long output.", metavar=""),
) -> None:
    """Open actions across all conversations, soonest due first, with their ids.

    In a terminal the first 50 are shown (--limit, --all); piped or with --json, all of them.
    """
    from topcli import clock
    from topcli.followthrough import parse_period
    from topcli.listing import listing
    from topcli.people import list_actions
    from topcli.store import Store

    today = clock.today()
    until = parse_period(due_within).end(today) if due_within else None
    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=all_)
    store = Store()
    pid = None
    if person is not None:  # the prompt layer only when a name may need a question
        from topcli.cli.people import person_id
        from topcli.prompts import is_interactive

        pid = person_id(store, person, interactive=not as_json and is_interactive())
    shown, total = list_actions(
        store,
        today,
        person_id=pid,
        until=until,
        overdue=overdue,
        include_closed=all_,
        with_notes=as_json,
        limit=how.limit,
    )
    if as_json:
        print_json([item.to_json(today) for item in shown])
        return
    if not shown:
        which = "actions" if all_ else "open actions"
        scope = " overdue" if overdue else (f" due by {until.isoformat()}" if until else "")
        console().print(f"No {which}{scope}. Nice.")
        return
    from topcli.render_followthrough import WIDE, actions_table

    wide = not how.terminal or _columns() >= WIDE
    how.show(actions_table(shown, today, wide=wide), total, more="--limit 0 for all")


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size().columns


@app.command("done")
def done(
    action_id: str = typer.Argument(
        ..., metavar="ID", help="Action id; a unique start is enough (see 'actions list')."
    ),
    note: str = typer.Option(
        "", "--note", "-n", help="A dated note, e.g. what was achieved.", metavar="TEXT"
    ),
) -> None:
    """Mark an action done."""
    _close(action_id, "done", note)


@app.command("drop")
def drop(
    action_id: str = typer.Argument(
        ..., metavar="ID", help="Action id; a unique start is enough (see 'actions list')."
    ),
    note: str = typer.Option(
        "", "--note", "-n", help="A dated note, e.g. why it was dropped.", metavar="TEXT"
    ),
) -> None:
    """Drop an action that no longer matters."""
    _close(action_id, "dropped", note)


def _close(action_id: str, status: str, note: str) -> None:
    from topcli.action_changes import close_action
    from topcli.safetext import printable_markup as escape
    from topcli.store import Store

    item = close_action(Store(), action_id, status, note)
    console().print(
        f"Action {item.id} ('{escape(str(item.action['what']))}', "
        f"{escape(item.person.name)}) is now [bold]{status}[/bold]."
    )


@app.command("note")
def note(
    action_id: str = typer.Argument(
        ..., metavar="ID", help="Action id; a unique start is enough (see 'actions list')."
    ),
    text: str = typer.Argument(..., help="The note.", metavar="TEXT"),
) -> None:
    """Add a dated note to an action (its status stays as it is)."""
    from topcli.action_changes import note_action
    from topcli.safetext import printable_markup as escape
    from topcli.store import Store
    from topcli.wording import plural

    item = note_action(Store(), action_id, text)
    console().print(
        f"Noted on action {item.id} ('{escape(str(item.action['what']))}', "
        f"{escape(item.person.name)}): {plural(len(item.action['notes']), 'note')}."
    )
