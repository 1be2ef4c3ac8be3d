"""``topcli sessions``: list, show and delete stored conversations."""

from __future__ import annotations

from pathlib import Path

import typer

from topcli.cli._base import console, print_json

app = typer.Typer(help="List, show, delete and import stored conversations.", no_args_is_help=True)


@app.command("list")
def list_sessions(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show the N most recent (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    every: bool = typer.Option(False, "--all", help="Show every conversation.", metavar=""),
    plain: bool = typer.Option(
        False, "--plain", help="Tab-separated lines, as when piped.", metavar=""
    ),
    no_pager: bool = typer.Option(False, "--no-pager", help="Do not page long output.", metavar=""),
) -> None:
    """Every conversation: in a terminal the most recent first; piped or --json, oldest first."""
    from itertools import chain

    from topcli.listing import listing, print_json_items, write_plain
    from topcli.render_followthrough import SESSION_COLUMNS, session_json, session_row
    from topcli.store import Store

    store = Store()
    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=every)
    # one query with the person and counts: the newest `limit` when cut, else all, oldest
    # first, read and written a batch at a time
    rows = store.iter_conversation_summaries(
        newest_first=how.terminal or how.limit is not None, limit=how.limit, action_counts=False
    )
    if not how.terminal and how.limit is not None:
        rows = reversed(list(rows))  # pipes and --json read oldest first, whatever the limit
    first = next(rows, None)
    if as_json:
        print_json_items(session_json(s) for s in chain([first] if first else [], rows))
        return
    if first is None:
        console().print("No conversations yet. Start one with: topcli start")
        return
    if how.limit is None and not how.terminal:  # everything, piped: written as it is read
        write_plain(SESSION_COLUMNS, (session_row(s) for s in chain([first], rows)))
        return
    from topcli.output import Table

    table = Table(SESSION_COLUMNS, [session_row(s) for s in chain([first], rows)])
    total = len(table.rows) if how.limit is None else store.conversation_count()
    how.show(table, total)


@app.command("show")
def show(
    session_id: str = typer.Argument(
        ..., help="Conversation id (a unique prefix is enough).", metavar="SESSION_ID"
    ),
    as_json: bool = typer.Option(
        False, "--json", help="The full record, as in the JSON export.", metavar=""
    ),
) -> None:
    """One conversation: every answer, the plan and the follow-up date."""
    from topcli.render import conversation_table, followup_line, plan_table, session_heading
    from topcli.store import Store

    session = Store().load(session_id)
    if as_json:
        print_json(session.to_dict())
        return
    out = console()
    out.print(session_heading(session))
    out.print(conversation_table(session))
    if session.actions:
        out.print(plan_table(session))
    out.print(followup_line(session))
    if not session.is_complete:
        out.print(f"Not finished: continue with [bold]topcli resume {session.id}[/bold]")


@app.command("delete")
def delete(
    session_id: str = typer.Argument(..., help="Conversation id.", metavar="SESSION_ID"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.", metavar=""),
) -> None:
    """Delete a conversation and its answers and actions for good."""
    from topcli import clock
    from topcli.errors import UsageError
    from topcli.prompts import TerminalPrompter, interrupts, is_interactive
    from topcli.store import Store

    store = Store()
    session = store.load(session_id)
    if not yes:
        if not is_interactive():
            raise UsageError("deleting needs confirmation", hint="add --yes to confirm")
        with interrupts("nothing was deleted"):
            sure = TerminalPrompter(clock.today()).confirm(
                f"Delete conversation {session.id} with {session.person_name} "
                f"({len(session.answers)} answers)? This cannot be undone.",
                default=False,
                key="delete",
            )
        if not sure:
            console().print("Nothing deleted.")
            return
    store.delete_session(session.id)
    from rich.markup import escape

    console().print(f"Deleted conversation {session.id} with {escape(session.person_name)}.")


@app.command("import")
def import_sessions(
    file: Path = typer.Argument(
        ...,
        help="A file from 'topcli plan export --json' (one conversation or --all); - reads stdin.",
        metavar="FILE",
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Overwrite conversations that are already stored.", metavar=""
    ),
) -> None:
    """Restore conversations from a JSON export exactly (a new laptop, a backup)."""
    from rich.markup import escape

    from topcli.transfer import import_file
    from topcli.wording import plural

    result = import_file(file, replace=replace)
    out = console(stderr=True)
    for note in result.notes:
        out.print(f"[yellow]note:[/yellow] {escape(note)}")
    for session in result.sessions:
        verb = "Replaced" if session.id in result.replaced else "Imported"
        out.print(
            f"{verb} conversation [bold]{session.id}[/bold] with {escape(session.person_name)} "
            f"({escape(session.framework.name)}, {session.started_at[:10]}, "
            f"{plural(len(session.answers), 'answer')}, {plural(len(session.actions), 'action')})."
        )
