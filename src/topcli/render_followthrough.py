"""How follow-through listings look: actions, follow-ups, people and conversations as
:class:`topcli.output.Table` (plain TSV in a pipe, a table or stacked records in a terminal),
and one person's history as rich renderables.

Pure functions from what :mod:`topcli.people`, :mod:`topcli.followup` and :mod:`topcli.history`
return; the CLI prints them. Every stored text (names, what an action is, notes, answers) goes
through :func:`topcli.safetext.printable` here, so no escape sequence from an answers file or an
import reaches the terminal. rich is imported only by :func:`history_view`: listings are light
commands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.followthrough import describe_days
from topcli.output import Table
from topcli.safetext import printable
from topcli.wording import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

    from topcli.followup import FollowupReport
    from topcli.people import ActionItem

#: Below this many columns ``actions list`` leaves out the conversation column, so "what" keeps
#: room to be read; ``--json``, plain output and ``topcli plan show`` still say which
#: conversation set it.
WIDE = 100

#: A change of an action's status in ``history``; ``actions list --all`` shows a closed action's
#: status this way in its "when" column, as it is not due any more.
STATUS_MARKS = {
    "done": "✓ done",
    "dropped": "✗ dropped",
    "carried": "→ carried over",
    "open": "↺ reopened",
}

#: What stands in an empty cell, so no stacked record shows a bare label.
NONE = "-"


# --------------------------------------------------------------------------- conversations


SESSION_COLUMNS = ("id", "person", "framework", "started", "status", "follow-up")


def sessions_table(summaries: Sequence[Mapping[str, Any]]) -> Table:
    """``sessions list``: rows of :meth:`~topcli.store.Store.conversation_summaries`."""
    return Table(SESSION_COLUMNS, [session_row(s) for s in summaries], dates=("follow-up",))


def session_row(s: Mapping[str, Any]) -> tuple[str, ...]:
    """One conversation's cells in ``sessions list``."""
    return (
        s["id"],
        printable(s["person_name"]),
        printable(s["framework_id"]),
        s["started_at"][:10],
        "complete" if s["status"] == "complete" else "in progress",
        s["followup"] or NONE,
    )


def session_json(s: Mapping[str, Any]) -> dict[str, Any]:
    """One conversation in ``sessions list --json`` (documented in docs/export-format.md)."""
    return {
        "id": s["id"],
        "person": {"id": s["person_id"], "name": s["person_name"]},
        "kind": s["kind"],
        "framework": {"id": s["framework_id"], "version": s["framework_version"]},
        "status": s["status"],
        "started_at": s["started_at"],
        "updated_at": s["updated_at"],
        "answers": s["answers"],
        "followup": s["followup"],
    }


# --------------------------------------------------------------------------- actions


def actions_table(items: Sequence[ActionItem], today: date, *, wide: bool = True) -> Table:
    """``actions list``: one row per action; the conversation column only when ``wide``."""
    columns = ["id", "person", "what", "due", "when"] + (["conversation"] if wide else [])
    out = Table(columns, dates=("due",))
    for item in items:
        due = item.action["due"]
        if item.is_open:
            shown = describe_days((item.due - today).days)
        else:
            shown = STATUS_MARKS.get(item.status, item.status)
        row = [item.id, printable(item.person.name), printable(item.action["what"]), due, shown]
        out.add_row(*row, *([item.session_id] if wide else []))
    return out


# --------------------------------------------------------------------------- followup


def followup_table(report: FollowupReport) -> Table:
    """``followup``: what is overdue and due, soonest first (the report's items: all of them,
    or the first few a terminal shows)."""
    until = report.until
    title = "Everything scheduled" if until is None else f"Overdue and due by {until}"
    out = Table(["when", "date", "person", "what", "id"], title=title, dates=("date",))
    for item in report.items:
        out.add_row(
            describe_days(item.days(report.today)),
            item.day.isoformat(),
            printable(item.person.name),
            printable(item.what),
            item.action_id or item.session_id,
        )
    return out


# --------------------------------------------------------------------------- people


def people_table(summary: Sequence[Mapping[str, Any]]) -> Table:
    """``people list``: everyone with their last and next conversation and open actions."""
    out = Table(
        [
            "person",
            "id",
            "conversations",
            "last conversation",
            "next",
            "when",
            "in progress",
            "open",
            "overdue",
        ],
        dates=("last conversation", "next"),
    )
    for entry in summary:
        last, nxt = entry["last"], entry["next"]
        out.add_row(
            printable(entry["name"]),
            printable(entry["id"]),
            plural(entry["conversations"], "conversation"),
            NONE if last is None else last["date"],
            NONE if nxt is None else nxt["date"],
            NONE if nxt is None else describe_days(nxt["days"]),
            entry["in_progress"] or NONE,
            str(entry["open_actions"]),
            str(entry["overdue_actions"]),
        )
    return out


# --------------------------------------------------------------------------- history


def history_view(data: dict[str, Any]) -> list[RenderableType | None]:
    """``history``: the heading, the timeline and Think over time, printed in order.

    ``None`` stands for a blank line.
    """
    from rich.rule import Rule
    from rich.text import Text

    person = data["person"]
    conversations = [e for e in data["timeline"] if e["type"] == "conversation"]
    shown: list[RenderableType | None] = [
        Text.assemble(
            ("History with ", ""),
            (printable(person["name"]), "bold"),
            f" (id {printable(person['id'])}): {plural(len(conversations), 'conversation')}; "
            + action_summary(data["actions"]),
        ),
        _timeline(data["timeline"]),
    ]
    if data["think"]:
        shown += [None, Rule("[bold]Think, over time[/bold]"), *_think(data["think"])]
    return shown


def _timeline(timeline: Sequence[dict[str, Any]]) -> RenderableType:
    from rich.table import Table as RichTable
    from rich.text import Text

    out = RichTable("date", "event", "details", show_lines=True)
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
            out.add_row(
                entry["date"], f"{kind} {entry['session']}", Text(printable("\n".join(lines)))
            )
        else:
            mark = STATUS_MARKS.get(entry["status"], entry["status"])
            details = f"{entry['action']} {entry['what']}"
            if entry["note"]:
                details += f"\n{entry['note']}"
            out.add_row(entry["date"], mark, Text(printable(details)))
    return out


def _think(think: Sequence[dict[str, Any]]) -> list[RenderableType]:
    """Each Think question and its answers, shown when they changed."""
    from rich.text import Text

    shown: list[RenderableType] = []
    for question in think:
        shown.append(Text(printable(question["prompt"]), style="bold"))
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
                    Text(f"  {answer['date']}  ").append(
                        printable(text).replace("\n", "\n" + " " * 14)
                    )
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
