"""``topcli start`` and ``topcli resume``: hold a conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from topcli.cli._base import console, report_plugin_warnings


def register(app: typer.Typer) -> None:
    app.command()(start)
    app.command()(resume)


def start(
    framework: str = typer.Option(
        None,
        "--framework",
        "-f",
        help="Framework id (top, grow, ...) or path to a YAML file.",
        show_default="top",
        metavar="ID|PATH",
    ),
    person: str = typer.Option(
        None, "--person", "-p", help="Who the conversation is with.", metavar="NAME"
    ),
    answers: Path = typer.Option(
        None,
        "--answers",
        "-a",
        help="YAML or JSON answers file: person, framework, answers.",
        dir_okay=False,
        metavar="FILE",
    ),
    no_input: bool = typer.Option(
        False, "--no-input", help="Never prompt; fail with the list of missing answers.", metavar=""
    ),
) -> None:
    """Hold a guided career conversation, stage by stage. Every answer is saved as you go."""
    from topcli.pipeline import StartRequest, start_session
    from topcli.prompts import is_interactive

    session = start_session(
        StartRequest(
            framework=framework,
            person=person,
            answers_file=str(answers) if answers else None,
            interactive=not no_input and is_interactive(),
        ),
        on_ready=report_plugin_warnings,
    )
    print_summary(session)


def resume(
    session_id: str = typer.Argument(
        None, help="Conversation id (default: the latest unfinished).", metavar="SESSION_ID"
    ),
) -> None:
    """Continue an unfinished conversation at its first unanswered question."""
    from topcli.pipeline import resume_session
    from topcli.prompts import is_interactive
    from topcli.safetext import printable_markup

    session, was_complete = resume_session(session_id, interactive=is_interactive())
    if was_complete:
        console().print(
            f"Conversation {session.id} with {printable_markup(session.person_name)} "
            "is already complete; nothing left to answer."
        )
    print_summary(session)


def print_summary(session: Any) -> None:
    """The end of a conversation: the plan, the follow-up date, and what to do next."""
    from topcli.render import followup_line, plan_table
    from topcli.safetext import printable_markup

    out = console()
    out.print()
    out.rule("[bold]Summary[/bold]")
    if session.actions:
        out.print(plan_table(session))
    else:
        out.print("No actions in this plan.")
    out.print(followup_line(session))
    warn_past_followup(session)
    out.print()
    out.print(
        f"Conversation [bold]{session.id}[/bold] with "
        f"{printable_markup(session.person_name)} is saved. Next:"
    )
    for command, why in (
        (f"topcli sessions show {session.id}", "read it back"),
        (f"topcli plan export {session.id} --ics -o plan.ics", "follow-up in your calendar"),
        (f"topcli plan export {session.id} --md -o plan.md", "a summary to share"),
        ("topcli followup", "see what is due"),
    ):
        out.print(f"  {command:<52} [dim]# {why}[/dim]")


def warn_past_followup(session: Any) -> None:
    """A follow-up date before today is allowed (recording a late plan) but is likely a typo."""
    from topcli import clock

    if session.followup and session.followup < clock.today().isoformat():
        console(stderr=True).print(
            f"[yellow]warning:[/yellow] the follow-up date {session.followup} is in the past; "
            f"'topcli followup' will show it as overdue"
        )
