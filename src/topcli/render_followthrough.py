"""How follow-through looks in the terminal (rich): actions, follow-ups, people and history.

Pure functions from what :mod:`topcli.people`, :mod:`topcli.followup` and :mod:`topcli.history`
return to rich renderables; the CLI prints them. Imported only by the commands that draw tables,
so ``--json`` output and light commands do not pay for rich tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.console import RenderableType
from rich.rule import Rule
from rich.table import Column, Table
from rich.text import Text

from topcli.followthrough import describe_days
from topcli.followup import FollowupReport
from topcli.people import ActionItem
from topcli.wording import plural

#: Below this many columns ``actions list`` leaves out the conversation column, so "what" keeps
#: room to be read; ``--json`` and ``topcli plan show`` still say which conversation set it.
WIDE = 100

#: A change of an action's status in ``history``; ``actions list --all`` shows a closed action's
#: status this way in its "when" column, as it is not due any more.
STATUS_MARKS = {
    "done": "✓ done",
    "dropped": "✗ dropped",
    "carried": "→ carried over",
    "open": "↺ reopened",
}


def table(*columns: Any, title: str | None = None) -> Table:
    """A table of ``rich.table.Column``s; give dates and ids ``no_wrap`` so they never break."""
    return Table(*columns, title=title, title_justify="left")


def when(days: int, state: str | None) -> Text:
    """ "in 5 days", "2 days overdue": red when overdue, yellow when due today."""
    style = {"overdue": "bold red", "today": "bold yellow"}.get(state or "", "")
    return Text(describe_days(days), style=style)


# --------------------------------------------------------------------------- actions


def actions_table(items: Sequence[ActionItem], today: date, *, wide: bool) -> Table:
    """``actions list``: one row per action; the conversation column only when ``wide``."""
    columns = [
        Column("id", no_wrap=True),
        Column("person"),
        Column("what"),
        Column("due", no_wrap=True),
        Column("when"),
    ]
    if wide:
        columns.append(Column("conversation", no_wrap=True))
    out = table(*columns)
    for item in items:
        data = item.to_json(today)
        row: list[RenderableType] = [
            item.id,
            Text(item.person.name),
            Text(str(item.action["what"])),
            data["due"],
            when(data["days"], data["state"])
            if item.is_open
            else Text(STATUS_MARKS.get(item.status, item.status), style="dim"),
        ]
        if wide:
            row.append(item.session_id)
        out.add_row(*row)
    return out


# --------------------------------------------------------------------------- followup


def followup_table(report: FollowupReport) -> Table:
    """``followup``: what is overdue and due, soonest first."""
    today, until = report.today, report.until
    title = "Everything scheduled" if until is None else f"Overdue and due by {until}"
    out = table(
        Column("when"),
        Column("date", no_wrap=True),
        Column("person"),
        Column("what"),
        Column("id", no_wrap=True),
        title=title,
    )
    for item in report.items:
        days = item.days(today)
        out.add_row(
            when(days, item.to_json(today)["state"]),
            item.day.isoformat(),
            Text(item.person.name),
            Text(item.what),
            item.action_id or item.session_id,
        )
    return out


# --------------------------------------------------------------------------- people


def people_table(summary: Sequence[dict[str, Any]]) -> Table:
    """``people list``: everyone with their last and next conversation and open actions."""
    out = table(
        Column("person"),
        Column("id", no_wrap=True, style="dim"),
        Column("last conversation"),
        Column("next"),
        Column("open", no_wrap=True),
        Column("overdue", no_wrap=True),
    )
    for entry in summary:
        last, nxt = entry["last"], entry["next"]
        if last is None:
            last_text = Text("-")
        else:
            last_text = Text(last["date"]).append(
                f"\n{plural(entry['conversations'], 'conversation')}", style="dim"
            )
        if entry["in_progress"]:
            last_text.append(f"\nin progress: {entry['in_progress']}", style="yellow")
        next_text = (
            Text("-")
            if nxt is None
            else Text(f"{nxt['date']}\n").append_text(when(nxt["days"], nxt["state"]))
        )
        overdue = entry["overdue_actions"]
        out.add_row(
            Text(entry["name"]),
            entry["id"],
            last_text,
            next_text,
            str(entry["open_actions"]),
            Text(str(overdue), style="bold red" if overdue else ""),
        )
    return out


# --------------------------------------------------------------------------- history


def history_view(data: dict[str, Any]) -> list[RenderableType | None]:
    """``history``: the heading, the timeline and Think over time, printed in order.

    ``None`` stands for a blank line.
    """
    person = data["person"]
    conversations = [e for e in data["timeline"] if e["type"] == "conversation"]
    shown: list[RenderableType | None] = [
        Text.assemble(
            ("History with ", ""),
            (person["name"], "bold"),
            f" (id {person['id']}): {plural(len(conversations), 'conversation')}; "
            + action_summary(data["actions"]),
        ),
        _timeline(data["timeline"]),
    ]
    if data["think"]:
        shown += [None, Rule("[bold]Think, over time[/bold]"), *_think(data["think"])]
    return shown


def _timeline(timeline: Sequence[dict[str, Any]]) -> Table:
    out = Table("date", "event", "details", show_lines=True)
    for entry in timeline:
        if entry["type"] == "conversation":
            kind = "Check-in" if entry["kind"] == "checkin" else "Conversation"
            framework = entry["framework"]
            lines = [f"{framework['name']} {framework['version']}, {entry['status']}"]
            if entry["followup"]:
                lines.append(f"follow-up {entry['followup']}")
            for action in entry["actions_set"]:
                origin = (
                    f" (carried from {action['carried_from']})" if action["carried_from"] else ""
                )
                lines.append(f"+ {action['id']} {action['what']} (due {action['due']}){origin}")
            out.add_row(entry["date"], f"{kind} {entry['session']}", Text("\n".join(lines)))
        else:
            mark = STATUS_MARKS.get(entry["status"], entry["status"])
            details = f"{entry['action']} {entry['what']}"
            if entry["note"]:
                details += f"\n{entry['note']}"
            out.add_row(entry["date"], mark, Text(details))
    return out


def _think(think: Sequence[dict[str, Any]]) -> list[RenderableType]:
    """Each Think question and its answers, shown when they changed."""
    shown: list[RenderableType] = []
    for question in think:
        shown.append(Text(question["prompt"], style="bold"))
        answers = question["answers"]
        for answer in answers:
            if answer["changed"]:
                value = answer["value"]
                text = (
                    "(no answer)"
                    if value is None
                    else ", ".join(map(str, value))
                    if isinstance(value, list)
                    else str(value)
                )
                shown.append(
                    Text(f"  {answer['date']}  ").append(text.replace("\n", "\n" + " " * 14))
                )
        same = [a["date"] for a in answers[1:] if not a["changed"]]
        if same:
            shown.append(Text(f"  (the same on {', '.join(same)})", style="dim"))
    return shown


def action_summary(counts: dict[str, int]) -> str:
    """``4 actions set: 2 done, 1 dropped, 1 open; ...``: the parts add up to the total.

    A carried-over action and its copies count once, by the latest copy's status (see
    :func:`topcli.history.action_counts`), and the sentence says so.
    """
    parts = [f"{counts['done']} done", f"{counts['dropped']} dropped", f"{counts['open']} open"]
    if counts["carried"]:
        parts.append(f"{counts['carried']} carried over to a check-in since deleted")
    text = f"{plural(counts['set'], 'action')} set: {', '.join(parts)}"
    moved = counts["carried_over"]
    if moved:
        text += (
            "; 1 of them was carried over and counts once, by its latest status"
            if moved == 1
            else f"; {moved} of them were carried over and count once, by their latest status"
        )
    return text + "."
