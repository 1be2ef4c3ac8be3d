"""Follow-through commands: ``actions``, ``followup``, ``checkin``, ``people``, ``history``.

Thin: each command resolves its arguments, calls :mod:`topcli.followthrough` or
:mod:`topcli.checkin`, and prints a rich table for people or JSON for scripts.
"""

from __future__ import annotations

from typing import Any

import typer

from topcli.cli._base import console, print_json

actions_app = typer.Typer(
    help="Track actions across all conversations: list, done, drop, note.", no_args_is_help=True
)
people_app = typer.Typer(help="Everyone you hold conversations with.", no_args_is_help=True)

FOLLOWUP_HELP = "\n\n".join(
    (
        "Upcoming and overdue follow-up conversations and actions, soonest first.",
        "Shows everything overdue and everything due within --within (default 14 days), with "
        "how many days until or since each.",
        "Exit status: 0 when nothing is overdue, 10 when something is overdue; any other "
        "non-zero status is an error. For a cron job or a shell prompt:",
        "topcli followup -q; [ $? -eq 10 ] && echo overdue",
    )
)


def register(app: typer.Typer) -> None:
    """Add the follow-through commands to the root app."""
    app.add_typer(actions_app, name="actions")
    app.command(help=FOLLOWUP_HELP)(followup)
    app.command()(checkin)
    app.add_typer(people_app, name="people")
    app.command()(history)


# --------------------------------------------------------------------------- people


def choose_person(store: Any, query: str, *, interactive: bool) -> Any:
    """The person ``query`` names; when several match, ask which one (in a terminal) or refuse.

    Without a terminal (or with ``--json``) ambiguity is the store's error, which lists the
    matches with their ids.
    """
    matches = store.match_people(query)
    if len(matches) < 2 or not interactive:
        return store.find_person(query)
    import questionary

    from topcli.errors import Interrupted

    latest = {p["id"]: store.latest_session_row(person_id=p["id"]) for p in matches}
    choices = [
        questionary.Choice(
            f"{p['name']} (id {p['id']}"
            + (
                f", last conversation {latest[p['id']]['started_at'][:10]})"
                if latest[p["id"]]
                else ")"
            ),
            value=p["id"],
        )
        for p in matches
    ]
    try:
        picked = questionary.select(
            f"'{query}' matches {len(matches)} people. Which one?", choices=choices
        ).unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("nothing was done (no person chosen)") from None
    return next(p for p in matches if p["id"] == picked)


def _person_id(store: Any, query: str | None, *, interactive: bool) -> str | None:
    return None if query is None else choose_person(store, query, interactive=interactive)["id"]


def _table(*columns: Any, title: str | None = None) -> Any:
    """A table of ``rich.table.Column``s; give dates and ids ``no_wrap`` so they never break."""
    from rich.table import Table

    return Table(*columns, title=title, title_justify="left")


#: Below this many columns ``actions list`` leaves out the conversation column, so "what" keeps
#: room to be read; ``--json`` and ``topcli plan show`` still say which conversation set it.
_WIDE = 100

#: A change of an action's status in ``history``; ``actions list --all`` shows a closed action's
#: status this way in its "when" column, as it is not due any more.
_STATUS_MARKS = {
    "done": "✓ done",
    "dropped": "✗ dropped",
    "carried": "→ carried over",
    "open": "↺ reopened",
}


def _when(days: int, state: str | None) -> Any:
    from rich.text import Text

    from topcli.followthrough import describe_days

    style = {"overdue": "bold red", "today": "bold yellow"}.get(state or "", "")
    return Text(describe_days(days), style=style)


# --------------------------------------------------------------------------- actions


@actions_app.command("list")
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
) -> None:
    """Open actions across all conversations, soonest due first, with their ids."""
    from rich.table import Column
    from rich.text import Text

    from topcli import clock
    from topcli.followthrough import action_items, load_people, parse_period, select_actions
    from topcli.prompts import is_interactive
    from topcli.store import Store

    today = clock.today()
    until = parse_period(due_within).end(today) if due_within else None
    store = Store()
    person_id = _person_id(store, person, interactive=not as_json and is_interactive())
    items = select_actions(
        action_items(load_people(store, person_id)),
        today,
        until=until,
        overdue=overdue,
        include_closed=all_,
    )
    if as_json:
        print_json([item.to_json(today) for item in items])
        return
    out = console()
    if not items:
        which = "actions" if all_ else "open actions"
        scope = " overdue" if overdue else (f" due by {until.isoformat()}" if until else "")
        out.print(f"No {which}{scope}. Nice.")
        return
    wide = out.width >= _WIDE
    columns = [
        Column("id", no_wrap=True),
        Column("person"),
        Column("what"),
        Column("due", no_wrap=True),
        Column("when"),
    ]
    if wide:
        columns.append(Column("conversation", no_wrap=True))
    table = _table(*columns)
    for item in items:
        data = item.to_json(today)
        row = [
            item.id,
            Text(item.person.name),
            Text(str(item.action["what"])),
            data["due"],
            _when(data["days"], data["state"])
            if item.is_open
            else Text(_STATUS_MARKS.get(item.status, item.status), style="dim"),
        ]
        if wide:
            row.append(item.session_id)
        table.add_row(*row)
    out.print(table)


@actions_app.command("done")
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


@actions_app.command("drop")
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
    from rich.markup import escape

    from topcli.followthrough import close_action
    from topcli.store import Store

    item = close_action(Store(), action_id, status, note)
    console().print(
        f"Action {item.id} ('{escape(str(item.action['what']))}', "
        f"{escape(item.person.name)}) is now [bold]{status}[/bold]."
    )


@actions_app.command("note")
def note(
    action_id: str = typer.Argument(
        ..., metavar="ID", help="Action id; a unique start is enough (see 'actions list')."
    ),
    text: str = typer.Argument(..., help="The note.", metavar="TEXT"),
) -> None:
    """Add a dated note to an action (its status stays as it is)."""
    from rich.markup import escape

    from topcli.followthrough import note_action, plural
    from topcli.store import Store

    item = note_action(Store(), action_id, text)
    console().print(
        f"Noted on action {item.id} ('{escape(str(item.action['what']))}', "
        f"{escape(item.person.name)}): {plural(len(item.action['notes']), 'note')}."
    )


# --------------------------------------------------------------------------- followup


def followup(
    within: str = typer.Option(
        "14d",
        "--within",
        "-w",
        help="Show what is due within this period (e.g. 7d, 2w, 1m).",
        metavar="PERIOD",
    ),
    all_: bool = typer.Option(
        False, "--all", help="Everything scheduled, however far ahead.", metavar=""
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Print nothing; only the exit status tells.", metavar=""
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
) -> None:
    from rich.table import Column
    from rich.text import Text

    from topcli import clock
    from topcli.followthrough import describe_days, followup_report, load_people, parse_period
    from topcli.store import Store

    today = clock.today()
    until = None if all_ else parse_period(within, option="--within").end(today)
    report = followup_report(load_people(Store()), today, until)
    if as_json:
        print_json(report.to_json())
    elif not quiet:
        out = console()
        if not report.items:
            scope = "" if until is None else f" in the next {_period_words(within)}"
            out.print(f"Nothing is due{scope}. All caught up.")
            nxt = report.next_item
            if nxt is not None:
                out.print(
                    Text(
                        f"Next: {nxt.what} with {nxt.person.name} on {nxt.day.isoformat()} "
                        f"({describe_days(nxt.days(today))})."
                    )
                )
            else:
                out.print("No follow-up dates or open actions. Start one with: topcli start")
        else:
            title = "Everything scheduled" if until is None else f"Overdue and due by {until}"
            table = _table(
                Column("when"),
                Column("date", no_wrap=True),
                Column("person"),
                Column("what"),
                Column("id", no_wrap=True),
                title=title,
            )
            for item in report.items:
                days = item.days(today)
                table.add_row(
                    _when(days, item.to_json(today)["state"]),
                    item.day.isoformat(),
                    Text(item.person.name),
                    Text(item.what),
                    item.action_id or item.session_id,
                )
            out.print(table)
            if report.overdue:
                out.print(
                    f"[bold red]{report.overdue} overdue.[/bold red] "
                    "'topcli checkin PERSON' reviews a person's plan; "
                    "'topcli actions done ID' closes an action."
                )
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _period_words(text: str) -> str:
    from topcli.followthrough import parse_period, plural

    period = parse_period(text, option="--within")
    return plural(period.amount, {"d": "day", "w": "week", "m": "month"}[period.unit])


# --------------------------------------------------------------------------- checkin


def checkin(
    person: str = typer.Argument(
        ..., help="Who the check-in is with (name or id).", metavar="NAME"
    ),
    answers: str = typer.Option(
        None,
        "--answers",
        "-a",
        help="YAML or JSON answers file (question ids: see docs).",
        metavar="FILE",
    ),
    no_input: bool = typer.Option(
        False, "--no-input", help="Never prompt; fail with the list of missing answers.", metavar=""
    ),
) -> None:
    """A follow-up conversation that starts from the person's last plan.

    Walks each open action (progress; done, carried over or dropped; barriers; support),
    offers to revisit Think and Opportunities, and ends with an updated plan and a new
    follow-up date. Saved as you go; 'topcli resume ID' continues it.
    """
    from topcli.checkin import no_earlier_conversation, start_checkin
    from topcli.cli.conversation import print_summary
    from topcli.errors import NotFoundError
    from topcli.prompts import is_interactive
    from topcli.store import Store

    interactive = not no_input and is_interactive()
    store = Store()
    try:
        row = choose_person(store, person, interactive=interactive)
    except NotFoundError:
        if not interactive or not _offer_start(person):
            raise no_earlier_conversation(person) from None
        _start_first(person)
        return
    session = start_checkin(store, row, answers_file=answers, interactive=interactive)
    _print_review(session)
    print_summary(session)


def _offer_start(person: str) -> bool:
    """Ask whether to hold a first conversation instead (a typo must not create someone)."""
    import questionary

    console().print(f"There is no earlier conversation with '{person}' to check in on.")
    try:
        return bool(
            questionary.confirm(
                f"Start a first conversation with {person} now?", default=False
            ).unsafe_ask()
        )
    except (KeyboardInterrupt, EOFError):
        return False


def _start_first(person: str) -> None:
    from topcli.cli.conversation import print_summary
    from topcli.runner import StartRequest, start_session

    print_summary(start_session(StartRequest(person=person, interactive=True)))


def _print_review(session: Any) -> None:
    from topcli.checkin import CARRY, DONE, DROP, outcome_of
    from topcli.followthrough import plural

    outcome = outcome_of(session)
    total = sum(len(ids) for ids in outcome.values())
    if not total:
        return
    out = console()
    out.print()
    out.print(
        f"Reviewed {plural(total, 'action')}: {len(outcome[DONE])} done, "
        f"{len(outcome[CARRY])} carried over, {len(outcome[DROP])} dropped."
    )


# --------------------------------------------------------------------------- people


@people_app.command("list")
def list_people(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
) -> None:
    """Everyone, with their id, last and next conversation, and open and overdue actions.

    Give the id instead of the name when two people share one.
    """
    from rich.table import Column
    from rich.text import Text

    from topcli import clock
    from topcli.followthrough import load_people, people_summary, plural
    from topcli.store import Store

    today = clock.today()
    summary = people_summary(load_people(Store()), today)
    if as_json:
        print_json(summary)
        return
    out = console()
    if not summary:
        out.print("No conversations yet. Start one with: topcli start")
        return
    table = _table(
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
            else Text(f"{nxt['date']}\n").append_text(_when(nxt["days"], nxt["state"]))
        )
        overdue = entry["overdue_actions"]
        table.add_row(
            Text(entry["name"]),
            entry["id"],
            last_text,
            next_text,
            str(entry["open_actions"]),
            Text(str(overdue), style="bold red" if overdue else ""),
        )
    out.print(table)


# --------------------------------------------------------------------------- history


def history(
    person: str = typer.Argument(..., help="Whose history (name or id).", metavar="NAME"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output.", metavar=""),
) -> None:
    """One person's timeline: conversations, actions set and closed, Think answers over time."""
    from topcli import clock
    from topcli.followthrough import history as person_history
    from topcli.followthrough import load_people
    from topcli.prompts import is_interactive
    from topcli.store import Store

    store = Store()
    row = choose_person(store, person, interactive=not as_json and is_interactive())
    data = person_history(load_people(store, row["id"])[0], clock.today())
    if as_json:
        print_json(data)
        return
    _print_history(data)


def _print_history(data: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from topcli.followthrough import plural

    out = console()
    person = data["person"]
    conversations = [e for e in data["timeline"] if e["type"] == "conversation"]
    out.print(
        Text.assemble(
            ("History with ", ""),
            (person["name"], "bold"),
            f" (id {person['id']}): {plural(len(conversations), 'conversation')}; "
            + _action_summary(data["actions"]),
        )
    )
    table = Table("date", "event", "details", show_lines=True)
    for entry in data["timeline"]:
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
            table.add_row(entry["date"], f"{kind} {entry['session']}", Text("\n".join(lines)))
        else:
            mark = _STATUS_MARKS.get(entry["status"], entry["status"])
            details = f"{entry['action']} {entry['what']}"
            if entry["note"]:
                details += f"\n{entry['note']}"
            table.add_row(entry["date"], mark, Text(details))
    out.print(table)
    if not data["think"]:
        return
    out.print()
    out.rule("[bold]Think, over time[/bold]")
    for question in data["think"]:
        out.print(Text(question["prompt"], style="bold"))
        answers = question["answers"]
        for answer in answers:
            if answer["changed"]:
                value = answer["value"]
                shown = (
                    "(no answer)"
                    if value is None
                    else ", ".join(map(str, value))
                    if isinstance(value, list)
                    else str(value)
                )
                out.print(
                    Text(f"  {answer['date']}  ").append(shown.replace("\n", "\n" + " " * 14))
                )
        same = [a["date"] for a in answers[1:] if not a["changed"]]
        if same:
            out.print(Text(f"  (the same on {', '.join(same)})", style="dim"))


def _action_summary(counts: dict[str, int]) -> str:
    """``4 actions set: 2 done, 1 dropped, 1 open; ...``: the parts add up to the total.

    A carried-over action and its copies count once, by the latest copy's status (see
    :func:`topcli.followthrough.action_counts`), and the sentence says so.
    """
    from topcli.followthrough import plural

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
