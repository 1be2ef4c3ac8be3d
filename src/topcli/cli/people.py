"""``topcli people``: list, show, rename, merge and delete the people you talk with."""

from __future__ import annotations

from typing import Any

import typer

from topcli.cli._base import console, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option, no_pager_option, plain_option
from topcli.cli._people import choose_person

app = typer.Typer(
    help="Everyone you hold conversations with.",
    epilog=examples("topcli people list"),
    no_args_is_help=True,
)


@app.command("list", epilog=examples("topcli people list", "topcli people list --json"))
def list_people(
    as_json: bool = json_option(),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show N people (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    every: bool = typer.Option(False, "--all", help="Show everyone.", metavar=""),
    plain: bool = plain_option(),
    no_pager: bool = no_pager_option(),
) -> None:
    """Everyone, with their id, last and next conversation, and open and overdue actions.

    In a terminal, the people talked to most recently come first; piped or with --json,
    everyone by name. Give the id instead of the name when two people share one.
    """
    from topcli import clock
    from topcli.followup import people_summary
    from topcli.listing import listing
    from topcli.store import Store

    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=every)
    store = Store()
    # only the people shown are summed up: a terminal's 50 cost the same in any store
    shown = people_summary(store, clock.today(), recent_first=how.terminal, limit=how.limit)
    if as_json:
        print_json(shown)
        return
    if not shown:
        console().print("No conversations yet. Start one with: topcli start")
        return
    from topcli.render_followthrough import people_table

    total = len(shown) if how.limit is None else store.people_count()
    how.show(people_table(shown), total)


# --------------------------------------------------------------------------- managing people


@app.command(
    "show", epilog=examples('topcli people show "Sam Lee"', "topcli people show sam --json")
)
def show_person(
    person: str = typer.Argument(..., help="Name, part of a name, or id.", metavar="PERSON"),
    as_json: bool = json_option(),
) -> None:
    """One person: their conversations, actions by status and the next conversation.

    Examples: topcli people show "Sam Lee";  topcli people show sam-lee --json
    """
    from topcli import clock
    from topcli.people_admin import person_overview
    from topcli.prompts import is_interactive
    from topcli.store import Store

    store = Store()
    row = choose_person(store, person, interactive=not as_json and is_interactive())
    overview = person_overview(store, row, clock.today())
    if as_json:
        print_json(overview)
        return
    _print_overview(overview)


def _print_overview(overview: dict[str, Any]) -> None:
    """The header lines, then the conversations as a listing (plain when piped)."""
    from topcli.followthrough import describe_days
    from topcli.output import Table, show
    from topcli.safetext import printable, printable_markup
    from topcli.wording import plural

    out = console()
    talks = overview["conversations"]
    since = f", since {talks[0]['date']}" if talks else ""
    out.print(
        f"[bold]{printable_markup(overview['name'])}[/bold] (id {printable_markup(overview['id'])})"
        f": {plural(len(talks), 'conversation')}{since}"
    )
    counts = overview["actions"]
    out.print(
        f"Actions: {counts['open']} open, {counts['done']} done, {counts['dropped']} dropped"
        + (f", {counts['carried']} carried over" if counts["carried"] else "")
    )
    upcoming = overview["next"]
    if upcoming is None:
        out.print("Next conversation: none set")
    else:
        out.print(
            f"Next conversation: {upcoming['date']} ({describe_days(upcoming['days'])}), "
            f"set in {upcoming['session']}"
        )
    if not talks:
        return
    table = Table(["date", "kind", "status", "framework", "id", "open actions"])
    for talk in talks:
        table.add_row(
            talk["date"],
            "check-in" if talk["kind"] == "checkin" else talk["kind"],
            talk["status"].replace("_", " "),
            printable(f"{talk['framework']} {talk['framework_version']}"),
            talk["session"],
            f"{talk['open_actions']} of {talk['actions']}",
        )
    out.print()
    out.file.flush()
    show(table)


@app.command("rename", epilog=examples('topcli people rename sam "Sam Lee"'))
def rename_person(
    person: str = typer.Argument(..., help="Name, part of a name, or id.", metavar="PERSON"),
    new_name: str = typer.Argument(..., help="The name to use from now on.", metavar="NEW_NAME"),
) -> None:
    """Give a person a new name; their id and conversations stay as they are.

    A name someone else already has is refused (merge the two instead).

    Examples: topcli people rename "Sam" "Sam Lee";  topcli people rename sam "Samantha Lee"
    """
    from topcli.people_admin import checked_name, describe
    from topcli.prompts import is_interactive
    from topcli.safetext import printable_markup
    from topcli.store import Store

    name = checked_name(new_name)
    store = Store()
    row = choose_person(store, person, interactive=is_interactive())
    if row["name"] == name:
        console().print(
            f"{printable_markup(describe(row))} already has that name; nothing changed."
        )
        return
    renamed = store.rename_person(row["id"], name)
    console().print(
        f"Renamed {printable_markup(row['name'])} to {printable_markup(renamed['name'])} "
        f"(id {printable_markup(renamed['id'])})."
    )


@app.command(
    "merge",
    epilog=examples('topcli people merge sam "Sam Lee"', "topcli people merge sam sam-lee --yes"),
)
def merge_people(
    source: str = typer.Argument(
        ..., help="The person to merge away (name or id).", metavar="FROM"
    ),
    target: str = typer.Argument(..., help="The person who keeps everything.", metavar="INTO"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.", metavar=""),
) -> None:
    """Move every conversation of FROM to INTO, then remove FROM (one transaction).

    For the same person stored twice ("Sam" and "Sam Lee"). Asks first in a terminal; --yes
    for scripts (which then give whole names or ids).

    Examples: topcli people merge "Sam" "Sam Lee";  topcli people merge sam sam-lee --yes
    """
    from topcli.errors import UsageError
    from topcli.people_admin import describe, whole_name_needed
    from topcli.prompts import is_interactive
    from topcli.safetext import printable, printable_markup
    from topcli.store import Store
    from topcli.wording import plural

    interactive = is_interactive()
    store = Store()
    old = choose_person(store, source, interactive=interactive)
    into = choose_person(store, target, interactive=interactive)
    if old["id"] == into["id"]:
        raise UsageError(
            f"cannot merge {describe(old)} into themselves",
            hint="give two different people: topcli people merge FROM INTO",
        )
    if yes:
        whole_name_needed(source, old, "merge")
        whole_name_needed(target, into, "merge")
    moving = store.person_counts(old["id"])["conversations"]
    question = (
        f"Move {plural(moving, 'conversation')} of {printable(describe(old))} to "
        f"{printable(describe(into))} and remove {printable(old['name'])}?"
    )
    if not _confirmed(question, yes=yes, key="merge", nothing="nothing was merged"):
        console().print("Nothing merged.")
        return
    moved = store.merge_people(old["id"], into["id"])
    console().print(
        f"Merged {printable_markup(old['name'])} into {printable_markup(describe(into))}: "
        f"{plural(moved, 'conversation')} moved."
    )


@app.command(
    "delete",
    epilog=examples('topcli people delete "Sam Lee"', "topcli people delete sam-lee --yes"),
)
def delete_person(
    person: str = typer.Argument(..., help="Name, part of a name, or id.", metavar="PERSON"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.", metavar=""),
) -> None:
    """Delete a person and every conversation with them (answers, actions, notes) for good.

    The deleted text is overwritten in the database file, not only unlinked. Asks first in a
    terminal, naming what goes; --yes for scripts (which then give the whole name or the id).

    Examples: topcli people delete "Sam Lee";  topcli people delete sam-lee --yes
    """
    from topcli.people_admin import describe, whole_name_needed
    from topcli.prompts import is_interactive
    from topcli.safetext import printable, printable_markup
    from topcli.store import Store
    from topcli.wording import plural

    store = Store()
    row = choose_person(store, person, interactive=is_interactive())
    if yes:
        whole_name_needed(person, row, "delete")
    counts = store.person_counts(row["id"])
    what = (
        f"{plural(counts['conversations'], 'conversation')} and "
        f"{plural(counts['actions'], 'action')}"
    )
    question = (
        f"Delete {printable(describe(row))} with {what}, every answer and note? "
        "This cannot be undone."
    )
    if not _confirmed(question, yes=yes, key="delete", nothing="nothing was deleted"):
        console().print("Nothing deleted.")
        return
    store.delete_person(row["id"])
    console().print(f"Deleted {printable_markup(describe(row))} with {what}.")


def _confirmed(question: str, *, yes: bool, key: str, nothing: str) -> bool:
    """``--yes``, or the person's answer in a terminal; without either, a refusal (exit 2).

    Ctrl-C at the question is :class:`~topcli.errors.Interrupted` saying ``nothing``.
    """
    if yes:
        return True
    from topcli import clock
    from topcli.errors import UsageError
    from topcli.prompts import TerminalPrompter, interrupts, is_interactive

    if not is_interactive():
        verb = key.rstrip("e")
        raise UsageError(
            f"{verb}ing a person needs confirmation, and there is no terminal to ask in",
            hint=f"run it in a terminal to be asked, or add --yes (topcli people {key} ... --yes)",
        )
    with interrupts(nothing):
        return TerminalPrompter(clock.today()).confirm(question, default=False, key=key)
