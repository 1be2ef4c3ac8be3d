"""``topcli start`` and ``topcli resume``: hold a conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from topcli import completion
from topcli.cli._base import console, person_option, report_plugin_warnings
from topcli.cli._help import examples
from topcli.cli._options import framework_option, prep_force_option, prep_option


def register(app: typer.Typer) -> None:
    app.command(
        epilog=examples(
            'topcli start --person "Sam Lee"',
            "topcli start --framework grow --answers sam.yaml --no-input",
        )
    )(start)
    app.command(epilog=examples("topcli resume", "topcli resume 3f89a1c2"))(resume)


def start(
    framework: str = framework_option(),
    person: str = person_option("Who the conversation is with."),
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
    new_person: bool = typer.Option(
        False,
        "--new-person",
        help="A new person, even if the name is close to someone stored ('Sam' beside 'Sam Lee').",
        metavar="",
    ),
    prep: Path = prep_option(),
    force: bool = prep_force_option(),
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
            new_person=new_person,
            prep_file=str(prep) if prep else None,
            force=force,
        ),
        on_ready=report_plugin_warnings,
    )
    print_summary(session)


def resume(
    session_id: str = typer.Argument(
        None,
        help="Conversation id (default: the latest unfinished).",
        metavar="SESSION_ID",
        autocompletion=completion.unfinished_session_ids,
    ),
    no_input: bool = typer.Option(
        False, "--no-input", help="Never prompt; fail with the list of missing answers.", metavar=""
    ),
) -> None:
    """Continue an unfinished conversation at its first unanswered question."""
    from topcli.pipeline import resume_session
    from topcli.prompts import is_interactive
    from topcli.safetext import printable_markup

    session, was_complete = resume_session(
        session_id, interactive=not no_input and is_interactive()
    )
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
    warn_about_followup(session)
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


def warn_about_followup(session: Any) -> None:
    """A follow-up in the past or at a weekend is allowed (a late plan, a Saturday meeting)
    but is likely a slip: say so on stderr, whether it was typed or came from an answers file."""
    from topcli import clock
    from topcli.durations import followup_warnings
    from topcli.safetext import printable_markup

    if not session.followup:
        return
    err = console(stderr=True)
    for warning in followup_warnings(session.followup, clock.today()):
        err.print(f"[yellow]warning:[/yellow] {printable_markup(warning)}")
