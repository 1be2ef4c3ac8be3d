"""How conversations look in the terminal (rich). Pure functions from a Session to renderables.

Everything shown here was stored from an answers file, an imported JSON or a framework file, so
every stored string goes through :func:`~topcli.safetext.printable` (cells) or
:func:`~topcli.safetext.printable_markup` (markup templates) on its way to the terminal: an
escape sequence in a name, an answer or a framework's title is shown, never obeyed.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from topcli import clock
from topcli.durations import with_weekday
from topcli.framework import Question
from topcli.safetext import printable, printable_markup
from topcli.session import Session
from topcli.wording import plural

#: How ``sessions show`` marks a private answer (the leader's own notes).
PRIVATE_MARKER = "(private)"


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
            Text(printable(with_weekday(action["due"])), style="bold red" if late else ""),
            Text(printable(action["success"])),
            Text(printable(action["support"])),
            Text(
                "overdue" if late else printable(action["status"]),
                style="bold red" if late else "",
            ),
        ]
        ident = [Text(printable(action["id"]))] if show_ids else []
        table.add_row(*ident, *cells)
    return table


def draft_table(question: Question, draft: Any) -> Table:
    """The actions typed so far for an actions question not yet answered (a paused plan).

    A half-typed action is marked unfinished, so a paused plan does not look lost: resuming
    offers all of it again.
    """
    from topcli.prompt_actions import split_draft

    whole, unfinished = split_draft(draft)
    table = Table(
        title=f"Draft: {printable_markup(question.prompt)} "
        "(not finished; kept for 'topcli resume')",
        show_lines=True,
        title_justify="left",
    )
    for column in ("what", "by when", "how we'll know", "support", "status"):
        table.add_column(column)
    rows = [(a, "typed") for a in whole] + ([(unfinished, "unfinished")] if unfinished else [])
    for action, status in rows:
        cells = [
            Text(printable(str(action.get(k) or ""))) for k in ("what", "due", "success", "support")
        ]
        table.add_row(*cells, Text(status, style="yellow" if status == "unfinished" else ""))
    return table


def followup_line(session: Session) -> str:
    if session.followup:
        day = printable_markup(with_weekday(session.followup))
        return f"Follow-up conversation: [bold]{day}[/bold]"
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
        if question.private and "(private" not in question.prompt.lower():
            # plain text, so every terminal shows it: the leader's notes, never shared (unless
            # the prompt is marked already, as TOP's "(private: never in a shared export)" is)
            prompt += f"  {PRIVATE_MARKER}"
        answer = Text(printable(format_answer(question, value)))
        source = session.answer_sources.get(question.id)
        if source:
            answer.append(f"\n({SOURCE_MARKS.get(source, source)})", style="dim")
        table.add_row(Text(printable(stage.title)), Text(printable(prompt)), answer)
    return table


#: How ``sessions show`` marks an answer that was not given in the conversation itself.
SOURCE_MARKS = {"prep": "as prepared", "answers-file": "from the answers file"}


def session_heading(session: Session) -> str:
    status = "complete" if session.is_complete else "in progress"
    return (
        f"[bold]{printable_markup(session.person_name)}[/bold] · "
        f"{printable_markup(session.framework.name)} "
        f"{printable_markup(session.framework.version)} · "
        f"started {printable_markup(session.started_at[:10])} · "
        f"{status} · id {printable_markup(session.id)}"
    )
