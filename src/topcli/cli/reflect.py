"""``topcli reflect``: answer the preparation questions yourself and write the sheet to send."""

from __future__ import annotations

from pathlib import Path

import typer

from topcli.cli._base import console, report_plugin_warnings, write_document
from topcli.cli._help import examples
from topcli.cli._options import (
    force_option,
    framework_option,
    output_option,
    stage_option,
    yaml_option,
)


def register(app: typer.Typer) -> None:
    app.command(
        epilog=examples("topcli reflect -o my-prep.md", "topcli reflect --yaml -o me.yaml")
    )(reflect)


def reflect(
    framework: str = framework_option(),
    stages: list[str] = stage_option("A stage to prepare (repeat for several)."),
    name: str = typer.Option(
        None,
        "--name",
        help="Your name on the sheet.",
        show_default="the config's leader, else asked",
        metavar="NAME",
    ),
    md: bool = typer.Option(False, "--md", help="Markdown (the default).", metavar=""),
    as_yaml: bool = yaml_option(),
    output: Path = output_option(
        "Write the sheet to this file (mode 0600) instead of standard output."
    ),
    force: bool = force_option(),
    from_id: str = typer.Option(
        None,
        "--from",
        help="Write the sheet of an earlier reflection (e.g. one finished with "
        "'topcli resume') instead of asking again.",
        metavar="SESSION_ID",
    ),
) -> None:
    """Prepare for your own career conversation: answer the questions of the stages before
    the plan, saved as you go, then get the filled-in sheet to send (read with 'start --prep').

    Examples: topcli reflect -o my-prep.md;  topcli reflect --yaml -o my-prep.yaml
    """
    from topcli.catalog import resolve_framework, with_plugin_questions
    from topcli.errors import UsageError
    from topcli.prep import check_person, choose_stages
    from topcli.prompts import is_interactive
    from topcli.reflect import hold_reflection, sheet_from, stored_reflection, your_name

    if md and as_yaml:
        raise UsageError("--md and --yaml cannot be used together", hint="choose one form")
    fmt = "yaml" if as_yaml else "md"
    if not md and not as_yaml and output is not None:
        fmt = "yaml" if output.suffix.lower() in (".yaml", ".yml") else "md"
    if from_id is not None:
        session, chosen = stored_reflection(from_id)
    else:
        chosen = with_plugin_questions(resolve_framework(framework))
        picked = choose_stages(chosen, stages)
        interactive = is_interactive()
        person = check_person(your_name(name, interactive=interactive))
        session = hold_reflection(chosen, picked, person, interactive=interactive)
        report_plugin_warnings()
    _write(sheet_from(session, chosen, fmt), output, force, fmt, session.person_name)


def _write(text: str, output: Path | None, force: bool, fmt: str, person: str) -> None:
    if output is None or str(output) == "-":
        write_document(text.encode("utf-8"))
        return
    from topcli.exporters.service import write_export
    from topcli.safetext import printable_markup as escape

    write_export(output, text.encode("utf-8"), force=force)
    console(stderr=True).print(
        f"Wrote {escape(str(output))}: your preparation, {escape(person)} "
        f"({'YAML' if fmt == 'yaml' else 'Markdown'}). Send it ahead of the conversation."
    )
