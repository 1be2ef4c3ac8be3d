"""``topcli plan``: show, export and reschedule a conversation's plan; the export format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand

from topcli import completion
from topcli.cli._base import console, person_option, print_json
from topcli.cli._help import examples
from topcli.cli._options import force_option, json_option, output_option

app = typer.Typer(
    help="Show and export plans.",
    epilog=examples("topcli plan show", "topcli plan export --ics -o sam.ics"),
    no_args_is_help=True,
)


@app.command(
    "show", epilog=examples('topcli plan show --person "Sam Lee"', "topcli plan show 3f89 --json")
)
def show(
    session_id: str = typer.Argument(
        None,
        help="Conversation id (default: the latest conversation with a plan).",
        metavar="SESSION_ID",
        autocompletion=completion.session_ids,
    ),
    person: str = person_option("That person's latest plan."),
    as_json: bool = json_option(),
) -> None:
    """The actions (with their ids and status) and the follow-up date of a conversation."""
    from topcli.render import followup_line, plan_table, session_heading
    from topcli.selection import pick_session
    from topcli.store import Store

    store = Store()
    session = pick_session(store, session_id, person=person)
    if as_json:
        print_json(
            {
                "session": session.id,
                "person": session.person_name,
                "actions": session.actions,
                "followup": session.followup,
            }
        )
        return
    out = console()
    out.print(session_heading(session))
    if session.actions:
        out.print(plan_table(session))
    else:
        out.print("No actions in this plan yet.")
    out.print(followup_line(session))
    if not session.has_plan and not session.is_complete:
        out.print(f"Finish the conversation to make a plan: topcli resume {session.id}")


class ExportCommand(TyperCommand):
    """``plan export`` also takes ``--NAME`` for any exporter, a plugin's too.

    Typer cannot add flags at run time, so an option that is not one of the command's own is
    read as a format name: ``--NAME`` becomes ``--format NAME`` before parsing. An unknown name
    then gets the "unknown export format" message with the list of formats. Plugins are only
    loaded when such an option is present.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        known = {opt for param in self.params for opt in (*param.opts, *param.secondary_opts)}
        known.add("--help")
        rewritten: list[str] = []
        for n, arg in enumerate(args):
            if arg == "--":
                rewritten += args[n:]
                break
            name = arg[2:]
            if arg.startswith("--") and "=" not in arg and arg not in known and name:
                _check_not_a_typo(arg, known)
                rewritten.append(f"--format={name}")
            else:
                rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


def _check_not_a_typo(flag: str, options: set[str]) -> None:
    """``--forse`` is a mistyped ``--force``, not a format, unless an exporter has that name."""
    import difflib

    from topcli.errors import UsageError
    from topcli.exporters.service import available_exporters

    close = difflib.get_close_matches(flag, sorted(options), n=1, cutoff=0.75)
    if close and flag[2:] not in available_exporters():
        raise UsageError(
            f"no such option: {flag}; did you mean {close[0]}?",
            hint="'topcli plan export --help' lists the options",
        )


@app.command(
    "export",
    cls=ExportCommand,
    epilog=examples(
        'topcli plan export --person "Sam Lee" --md -o sam-plan.md',
        "topcli plan export 3f89 --ics --time 14:30 --remind 2h -o followup.ics",
    ),
)
def export(
    session_id: str = typer.Argument(
        None,
        help="Conversation id (default: the latest conversation with a plan).",
        metavar="SESSION_ID",
        autocompletion=completion.session_ids,
    ),
    person: str = person_option("That person's latest plan."),
    every: bool = typer.Option(
        False,
        "--all",
        help="Every conversation (with --person: all of theirs) in one file.",
        metavar="",
    ),
    ics: bool = typer.Option(
        False, "--ics", help="iCalendar: follow-up and action due dates.", metavar=""
    ),
    md: bool = typer.Option(
        False, "--md", help="Markdown: a one-page summary to share.", metavar=""
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON: the complete record.", metavar=""),
    full: bool = typer.Option(
        False, "--full", help="Markdown: the whole conversation, not the summary.", metavar=""
    ),
    include_private: bool = typer.Option(
        False,
        "--include-private",
        help="Put your private notes in a shared export (JSON always keeps them).",
        metavar="",
    ),
    formats: list[str] = typer.Option(
        None,
        "--format",
        "-F",
        metavar="NAME",
        help="Any exporter by name, a plugin's too (also as the flag --NAME).",
        autocompletion=completion.exporter_names,
    ),
    output: Path = output_option(),
    force: bool = force_option(),
    timezone: str = typer.Option(
        None,
        "--timezone",
        help="Calendar: IANA time zone (setting: timezone).",
        show_default="your local zone",
        metavar="ZONE",
    ),
    start: str = typer.Option(
        None,
        "--time",
        help="Calendar: the follow-up's time of day, HH:MM (setting: meeting_time).",
        show_default="10:00",
        metavar="HH:MM",
    ),
    duration: str = typer.Option(
        None,
        "--duration",
        help="Calendar: the follow-up's length, e.g. 45min, 1h30min (setting: duration).",
        show_default="45min",
        metavar="DURATION",
    ),
    remind: str = typer.Option(
        None,
        "--remind",
        help="Calendar: reminder before the follow-up, e.g. 15min, 2h, 1d (setting: remind). "
        "Actions (all-day events) keep theirs: 09:00 the day before.",
        show_default="1d",
        metavar="DURATION",
    ),
) -> None:
    """Export a conversation's plan: Markdown to share, JSON to keep, .ics for the calendar."""
    from topcli.exporters.service import (
        choose_format,
        get_exporter,
        prepare,
        stream_export,
        with_calendar_options,
        with_full_transcript,
    )
    from topcli.output import stream_to_stdout
    from topcli.selection import pick_sessions
    from topcli.store import Store

    name = choose_format({"ics": ics, "md": md, "json": as_json}, formats or [])
    calendar = {"timezone": timezone, "start": start, "duration": duration, "remind": remind}
    given = {k: v for k, v in calendar.items() if v is not None}
    exporter = with_full_transcript(with_calendar_options(get_exporter(name), given), full)
    # --all reads the conversations one at a time as the export is written (any size)
    sessions = pick_sessions(Store(), session_id, person=person, every=every)
    writer = prepare(exporter, sessions, every=every, include_private=include_private)
    if output is None or str(output) == "-":
        stream_to_stdout(writer)
        return
    stream_export(output, writer, force=force)
    from topcli.safetext import printable_markup
    from topcli.wording import plural

    what = (
        plural(len(sessions), "conversation")
        if every
        else "conversation {0.id} with {0.person_name}".format(next(iter(sessions)))
    )
    console(stderr=True).print(
        f"Wrote {printable_markup(str(output))} ({printable_markup(name)}, "
        f"{printable_markup(what)})."
    )


@app.command("schema", epilog=examples("topcli plan schema > topcli-export.schema.json"))
def schema() -> None:
    """Print the JSON Schema of the JSON export (see docs/export-format.md)."""
    from topcli.exporters.json_export import schema_text

    sys.stdout.write(schema_text())


@app.command(
    "reschedule",
    epilog=examples('topcli plan reschedule "+2 weeks"', "topcli plan reschedule 3f89 2026-07-06"),
)
def reschedule(
    words: list[str] = typer.Argument(
        ...,
        help="An optional conversation id (default: the latest plan), then the new date: "
        "2026-07-01, next monday, tomorrow (counted from today), or an offset from the "
        "current follow-up date: +2w, +2 weeks, 2 weeks.",
        metavar="[SESSION_ID] DATE",
    ),
    person: str = typer.Option(
        None, "--person", "-p", help="That person's latest plan.", metavar="NAME"
    ),
) -> None:
    """Move the follow-up conversation to another date (the next .ics export moves the event).

    An offset such as +2 weeks pushes the follow-up back from the date it has now; a date,
    a weekday or tomorrow is that day. A date earlier than the current one is warned about.
    """
    from topcli import clock
    from topcli.durations import with_weekday
    from topcli.editing_plan import reschedule as move
    from topcli.editing_plan import split_reschedule_args
    from topcli.safetext import printable_markup
    from topcli.store import Store

    today = clock.today()
    session_id, when = split_reschedule_args(words, today)
    result = move(Store(), session_id, when, person=person, today=today)
    for warning in result.warnings:
        console(stderr=True).print(f"[yellow]warning:[/yellow] {printable_markup(warning)}")
    name = printable_markup(result.session.person_name)
    ident = result.session.id
    if result.nothing:
        console().print(f"The follow-up with {name} is already on {result.new}; nothing changed.")
        return
    how = f" ({printable_markup(result.how)})" if result.how else ""
    console().print(
        f"Follow-up with {name} moved from {with_weekday(result.old or 'no date')} to "
        f"[bold]{with_weekday(result.new)}[/bold]{how}. "
        f"Update calendars with: topcli plan export {ident} --ics"
    )
