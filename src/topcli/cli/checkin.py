"""``topcli checkin``: a follow-up conversation that starts from the person's last plan."""

from __future__ import annotations

from typing import Any

import typer

from topcli.cli._base import console, one_person, person_option
from topcli.cli._help import examples
from topcli.cli._options import person_argument, prep_force_option, prep_option


def register(app: typer.Typer) -> None:
    """Add ``checkin`` to the root app."""
    app.command(
        epilog=examples('topcli checkin "Sam Lee"', "topcli checkin sam-lee --answers checkin.yaml")
    )(checkin)


def checkin(
    name: str = person_argument("Who the check-in is with (name or id)."),
    person_flag: str = person_option("Who the check-in is with (the same as NAME)."),
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
    prep: str = prep_option(),
    force: bool = prep_force_option(),
) -> None:
    """A follow-up conversation that starts from the person's last plan.

    Walks each open action (progress; done, carried over or dropped; barriers; support),
    offers to revisit Think and Opportunities, and ends with an updated plan and a new
    follow-up date. Saved as you go; 'topcli resume ID' continues it.
    """
    from topcli.checkin import no_earlier_conversation
    from topcli.cli._people import choose_near, choose_person
    from topcli.cli.conversation import print_summary
    from topcli.errors import NotFoundError
    from topcli.pipeline import start_checkin
    from topcli.prompts import is_interactive
    from topcli.store import Store

    person = one_person(name, person_flag, command="checkin")
    interactive = not no_input and is_interactive()
    store = Store()
    try:
        row = choose_person(store, person, interactive=interactive)
    except NotFoundError:
        row = choose_near(store, person, interactive=interactive, command="checkin")
        if row is None:
            if not interactive or not _offer_start(person):
                raise no_earlier_conversation(person) from None
            _start_first(person)
            return
    session = start_checkin(
        store, row, answers_file=answers, interactive=interactive, prep_file=prep, force=force
    )
    _print_review(session)
    print_summary(session)


def _offer_start(person: str) -> bool:
    """Ask whether to hold a first conversation instead (a typo must not create someone)."""
    from topcli import clock
    from topcli.errors import Interrupted
    from topcli.prompts import TerminalPrompter

    console().print(f"There is no earlier conversation with '{person}' to check in on.")
    try:
        return TerminalPrompter(clock.today()).confirm(
            f"Start a first conversation with {person} now?", default=False, key="start_first"
        )
    except Interrupted:
        return False


def _start_first(person: str) -> None:
    from topcli.cli.conversation import print_summary
    from topcli.pipeline import StartRequest, start_session

    # the near names were offered already: someone new, not a second question
    print_summary(start_session(StartRequest(person=person, interactive=True, new_person=True)))


def _print_review(session: Any) -> None:
    from topcli.checkin import CARRY, DONE, DROP
    from topcli.checkin_outcome import outcome_of
    from topcli.wording import plural

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
