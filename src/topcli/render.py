"""How conversations look in the terminal (rich). Pure functions from a Session to renderables."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from topcli import clock
from topcli.framework import Question
from topcli.safetext import printable, printable_markup
from topcli.session import Session
from topcli.wording import plural


def format_answer(question: Question, value: Any) -> str:
    """One answer as plain text, for tables and summaries."""
    if value is None:
        return "(skipped)"
    if question.type == "confirm":
        return "yes" if value else "no"
    if question.type == "multiselect":
        return ", ".join(value) if value else "(none)"
    if question.type == "actions":
        return plural(len(value), "action") if value else "(none)"
    return str(value)


def plan_table(session: Session, *, show_ids: bool = True) -> Table:
    table = Table(
        title=f"Plan with {printable_markup(session.person_name)}",
        show_lines=True,
        title_justify="left",
    )
    if show_ids:
        table.add_column("id", style="dim", no_wrap=True)
    for column in ("what", "by when", "how we'll know", "support", "status"):
        table.add_column(column)
    today = clock.today().isoformat()
    for action in session.actions:
        late = action["status"] == "open" and action["due"] < today
        cells = [
            Text(printable(action["what"])),
            Text(printable(action["due"]), style="bold red" if late else ""),
            Text(printable(action["success"])),
            Text(printable(action["support"])),
            Text("overdue" if late else action["status"], style="bold red" if late else ""),
        ]
        table.add_row(*([action["id"]] if show_ids else []), *cells)
    return table


def followup_line(session: Session) -> str:
    if session.followup:
        return f"Follow-up conversation: [bold]{printable_markup(session.followup)}[/bold]"
    return "No follow-up date set yet."


def conversation_table(session: Session) -> Table:
    table = Table(show_header=True, show_lines=True, expand=False)
    table.add_column("stage", no_wrap=True)
    table.add_column("question")
    table.add_column("answer")
    for stage, question, value in session.answered():
        if question.type == "actions":
            continue
        prompt = question.prompt + (f"  [{question.source}]" if question.source else "")
        table.add_row(Text(stage.title), Text(prompt), Text(format_answer(question, value)))
    return table


def session_heading(session: Session) -> str:
    status = "complete" if session.is_complete else "in progress"
    return (
        f"[bold]{printable_markup(session.person_name)}[/bold] · "
        f"{printable_markup(session.framework.name)} "
        f"{printable_markup(session.framework.version)} · started {session.started_at[:10]} · "
        f"{status} · id {session.id}"
    )
