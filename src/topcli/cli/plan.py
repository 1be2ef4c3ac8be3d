"""``topcli plan``: show and export a conversation's plan."""

from __future__ import annotations

import typer

from topcli.cli._base import console, print_json

app = typer.Typer(help="Show and export plans.", no_args_is_help=True)


@app.command("show")
def show(
    session_id: str = typer.Argument(None, help="Conversation id (default: the most recent)."),
    person: str = typer.Option(None, "--person", "-p", help="That person's latest conversation."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The actions (with their ids and status) and the follow-up date of a conversation."""
    from topcli.render import followup_line, plan_table, session_heading
    from topcli.selection import pick_session
    from topcli.store import Store

    store = Store()
    session = pick_session(store, session_id, person=person)
    if as_json:
        print_json(
            {
                "session": session.id,
                "person": session.person_name,
                "actions": session.actions,
                "followup": session.followup,
            }
        )
        return
    out = console()
    out.print(session_heading(session))
    if session.actions:
        out.print(plan_table(session))
    else:
        out.print("No actions in this plan yet.")
    out.print(followup_line(session))
