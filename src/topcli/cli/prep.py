"""``topcli prep``: a preparation sheet to send to the person before the conversation."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from topcli.cli._base import console, one_person, person_option, write_document
from topcli.cli._help import examples
from topcli.cli._options import (
    force_option,
    framework_option,
    output_option,
    person_argument,
    stage_option,
    yaml_option,
)


def register(app: typer.Typer) -> None:
    """``prep`` and ``reflect``: the two ways a sheet for the person comes to be."""
    from topcli.cli import reflect

    app.command(
        epilog=examples(
            'topcli prep "Sam Lee" -o sam-prep.md', 'topcli prep "Sam Lee" --yaml -o sam.yaml'
        )
    )(prep)
    reflect.register(app)


def prep(
    name: str = person_argument("Who the sheet is for.", "PERSON"),
    person_flag: str = person_option("Who the sheet is for (the same as PERSON)."),
    framework: str = framework_option(),
    stages: list[str] = stage_option("A stage to include (repeat for several)."),
    md: bool = typer.Option(
        False, "--md", help="Markdown, for email or a shared document.", metavar=""
    ),
    as_yaml: bool = yaml_option(),
    output: Path = output_option(),
    force: bool = force_option(),
    new_person: bool = typer.Option(
        False,
        "--new-person",
        help="For a new person, even if the name is close to someone stored.",
        metavar="",
    ),
) -> None:
    """A sheet of the questions for PERSON to prepare before the conversation.

    Each stage's purpose, its questions and room to answer. Markdown by default; the filled-in
    sheet can be read back by topcli.
    """
    from topcli.catalog import resolve_framework, with_plugin_questions
    from topcli.errors import UsageError
    from topcli.prep import choose_stages, write_prep

    person = one_person(name, person_flag, command="prep")
    if md and as_yaml:
        raise UsageError("--md and --yaml cannot be used together", hint="choose one form")
    fmt = "yaml" if as_yaml else "md"
    if not md and not as_yaml and output is not None:
        # -o sam.yaml means YAML without having to say it twice
        fmt = "yaml" if output.suffix.lower() in (".yaml", ".yml") else "md"
    chosen = with_plugin_questions(resolve_framework(framework))
    person = _sheet_name(person, output, new_person)
    text = write_prep(chosen, person, choose_stages(chosen, stages), fmt)
    if output is None or str(output) == "-":
        write_document(text.encode("utf-8"))
        return
    from topcli.exporters.service import write_export
    from topcli.safetext import printable_markup as escape

    write_export(output, text.encode("utf-8"), force=force)
    console(stderr=True).print(
        f"Wrote {escape(str(output))}: the preparation sheet for {escape(person.strip())} "
        f"({'YAML' if fmt == 'yaml' else 'Markdown'}). Send it ahead of the conversation."
    )


def _sheet_name(person: str, output: Path | None, new_person: bool) -> str:
    """The stored name when PERSON is someone stored or close to them (asked in a terminal,
    unless the sheet itself is going to the terminal's screen; refused otherwise)."""
    from topcli import clock
    from topcli.people_admin import name_for_sheet
    from topcli.prep import check_person
    from topcli.prompts import TerminalPrompter, is_interactive

    person = check_person(person)  # a name on one line, before it is compared with anyone
    to_file = output is not None and str(output) != "-"
    ask = is_interactive() and (to_file or sys.stdout.isatty())
    return name_for_sheet(
        person, TerminalPrompter(clock.today()) if ask else None, new_person=new_person
    )
