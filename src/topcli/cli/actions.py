"""``topcli actions``: list, done, drop, note and edit actions across all conversations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer

from topcli.cli._base import console, person_option, print_json
from topcli.cli._help import examples
from topcli.cli._options import action_id_argument, json_option, no_pager_option, plain_option

app = typer.Typer(
    help="Track actions across all conversations: list, done, drop, note, edit.",
    epilog=examples("topcli actions list", "topcli actions done a64a1c"),
    no_args_is_help=True,
)


@app.command(
    "list", epilog=examples("topcli actions list --within 2w", "topcli actions list --all --json")
)
def list_actions(
    person: str = person_option("Only this person's actions."),
    within: str = typer.Option(
        None,
        "--within",
        "-w",
        help="Only actions due within this period (e.g. 14d, 2w, 1mo); overdue ones included.",
        metavar="PERIOD",
    ),
    # the name before 'followup --within' and this became one: kept so scripts still work
    due_within: str = typer.Option(None, "--due-within", hidden=True),
    overdue: bool = typer.Option(
        False, "--overdue", help="Only actions past their due date.", metavar=""
    ),
    all_: bool = typer.Option(
        False, "--all", help="Include done, dropped and carried-over actions.", metavar=""
    ),
    as_json: bool = json_option(),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show the N soonest due (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    plain: bool = plain_option(),
    no_pager: bool = no_pager_option(),
) -> None:
    """Open actions across all conversations, soonest due first, with their ids.

    In a terminal the first 50 are shown (--limit, --all); piped or with --json, all of them.
    """
    from topcli import clock
    from topcli.cli._people import person_id
    from topcli.durations import parse_period
    from topcli.listing import listing
    from topcli.people import list_actions
    from topcli.store import Store

    period, option = (within, "--within") if within is not None else (due_within, "--due-within")
    today = clock.today()
    until = parse_period(period, option=option).end(today) if period else None
    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=all_)
    store = Store()
    pid = None
    if person is not None:  # the prompt layer only when a name may need a question
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


@app.command(
    "done", epilog=examples('topcli actions done a64a1c --note "Ran two incident reviews"')
)
def done(
    action_id: str = action_id_argument(open_only=True),
    note: str = typer.Option(
        "", "--note", "-n", help="A dated note, e.g. what was achieved.", metavar="TEXT"
    ),
) -> None:
    """Mark an action done."""
    _close(action_id, "done", note)


@app.command(
    "drop", epilog=examples('topcli actions drop a64a1c --note "The team was reorganised"')
)
def drop(
    action_id: str = action_id_argument(open_only=True),
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


@app.command(
    "note", epilog=examples('topcli actions note a64a1c "Booked the first incident review"')
)
def note(
    action_id: str = action_id_argument(open_only=False),
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


@app.command(
    "edit",
    epilog=examples("topcli actions edit a64a1c --due +2w", "topcli actions edit a64a1c"),
)
def edit(
    action_id: str = typer.Argument(
        ..., metavar="ID", help="Action id; a unique start is enough (see 'actions list')."
    ),
    what: str = typer.Option(None, "--what", help="What will be done.", metavar="TEXT"),
    due: str = typer.Option(
        None, "--due", help="The new due date (2026-07-01, +2w, next monday).", metavar="DATE"
    ),
    success: str = typer.Option(
        None, "--success", help="How you will know it worked.", metavar="TEXT"
    ),
    support: str = typer.Option(None, "--support", help="The support agreed.", metavar="TEXT"),
) -> None:
    """Correct an open action: reword it or move its due date (asked when no option is given)."""
    from topcli import clock
    from topcli.editing_plan import edit_action
    from topcli.prompts import TerminalPrompter, is_interactive
    from topcli.safetext import printable_markup
    from topcli.store import Store

    today = clock.today()
    prompter = TerminalPrompter(today) if is_interactive() else None
    flags = {"what": what, "due": due, "success": success, "support": support}
    result = edit_action(Store(), action_id, flags, prompter=prompter, today=today)
    for warning in result.warnings:
        console(stderr=True).print(f"[yellow]warning:[/yellow] {printable_markup(warning)}")
    action = result.after
    if not result.changes:
        console().print(f"Nothing changed in action {action['id']}.")
        return
    console().print(
        f"Action {action['id']} ('{printable_markup(str(action['what']))}', "
        f"{printable_markup(str(action['person_name']))}): "
        f"{printable_markup(_with_weekdays(result.note(), result.before, result.changes))}."
    )


def _with_weekdays(note: str, before: Mapping[str, Any], changes: Mapping[str, str]) -> str:
    """The edit as the terminal says it: a moved due date with its weekdays (the note stored
    on the action, like every export, keeps ISO dates)."""
    if "due" not in changes:
        return note
    from topcli.durations import with_weekday

    old, new = str(before["due"]), changes["due"]
    return note.replace(f"due {old} → {new}", f"due {with_weekday(old)} → {with_weekday(new)}")
