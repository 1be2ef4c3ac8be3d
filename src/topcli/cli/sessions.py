"""``topcli sessions``: list, show, edit, delete and import stored conversations."""

from __future__ import annotations

from pathlib import Path

import typer

from topcli import completion
from topcli.cli._base import console, person_option, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option, no_pager_option, plain_option

app = typer.Typer(
    help="List, show, edit, delete and import stored conversations.",
    epilog=examples("topcli sessions list", "topcli sessions show 3f89"),
    no_args_is_help=True,
)


@app.command(
    "list",
    epilog=examples("topcli sessions list", 'topcli sessions list --person "Sam Lee" --json'),
)
def list_sessions(
    person: str = person_option("Only conversations with this person."),
    as_json: bool = json_option(),
    limit: int = typer.Option(
        None,
        "--limit",
        help="Show the N most recent (default in a terminal: 50; 0: all).",
        metavar="N",
    ),
    every: bool = typer.Option(False, "--all", help="Show every conversation.", metavar=""),
    plain: bool = plain_option(),
    no_pager: bool = no_pager_option(),
) -> None:
    """Every conversation: in a terminal the most recent first; piped or --json, oldest first."""
    from itertools import chain

    from topcli.cli._people import person_id
    from topcli.listing import listing, print_json_items, write_plain
    from topcli.render_followthrough import SESSION_COLUMNS, session_json, session_row
    from topcli.store import Store

    store = Store()
    pid = None
    if person is not None:  # asking "which Sam?" needs prompt_toolkit: only load it then
        from topcli.prompts import is_interactive

        pid = person_id(store, person, interactive=not as_json and is_interactive())
    how = listing(as_json=as_json, plain=plain, pager=not no_pager, limit=limit, every=every)
    # one query with the person and counts: the newest `limit` when cut, else all, oldest
    # first, read and written a batch at a time
    rows = store.iter_conversation_summaries(
        person_id=pid,
        newest_first=how.terminal or how.limit is not None,
        limit=how.limit,
        action_counts=False,
    )
    if not how.terminal and how.limit is not None:
        rows = reversed(list(rows))  # pipes and --json read oldest first, whatever the limit
    first = next(rows, None)
    if as_json:
        print_json_items(session_json(s) for s in chain([first] if first else [], rows))
        return
    if first is None:
        console().print("No conversations yet. Start one with: topcli start")
        return
    if how.limit is None and not how.terminal:  # everything, piped: written as it is read
        write_plain(SESSION_COLUMNS, (session_row(s) for s in chain([first], rows)))
        return
    from topcli.render_followthrough import sessions_table

    table = sessions_table(list(chain([first], rows)))
    total = len(table.rows) if how.limit is None else store.conversation_count(person_id=pid)
    how.show(table, total)


@app.command(
    "show", epilog=examples("topcli sessions show 3f89", "topcli sessions show 3f89 --json")
)
def show(
    session_id: str = typer.Argument(
        ...,
        help="Conversation id (a unique prefix is enough).",
        metavar="SESSION_ID",
        autocompletion=completion.session_ids,
    ),
    as_json: bool = typer.Option(
        False, "--json", help="The full record, as in the JSON export.", metavar=""
    ),
) -> None:
    """One conversation: every answer, the plan and the follow-up date."""
    from topcli.render import (
        conversation_table,
        draft_table,
        followup_line,
        plan_table,
        session_heading,
    )
    from topcli.store import Store

    store = Store()
    session = store.load(session_id)
    if as_json:
        print_json(session.to_dict())
        return
    out = console()
    out.print(session_heading(session))
    out.print(conversation_table(session))
    if session.actions:
        out.print(plan_table(session))
    if not session.is_complete:
        # a paused plan: the actions typed so far are kept as a draft, not yet as an answer
        for _, question in session.framework.questions():
            draft = store.draft(session.id, question.id)
            if question.type == "actions" and question.id not in session.answers and draft:
                out.print(draft_table(question, draft))
    out.print(followup_line(session))
    if not session.is_complete:
        out.print(f"Not finished: continue with [bold]topcli resume {session.id}[/bold]")


@app.command(
    "delete", epilog=examples("topcli sessions delete 3f89", "topcli sessions delete 3f89 --yes")
)
def delete(
    session_id: str = typer.Argument(
        ..., help="Conversation id.", metavar="SESSION_ID", autocompletion=completion.session_ids
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.", metavar=""),
) -> None:
    """Delete a conversation and its answers and actions for good."""
    from topcli import clock
    from topcli.errors import UsageError
    from topcli.prompts import TerminalPrompter, interrupts, is_interactive
    from topcli.safetext import printable, printable_markup
    from topcli.store import Store

    store = Store()
    session = store.load(session_id)
    if not yes:
        if not is_interactive():
            raise UsageError("deleting needs confirmation", hint="add --yes to confirm")
        with interrupts("nothing was deleted"):
            sure = TerminalPrompter(clock.today()).confirm(
                f"Delete conversation {session.id} with {printable(session.person_name)} "
                f"({len(session.answers)} answers)? This cannot be undone.",
                default=False,
                key="delete",
            )
        if not sure:
            console().print("Nothing deleted.")
            return
    store.delete_session(session.id)
    console().print(
        f"Deleted conversation {session.id} with {printable_markup(session.person_name)}."
    )


@app.command(
    "import",
    epilog=examples(
        "topcli sessions import backup.json",
        "topcli plan export --all --json | topcli sessions import -",
    ),
)
def import_sessions(
    file: Path = typer.Argument(
        ...,
        help="A file from 'topcli plan export --json' (one conversation or --all); - reads stdin.",
        metavar="FILE",
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Overwrite conversations that are already stored.", metavar=""
    ),
) -> None:
    """Restore conversations from a JSON export exactly (a new laptop, a backup)."""
    from topcli.safetext import printable_markup
    from topcli.transfer import import_file
    from topcli.wording import plural

    result = import_file(file, replace=replace)
    out = console(stderr=True)
    for note in result.notes:
        out.print(f"[yellow]note:[/yellow] {printable_markup(note)}")
    for session in result.sessions:
        verb = "Replaced" if session.id in result.replaced else "Imported"
        out.print(
            f"{verb} conversation [bold]{session.id}[/bold] with "
            f"{printable_markup(session.person_name)} "
            f"({printable_markup(session.framework.name)}, {session.started_at[:10]}, "
            f"{plural(len(session.answers), 'answer')}, {plural(len(session.actions), 'action')})."
        )


@app.command(
    "edit",
    epilog=examples(
        "topcli sessions edit 3f89 core_values",
        'topcli sessions edit 3f89 --set learning_style="By doing"',
    ),
)
def edit(
    session_id: str = typer.Argument(
        ..., help="Conversation id (a unique prefix is enough).", metavar="SESSION_ID"
    ),
    question_ids: list[str] = typer.Argument(
        None,
        help="The questions to ask again (default: pick one from the answered questions).",
        metavar="[QUESTION_ID]...",
    ),
    sets: list[str] = typer.Option(
        None,
        "--set",
        help="Set an answer without asking (repeatable; a multiselect takes a,b,c).",
        metavar="QUESTION_ID=VALUE",
    ),
) -> None:
    """Correct answers of a stored conversation: re-asked with the current answers as defaults."""
    from topcli import clock
    from topcli.editing import edit_answers, short
    from topcli.prompts import TerminalPrompter, is_interactive
    from topcli.safetext import printable_markup
    from topcli.store import Store

    today = clock.today()
    prompter = TerminalPrompter(today) if is_interactive() else None
    result = edit_answers(
        Store(), session_id, question_ids or [], sets or [], prompter=prompter, today=today
    )
    out = console()
    if result.nothing:
        out.print("Nothing changed.")
        return
    for question, old, new in result.changed:
        out.print(
            f"Changed [bold]{question.id}[/bold]: {printable_markup(short(old))} → "
            f"{printable_markup(short(new))}"
        )
    for question in result.added:
        value = short(result.session.answers.get(question.id))
        out.print(f"Answered [bold]{question.id}[/bold]: {printable_markup(value)}")
    for question in result.removed:
        out.print(f"Removed the answer to [bold]{question.id}[/bold]: it no longer applies.")
    ident = result.session.id
    out.print(
        f"Saved. Calendars pick up the change from a new export: topcli plan export {ident} --ics"
    )


@app.command("purge", epilog=examples("topcli sessions purge"))
def purge() -> None:
    """Compact the database so deleted conversations leave no trace and no space behind.

    Deleting already overwrites the deleted rows (SQLite's ``secure_delete``); purging rebuilds
    the file (``VACUUM``), which also drops freed pages and old copies of moved rows.
    """
    from topcli.store import Store

    store = Store()
    before = store.path.stat().st_size
    store.vacuum()
    after = store.path.stat().st_size
    freed = max(before - after, 0)
    console().print(
        f"Compacted {store.path}: {_size(before)} → {_size(after)} ({_size(freed)} freed).",
        markup=False,
    )


def _size(n: int) -> str:
    """Bytes in the unit a person reads at a glance (``4.0 KiB``, ``1.2 MiB``)."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"
