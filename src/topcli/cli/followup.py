"""``topcli followup``: what is overdue and due soon, with an exit status for scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from topcli.cli._base import console, person_option, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option, no_pager_option, plain_option

if TYPE_CHECKING:
    from topcli.followup import FollowupReport
    from topcli.listing import Listing

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
    """Add ``followup`` to the root app."""
    app.command(
        help=FOLLOWUP_HELP,
        epilog=examples("topcli followup --within 4w", 'topcli followup --person "Sam Lee" --json'),
    )(followup)


def followup(
    within: str = typer.Option(
        "14d",
        "--within",
        "-w",
        help="Show what is due within this period (e.g. 7d, 2w, 1mo).",
        metavar="PERIOD",
    ),
    person: str = person_option("Only this person's follow-ups and actions."),
    all_: bool = typer.Option(
        False, "--all", help="Everything scheduled, however far ahead.", metavar=""
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Print nothing; only the exit status tells.", metavar=""
    ),
    as_json: bool = json_option(),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show the N soonest (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    plain: bool = plain_option(),
    no_pager: bool = no_pager_option(),
) -> None:
    from topcli import clock
    from topcli.cli._people import person_id
    from topcli.durations import parse_period
    from topcli.followup import followup_report
    from topcli.listing import listing
    from topcli.store import Store

    today = clock.today()
    until = None if all_ else parse_period(within, option="--within").end(today)
    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=all_)
    store = Store()
    pid = None
    if person is not None:  # asking "which Sam?" needs prompt_toolkit: only load it then
        from topcli.prompts import is_interactive

        pid = person_id(store, person, interactive=not (as_json or quiet) and is_interactive())
    # --quiet needs only the exit status, which counts everything: read the fewest items
    report = followup_report(
        store, today, until, limit=1 if quiet and not as_json else how.limit, person_id=pid
    )
    if as_json:
        print_json(report.to_json())
    elif not quiet:
        _print_report(report, within, how)
    # the exit status counts everything overdue, whatever the limit left out
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _print_report(report: FollowupReport, within: str, how: Listing) -> None:
    from topcli.durations import with_weekday
    from topcli.followthrough import describe_days
    from topcli.safetext import printable

    out = console()
    if not report.items:
        scope = "" if report.until is None else f" in the next {_period_words(within)}"
        out.print(f"Nothing is due{scope}. All caught up.")
        nxt = report.next_item
        if nxt is not None:
            out.print(
                printable(
                    f"Next: {nxt.what} with {nxt.person.name} on {with_weekday(nxt.day)} "
                    f"({describe_days(nxt.days(report.today))})."
                ),
                markup=False,
            )
        else:
            out.print("No follow-up dates or open actions. Start one with: topcli start")
        return
    from topcli.render_followthrough import followup_table

    total = len(report.items) if report.total is None else report.total
    how.show(followup_table(report), total, more="--limit 0 for all")
    if report.overdue:
        # in a pipe the table is data: the summary goes to stderr, out of the way of grep
        console(stderr=not how.terminal).print(
            f"[bold red]{report.overdue} overdue.[/bold red] "
            "'topcli checkin PERSON' reviews a person's plan; "
            "'topcli actions done ID' closes an action."
        )


def _period_words(text: str) -> str:
    from topcli.durations import parse_period

    return parse_period(text, option="--within").words()
